/**
 * `who-can-federate summary`: the shards of a two-cohort study, checked against a local resolver,
 * merged into the table one unsharded run prints; and the GNU parallel recipe of the CLI manual, run
 * with Debian's `parallel` on this machine's cores.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main';
import { startDohServer, type DohServer } from '../support/doh-server';
import { benchZone } from '../support/generated-zone';
import { projectRoot } from '../support/project-root';

const run = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdin: Readable.from([]),
    stdout: { write: (t: string) => (stdout += t), isTTY: false },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    env: {},
  });
  return { code, stdout, stderr };
}

/** A list file: one domain a line. */
const names = (list: readonly { domain: string }[]): string => `${list.map((d) => d.domain).join('\n')}\n`;
const summaryOf = (text: string): unknown => (JSON.parse(text) as { summary: unknown }).summary;

let doh: DohServer;
let dir: string;
let cohorts: string[];
const { zone, domains } = benchZone(60, 's-');
beforeAll(async () => {
  doh = await startDohServer({ zone });
  dir = await mkdtemp(join(tmpdir(), 'wcf-summary-'));
  // Two overlapping cohorts: 30 and 40 of the 60 domains, 10 in both.
  await writeFile(join(dir, 'fortune.txt'), names(domains.slice(0, 30)));
  await writeFile(join(dir, 'oldest.txt'), names(domains.slice(20, 60)));
  cohorts = [
    '--cohort',
    `Fortune=${join(dir, 'fortune.txt')}`,
    '--cohort',
    `Oldest=${join(dir, 'oldest.txt')}`,
  ];
});
afterAll(async () => {
  await doh.close();
});

/** The study run once, unsharded: its summary as JSON, and its table. */
async function unsharded(): Promise<{ json: unknown; table: string }> {
  const json = await cli(['check', ...cohorts, '--doh', doh.url, '--format', 'ndjson', '--quiet']);
  expect(json.code).toBe(0);
  const last = json.stdout.trim().split('\n').at(-1) ?? '';
  const table = await cli(['check', ...cohorts, '--doh', doh.url, '--format', 'csv', '--summary', '--quiet']);
  return { json: summaryOf(last), table: table.stderr };
}

/** The study in `count` shards, each written to its own ndjson file. */
async function shards(count: number, prefix: string): Promise<string[]> {
  const files: string[] = [];
  for (let shard = 1; shard <= count; shard += 1) {
    const file = join(dir, `${prefix}-${shard}.ndjson`);
    const written = await cli([
      'check',
      ...cohorts,
      '--doh',
      doh.url,
      '--format',
      'ndjson',
      '--shard',
      `${shard}/${count}`,
      '--output',
      file,
      '--quiet',
    ]);
    expect(written.code).toBe(0);
    files.push(file);
  }
  return files;
}

