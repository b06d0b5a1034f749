import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { readConfig, readTrustProxy, ConfigError } from '../../src/collector/config';
import { PostgresStore } from '../../src/collector/store/postgres';
import { SqliteStore } from '../../src/collector/store/sqlite';
import type { CollectorStore } from '../../src/collector/store/store';
import * as rows from '../../src/collector/store/rows';
import { UNCHECKED } from '../../src/collector/verification';
import { Verifier } from '../../src/collector/verifier';
import { DohClient } from '../../src/dns/doh-client';
import { FederationLookup } from '../../src/engine/federation-lookup';
import { createNodeFetch } from '../../src/dns/node-fetch';
import { NO_STORE, RecordCache } from '../../src/dns/record-cache';
import { startDohServer } from '../support/doh-server';
import { get, postReport, startTestCollector, type TestCollector } from '../support/collector-app';
import { storeKinds, TEST_DATABASE_URL, type TestStore } from '../support/collector-stores';

const entry = (domain: string) => ({ domain, records: ['_sipfederationtls._tcp'] });
const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}.example`);
const present = { ...UNCHECKED, status: 'present' as const, lyncFederation: true, records: [] };

/** Opens a connection from a loopback address of its own (Linux routes all of 127/8 to lo). */
function socketFrom(localAddress: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Starts a report upload that sends its body one byte now and then, as a slow client would. */
async function dripUpload(localAddress: string, port: number): Promise<Socket> {
  const socket = await socketFrom(localAddress, port);
  socket.on('error', () => undefined);
  socket.write(
    'POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
  );
  const drip = setInterval(() => socket.writable && socket.write(' '), 200);
  socket.on('close', () => clearInterval(drip));
  return socket;
}

const portOf = (c: TestCollector) => Number(new URL(c.url).port);

describe('proxy trust', () => {
  test('WCF_TRUST_PROXY=true is refused at start; hop counts and addresses are read', () => {
    expect(() => readTrustProxy('true')).toThrow(ConfigError);
    expect(() => readConfig({ WCF_TRUST_PROXY: 'true' })).toThrow(/would believe any X-Forwarded-For/);
    expect(readTrustProxy('1')).toBe(1);
    expect(readTrustProxy('10.0.0.5, 10.1.0.0/16')).toEqual(['10.0.0.5', '10.1.0.0/16']);
    expect(readTrustProxy(undefined)).toBe(false);
    expect(() => readTrustProxy('10.0.0.5/40')).toThrow(/not an IP address or CIDR/);
  });
});

describe.each(storeKinds())('the collector as a public service ($name)', (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await kind.create();
  });
  afterEach(async () => {
    await t.dispose();
  });

  test('a spoofed X-Forwarded-For does not escape the rate limit behind one trusted proxy', async () => {
    const c = await startTestCollector(t.store, { trustProxy: 1, reportsPerMinute: 30, batchWindowMs: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const response = await postReport(
        c.url,
        { domains: [entry(`s${i}.example`)] },
        // The client's own header, then the address our proxy appended: only the last one counts.
        { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` },
      );
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get('connection')).toBe('close');
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    await c.close();
  });

  test('a flood of new domains from 10 addresses is capped, and the queue stays bounded', async () => {
    const c = await startTestCollector(t.store, {
      reportsPerMinute: 1000,
      batchWindowMs: 5,
      queue: { maxNewPerReport: 200, maxNewPerAddressPerDay: 1000, maxPending: 5000 },
    });
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, async (_, address) => {
        const seen: { status: number; retryAfter: string | null }[] = [];
        for (let report = 0; report < 30; report += 1) {
          const domains = names(200, `f${address}-${report}-`).map(entry);
          const response = await postReport(
            c.url,
            { domains },
            { 'x-forwarded-for': `192.0.2.${address + 1}` },
          );
          seen.push({ status: response.status, retryAfter: response.headers.get('retry-after') });
        }
        return seen;
      }),
    );
    const all = outcomes.flat();
    const accepted = all.filter((o) => o.status === 202).length;
    // 60,000 domains offered; at most 1,000 a day from each address, and 5,000 waiting in all.
    expect(accepted * 200).toBeLessThanOrEqual(5000);
    expect(await t.store.pendingCount()).toBe(accepted * 200);
    for (const refused of all.filter((o) => o.status !== 202)) {
      expect([429, 503]).toContain(refused.status);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    }
    // Known domains still get through: they cost no new check.
    const tight = await startTestCollector(t.store, { batchWindowMs: 5, queue: { maxNewPerReport: 50 } });
    const big = await postReport(
      tight.url,
      { domains: names(51, 'tight').map(entry) },
      { 'x-forwarded-for': '192.0.2.99' },
    );
    expect(big.status).toBe(429);
    expect(big.json<{ message: string }>().message).toContain('at most 50 new ones per report');
    expect(await t.store.describe('tight0.example')).toBeUndefined();
    await tight.close();
    const again = await postReport(
      c.url,
      { domains: [entry('f0-0-0.example')] },
      { 'x-forwarded-for': '192.0.2.1' },
    );
    expect(again.status).toBe(202);
    await c.close();
  });

  test('K counts distinct reporters in a day, not reports', async () => {
    const c = await startTestCollector(t.store, { batchWindowMs: 5, reportsPerMinute: 100 });
    for (let i = 0; i < 5; i += 1) {
      await postReport(c.url, { domains: [entry('same.example')] }, { 'x-forwarded-for': '192.0.2.50' });
    }
    for (let i = 0; i < 3; i += 1) {
      await postReport(
        c.url,
        { domains: [entry('many.example')] },
        { 'x-forwarded-for': `192.0.2.${60 + i}` },
      );
    }
    expect(await t.store.describe('same.example')).toMatchObject({ reports: 5, reporters: 1 });
    expect(await t.store.describe('many.example')).toMatchObject({ reports: 3, reporters: 3 });
    await c.close();
  });

  test('a retry with the same Idempotency-Key is acknowledged and counted once', async () => {
    const c = await startTestCollector(t.store, { batchWindowMs: 5 });
    const headers = { 'idempotency-key': 'retry-key-0123456789abcdef' };
    const first = await postReport(c.url, { domains: [entry('once.example')] }, headers);
    const second = await postReport(c.url, { domains: [entry('once.example')] }, headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.json()).toMatchObject({ duplicate: true });
    expect(await t.store.describe('once.example')).toMatchObject({ reports: 1 });
    const bad = await postReport(c.url, { domains: [entry('once.example')] }, { 'idempotency-key': 'short' });
    expect(bad.status).toBe(400);
    await c.close();
  });

  test('security headers on every response; errors name the field, never repeat the input', async () => {
    const c = await startTestCollector(t.store, { batchWindowMs: 5 });
    for (const path of ['/', '/v1/stats', '/v1/domains', '/healthz', '/nowhere']) {
      const response = await get(c.url, path);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const bad = await postReport(c.url, { domains: [entry('Evil<script>.Example')] });
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain('Evil');
    expect(bad.text).not.toContain('script');
    const json = await postReport(c.url, '{"domains": [ {"domain": "secret-token-xyz"');
    expect(json.text).not.toContain('secret-token-xyz');
    await c.close();
  });

  test('a look-alike (mixed-script) name is published in its A-label form', async () => {
    await t.store.addReport(['xn--pple-43d.example', 'xn--bcher-kva.example'], '2026-11-30');
    for (const domain of ['xn--pple-43d.example', 'xn--bcher-kva.example']) {
      await t.store.saveCheck(domain, present, 1);
    }
    const c = await startTestCollector(t.store, { threshold: 1 });
    const { domains } = (await get(c.url, '/v1/domains')).json<{
      domains: { domain: string; displayDomain: string }[];
    }>();
    expect(domains).toEqual([
      expect.objectContaining({ domain: 'xn--bcher-kva.example', displayDomain: 'bücher.example' }),
      expect.objectContaining({ domain: 'xn--pple-43d.example', displayDomain: 'xn--pple-43d.example' }),
    ]);
    await c.close();
  });

  test('a directory CSV broken off by the database is logged and fails visibly', async () => {
    const names1500 = names(1500, 'csv');
    await t.store.addReport(names1500, '2026-11-30');
    for (const domain of names1500) await t.store.saveCheck(domain, present, 1);
    const failing = Object.create(t.store) as CollectorStore;
    let pages = 0;
    failing.directory = (query) => {
      pages += 1;
      return pages > 1 ? Promise.reject(new Error('disk I/O error')) : t.store.directory(query);
    };
    const c = await startTestCollector(failing, { threshold: 1 });
    const response = await fetch(`${c.url}/v1/domains?format=csv`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(c.logs.join('')).toContain('disk I/O error');
    await c.close();
  });

  test('POST /v1/lookup answers up to 256 buckets at once, prefixes only, on a budget of its own', async () => {
    await t.store.addReport(['edge.example'], '2026-11-30');
    await t.store.saveCheck('edge.example', present, 1);
    const c = await startTestCollector(t.store, { threshold: 1, lookupsPerMinute: 2 });
    const hash = createHash('sha256').update('edge.example').digest('hex');
    const prefixes = [hash.slice(0, 5), '00000', 'fffff'];
    const ask = (body: unknown) =>
      fetch(`${c.url}/v1/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const response = await ask({ prefixes });
    expect(response.status).toBe(200);
    const { buckets } = (await response.json()) as {
      buckets: { prefix: string; domains: { hash: string }[] }[];
    };
    expect(buckets.map((b) => b.prefix)).toEqual(prefixes);
    expect(buckets[0]?.domains.map((d) => d.hash)).toContain(hash);
    expect(JSON.stringify(buckets)).not.toContain('edge.example');
    expect(
      (await ask({ prefixes: Array.from({ length: 257 }, (_, i) => i.toString(16).padStart(5, '0')) }))
        .status,
    ).toBe(400);
    const limited = await ask({ prefixes: ['00000'] });
    expect(limited.status).toBe(429);
    // Reads have their own budget: the GET look-up still answers.
    expect((await get(c.url, `/v1/lookup/${hash.slice(0, 5)}`)).status).toBe(200);
    await c.close();
  });

  test('every query the directory, stats and scheduler run uses an index', async () => {
    const plans = await explain(t.store);
    for (const [sql, plan] of plans) {
      expect({ sql, plan }).toEqual({ sql, plan: expect.stringMatching(/INDEX|Index/) });
    }
  });
});

/** The query plans of the directory (each capability), the bucket, the pending count and the lease query. */
async function explain(store: CollectorStore): Promise<[string, string][]> {
  const queries: [string, unknown[]][] = [
    [rows.directorySql(undefined), [3, '', 100]],
    [rows.directorySql('lync'), [3, '', 100]],
    [rows.directorySql('xmpp'), [3, '', 100]],
    [rows.directorySql('xmpp-client'), [3, '', 100]],
    [rows.BUCKET_SQL, ['abcde', 3]],
    [rows.PENDING_SQL, []],
    [
      'SELECT domain FROM domains WHERE next_check_at <= ? AND lease_until <= ? ORDER BY next_check_at, check_order LIMIT ?',
      [1, 1, 50],
    ],
  ];
  const result: [string, string][] = [];
  if (store instanceof SqliteStore) {
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    for (const [sql, params] of queries) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
      result.push([sql, plan.map((p) => p.detail).join('; ')]);
    }
  } else if (store instanceof PostgresStore) {
    const pool = (store as unknown as { pool: import('pg').Pool }).pool;
    const client = await pool.connect();
    try {
      // With sequential scans priced out, a plan still without an index means there is none to use.
      await client.query('SET enable_seqscan = off');
      for (const [sql, params] of queries) {
        const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN ${rows.numberedPlaceholders(sql)}`,
          params,
        );
        result.push([sql, plan.map((p) => p['QUERY PLAN']).join('; ')]);
      }
      await client.query('RESET enable_seqscan');
    } finally {
      client.release();
    }
  }
  return result;
}

