/**
 * `npm run bench:scale`: a research run at internet scale. Generates 1,000,000 domains (and the
 * first 10,000 and 100,000 of them, so the slope shows), serves them from Debian's Unbound (an
 * auth-zone on 127.0.0.1, nothing recursed), and runs the CLI over each list as a researcher would
 * (`--dns`, `--format ndjson --output FILE`) under `/usr/bin/time -v` for its peak memory. The same
 * questions go through `dnsperf` at the same concurrency, in the same run, as the yardstick. Every
 * verdict written is then read back and checked against the zone: "lost" counts the domains missing,
 * written twice, wrong, or with a failed lookup.
 *
 * dnsperf asks exactly the questions the CLI asked (read back from its output).
 *
 * BENCH_SCALE_SIZES="10000,100000,1000000" chooses the lists. Skips, saying so, without unbound.
 */
import { spawn } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  rmSync,
  type WriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DomainSet } from '../src/core/domain-set';
import { PROBES, questionName } from '../src/core/probes';
import type { DomainVerdict } from '../src/core/verdict';
import { failedLookups } from '../src/core/words';
import { freeLoopbackPort } from '../test/support/free-port';
import { expectedOf } from '../test/support/generated-zone';
import { projectRoot } from '../test/support/project-root';
import { UNBOUND, unboundStarted } from '../test/support/unbound';

const DNSPERF = ['/usr/bin/dnsperf', '/usr/local/bin/dnsperf'].find((path) => existsSync(path));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const SIZES = (process.env.BENCH_SCALE_SIZES ?? '10000,100000,1000000')
  .split(',')
  .map((size) => Number(size.trim()))
  .filter((size) => Number.isInteger(size) && size > 0)
  .sort((a, b) => a - b);
/** The CLI's default in flight for `--dns`; dnsperf is given the same. */
const CONCURRENCY = 256;
const ZONE = 'scale.test';
const scratch = mkdtempSync(join(tmpdir(), 'wcf-scale-'));

const domainName = (i: number): string => `d${i}.${ZONE}`;

async function writeLines(path: string, lines: (write: (line: string) => void) => void): Promise<void> {
  const out: WriteStream = createWriteStream(path);
  let buffer = '';
  lines((line) => {
    buffer += `${line}\n`;
    if (buffer.length > 1 << 16) {
      out.write(buffer);
      buffer = '';
    }
  });
  out.end(buffer);
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
}

/** The zone as {@link expectedOf} says: a third Lync-federated, a fifth XMPP, a quarter Microsoft 365. */
async function writeZone(path: string, count: number): Promise<void> {
  await writeLines(path, (line) => {
    line(`$ORIGIN ${ZONE}.`);
    line(`@ 300 IN SOA ns.${ZONE}. hostmaster.${ZONE}. 1 3600 600 86400 300`);
    line(`@ 300 IN NS ns.${ZONE}.`);
    line('ns 300 IN A 127.0.0.1');
    for (let i = 0; i < count; i += 1) {
      const want = expectedOf(i);
      if (want.lync) line(`_sipfederationtls._tcp.d${i} 300 IN SRV 0 0 5061 sipfed.online.lync.com.`);
      if (want.xmpp) line(`_xmpp-server._tcp.d${i} 300 IN SRV 0 0 5269 xmpp.d${i}.${ZONE}.`);
      if (want.tenant) line(`d${i} 300 IN MX 0 d${i}.mail.protection.outlook.com.`);
    }
  });
}

interface Resolver {
  port: number;
  close(): void;
}

