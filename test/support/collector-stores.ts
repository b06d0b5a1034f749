import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresStore } from '../../src/collector/store/postgres';
import { SqliteStore } from '../../src/collector/store/sqlite';
import type { CollectorStore } from '../../src/collector/store/store';

/** A store made for one test, and how to throw it away. */
export interface TestStore {
  store: CollectorStore;
  /** Another connection to the same data, as a second collector instance or a restart would open. */
  reopen(): Promise<CollectorStore>;
  dispose(): Promise<void>;
}

export interface StoreKind {
  name: 'sqlite' | 'postgres';
  create(): Promise<TestStore>;
}

/**
 * The PostgreSQL the suite runs against: `WCF_TEST_DATABASE_URL`, which `.ci/run` sets after
 * starting one with `scripts/test-postgres.sh`. Each store gets a schema of its own.
 */
export const TEST_DATABASE_URL = process.env.WCF_TEST_DATABASE_URL;

async function sqliteStore(): Promise<TestStore> {
  const dir = await mkdtemp(join(tmpdir(), 'wcf-store-'));
  const file = join(dir, 'collector.sqlite');
  const opened: CollectorStore[] = [];
  const open = async (): Promise<CollectorStore> => {
    const store = new SqliteStore(file);
    await store.migrate();
    opened.push(store);
    return store;
  };
  const store = await open();
  return {
    store,
    reopen: open,
    dispose: async () => {
      for (const s of opened) await s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A connection string whose sessions use `schema` (libpq's `options` parameter). */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** A schema of its own in a PostgreSQL database: its connection string, and how to drop it. */
export interface TestSchema {
  name: string;
  /** A connection string whose sessions use the schema. */
  url: string;
  drop(): Promise<void>;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  // Fails fast when the suite's PostgreSQL is not there, rather than hanging the suite.
  const admin = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Creates a fresh schema in the database at `url` (the suite's by default), for one test, run or benchmark. */
export async function createTestSchema(url = TEST_DATABASE_URL as string): Promise<TestSchema> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery(url, `CREATE SCHEMA ${name}`);
  return { name, url: withSchema(url, name), drop: () => adminQuery(url, `DROP SCHEMA ${name} CASCADE`) };
}

async function postgresStore(): Promise<TestStore> {
  const schema = await createTestSchema();
  const opened: CollectorStore[] = [];
  const open = async (): Promise<CollectorStore> => {
    const store = new PostgresStore(schema.url);
    await store.migrate();
    opened.push(store);
    return store;
  };
  const store = await open();
  return {
    store,
    reopen: open,
    dispose: async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      await schema.drop();
    },
  };
}

/**
 * The stores every storage test runs against. Without `WCF_TEST_DATABASE_URL` PostgreSQL is left
 * out with a note, except in CI (`CI` set), where its absence fails the run rather than passing
 * with half the tests.
 */
export function storeKinds(): StoreKind[] {
  const kinds: StoreKind[] = [{ name: 'sqlite', create: sqliteStore }];
  if (TEST_DATABASE_URL) {
    kinds.push({ name: 'postgres', create: postgresStore });
  } else if (process.env.CI) {
    throw new Error('CI: WCF_TEST_DATABASE_URL is not set; start PostgreSQL with scripts/test-postgres.sh');
  } else {
    process.stderr.write(
      'PostgreSQL storage tests skipped: set WCF_TEST_DATABASE_URL (scripts/test-postgres.sh starts one)\n',
    );
  }
  return kinds;
}
