import { createHash } from 'node:crypto';
import { Client } from 'pg';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../../src/collector/store/migrations';
import { PostgresStore } from '../../src/collector/store/postgres';
import { SqliteStore } from '../../src/collector/store/sqlite';
import { Verifier } from '../../src/collector/verifier';
import { DohClient } from '../../src/dns/doh-client';
import { FederationLookup } from '../../src/engine/federation-lookup';
import { createNodeFetch } from '../../src/dns/node-fetch';
import { NO_STORE, RecordCache } from '../../src/dns/record-cache';
import { LiveChecker } from '../../src/live/live-checker';
import {
  get,
  ManualClock,
  postReport,
  startTestCollector,
  type TestCollector,
} from '../support/collector-app';
import { createTestSchema, storeKinds, TEST_DATABASE_URL, type TestStore } from '../support/collector-stores';
import { startDohServer, type DohServer } from '../support/doh-server';
import { LOOPBACK_OPT_IN, startLiveServers, type LiveServers } from '../support/live-servers';

const sha256 = (domain: string) => createHash('sha256').update(domain).digest('hex');

interface Bucket {
  prefix: string;
  domains: {
    hash: string;
    lyncFederation: boolean;
    lyncLive: boolean | null;
    xmppLive: boolean | null;
    verified: boolean | null;
  }[];
}

describe.each(storeKinds())('live verification and private look-ups ($name)', (kind) => {
  let servers: LiveServers;
  let doh: DohServer;
  let t: TestStore;
  let clock: ManualClock;
  let verifier: Verifier;
  let collector: TestCollector;

  beforeAll(async () => {
    servers = await startLiveServers();
    doh = await startDohServer({ zone: servers.zone });
    t = await kind.create();
    clock = new ManualClock();
    const client = new DohClient({ endpoints: [doh.url], fetch: createNodeFetch(), timeoutMs: 2000 });
    verifier = new Verifier({
      store: t.store,
      clock,
      lookup: new FederationLookup({ client, cache: new RecordCache({ store: NO_STORE }) }),
      live: new LiveChecker({ resolver: client, timeoutMs: 600, policy: LOOPBACK_OPT_IN }),
    });
    collector = await startTestCollector(t.store, { clock, verifier, threshold: 3 });
    const domains = ['live.test', 'dead.test', 'mismatch.test', 'shared.test'];
    for (let day = 0; day < 3; day += 1) {
      const reported = day === 2 ? domains.filter((d) => d !== 'shared.test') : domains;
      const response = await postReport(collector.url, {
        domains: reported.map((domain) => ({ domain, records: ['_sipfederationtls._tcp'] })),
      });
      expect(response.status).toBe(202);
      await verifier.drain();
      clock.nextDay();
    }
  });
  afterAll(async () => {
    await collector.close();
    await t.dispose();
    await doh.close();
    await servers.close();
  });

  test('the collector runs the live checks when it verifies, and publishes what it found', async () => {
    const stats = (await get(collector.url, '/v1/stats')).json<Record<string, number>>();
    expect(stats).toMatchObject({ domains: 3, lyncFederation: 3, lyncEdgeAnswering: 2, verified: 2 });
    const directory = (await get(collector.url, '/v1/domains')).json<{
      domains: Record<string, unknown>[];
    }>();
    expect(directory.domains.map((d) => [d.domain, d.lyncLive, d.verified])).toEqual([
      ['dead.test', false, false],
      ['live.test', true, true],
      ['mismatch.test', true, true],
    ]);
  });

  test('GET /v1/lookup/{prefix} lists the bucket as hashes and findings, never names', async () => {
    const hash = sha256('live.test');
    const response = await get(collector.url, `/v1/lookup/${hash.slice(0, 5).toUpperCase()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    const bucket = response.json<Bucket>();
    expect(bucket.prefix).toBe(hash.slice(0, 5));
    expect(bucket.domains).toEqual([
      expect.objectContaining({
        hash,
        lyncFederation: true,
        lyncLive: true,
        verified: true,
        checked: expect.any(String),
      }),
    ]);
    expect(response.text).not.toContain('live.test');
    // A domain below the threshold is in no bucket.
    const rare = (await get(collector.url, `/v1/lookup/${sha256('shared.test').slice(0, 5)}`)).json<Bucket>();
    expect(rare.domains.map((d) => d.hash)).not.toContain(sha256('shared.test'));
  });

  test.each(['abcd', 'abcdef', 'xyz12', '..%2f'])('GET /v1/lookup/%s is a 400', async (prefix) => {
    expect((await get(collector.url, `/v1/lookup/${prefix}`)).status).toBe(400);
  });
});

describe('migration 2 fills the look-up bucket of domains stored before it', () => {
  const v1Only = MIGRATIONS.filter((m) => m.version === 1);

  test('SQLite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wcf-migrate-'));
    const file = join(dir, 'collector.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const m of v1Only) db.exec(m.sqlite);
    db.prepare("INSERT INTO schema_migrations VALUES (1, '2026-11-01')").run();
    db.prepare("INSERT INTO domains (domain, reports) VALUES ('old.test', 4)").run();
    db.close();
    const store = new SqliteStore(file);
    expect(await store.describe('old.test')).toMatchObject({ reports: 4 });
    const check = new Database(file);
    expect(check.prepare("SELECT bucket FROM domains WHERE domain = 'old.test'").get()).toEqual({
      bucket: sha256('old.test').slice(0, 5),
    });
    check.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  (TEST_DATABASE_URL ? test : test.skip)('PostgreSQL', async () => {
    const schema = await createTestSchema();
    const admin = new Client({ connectionString: schema.url });
    await admin.connect();
    await admin.query(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    for (const m of v1Only) await admin.query(m.postgres);
    await admin.query("INSERT INTO schema_migrations VALUES (1, '2026-11-01')");
    await admin.query("INSERT INTO domains (domain, reports) VALUES ('old.test', 4)");
    const store = new PostgresStore(schema.url);
    await store.migrate();
    const { rows } = await admin.query("SELECT bucket FROM domains WHERE domain = 'old.test'");
    expect(rows).toEqual([{ bucket: sha256('old.test').slice(0, 5) }]);
    await store.close();
    await admin.end();
    await schema.drop();
  });
});
