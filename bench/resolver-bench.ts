/**
 * `npm run bench` (and `bench:resolver`): CPU per DoH question against a real resolver, Debian's
 * Unbound serving its own HTTP/2 DoH on loopback, side by side in one run with `dnsperf -m doh`
 * asking the very same questions at the same concurrency over one connection. Printed for both:
 * wall time, CPU time and CPU per question, and their ratio.
 *
 * Ours is measured twice: as a user runs it (the CLI as a process of its own, start-up included,
 * `check --format json`), and in one process after a warm-up run (the lookup core alone, as a
 * long-running collector or a large research run sees it). Unbound answers from a local zone, so
 * the figures are the clients' cost, not the network's. Skips, saying so, where unbound or dnsperf
 * is missing (`.ci/run` installs both).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { connect as http2Connect } from 'node:http2';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASSIC_PROBE_IDS, questionName, selectProbes, type Probe } from '../src/core/probes';

/** The original seven records, every one asked of every domain: the bench measures CPU per question. */
const PROBES = selectProbes(CLASSIC_PROBE_IDS);
import type { DomainVerdict } from '../src/core/verdict';
import { DohClient, type FetchLike } from '../src/dns/doh-client';
import { FederationLookup } from '../src/engine/federation-lookup';
import * as dnsPacket from 'dns-packet';
import type { NormalisedDomain } from '../src/core/address';
import { createNodeFetch } from '../src/dns/node-fetch';
import { base64Url, DNS_MESSAGE, encodeQuery } from '../src/dns/wire';
import { loopbackCertificate } from '../test/support/certificates';
import { answerFromZone, type Zone } from '../test/support/doh-server';
import { benchZone, countLost } from '../test/support/generated-zone';
import { startUnbound, UNBOUND } from '../test/support/unbound';

