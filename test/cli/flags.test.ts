import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELP, parseCommandLine } from '../../src/cli/args';
import { CHECK_FLAGS, SUMMARY_FLAGS } from '../../src/cli/flags';
import { projectRoot } from '../support/project-root';

const MANUAL = readFileSync(join(projectRoot(), 'docs', 'cli.md'), 'utf8');
/** The CLI manual's synopsis of `check`: its first fenced block. */
const SYNOPSIS = /```\n(who-can-federate check[\s\S]*?)```/.exec(MANUAL)?.[1] ?? '';

describe("the CLI's flags, written once", () => {
  it.each(CHECK_FLAGS.map((flag) => [flag.name, flag] as const))(
    '--%s is in --help and the parser',
    (name, flag) => {
      expect(HELP).toContain(`--${name}${'value' in flag ? ` ${flag.value}` : ''}`);
      // The parser knows it: a switch parses, an option with a value parses with one.
      const argv = ['check', 'x.txt', `--${name}`, ...('value' in flag ? ['value'] : [])];
      expect(() => {
        try {
          parseCommandLine(argv, {}, false);
        } catch (error) {
          // Values are checked after parsing ("value" is not a URL): only an unknown flag fails here.
          if (/Unknown option/.test((error as Error).message)) throw error;
        }
      }).not.toThrow();
    },
  );

  it("the CLI manual's synopsis names every flag of check", () => {
    expect(SYNOPSIS).toMatch(/who-can-federate check/);
    const missing = CHECK_FLAGS.filter((flag) => !['help', 'version'].includes(flag.name)).filter(
      (flag) => !SYNOPSIS.includes(`--${flag.name}`),
    );
    expect(missing.map((flag) => flag.name)).toEqual([]);
  });

  it('--help and the manual give summary and every flag of it', () => {
    expect(HELP).toContain('Usage: who-can-federate summary FILE...');
    for (const flag of SUMMARY_FLAGS) {
      expect(HELP).toContain(`--${flag.name}${'value' in flag ? ` ${flag.value}` : ''}`);
    }
    expect(MANUAL).toContain('who-can-federate summary FILE... [--format table|csv|json] [--output FILE]');
  });

  it('--help names the environment variable of every flag that has one', () => {
    for (const flag of CHECK_FLAGS) if ('env' in flag) expect(HELP).toContain(flag.env);
  });

  it('--help says every profile, thorough included', () => {
    expect(HELP).toMatch(/quick \| standard \| thorough/);
  });
});
