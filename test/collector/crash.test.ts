import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { Client } from 'pg';
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
  /** Batches in the intake journal, not yet counted in the domains (read without the collector's code). */
  journaled(): Promise<number>;
  dispose(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'wcf-crash-'));
  const file = join(dir, 'collector.sqlite');
  return {
    name: 'sqlite',
    env: { WCF_COLLECTOR_DB: file },
    open: async () => new SqliteStore(file),
    journaled: async () => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM intake_journal').get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
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
    journaled: async () => {
      const client = new Client({ connectionString: schema.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM intake_journal');
        return Number(rows[0]?.n);
      } finally {
        await client.end();
      }
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
  test('every acknowledged report survives kill -9, journaled batches included', async () => {
    const backend = await makeBackend();
    // Folds under load only once a minute: acknowledged batches stay in the journal until the kill.
    const env = {
      ...backend.env,
      WCF_DOH_URLS: doh.url,
      WCF_REPORTS_PER_MINUTE: '100000',
      WCF_FOLD_EVERY_MS: '60000',
      // One address sends everything: its allowance of new domains (1,000 a day) would stop it at 50 reports.
      WCF_MAX_NEW_PER_ADDRESS_PER_DAY: '1000000',
      WCF_MAX_PENDING: '1000000',
    };
    const acknowledged = new Map<string, number>();
    let collector = await startCollector(env);
    // Killed with acknowledged batches still in the journal (not yet counted) at least once: the
    // moment is watched from outside, so a try may miss it (a quiet batch is folded before its 202); three tries.
    let killedWithJournal = false;
    for (let attempt = 0; attempt < 3 && !killedWithJournal; attempt += 1) {
      const process = collector;
      let acknowledgedNow = 0;
      let stop = false;
      // 32 senders, so that batches are journaled faster than they are folded.
      const senders = Array.from({ length: 32 }, async (_, sender) => {
        for (let i = 0; !stop; i += 1) {
          const domains = names(20, `a${attempt}s${sender}r${i}-`);
          const response = await fetch(`${process.url}/v1/reports`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ domains: domains.map((domain) => ({ domain, records: ['_sip._tls'] })) }),
          }).catch(() => undefined);
          if (response?.status === 202) {
            acknowledgedNow += 1;
            for (const d of domains) acknowledged.set(d, (acknowledged.get(d) ?? 0) + 1);
          }
        }
      });
      const watcher = (async () => {
        const deadline = Date.now() + 15_000;
        while (!stop) {
          // Killed once 40 reports are acknowledged with batches in the journal, or after 400 or 15 s regardless.
          const due = acknowledgedNow >= 400 || Date.now() > deadline;
          if (due || (acknowledgedNow >= 40 && (await backend.journaled()) > 0)) {
            stop = true;
            process.child.kill('SIGKILL');
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      await Promise.all([...senders, watcher]);
      expect(await process.exited).toBeNull();
      killedWithJournal = (await backend.journaled()) > 0;

      // The restart counts what the journal holds before it answers.
      collector = await startCollector(env);
      const health = await fetch(`${collector.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await backend.journaled()).toBe(0);
      const store = await backend.open();
      let lost = 0;
      for (const [domain, reports] of acknowledged) {
        const stored = await store.describe(domain);
        if (!stored || stored.reports !== reports) lost += 1;
      }
      await store.close();
      expect({ acknowledged: acknowledged.size, lost }).toEqual({ acknowledged: acknowledged.size, lost: 0 });
    }
    expect(killedWithJournal).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(800);

    collector.child.kill('SIGTERM');
    expect(await collector.exited).toBe(0);
    expect(collector.output()).toContain('stopped');
    await backend.dispose();
  }, 90_000);
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
