/**
 * `npm run bench:collector`: reports per second the collector acknowledges (202) on this machine,
 * with SQLite, with PostgreSQL, and two instances on one PostgreSQL, side by side in one run with a
 * bare Node HTTP server that only parses the report (the ceiling of HTTP and the load generator
 * here); once with Node's global fetch and once with undici's pooled client, a faster one. Each
 * target is measured in slices alternating with the bare server (both running all along), and
 * compared with the bare slices beside it: this machine's speed drifts by half within a minute,
 * and a ratio to a bare run taken a minute earlier says more about the drift than the collector. Each report names 20
 * domains drawn from a pool of 5,000, so most writes update existing rows, as in life. After each
 * run every acknowledgement is checked against the database: a domain's stored count must equal
 * the 202s that named it. The collector runs as `npm run collector` does, in its own process, its
 * verifier throttled to one check a minute against a closed loopback port so that intake is what
 * is measured.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { PostgresStore } from '../src/collector/store/postgres';
import { SqliteStore } from '../src/collector/store/sqlite';
import type { CollectorStore } from '../src/collector/store/store';
import { createTestSchema } from '../test/support/collector-stores';
import { startCollectorProcess, type CollectorProcess } from '../test/support/collector-process';
import { projectRoot } from '../test/support/project-root';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Each target's SECONDS are cut in this many slices, each right after a slice of the bare server. */
const SLICES = Number(process.env.BENCH_SLICES ?? 5);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 32);
const DOMAINS_PER_REPORT = 20;
const POOL = 5000;
/** A partial run while working on one path, e.g. `BENCH_CLIENTS=undici BENCH_STORES=sqlite` (no directory pages then). */
const CLIENTS = (process.env.BENCH_CLIENTS ?? 'fetch,undici').split(',');
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const PARTIAL = process.env.BENCH_CLIENTS !== undefined || process.env.BENCH_STORES !== undefined;

interface Result {
  name: string;
  reports: number;
  seconds: number;
  p50: number;
  p99: number;
  failed: number;
  lost: number | null;
  /** The bare server's rate in the slices beside this target's (reports/s). */
  bare?: number;
}

/** A small deterministic generator, so every target gets the same reports. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function reportDomains(next: () => number): string[] {
  const picked = new Set<string>();
  while (picked.size < DOMAINS_PER_REPORT) picked.add(`p${Math.floor(next() * POOL)}.example`);
  return [...picked].sort();
}

/** How reports are sent: Node's global fetch, or undici's own pooled client (a faster one, 32 connections). */
type Client = 'fetch' | 'undici';

/** One POST of a report, over the chosen client; resolves with the status (undefined: no answer). */
type Send = (url: string, body: string) => Promise<number | undefined>;

