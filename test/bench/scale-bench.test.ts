import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../support/project-root';
import { UNBOUND } from '../support/unbound';

// The benchmark is run small, so that it keeps working; its figures are not judged here (machines
// are noisy), only that every row is there, with a peak memory, and nothing was lost.
const run = UNBOUND || process.env.CI ? describe : describe.skip;
if (!UNBOUND && !process.env.CI)
  process.stderr.write('Scale benchmark test skipped: apt-get install unbound\n');

run('npm run bench:scale (small)', () => {
  test('checks every domain exactly once through Unbound, beside dnsperf, with peak RSS and the slope', async () => {
    const script = join(projectRoot(), 'build', 'bench', 'scale-bench.js');
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, BENCH_SCALE_SIZES: '1000,3000' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ status, stderr: stderr.replace(/… [\d,]+ domains done\n/g, '') }).toEqual({
      status: 0,
      stderr: '',
    });
    for (const size of ['1,000', '3,000']) {
      // domains, questions, wall, q/s, CPU, peak RSS, lost (0), dnsperf q/s, ratio
      expect(stdout).toMatch(
        new RegExp(
          `\\n${size}\\s+[\\d,]+\\s+[\\d.]+\\s+\\d+\\s+[\\d.]+\\s+\\d+\\s+0\\s+\\d+(?: \\(\\d+ lost\\))?\\s+[\\d.]+× faster`,
        ),
      );
    }
    expect(stdout).toMatch(/Memory slope: -?[\d.]+ bytes a domain/);
    // summary over each run's results: wall, peak RSS, and every domain counted once.
    for (const size of ['1,000', '3,000']) {
      expect(stdout).toMatch(new RegExp(`\\n${size}\\s+[\\d.]+\\s+\\d+\\s+${size}\\n`));
    }
  }, 120_000);
});
