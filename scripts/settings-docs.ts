/**
 * `npm run docs:settings`: writes the collector's settings table into docs/collector.md from
 * `src/collector/settings.ts`, between its two marker comments (a test fails while they differ).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { settingsTable } from '../src/collector/settings';

export const SETTINGS_START = '<!-- settings:start (npm run docs:settings writes this table) -->';
export const SETTINGS_END = '<!-- settings:end -->';

async function main(): Promise<void> {
  const file = join(__dirname, '..', '..', 'docs', 'collector.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(SETTINGS_START);
  const end = text.indexOf(SETTINGS_END);
  if (start < 0 || end < start) throw new Error(`${file} has no ${SETTINGS_START} … ${SETTINGS_END}`);
  const next = `${text.slice(0, start + SETTINGS_START.length)}\n\n${settingsTable()}\n\n${text.slice(end)}`;
  writeFileSync(file, await format(next, { filepath: file }));
  console.log(`Wrote the collector's settings table to ${file}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
