import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { shardOf } from '../../src/cli/shard';
import type { DomainVerdict } from '../../src/core/verdict';
import { startDohServer, type DohServer, type Zone } from '../support/doh-server';
import { benchZone, countLost, expectedOf } from '../support/generated-zone';
import { projectRoot } from '../support/project-root';
import { startUdpDnsServer } from '../support/udp-dns-server';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** When each write to stdout happened (ms since the run started), and what it was. */
  writes: { at: number; text: string }[];
}

async function cli(argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const writes: Run['writes'] = [];
  const started = Date.now();
  const code = await main(argv, {
    stdin: Readable.from([]),
    stdout: {
      write: (t: string) => {
        stdout += t;
        writes.push({ at: Date.now() - started, text: t });
      },
      isTTY: false,
    },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    env: {},
  });
  return { code, stdout, stderr, writes };
}

const lines = (text: string): unknown[] =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
const verdictsOf = (text: string): DomainVerdict[] =>
  lines(text).filter((l): l is DomainVerdict => typeof (l as { domain?: unknown }).domain === 'string');

let doh: DohServer;
let dir: string;
const { zone, domains } = benchZone(60, 'r-');
beforeAll(async () => {
  // One slow domain: the others must be written long before it answers.
  const slow: Zone = {
    ...zone,
    '_sipfederationtls._tcp.slow.test': { SRV: [{ target: 'sip.slow.test', port: 5061 }], delayMs: 1500 },
  };
  doh = await startDohServer({ zone: slow });
  dir = await mkdtemp(join(tmpdir(), 'wcf-research-'));
  await writeFile(join(dir, 'all.txt'), `${domains.map((d) => d.domain).join('\n')}\n`);
});
afterAll(async () => {
  await doh.close();
});

