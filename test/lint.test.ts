import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from './support/project-root';

const run = promisify(execFile);
const ROOT = projectRoot();
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

/** `npm run lint`'s layer check, as the script runs it, on a folder. */
async function cruise(folder: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(
      DEPCRUISE,
      [folder, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
      {
        cwd: ROOT,
      },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

describe('the layers: no import cycle, and no layer reaching up', () => {
  it('src/ has none, type-only imports included', async () => {
    const result = await cruise('src');
    expect(result.output).toMatch(/no dependency violations found/);
    expect(result.code).toBe(0);
  }, 60_000);

  it('a deliberately cyclic pair of modules (types only) fails the check', async () => {
    const result = await cruise('test/fixtures/import-cycle');
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/no-circular: test\/fixtures\/import-cycle\/a\.ts/);
  }, 60_000);

  it('the core importing a transport fails the check', async () => {
    const result = await cruise('test/fixtures/layer-breach');
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/core-is-pure: test\/fixtures\/layer-breach\/src\/core\/pure\.ts/);
  }, 60_000);
});