describe('storage that keeps the promise', () => {
  test('SQLite: files 0600 in a 0700 folder, an empty WAL after each batch, and no page in report order', async () => {
    const [sqlite] = storeKinds();
    const t = await (sqlite as NonNullable<typeof sqlite>).create();
    const store = t.store as SqliteStore;
    const c = await startTestCollector(store, { batchWindowMs: 5 });
    // Three reports whose domains interleave in name order.
    const reports = [0, 1, 2].map((r) =>
      Array.from({ length: 8 }, (_, i) => `grp-${String(i).padStart(2, '0')}-${r}.example`),
    );
    for (const domains of reports) {
      expect((await postReport(c.url, { domains: domains.map(entry) })).status).toBe(202);
      // After each batch the WAL is checkpointed and truncated: no frame of it is left.
      expect(statSync(`${store.file}-wal`).size).toBe(0);
    }
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(store.file)).mode & 0o777).toBe(0o700);
    await store.maintain('2026-01-01');
    // Raw bytes of the main file: the domains appear in name order, not grouped by report.
    const bytes = readFileSync(store.file).toString('latin1');
    const order = [...bytes.matchAll(/grp-\d\d-\d\.example/g)].map((m) => m[0]);
    const unique = order.filter((name, i) => order.indexOf(name) === i);
    expect(unique).toHaveLength(24);
    // (Cells fill a page from its end, so key order may read backwards: either way it is name order.)
    const sorted = [...unique].sort();
    expect([sorted, [...sorted].reverse()]).toContainEqual(unique);
    expect(statSync(`${store.file}-wal`).size).toBe(0);
    await c.close();
    await t.dispose();
  });

  (TEST_DATABASE_URL ? test : test.skip)(
    'PostgreSQL: the rows a report wrote share their transaction with decoys, in name order',
    async () => {
      const postgres = storeKinds().find((k) => k.name === 'postgres');
      const t = await (postgres as NonNullable<typeof postgres>).create();
      await t.store.addReport(names(200, 'old'), '2026-11-29');
      const c = await startTestCollector(t.store, { batchWindowMs: 5 });
      const report = names(8, 'fresh');
      expect((await postReport(c.url, { domains: report.map(entry) })).status).toBe(202);
      const url = (t.store as unknown as { pool: { options: { connectionString: string } } }).pool.options
        .connectionString;
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ domain: string; xmin: string; ctid: string }>(
        'SELECT domain, xmin::text, ctid::text FROM domains',
      );
      await client.end();
      const xmin = rows.find((row) => row.domain === report[0])?.xmin;
      const together = rows.filter((row) => row.xmin === xmin);
      expect(together.length).toBeGreaterThan(report.length); // decoys share the transaction
      const inCtidOrder = together
        .sort((a, b) => {
          const [pa, ia] = a.ctid.slice(1, -1).split(',').map(Number) as [number, number];
          const [pb, ib] = b.ctid.slice(1, -1).split(',').map(Number) as [number, number];
          return pa - pb || ia - ib;
        })
        .map((row) => row.domain);
      // Their physical order is name order, reported rows and decoys alike: not the report's order.
      expect(inCtidOrder).toEqual([...inCtidOrder].sort());
      await c.close();
      await t.dispose();
    },
  );
});