describe('who-can-federate summary', () => {
  it('merges the shards of a two-cohort study into the table one unsharded run prints', async () => {
    const once = await unsharded();
    const parts = await shards(3, 'part');
    // Every verdict line says which cohorts listed its domain.
    const firstLine = JSON.parse((await readFile(parts[0] as string, 'utf8')).split('\n')[0] ?? '') as {
      cohorts?: string[];
    };
    expect(firstLine.cohorts?.length).toBeGreaterThan(0);

    const json = await cli(['summary', ...parts, '--format', 'json']);
    expect(json.code).toBe(0);
    expect(summaryOf(json.stdout)).toEqual(once.json);
    expect(json.stderr).toBe('Counted 60 domains from 3 files.\n');
    const table = await cli(['summary', ...parts, '--format', 'table']);
    expect(table.stdout).toBe(once.table);
    expect(table.stdout).toMatch(/^Cohort +Domains/);
    expect(table.stdout).toMatch(/\nFortune +30 /);
    expect(table.stdout).toMatch(/\nOldest +40 /);
    expect(table.stdout).toMatch(/\nTotal +60 /);
    const csv = await cli(['summary', ...parts, '--format', 'csv']);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      '\uFEFFCohort,Domains,Lync/Teams,Also XMPP,XMPP,XMPP client,Microsoft 365,On-premises,M365 tenants,behind other MX,only Entra ID,Matrix,Unknown',
    );
    expect(csv.stdout.split('\r\n')).toHaveLength(5); // header, two cohorts, the total, and the end
    // check's one JSON document counts too.
    const documentFile = join(dir, 'study.json');
    const document = await cli([
      'check',
      ...cohorts,
      '--doh',
      doh.url,
      '--format',
      'json',
      '--output',
      documentFile,
      '--quiet',
    ]);
    expect(document.code).toBe(0);
    const fromDocument = await cli(['summary', documentFile, '--format', 'json']);
    expect(summaryOf(fromDocument.stdout)).toEqual(once.json);
  }, 60_000);

  it('counts a domain met twice once, and skips a line cut off by an interrupted shard, saying where', async () => {
    const once = await unsharded();
    const parts = await shards(2, 'cut');
    const [first, second] = parts as [string, string];
    // The second shard was killed while writing: its summary line never came, its last line is half.
    const text = await readFile(second, 'utf8');
    const lines = text.trim().split('\n');
    const kept = lines.slice(0, -2); // drop the summary line and the last verdict…
    const cutLine = lines.at(-2) ?? '';
    await writeFile(second, `${kept.join('\n')}\n${cutLine.slice(0, cutLine.length >> 1)}`); // …then write half of it
    const merged = await cli(['summary', first, second, first, '--format', 'json']);
    expect(merged.code).toBe(0);
    expect(merged.stderr).toContain(`${second}:${kept.length + 1}: cut off (an interrupted run?): skipped`);
    expect(merged.stderr).toMatch(/Counted 59 domains from 3 files; \d+ met again .* counted once\./);
    const summary = summaryOf(merged.stdout) as { domains: number; cohorts: { cohort: string }[] };
    expect(summary.domains).toBe(59);
    // The cohorts keep the study's order, from the first shard's summary line.
    expect(summary.cohorts.map((c) => c.cohort)).toEqual(['Fortune', 'Oldest']);
    expect((once.json as { domains: number }).domains).toBe(60);
  }, 60_000);

  it('refuses what it cannot count: a CSV, a line that is not a result, a missing file', async () => {
    const csvFile = join(dir, 'results.csv');
    await writeFile(csvFile, '\uFEFFDomain,Can federate\r\nexample.com,yes\r\n');
    const csv = await cli(['summary', csvFile]);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toMatch(/is a CSV: .* summarise the ndjson or json results/);
    const other = join(dir, 'other.ndjson');
    await writeFile(other, '{"hello": 1}\n{"domain": "x.test", "records": {}}\n');
    const wrong = await cli(['summary', other]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`${other}:1 is not a result of who-can-federate check`);
    const missing = await cli(['summary', join(dir, 'nope.ndjson')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file: check the path/);
    const none = await cli(['summary']);
    expect(none.code).toBe(2);
    const flag = await cli(['summary', other, '--doh', doh.url]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--doh'/);
  });

  it('runs the CLI manual’s GNU parallel recipe on local cores: the merged table equals one run', async () => {
    const once = await unsharded();
    const bin = join(projectRoot(), 'bin', 'who-can-federate.js');
    const out = join(dir, 'parallel');
    // The recipe of docs/cli.md, with the local resolver and this run's cohorts.
    const command = `${process.execPath} ${bin} check --cohort Fortune=${join(dir, 'fortune.txt')} --cohort Oldest=${join(dir, 'oldest.txt')} --doh ${doh.url} --format ndjson --quiet --shard {}/4 --output ${out}-{}.ndjson --resume`;
    await run('parallel', ['-j', '4', '--halt', 'now,fail=1', command, ':::', '1', '2', '3', '4']);
    const merged = await cli([
      'summary',
      ...[1, 2, 3, 4].map((i) => `${out}-${i}.ndjson`),
      '--format',
      'json',
    ]);
    expect(merged.code).toBe(0);
    expect(summaryOf(merged.stdout)).toEqual(once.json);
  }, 120_000);
});
