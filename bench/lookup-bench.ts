/**
 * `npm run bench`: lookup throughput against local resolvers that answer every question in 40 ms,
 * side by side in one run with
 *  - the arithmetic ideal for the concurrency used (questions ÷ in-flight × latency),
 *  - the same lookup over HTTP/1.1 and over Node's global fetch (undici),
 *  - Node's own `dns` resolver (c-ares) at the same concurrency, against a UDP DNS server serving the
 *    same records with the same latency,
 *  - a naive loop asking one question at a time (over a sample, since the whole would take minutes).
 * Also the time until the first verdict, and a check that no answer was lost. The resolvers run in a
 * process of their own, so their CPU time is not charged to the client.
 */
import { fork } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { join } from 'node:path';
import type { NormalisedDomain } from '../src/core/address';
import { PROBES, questionName } from '../src/core/probes';
import { DohClient, type FetchLike } from '../src/dns/doh-client';
import { FederationLookup } from '../src/engine/federation-lookup';
import { createNodeFetch } from '../src/dns/node-fetch';
import { benchZone, countLost } from '../test/support/generated-zone';
import type { ResolverAddresses } from './resolver-process';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 40);
const DOMAINS = Number(process.env.BENCH_DOMAINS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const NAIVE_SAMPLE = Number(process.env.BENCH_NAIVE_DOMAINS ?? 20);

async function startResolvers(): Promise<ResolverAddresses & { stop: () => void }> {
  const child = fork(join(__dirname, 'resolver-process.js'), {
    env: { ...process.env, BENCH_LATENCY_MS: String(LATENCY_MS), BENCH_ZONE_DOMAINS: String(DOMAINS) },
  });
  const addresses = await new Promise<ResolverAddresses>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ResolverAddresses));
    child.once('exit', (code) => reject(new Error(`the resolver process exited with ${code}`)));
  });
  return { ...addresses, stop: () => child.disconnect() };
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

interface Timed {
  ms: number;
  lost: number;
  firstPartialMs: number;
  firstCompleteMs: number;
}

/** One full lookup run with a fresh client and cache. */
async function lookupRun(
  endpoint: string,
  fetch: FetchLike | undefined,
  domains: readonly NormalisedDomain[],
  concurrency: number,
): Promise<Timed> {
  const client = new DohClient({ endpoints: [endpoint], timeoutMs: 10_000, fetch });
  const lookup = new FederationLookup({ client, concurrency });
  let firstPartialMs = 0;
  let firstCompleteMs = 0;
  const started = performance.now();
  const verdicts = await lookup.checkDomains(domains, {
    onPartial: () => {
      firstPartialMs ||= performance.now() - started;
    },
    onVerdict: () => {
      firstCompleteMs ||= performance.now() - started;
    },
  });
  return {
    ms: performance.now() - started,
    lost: countLost(verdicts, domains.length),
    firstPartialMs,
    firstCompleteMs,
  };
}

/** Node's c-ares resolver asking the same questions; NXDOMAIN/NODATA count as answers, anything else as lost. */
async function nodeResolverRun(
  port: number,
  domains: readonly NormalisedDomain[],
): Promise<{ ms: number; lost: number }> {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const questions = domains.flatMap((d) =>
    PROBES.map((p) => ({ probe: p, name: questionName(p, d.domain) })),
  );
  let failures = 0;
  const started = performance.now();
  await pool(questions, CONCURRENCY, async ({ probe, name }) => {
    try {
      if (probe.type === 'SRV') await resolver.resolveSrv(name);
      else await resolver.resolveMx(name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTFOUND' && code !== 'ENODATA') failures += 1;
    }
  });
  return { ms: performance.now() - started, lost: failures };
}

async function main(): Promise<void> {
  const { domains } = benchZone(DOMAINS);
  const resolvers = await startResolvers();
  const questions = DOMAINS * PROBES.length;
  const idealMs = Math.ceil(questions / CONCURRENCY) * LATENCY_MS;

  // The first run in a fresh process pays for JIT compilation and connection set-up: measure it as
  // the cold start a CLI user sees, then measure every transport warm, on fresh clients and caches.
  const tls = (): FetchLike => createNodeFetch({ ca: resolvers.ca, maxSockets: CONCURRENCY });
  const cold = await lookupRun(resolvers.dohTlsUrl, tls(), domains, CONCURRENCY);
  const h2 = await lookupRun(resolvers.dohTlsUrl, tls(), domains, CONCURRENCY);
  const h1 = await lookupRun(
    resolvers.dohUrl,
    createNodeFetch({ maxSockets: CONCURRENCY }),
    domains,
    CONCURRENCY,
  );
  const undici = await lookupRun(resolvers.dohUrl, undefined, domains, CONCURRENCY);
  const node = await nodeResolverRun(resolvers.udpPort, domains);
  const sample = benchZone(NAIVE_SAMPLE).domains;
  const naiveSample = await lookupRun(resolvers.dohTlsUrl, createNodeFetch({ ca: resolvers.ca }), sample, 1);
  const naiveMs = (naiveSample.ms / (NAIVE_SAMPLE * PROBES.length)) * questions;
  resolvers.stop();

  const ratio = (ms: number): string => `${(ms / idealMs).toFixed(2)}× ideal`;
  const rows: string[][] = [
    ['', 'time', 'questions/s', 'vs ideal', 'lost'],
    [`ideal: ${questions} ÷ ${CONCURRENCY} in flight × ${LATENCY_MS} ms`, idealMs, '1.00× ideal', ''],
    ['who-can-federate, DoH over HTTP/2 + TLS, cold process', cold.ms, ratio(cold.ms), String(cold.lost)],
    ['who-can-federate, DoH over HTTP/2 + TLS (CLI default)', h2.ms, ratio(h2.ms), String(h2.lost)],
    ['who-can-federate, DoH over HTTP/1.1 keep-alive', h1.ms, ratio(h1.ms), String(h1.lost)],
    [
      "who-can-federate, DoH over Node's global fetch (undici)",
      undici.ms,
      ratio(undici.ms),
      String(undici.lost),
    ],
    ["Node's dns.Resolver (c-ares) over UDP", node.ms, ratio(node.ms), String(node.lost)],
    [
      `naive: one question at a time (${NAIVE_SAMPLE} domains, scaled)`,
      naiveMs,
      ratio(naiveMs),
      String(naiveSample.lost),
    ],
  ].map((r) =>
    typeof r[1] === 'number'
      ? [
          String(r[0]),
          `${(r[1] / 1000).toFixed(2)} s`,
          String(Math.round((questions / r[1]) * 1000)),
          String(r[2]),
          String(r[3]),
        ]
      : r.map(String),
  );
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  console.log(
    `Lookup benchmark: ${DOMAINS} domains × ${PROBES.length} records = ${questions} questions, ` +
      `resolver latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}\n`,
  );
  for (const r of rows)
    console.log(
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('   ')
        .trimEnd(),
    );
  console.log(
    `\nTime to first verdict (HTTP/2): canFederate settled for a first domain after ${h2.firstPartialMs.toFixed(0)} ms, ` +
      `first complete verdict after ${h2.firstCompleteMs.toFixed(0)} ms.`,
  );
  console.log(
    `Ratios: HTTP/2 run = ${(h2.ms / node.ms).toFixed(2)}× c-ares's time, ${(naiveMs / h2.ms).toFixed(0)}× faster than naive, ` +
      `${(undici.ms / h2.ms).toFixed(2)}× faster than over undici.`,
  );
  if (cold.lost + h2.lost + h1.lost + undici.lost > 0) process.exitCode = 1;
}

void main();