describe('slow clients', () => {
  test('250 slow uploads from 10 addresses do not delay a normal report; slow ones are cut at the limit', async () => {
    const [sqlite] = storeKinds();
    const t = await (sqlite as NonNullable<typeof sqlite>).create();
    const c = await startTestCollector(t.store, {
      trustProxy: false,
      batchWindowMs: 5,
      limits: { requestTimeoutMs: 3000, headersTimeoutMs: 2000, maxConnectionsPerAddress: 32 },
    });
    const port = portOf(c);
    const slow = await Promise.all(
      Array.from({ length: 250 }, (_, i) => dripUpload(`127.0.0.${2 + (i % 10)}`, port)),
    );
    const started = performance.now();
    const response = await postReport(c.url, { domains: [entry('normal.example')] });
    expect(response.status).toBe(202);
    expect(performance.now() - started).toBeLessThan(1000);
    // One address cannot hold more than its share.
    const greedy = await Promise.all(Array.from({ length: 40 }, () => socketFrom('127.0.0.20', port)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(greedy.filter((s) => !s.destroyed && s.readyState === 'open').length).toBeLessThanOrEqual(32);
    for (const s of greedy) s.destroy();
    // The dripping uploads are cut once the request time limit passes (checked every second).
    await new Promise((resolve) => setTimeout(resolve, 4500));
    expect(slow.filter((s) => !s.destroyed && s.readyState === 'open')).toHaveLength(0);
    await c.close();
    await t.dispose();
  }, 20_000);
});

describe.each(storeKinds())('the queue ($name)', (kind) => {
  test('domains found absent check after check are deleted, not kept forever', async () => {
    const doh = await startDohServer({
      zone: { '_sipfederationtls._tcp.real.example': { SRV: [{ target: 'sip.real.example', port: 5061 }] } },
    });
    const t = await kind.create();
    const clock = {
      time: Date.UTC(2026, 10, 30),
      now() {
        return this.time;
      },
    };

    const verifier = new Verifier({
      store: t.store,
      clock,
      absentExpiryChecks: 3,
      lookup: new FederationLookup({
        client: new DohClient({ endpoints: [doh.url], fetch: createNodeFetch(), timeoutMs: 1000 }),
        cache: new RecordCache({ store: NO_STORE }),
      }),
    });
    await t.store.addReport(['junk.example', 'real.example'], '2026-11-30');
    for (let check = 1; check <= 3; check += 1) {
      await verifier.drain();
      const junk = await t.store.describe('junk.example');
      if (check < 3) expect(junk).toMatchObject({ absentChecks: check, facts: { status: 'absent' } });
      else expect(junk).toBeUndefined();
      clock.time += 8 * 86_400_000;
    }
    expect(await t.store.describe('real.example')).toMatchObject({
      absentChecks: 0,
      facts: { status: 'present' },
    });
    await t.dispose();
    await doh.close();
  });
});