const DOMAINS = Number(process.env.BENCH_RESOLVER_DOMAINS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const WARM_RUNS = 3;
const DNSPERF = ['/usr/bin/dnsperf', '/usr/local/bin/dnsperf'].find((path) => existsSync(path));
const ROOT = join(__dirname, '..', '..');

interface Measured {
  wallMs: number;
  cpuMs: number;
  lost: number;
}

/** Runs a command under bash and reads its children's CPU time from `times` (user + system). */
function timedCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Measured & { stdout: string } {
  const quoted = [command, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  const started = performance.now();
  const result = spawnSync('bash', ['-c', `${quoted} > "$OUT"; status=$?; times >&2; exit $status`], {
    env: { ...env, OUT: join(scratch, 'out') },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  const times = result.stderr.trim().split('\n').slice(-1)[0] ?? '';
  const seconds = [...times.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (result.status !== 0 || seconds.length !== 2) {
    throw new Error(`${command} failed (exit ${result.status}):\n${result.stderr.slice(0, 2000)}`);
  }
  return {
    wallMs,
    cpuMs: ((seconds[0] ?? 0) + (seconds[1] ?? 0)) * 1000,
    lost: 0,
    stdout: readFileSync(join(scratch, 'out'), 'utf8'),
  };
}

/**
 * The lookup core's own work: the same run over a `fetch` that answers at once from memory (the
 * answers encoded beforehand), so what is left is encoding, decoding, the client and the lookup.
 */
async function withoutNetwork(zone: Zone, domains: readonly NormalisedDomain[]): Promise<Measured> {
  const answers = new Map<string, Uint8Array>();
  const headers = { get: (name: string) => (name === 'content-type' ? DNS_MESSAGE : null) };
  const fetch: FetchLike = (url) => {
    const question = url.slice(url.indexOf('dns=') + 4);
    let body = answers.get(question);
    if (!body) {
      const query = dnsPacket.decode(Buffer.from(question, 'base64url'));
      body = dnsPacket.encode({ ...answerFromZone(zone, query), id: 0 });
      answers.set(question, body);
    }
    const bytes = body;
    return Promise.resolve({
      status: 200,
      headers,
      bytes: () => Promise.resolve(bytes),
      arrayBuffer: () => Promise.resolve(new Uint8Array(bytes).buffer),
    });
  };
  const run = async (): Promise<Measured> => {
    const client = new DohClient({ endpoints: ['https://resolver.invalid/dns-query'], fetch });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const verdicts = await new FederationLookup({
      client,
      concurrency: CONCURRENCY,
      probes: PROBES,
    }).checkDomains(domains);
    const used = process.cpuUsage(cpu);
    return {
      wallMs: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
      lost: countLost(verdicts, domains.length),
    };
  };
  await run(); // fills the answers and warms up
  return run();
}

/**
 * The floor: Node's own HTTP/2 client sending the same GETs (queries encoded beforehand, answers
 * not decoded), 64 at a time over one session. What the lookup costs above this is ours.
 */
async function bareHttp2(url: string, ca: string, questions: readonly [string, Probe][]): Promise<Measured> {
  const paths = questions.map(
    ([name, probe]) => `${new URL(url).pathname}?dns=${base64Url(encodeQuery(name, probe.type))}`,
  );
  const session = http2Connect(new URL(url).origin, { ca });
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  let next = 0;
  let lost = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next] as string;
      next += 1;
      await new Promise<void>((resolve) => {
        const stream = session.request({ ':path': path, accept: 'application/dns-message' });
        stream.on('data', () => undefined);
        stream.on('end', resolve);
        stream.on('error', () => {
          lost += 1;
          resolve();
        });
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(cpu);
  session.close();
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, lost };
}

const scratch = mkdtempSync(join(tmpdir(), 'wcf-resolver-bench-'));

async function main(): Promise<void> {
  if (!UNBOUND || !DNSPERF) {
    console.log(
      `Resolver benchmark skipped: ${!UNBOUND ? 'unbound' : 'dnsperf'} is not installed ` +
        '(apt-get install unbound dnsperf).',
    );
    return;
  }
  const { zone, domains } = benchZone(DOMAINS, 'ub-');
  const certificate = await loopbackCertificate();
  const unbound = await startUnbound(zone, certificate);
  const questions = DOMAINS * PROBES.length;
  try {
    const port = new URL(unbound.url).port;
    writeFileSync(join(scratch, 'ca.pem'), certificate.cert);
    writeFileSync(join(scratch, 'domains.txt'), `${domains.map((d) => d.domain).join('\n')}\n`);
    writeFileSync(
      join(scratch, 'queries.txt'),
      `${domains.flatMap((d) => PROBES.map((p) => `${questionName(p, d.domain)} ${p.type}`)).join('\n')}\n`,
    );

    // Unbound's own answers warm: every row then meets the same resolver state.
    timedCommand(DNSPERF, [
      '-m',
      'doh',
      '-s',
      '127.0.0.1',
      '-p',
      port,
      '-d',
      join(scratch, 'queries.txt'),
      '-c',
      '1',
      '-q',
      String(CONCURRENCY),
      '-n',
      '1',
    ]);

    const dnsperf = timedCommand(DNSPERF, [
      ...['-m', 'doh', '-s', '127.0.0.1', '-p', port, '-d', join(scratch, 'queries.txt')],
      ...['-c', '1', '-q', String(CONCURRENCY), '-n', '1'],
    ]);
    const completed = /Queries completed:\s+(\d+)/.exec(dnsperf.stdout);
    dnsperf.lost = questions - Number(completed?.[1] ?? 0);

    const cli = timedCommand(
      process.execPath,
      [
        join(ROOT, 'bin', 'who-can-federate.js'),
        ...['check', join(scratch, 'domains.txt'), '--doh', unbound.url, '--format', 'json', '--quiet'],
        ...['--concurrency', String(CONCURRENCY), '--records', CLASSIC_PROBE_IDS.join(',')],
      ],
      { ...process.env, NODE_EXTRA_CA_CERTS: join(scratch, 'ca.pem') },
    );
    cli.lost = countLost((JSON.parse(cli.stdout) as { domains: DomainVerdict[] }).domains, DOMAINS);

    const warm: Measured[] = [];
    for (let run = 0; run <= WARM_RUNS; run += 1) {
      const client = new DohClient({
        endpoints: [unbound.url],
        fetch: createNodeFetch({ ca: certificate.cert }),
      });
      const lookup = new FederationLookup({ client, concurrency: CONCURRENCY, probes: PROBES });
      const cpu = process.cpuUsage();
      const started = performance.now();
      const verdicts = await lookup.checkDomains(domains);
      const used = process.cpuUsage(cpu);
      // The first run pays for JIT compilation: that is the CLI row's business, not this one's.
      if (run > 0) {
        warm.push({
          wallMs: performance.now() - started,
          cpuMs: (used.user + used.system) / 1000,
          lost: countLost(verdicts, DOMAINS),
        });
      }
    }
    warm.sort((a, b) => a.cpuMs - b.cpuMs);
    const median = warm[Math.floor(warm.length / 2)] as Measured;
    const asked = domains.flatMap((d) =>
      PROBES.map((p) => [questionName(p, d.domain), p] as [string, Probe]),
    );
    await bareHttp2(unbound.url, certificate.cert, asked); // warm-up
    const floor = await bareHttp2(unbound.url, certificate.cert, asked);
    const own = await withoutNetwork(zone, domains);

    const perQuestion = (m: Measured): number => m.cpuMs / questions;
    const rows: string[][] = [
      ['', 'wall', 'CPU', 'CPU per question', 'vs dnsperf', 'lost'],
      ...(
        [
          ['dnsperf -m doh (C, Debian 2.10)', dnsperf],
          ['who-can-federate check (CLI process, start-up included)', cli],
          [`lookup core in one process, warm (median of ${WARM_RUNS})`, median],
          ["floor: Node's http2 alone, same GETs, no DNS work, warm", floor],
          ['the lookup core without the network (answers from memory), warm', own],
        ] as const
      ).map(([label, m]) => [
        label,
        `${(m.wallMs / 1000).toFixed(2)} s`,
        `${(m.cpuMs / 1000).toFixed(2)} s`,
        `${perQuestion(m).toFixed(3)} ms`,
        `${(perQuestion(m) / perQuestion(dnsperf)).toFixed(1)}×`,
        String(m.lost),
      ]),
    ];
    const version = /Version (\S+)/.exec(execFileSync(UNBOUND, ['-V'], { encoding: 'utf8' }))?.[1] ?? '';
    console.log(
      `\nResolver benchmark: ${DOMAINS} domains × ${PROBES.length} records = ${questions} questions to ` +
        `Unbound ${version} (DoH over HTTP/2, local zone), ${CONCURRENCY} in flight over one connection\n`,
    );
    const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
    for (const row of rows) {
      console.log(
        row
          .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
          .join('   '),
      );
    }
    console.log(
      `\nCPU per question: the CLI ${perQuestion(cli).toFixed(3)} ms, the warm core ${perQuestion(median).toFixed(3)} ms ` +
        `(goal ≤ 0.25 ms); dnsperf ${perQuestion(dnsperf).toFixed(3)} ms; Node's HTTP/2 alone ${perQuestion(floor).toFixed(3)} ms; ` +
        `the core's own work without the network ${perQuestion(own).toFixed(3)} ms.`,
    );
    if (cli.lost + median.lost + dnsperf.lost > 0) process.exitCode = 1;
  } finally {
    await unbound.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  rmSync(scratch, { recursive: true, force: true });
  process.exitCode = 1;
});
