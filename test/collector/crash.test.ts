import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStore } from '../../src/collector/store/postgres';
import { SqliteStore } from '../../src/collector/store/sqlite';
import type { CollectorStore } from '../../src/collector/store/store';
import { createTestSchema, TEST_DATABASE_URL } from '../support/collector-stores';
import { startDohServer, type DohServer } from '../support/doh-server';
import { FIXTURE_ZONE } from '../support/fixture-zone';
import { COLLECTOR_MAIN, startCollectorProcess as startCollector } from '../support/collector-process';

const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}.example`);

interface Backend {
  name: string;
  env: Record<string, string>;
  open(): Promise<CollectorStore>;
  dispose(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'wcf-crash-'));
  const file = join(dir, 'collector.sqlite');
  return {
    name: 'sqlite',
    env: { WCF_COLLECTOR_DB: file },
    open: async () => new SqliteStore(file),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

async function postgresBackend(): Promise<Backend> {
  const schema = await createTestSchema();
  return {
    name: 'postgres',
    env: { DATABASE_URL: schema.url },
    open: async () => {
      const store = new PostgresStore(schema.url);
      await store.migrate();
      return store;
    },
    dispose: schema.drop,
  };
}

const backends = [
  ['sqlite', sqliteBackend] as const,
  ...(TEST_DATABASE_URL ? [['postgres', postgresBackend] as const] : []),
];

let doh: DohServer;
beforeAll(async () => {
  doh = await startDohServer({ zone: FIXTURE_ZONE });
});
afterAll(async () => {
  await doh.close();
});

describe.each(backends)('the collector process (%s)', (_name, makeBackend) => {
  test('every acknowledged report survives kill -9', async () => {
    const backend = await makeBackend();
    const env = { ...backend.env, WCF_DOH_URLS: doh.url, WCF_REPORTS_PER_MINUTE: '100000' };
    const first = await startCollector(env);
    const acknowledged = new Map<string, number>();
    // Reports keep arriving; the process is killed the moment the 40th is acknowledged.
    let stop = false;
    const senders = Array.from({ length: 8 }, async (_, sender) => {
      for (let i = 0; !stop; i += 1) {
        const domains = names(20, `s${sender}r${i}-`);
        const response = await fetch(`${first.url}/v1/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ domains: domains.map((domain) => ({ domain, records: ['_sip._tls'] })) }),
        }).catch(() => undefined);
        if (response?.status === 202) {
          for (const d of domains) acknowledged.set(d, (acknowledged.get(d) ?? 0) + 1);
          if (acknowledged.size >= 40 * 20 && !stop) {
            stop = true;
            first.child.kill('SIGKILL');
          }
        }
      }
    });
    await Promise.all(senders);
    expect(await first.exited).toBeNull();

    const second = await startCollector(env);
    const health = await fetch(`${second.url}/healthz`);
    expect(health.status).toBe(200);
    const store = await backend.open();
    let lost = 0;
    for (const [domain, reports] of acknowledged) {
      const stored = await store.describe(domain);
      if (!stored || stored.reports < reports) lost += 1;
    }
    expect({ acknowledged: acknowledged.size, lost }).toEqual({ acknowledged: acknowledged.size, lost: 0 });
    expect(acknowledged.size).toBeGreaterThanOrEqual(800);
    await store.close();

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('stopped');
    await backend.dispose();
  }, 60_000);
});

test('the collector refuses to start with a setting it cannot use, saying which', async () => {
  const child = spawn(process.execPath, [COLLECTOR_MAIN], {
    env: { PATH: process.env.PATH ?? '', WCF_PUBLISH_THRESHOLD: 'three' },
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(1);
  expect(output).toContain('WCF_PUBLISH_THRESHOLD must be a whole number of at least 1, not "three"');
});