/** Unbound answering the zone from an auth-zone, one thread (the other core is the client's); `.` refused. */
async function startResolver(zoneFile: string): Promise<Resolver> {
  const port = await freeLoopbackPort();
  const config = join(scratch, 'unbound.conf');
  await writeLines(config, (line) => {
    for (const text of [
      'server:',
      `  interface: 127.0.0.1@${port}`,
      '  username: ""',
      '  chroot: ""',
      `  directory: "${scratch}"`,
      '  pidfile: ""',
      '  use-syslog: no',
      '  do-daemonize: no',
      '  verbosity: 1',
      '  num-threads: 1',
      '  num-queries-per-thread: 4096',
      '  so-rcvbuf: 4m',
      '  so-sndbuf: 4m',
      '  access-control: 127.0.0.0/8 allow',
      '  module-config: "iterator"',
      '  local-zone: "." refuse',
      `  local-zone: "${ZONE}." transparent`,
      'auth-zone:',
      `  name: "${ZONE}."`,
      `  zonefile: "${zoneFile}"`,
      '  for-downstream: yes',
      '  for-upstream: no',
      '  fallback-enabled: no',
    ])
      line(text);
  });
  const child = spawn(UNBOUND as string, ['-d', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  await unboundStarted(child, 120_000);
  return { port, close: () => child.kill('SIGTERM') };
}

interface Timed {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs a command under `/usr/bin/time -v` (where installed) and reads its wall time, CPU and peak RSS. */
async function timed(command: string, args: string[]): Promise<Timed> {
  const report = join(scratch, 'time.txt');
  const argv = TIME ? ['-v', '-o', report, command, ...args] : args;
  const started = performance.now();
  const child = spawn(TIME ?? command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallSeconds = (performance.now() - started) / 1000;
  if (status !== 0) throw new Error(`${command} failed (exit ${status}):\n${stderr.slice(0, 2000)}`);
  let cpuSeconds = Number.NaN;
  let peakRssMb: number | undefined;
  if (TIME) {
    const text = await readText(report);
    const field = (name: string): number => Number(new RegExp(`${name}: ([\\d.]+)`).exec(text)?.[1]);
    cpuSeconds = field('User time \\(seconds\\)') + field('System time \\(seconds\\)');
    peakRssMb = field('Maximum resident set size \\(kbytes\\)') / 1024;
  }
  return { wallSeconds, cpuSeconds, peakRssMb, stdout, stderr };
}

async function readText(path: string): Promise<string> {
  let text = '';
  for await (const chunk of createReadStream(path, 'utf8')) text += chunk as string;
  return text;
}

/**
 * Reads the CLI's ndjson back: each domain of the list exactly once, as the zone says, no lookup
 * failed; and writes the questions it asked (its records) as dnsperf's query file.
 */
async function countLost(
  path: string,
  count: number,
  queries: string,
): Promise<{ lost: number; lines: number; questions: number }> {
  const byId = new Map(PROBES.map((probe) => [probe.id as string, probe]));
  const out = createWriteStream(queries);
  let pending = '';
  let questions = 0;
  const seen = new DomainSet(count);
  let bad = 0;
  let lines = 0;
  let summaries = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    const parsed = JSON.parse(line) as DomainVerdict & { summary?: unknown };
    if (parsed.summary !== undefined) {
      summaries += 1;
      continue;
    }
    lines += 1;
    for (const id of Object.keys(parsed.records)) {
      const probe = byId.get(id);
      if (!probe) continue;
      questions += 1;
      pending += `${questionName(probe, parsed.domain)} ${probe.type}\n`;
      if (pending.length > 1 << 16) {
        if (!out.write(pending)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        pending = '';
      }
    }
    const i = Number(/^d(\d+)\./.exec(parsed.domain)?.[1]);
    const want = expectedOf(i);
    if (
      !seen.add(parsed.domain) ||
      !(i < count) ||
      failedLookups(parsed) > 0 ||
      parsed.lync.federation !== want.lync ||
      parsed.xmpp.federation !== want.xmpp ||
      // A SIP federation record on Microsoft's edge is tenant evidence too.
      parsed.microsoft365.tenant !== (want.tenant || want.lync)
    ) {
      bad += 1;
    }
  }
  out.end(pending);
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
  return { lost: bad + (count - seen.size) + (summaries === 1 ? 0 : 1), lines, questions };
}

interface Row {
  domains: number;
  cli: Timed;
  /** `who-can-federate summary` over the run's ndjson, and the domains it counted. */
  summary: Timed;
  summarised: number;
  lost: number;
  questions: number;
  dnsperf: { wallSeconds: number; qps: number; lost: number } | undefined;
}

async function runSize(count: number, port: number): Promise<Row> {
  const input = join(scratch, `domains-${count}.txt`);
  const output = join(scratch, `verdicts-${count}.ndjson`);
  await writeLines(input, (line) => {
    for (let i = 0; i < count; i += 1) line(domainName(i));
  });
  const cli = await timed(process.execPath, [
    join(projectRoot(), 'bin', 'who-can-federate.js'),
    ...['check', input, '--dns', `127.0.0.1:${port}`, '--format', 'ndjson', '--output', output, '--quiet'],
    ...['--concurrency', String(CONCURRENCY)],
  ]);
  const queries = join(scratch, `queries-${count}.txt`);
  const { lost, questions } = await countLost(output, count, queries);
  // The research table of the results, as a study run in shards gets it (here, one shard).
  const summary = await timed(process.execPath, [
    join(projectRoot(), 'bin', 'who-can-federate.js'),
    ...['summary', output, '--format', 'json'],
  ]);
  const summarised = (JSON.parse(summary.stdout) as { summary: { domains: number } }).summary.domains;
  rmSync(output, { force: true });
  let dnsperf: Row['dnsperf'];
  if (DNSPERF) {
    const perf = await timed(DNSPERF, [
      ...['-s', '127.0.0.1', '-p', String(port), '-d', queries],
      ...['-c', '1', '-q', String(CONCURRENCY), '-n', '1', '-t', '5'],
    ]);
    const completed = Number(/Queries completed:\s+(\d+)/.exec(perf.stdout)?.[1] ?? 0);
    const qps = Number(/Queries per second:\s+([\d.]+)/.exec(perf.stdout)?.[1] ?? Number.NaN);
    dnsperf = { wallSeconds: perf.wallSeconds, qps, lost: questions - completed };
  }
  rmSync(queries, { force: true });
  rmSync(input, { force: true });
  return { domains: count, cli, summary, summarised, lost, questions, dnsperf };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n');
}

async function main(): Promise<void> {
  if (!UNBOUND) {
    process.stdout.write('Scale benchmark skipped: unbound is not installed (apt-get install unbound).\n');
    return;
  }
  const largest = SIZES[SIZES.length - 1] ?? 0;
  const zoneFile = join(scratch, 'scale.zone');
  await writeZone(zoneFile, largest);
  const resolver = await startResolver(zoneFile);
  const rows: Row[] = [];
  try {
    for (const size of SIZES) {
      rows.push(await runSize(size, resolver.port));
      process.stderr.write(`… ${size.toLocaleString('en')} domains done\n`);
    }
  } finally {
    resolver.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  const mb = (value: number | undefined): string => (value === undefined ? 'n/a' : value.toFixed(0));
  const header = [
    'domains',
    'questions',
    'wall s',
    'questions/s',
    'CPU ms/domain',
    'peak RSS MB',
    'lost',
    'dnsperf q/s',
    'vs dnsperf',
  ];
  const body = rows.map((row) => {
    const qps = row.questions / row.cli.wallSeconds;
    return [
      row.domains.toLocaleString('en'),
      row.questions.toLocaleString('en'),
      row.cli.wallSeconds.toFixed(1),
      qps.toFixed(0),
      ((row.cli.cpuSeconds * 1000) / row.domains).toFixed(3),
      mb(row.cli.peakRssMb),
      String(row.lost),
      row.dnsperf
        ? `${row.dnsperf.qps.toFixed(0)}${row.dnsperf.lost > 0 ? ` (${row.dnsperf.lost} lost)` : ''}`
        : 'n/a',
      row.dnsperf ? `${(row.dnsperf.qps / qps).toFixed(1)}× faster` : 'n/a',
    ];
  });
  process.stdout.write(
    `Scale: who-can-federate check --dns (UDP, ${CONCURRENCY} in flight) --format ndjson --output FILE, ` +
      `the standard plan (${((rows[rows.length - 1]?.questions ?? 0) / (rows[rows.length - 1]?.domains ?? 1)).toFixed(1)} questions a domain on this zone), against Debian's Unbound (auth-zone on 127.0.0.1, one thread), ` +
      `beside dnsperf on the same questions at the same concurrency. Peak RSS from ${TIME ? '/usr/bin/time -v' : 'n/a (no /usr/bin/time)'}.\n\n` +
      `${table([header, ...body])}\n`,
  );
  process.stdout.write(
    `\nwho-can-federate summary over each run's ndjson (the table of a study's shards), under the same timer:\n\n` +
      `${table([
        ['domains', 'wall s', 'peak RSS MB', 'counted'],
        ...rows.map((row) => [
          row.domains.toLocaleString('en'),
          row.summary.wallSeconds.toFixed(1),
          mb(row.summary.peakRssMb),
          row.summarised.toLocaleString('en'),
        ]),
      ])}\n`,
  );
  if (rows.length > 1) {
    const [first, last] = [rows[0]!, rows[rows.length - 1]!];
    if (first.cli.peakRssMb !== undefined && last.cli.peakRssMb !== undefined) {
      const slope =
        ((last.cli.peakRssMb - first.cli.peakRssMb) * 1024 * 1024) / (last.domains - first.domains);
      process.stdout.write(
        `\nMemory slope: ${slope.toFixed(1)} bytes a domain from ${first.domains.toLocaleString('en')} to ${last.domains.toLocaleString('en')} domains (goal: peak ≤ 300 MB at 1,000,000).\n`,
      );
    }
  }
  if (rows.some((row) => row.lost > 0 || row.summarised !== row.domains)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  rmSync(scratch, { recursive: true, force: true });
  process.exitCode = 1;
});
