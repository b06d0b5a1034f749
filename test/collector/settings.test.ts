import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, readConfig } from '../../src/collector/config';
import { COLLECTOR_SETTINGS, settingsTableCells } from '../../src/collector/settings';
import { projectRoot } from '../support/project-root';

const root = projectRoot();

/** The cells of the Markdown table between the docs' settings markers, whitespace trimmed. */
function documentedCells(): string[][] {
  const docs = readFileSync(join(root, 'docs', 'collector.md'), 'utf8');
  const table = /<!-- settings:start[^>]*-->([\s\S]*?)<!-- settings:end -->/.exec(docs)?.[1] ?? '';
  return table
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

describe("the collector's settings, written once", () => {
  it('docs/collector.md shows exactly the settings table (npm run docs:settings writes it)', () => {
    expect(documentedCells()).toEqual(settingsTableCells());
  });

  it('the environment reader reads every setting of the table, and no other', () => {
    const source = readFileSync(join(root, 'src', 'collector', 'config.ts'), 'utf8');
    const read = new Set(
      [...source.matchAll(/env\.([A-Z_]+)|whole\(env, '([A-Z_]+)'/g)].map((m) => m[1] ?? m[2]),
    );
    expect([...read].sort()).toEqual(COLLECTOR_SETTINGS.map((row) => row.env).sort());
  });

  it("uses the table's defaults and bounds, and names the variable it cannot use", () => {
    const config = readConfig({});
    expect(config.port).toBe(8787);
    expect(config.threshold).toBe(3);
    expect(config.queue.maxPending).toBe(20_000);
    expect(config.liveChecks).toBe(true);
    // Folds cost a shared PostgreSQL more than SQLite: its own default, unless set.
    expect(config.foldEveryMs).toBe(250);
    expect(readConfig({ DATABASE_URL: 'postgres://db.test/wcf' }).foldEveryMs).toBe(1000);
    expect(readConfig({ DATABASE_URL: 'postgres://db.test/wcf', WCF_FOLD_EVERY_MS: '100' }).foldEveryMs).toBe(
      100,
    );
    expect(config.livePolicy.allowPrivate).toBe(false);
    expect(() => readConfig({ WCF_RECHECK_DAYS: '0' })).toThrow(
      new ConfigError('WCF_RECHECK_DAYS must be a whole number of at least 1, not "0"'),
    );
    expect(() => readConfig({ WCF_DOH_URLS: 'https://a.test/, nope' })).toThrow(
      /WCF_DOH_URLS "nope" is not a URL/,
    );
    expect(() => readConfig({ WCF_LIVE_CHECKS: 'sometimes' })).toThrow(/WCF_LIVE_CHECKS must be on or off/);
    expect(() => readConfig({ WCF_LOG_LEVEL: 'loud' })).toThrow(/WCF_LOG_LEVEL must be fatal, error/);
    expect(config.addressKeySecret).toBeUndefined();
    expect(() => readConfig({ WCF_ADDRESS_KEY_SECRET: 'short' })).toThrow(
      new ConfigError(
        'WCF_ADDRESS_KEY_SECRET is 5 characters long; give at least 32 (for example the output of `openssl rand -base64 32`), the same on every instance',
      ),
    );
    const secret = 'x'.repeat(32);
    expect(readConfig({ WCF_ADDRESS_KEY_SECRET: ` ${secret} ` }).addressKeySecret).toBe(secret);
  });
});