function sender(client: Client, urls: readonly string[]): { send: Send; close: () => Promise<void> } {
  if (client === 'fetch') {
    return {
      send: async (url, body) => {
        const response = await fetch(`${url}/v1/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }).catch(() => undefined);
        await response?.arrayBuffer();
        return response?.status;
      },
      close: async () => undefined,
    };
  }
  const pools = new Map(
    urls.map((url) => [url, new Pool(url, { connections: Math.ceil(SENDERS / urls.length), pipelining: 1 })]),
  );
  return {
    send: async (url, body) => {
      try {
        const response = await (pools.get(url) as Pool).request({
          path: '/v1/reports',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await response.body.dump();
        return response.statusCode;
      } catch {
        return undefined;
      }
    },
    close: async () => {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}

/** What a load run measured. */
interface Measured {
  reports: number;
  failed: number;
  seconds: number;
  latencies: number[];
  /** 202s per domain: what the database must hold afterwards. */
  counts: Map<string, number>;
}

/**
 * SENDERS senders, each sending one report after another for `seconds`, spread over `urls`. The
 * senders' generators go on from where the last slice left them (`streams`), so every target gets
 * the same reports in the same order however its time is sliced.
 */
async function load(
  urls: readonly string[],
  client: Client,
  seconds: number,
  streams: (() => number)[],
): Promise<Measured> {
  const counts = new Map<string, number>();
  const latencies: number[] = [];
  let failed = 0;
  const { send, close } = sender(client, urls);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    streams.map(async (next, index) => {
      const url = urls[index % urls.length] as string;
      while (performance.now() < deadline) {
        const domains = reportDomains(next);
        const body = JSON.stringify({
          domains: domains.map((domain) => ({ domain, records: ['_sipfederationtls._tcp'] })),
        });
        const sent = performance.now();
        const status = await send(url, body);
        latencies.push(performance.now() - sent);
        if (status === 202) {
          for (const d of domains) counts.set(d, (counts.get(d) ?? 0) + 1);
        } else {
          failed += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await close();
  return { reports: latencies.length - failed, failed, seconds: elapsed, latencies, counts };
}

/** The senders' report generators, one per sender (seeded alike for every target). */
function newStreams(): (() => number)[] {
  return Array.from({ length: SENDERS }, (_, index) => random(index + 1));
}

/**
 * `urls` measured for SECONDS in SLICES slices, each right after an equal slice of the bare server
 * at `bareUrl`: the target's result, with the bare rate of the slices beside it.
 */
async function sliced(
  bareUrl: string,
  urls: readonly string[],
  name: string,
  client: Client,
): Promise<{ result: Result; counts: Map<string, number> }> {
  const slice = SECONDS / SLICES;
  const streams = newStreams();
  const bareStreams = newStreams();
  const total: Measured = { reports: 0, failed: 0, seconds: 0, latencies: [], counts: new Map() };
  let bareReports = 0;
  let bareSeconds = 0;
  for (let n = 0; n < SLICES; n += 1) {
    const beside = await load([bareUrl], client, slice, bareStreams);
    bareReports += beside.reports;
    bareSeconds += beside.seconds;
    const part = await load(urls, client, slice, streams);
    total.reports += part.reports;
    total.failed += part.failed;
    total.seconds += part.seconds;
    // (One by one: a spread of tens of thousands of arguments can overflow the stack.)
    for (const latency of part.latencies) total.latencies.push(latency);
    for (const [domain, count] of part.counts)
      total.counts.set(domain, (total.counts.get(domain) ?? 0) + count);
  }
  return { result: { ...summarize(name, total), bare: bareReports / bareSeconds }, counts: total.counts };
}

function summarize(name: string, measured: Measured): Result {
  const latencies = [...measured.latencies].sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    name,
    reports: measured.reports,
    seconds: measured.seconds,
    p50: at(0.5),
    p99: at(0.99),
    failed: measured.failed,
    lost: null,
  };
}

async function lostCount(store: CollectorStore, counts: Map<string, number>): Promise<number> {
  let lost = 0;
  for (const [domain, expected] of counts) {
    const stored = await store.describe(domain);
    lost += Math.max(0, expected - (stored?.reports ?? 0));
  }
  await store.close();
  return lost;
}

async function stop(process: CollectorProcess): Promise<void> {
  process.child.kill('SIGTERM');
  await process.exited;
}

const collectorEnv = {
  WCF_DOH_URLS: 'http://127.0.0.1:9/dns-query',
  WCF_VERIFY_PER_MINUTE: '1',
  WCF_REPORTS_PER_MINUTE: '100000000',
  // One load generator on loopback is "one address": the intake caps are lifted for it.
  WCF_MAX_NEW_PER_ADDRESS_PER_DAY: '100000000',
  WCF_MAX_PENDING: '100000000',
  WCF_MAX_CONNECTIONS_PER_ADDRESS: '100000',
  // On PostgreSQL the instances then share their per-address counts, as a scaled-out deployment does.
  WCF_ADDRESS_KEY_SECRET: 'the benchmark instances share this secret of 32+ characters',
  WCF_LOG_LEVEL: 'info',
};

/**
 * A directory page over 1,000,000 rows on SQLite (10 % published, the rest pending or absent
 * junk, as after a flood): the median of 200 pages from random points, per capability filter.
 */
async function directoryPages(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wcf-bench-dir-'));
  const store = new SqliteStore(join(dir, 'big.sqlite'));
  const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
  const insert = db.prepare(
    `INSERT INTO domains (domain, reports, report_days, reporters, status, lync_federation, xmpp_federation, records, bucket, check_order)
     VALUES (?, 1, 1, ?, ?, ?, ?, '[]', ?, ?)`,
  );
  const rows = 1_000_000;
  const started = performance.now();
  db.transaction(() => {
    for (let i = 0; i < rows; i += 1) {
      const published = i % 10 === 0;
      insert.run(
        `d${String(i).padStart(7, '0')}.example`,
        published ? 5 : 1,
        published ? 'present' : i % 3 === 0 ? 'absent' : 'pending',
        published ? 1 : null,
        published && i % 30 === 0 ? 1 : null,
        String(i % 100000).padStart(5, '0'),
        i,
      );
    }
  })();
  const filled = performance.now() - started;
  const lines = [
    `Directory page over ${rows.toLocaleString('en')} SQLite rows (filled in ${(filled / 1000).toFixed(1)} s):`,
  ];
  for (const capability of [undefined, 'lync', 'xmpp'] as const) {
    const times: number[] = [];
    for (let n = 0; n < 200; n += 1) {
      const after = `d${String(Math.floor(Math.random() * rows)).padStart(7, '0')}.example`;
      const t0 = performance.now();
      await store.directory({ capability, after, limit: 100, threshold: 3 });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    lines.push(
      `  ${capability ?? 'all'}: median ${(times[100] as number).toFixed(2)} ms, p99 ${(times[198] as number).toFixed(2)} ms`,
    );
  }
  await store.close();
  await rm(dir, { recursive: true, force: true });
  return lines.join('\n');
}

/** The bare server, running until `stop`. */
async function startBare(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(__dirname, 'bare-report-server.js')]);
  const url = await new Promise<string>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString());
      if (match?.[1]) resolve(match[1]);
    });
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function sqlite(bareUrl: string, client: Client): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), 'wcf-bench-'));
  const file = join(dir, 'collector.sqlite');
  const collector = await startCollectorProcess({ ...collectorEnv, WCF_COLLECTOR_DB: file });
  const { result, counts } = await sliced(
    bareUrl,
    [collector.url],
    'collector, SQLite (WAL, synchronous=FULL)',
    client,
  );
  await stop(collector);
  result.lost = await lostCount(new SqliteStore(file), counts);
  await rm(dir, { recursive: true, force: true });
  return result;
}

/** `instances` collectors on one PostgreSQL schema, the senders spread over them. */
async function postgres(bareUrl: string, url: string, client: Client, instances: number): Promise<Result> {
  const schema = await createTestSchema(url);
  const env = { ...collectorEnv, DATABASE_URL: schema.url };
  const collectors = await Promise.all(Array.from({ length: instances }, () => startCollectorProcess(env)));
  const name =
    instances === 1 ? 'collector, PostgreSQL (same machine)' : `${instances} collectors on one PostgreSQL`;
  const { result, counts } = await sliced(
    bareUrl,
    collectors.map((c) => c.url),
    name,
    client,
  );
  for (const collector of collectors) await stop(collector);
  result.lost = await lostCount(new PostgresStore(schema.url), counts);
  await schema.drop();
  return result;
}

/**
 * A throw-away cluster of the benchmark's own (its own port and folder), so that starting and
 * stopping it never touches the one the test suite may be using.
 */
const BENCH_CLUSTER = { WCF_TEST_PG_PORT: '54339', WCF_TEST_PG_DIR: join(tmpdir(), 'wcf-bench-postgres') };

function benchCluster(command?: 'stop'): string {
  return execFileSync(join(projectRoot(), 'scripts/test-postgres.sh'), command ? [command] : [], {
    encoding: 'utf8',
    env: { ...process.env, ...BENCH_CLUSTER },
  }).trim();
}

/** The suite's PostgreSQL, or one started for the run (stopped at the end), or why there is none. */
function postgresUrl(): { url: string; started: boolean } | string {
  const url = process.env.WCF_TEST_DATABASE_URL;
  if (url) return { url, started: false };
  try {
    return { url: benchCluster(), started: true };
  } catch {
    return 'PostgreSQL: skipped (not installed; set WCF_TEST_DATABASE_URL or install postgresql)';
  }
}

function print(title: string, results: readonly Result[]): void {
  const pad = Math.max(...results.map((r) => r.name.length));
  process.stdout.write(`${title}\n`);
  for (const r of results) {
    const rate = r.reports / r.seconds;
    const beside =
      r.bare === undefined
        ? ''
        : `  ${(rate / r.bare).toFixed(2)}× bare (${r.bare.toFixed(0)}/s in the slices beside it)`;
    process.stdout.write(
      `${r.name.padEnd(pad)}  ${rate.toFixed(0).padStart(6)} reports/s  ${(rate * DOMAINS_PER_REPORT).toFixed(0).padStart(7)} domains/s  ` +
        `p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms${beside}  ` +
        `failed ${r.failed}${r.lost === null ? '' : `  lost ${r.lost}`}\n`,
    );
  }
  process.stdout.write('\n');
}

async function main(): Promise<void> {
  process.stdout.write(
    `Collector intake: ${SENDERS} concurrent senders for ${SECONDS} s a target (${SLICES} slices, each after a slice of the bare server), ${DOMAINS_PER_REPORT} domains a report from a pool of ${POOL}\n\n`,
  );
  const pg = STORES.includes('postgres') ? postgresUrl() : 'PostgreSQL: not asked for (BENCH_STORES)';
  for (const client of (['fetch', 'undici'] as const).filter((c) => CLIENTS.includes(c))) {
    const bare = await startBare();
    const alone = summarize(
      'bare HTTP server (parse, 202, no storage)',
      await load([bare.url], client, SECONDS, newStreams()),
    );
    const results: Result[] = [alone];
    if (STORES.includes('sqlite')) results.push(await sqlite(bare.url, client));
    if (typeof pg !== 'string') {
      results.push(await postgres(bare.url, pg.url, client, 1));
      results.push(await postgres(bare.url, pg.url, client, 2));
    }
    bare.stop();
    print(
      client === 'fetch'
        ? "With Node's global fetch (one request at a time per sender):"
        : "With undici's pooled client (32 connections):",
      results,
    );
  }
  if (typeof pg === 'string') process.stdout.write(`${pg}\n`);
  else if (pg.started) benchCluster('stop');
  if (!PARTIAL) process.stdout.write(`${await directoryPages()}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