describe('research runs', () => {
  it('streams ndjson: a line per domain as it is answered, then the summary', async () => {
    await writeFile(
      join(dir, 'slow.txt'),
      `slow.test\n${domains
        .slice(0, 10)
        .map((d) => d.domain)
        .join('\n')}\n`,
    );
    const run = await cli(['check', join(dir, 'slow.txt'), '--doh', doh.url, '--format', 'ndjson']);
    expect(run.code).toBe(0);
    const all = lines(run.stdout);
    expect(all).toHaveLength(12);
    expect(all[11]).toMatchObject({ summary: { domains: 11 } });
    const first = run.writes[0]!;
    const slowLine = run.writes.find((w) => w.text.includes('"domain":"slow.test"'))!;
    expect(JSON.parse(first.text)).toHaveProperty('domain');
    expect(slowLine.at - first.at).toBeGreaterThan(1000); // the first line did not wait for the slow one
  });

  it('streams csv row by row with its header once', async () => {
    const run = await cli(['check', join(dir, 'all.txt'), '--doh', doh.url, '--format', 'csv']);
    const rows = run.stdout
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toMatch(/^Domain,Display domain,Can federate,/);
    expect(rows).toHaveLength(61);
    expect(run.writes.length).toBe(61); // header, then one write per domain
  });

  it('splits a list exactly into shards: every domain in one shard, none in two', async () => {
    const seen: string[] = [];
    for (let index = 1; index <= 3; index += 1) {
      const run = await cli([
        'check',
        join(dir, 'all.txt'),
        '--doh',
        doh.url,
        '--format',
        'ndjson',
        '--shard',
        `${index}/3`,
      ]);
      const shard = verdictsOf(run.stdout).map((v) => v.domain);
      expect(shard.every((domain) => shardOf(domain, 3) === index)).toBe(true);
      seen.push(...shard);
    }
    expect(seen.sort()).toEqual(domains.map((d) => d.domain).sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('prints the study’s table by cohort, a domain in two cohorts counted in both and asked once', async () => {
    const a = domains.slice(0, 30).map((d) => d.domain);
    const b = domains.slice(20, 60).map((d) => d.domain);
    await writeFile(join(dir, 'fortune.txt'), `${a.join('\n')}\n`);
    await writeFile(join(dir, 'oldest.txt'), `${b.join('\n')}\n`);
    const before = doh.queries.length;
    const run = await cli([
      'check',
      '--cohort',
      `Fortune=${join(dir, 'fortune.txt')}`,
      '--cohort',
      `Oldest=${join(dir, 'oldest.txt')}`,
      '--doh',
      doh.url,
      '--format',
      'json',
    ]);
    const { summary, domains: checked } = JSON.parse(run.stdout) as {
      summary: { domains: number; cohorts: { cohort: string; domains: number; lyncFederation: number }[] };
      domains: { records: object }[];
    };
    // Each record of each domain asked once, the domains in both cohorts included.
    const asked = doh.queries.slice(before).map((q) => `${q.type} ${q.name}`);
    expect(asked).toHaveLength(checked.reduce((n, d) => n + Object.keys(d.records).length, 0));
    expect(new Set(asked).size).toBe(asked.length);
    const lync = (names: string[]) =>
      names.filter((n) => expectedOf(Number(/d(\d+)\./.exec(n)?.[1])).lync).length;
    expect(summary.domains).toBe(60);
    expect(summary.cohorts).toEqual([
      expect.objectContaining({ cohort: 'Fortune', domains: 30, lyncFederation: lync(a) }),
      expect.objectContaining({ cohort: 'Oldest', domains: 40, lyncFederation: lync(b) }),
    ]);
    const table = await cli([
      'check',
      join(dir, 'fortune.txt'),
      join(dir, 'oldest.txt'),
      '--doh',
      doh.url,
      '--format',
      'table',
      '--summary',
    ]);
    expect(table.stdout).toMatch(new RegExp(`fortune\\.txt\\s+30\\s+${lync(a)} \\(`));
    expect(table.stdout).toMatch(new RegExp(`oldest\\.txt\\s+40\\s+${lync(b)} \\(`));
    expect(table.stdout).toMatch(/Total\s+60\s+/);
  });

  it('resumes a run killed with SIGKILL: every domain exactly once, the same verdicts as an uninterrupted run', async () => {
    const output = join(dir, 'killed.ndjson');
    const bin = join(projectRoot(), 'bin', 'who-can-federate.js');
    doh.options.latencyMs = 30;
    try {
      const child = spawn(process.execPath, [
        bin,
        'check',
        join(dir, 'all.txt'),
        '--doh',
        doh.url,
        '--format',
        'ndjson',
        '--output',
        output,
        '--concurrency',
        '4',
        '--quiet',
      ]);
      // Kill it once some (not all) lines are on the disk.
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const written = await readFile(output, 'utf8').catch(() => '');
        if (written.split('\n').length > 10) break;
      }
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));
      const partial = verdictsOf((await readFile(output, 'utf8')).split('\n').slice(0, -1).join('\n'));
      expect(partial.length).toBeGreaterThan(0);
      expect(partial.length).toBeLessThan(60);

      const resumed = await cli([
        'check',
        join(dir, 'all.txt'),
        '--doh',
        doh.url,
        '--format',
        'ndjson',
        '--output',
        output,
        '--resume',
      ]);
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toMatch(/Resuming .*: \d+ domains already there are not asked again/);
      const text = await readFile(output, 'utf8');
      const verdicts = verdictsOf(text);
      expect(verdicts.map((v) => v.domain).sort()).toEqual(domains.map((d) => d.domain).sort());
      expect(countLost(verdicts, 60)).toBe(0);
      expect(lines(text).at(-1)).toMatchObject({ summary: { domains: 60 } });

      const whole = await cli(['check', join(dir, 'all.txt'), '--doh', doh.url, '--format', 'ndjson']);
      const answers = (list: DomainVerdict[]) => Object.fromEntries(list.map((v) => [v.domain, v.answer]));
      expect(answers(verdicts)).toEqual(answers(verdictsOf(whole.stdout)));
    } finally {
      doh.options.latencyMs = 0;
    }
  });

  it('asks a classic resolver over UDP with --dns: the same answers, nothing lost', async () => {
    const udp = await startUdpDnsServer({ zone });
    try {
      const run = await cli([
        'check',
        join(dir, 'all.txt'),
        '--dns',
        `127.0.0.1:${udp.port}`,
        '--format',
        'ndjson',
      ]);
      expect(run.code).toBe(0);
      const verdicts = verdictsOf(run.stdout);
      expect(countLost(verdicts, 60)).toBe(0);
      expect(udp.queries).toHaveLength(verdicts.reduce((n, v) => n + Object.keys(v.records).length, 0));
      expect(udp.queries.every((q) => q.transport === 'udp')).toBe(true);
      expect((await cli(['check', '--dns', '127.0.0.1', '--doh', doh.url])).stderr).toMatch(
        /cannot be used together/,
      );
    } finally {
      await udp.close();
    }
  });

  it('refuses --resume without --output, or with a format that is not written line by line', async () => {
    expect((await cli(['check', '--resume', '--format', 'ndjson'])).code).toBe(2);
    expect(
      (await cli(['check', '--resume', '--output', join(dir, 'x.json'), '--format', 'json'])).stderr,
    ).toMatch(/--resume works with --format ndjson or csv/);
    expect((await cli(['check', '--shard', '4/3'])).stderr).toMatch(/--shard takes I\/N/);
  });
});
