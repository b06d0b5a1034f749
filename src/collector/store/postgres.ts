import { Pool, type PoolClient } from 'pg';
import { domainBucket } from '../domain-hash';
import { MIGRATIONS } from './migrations';
import {
  CAPABILITY_COLUMN,
  FACT_COLUMNS,
  FACT_UPDATE_COLUMNS,
  factValues,
  factsOf,
  statsOf,
  statsSql,
  storedDomainOf,
  type DomainRow,
  type StatsRow,
} from './rows';
import {
  StoreError,
  type CollectorStore,
  type DirectoryEntry,
  type DirectoryQuery,
  type DomainFacts,
  type DueDomain,
  type StatsCounts,
  type StoredDomain,
} from './store';

/** Any number, so that every instance migrating at once waits for the first: "wcf" in ASCII. */
const MIGRATION_LOCK = 0x776366;
/** PostgreSQL's deadlock_detected and serialization_failure: safe to run the statement again. */
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * PostgreSQL through node-postgres, for a collector that outgrows one machine: several instances
 * behind a load balancer share one database. Reports are one statement each (atomic without an
 * explicit transaction), domains sorted so concurrent reports lock rows in the same order; check
 * leases use `SKIP LOCKED` so instances never check the same domain at once.
 */
export class PostgresStore implements CollectorStore {
  readonly kind = 'postgres';
  private readonly pool: Pool;

  constructor(connectionString: string, options: { max?: number } = {}) {
    this.pool = new Pool({ connectionString, max: options.max ?? 10 });
    // An idle connection that the server drops must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new StoreError(
        `Cannot connect to PostgreSQL (${(error as Error).message}); check DATABASE_URL and that the server is running`,
        { cause: error },
      );
    }
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
      );
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((row) => row.version));
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.postgres);
        if (migration.backfill) {
          const { column, value } = migration.backfill;
          const { rows: missing } = await client.query<{ domain: string }>(
            `SELECT domain FROM domains WHERE ${column} IS NULL`,
          );
          for (const row of missing) {
            await client.query(`UPDATE domains SET ${column} = $1 WHERE domain = $2`, [
              value(row.domain),
              row.domain,
            ]);
          }
        }
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
          migration.version,
          new Date().toISOString().slice(0, 10),
        ]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new StoreError(`Cannot migrate the PostgreSQL schema: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      client.release();
    }
  }

  async addReport(domains: readonly string[], day: string): Promise<void> {
    const sql = `
      INSERT INTO domains (domain, reports, report_days, last_report_day, bucket)
      SELECT d, 1, 1, $2, b FROM unnest($1::text[], $3::text[]) WITH ORDINALITY AS input(d, b, n) ORDER BY n
      ON CONFLICT (domain) DO UPDATE SET
        reports = domains.reports + 1,
        report_days = domains.report_days + (CASE WHEN domains.last_report_day IS NULL
          OR domains.last_report_day < EXCLUDED.last_report_day THEN 1 ELSE 0 END),
        last_report_day = GREATEST(domains.last_report_day, EXCLUDED.last_report_day)`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.pool.query(sql, [domains, day, domains.map(domainBucket)]);
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 5 || code === undefined || !RETRYABLE.has(code)) throw error;
      }
    }
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<DueDomain[]> {
    const { rows } = await this.pool.query<DomainRow>(
      `UPDATE domains SET lease_until = $1 WHERE domain IN (
         SELECT domain FROM domains WHERE next_check_at <= $2 AND lease_until <= $2
         ORDER BY next_check_at, domain LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING ${FACT_COLUMNS}`,
      [now + leaseMs, now, limit],
    );
    rows.sort((a, b) => Number(a.next_check_at) - Number(b.next_check_at) || (a.domain < b.domain ? -1 : 1));
    return rows.map((row) => ({ domain: row.domain, facts: factsOf(row) }));
  }

  async saveCheck(domain: string, facts: DomainFacts, nextCheckAt: number): Promise<void> {
    const assignments = FACT_UPDATE_COLUMNS.map((column, i) => `${column} = $${i + 1}`).join(', ');
    const n = FACT_UPDATE_COLUMNS.length;
    await this.pool.query(
      `UPDATE domains SET ${assignments}, next_check_at = $${n + 1}, lease_until = 0 WHERE domain = $${n + 2}`,
      [...factValues(facts, (value) => value), nextCheckAt, domain],
    );
  }

  async stats(threshold: number): Promise<StatsCounts> {
    const { rows } = await this.pool.query<StatsRow>(statsSql('$1'), [threshold]);
    return statsOf(rows[0] as StatsRow);
  }

  async directory(query: DirectoryQuery): Promise<DirectoryEntry[]> {
    const filter = query.capability ? `AND ${CAPABILITY_COLUMN[query.capability]} = TRUE` : '';
    const { rows } = await this.pool.query<DomainRow>(
      `SELECT ${FACT_COLUMNS} FROM domains
       WHERE status = 'present' AND report_days >= $1 AND domain > $2 ${filter}
       ORDER BY domain LIMIT $3`,
      [query.threshold, query.after ?? '', query.limit],
    );
    return rows.map((row) => ({ domain: row.domain, facts: factsOf(row) }));
  }

  async bucket(prefix: string, threshold: number): Promise<DirectoryEntry[]> {
    const { rows } = await this.pool.query<DomainRow>(
      `SELECT ${FACT_COLUMNS} FROM domains WHERE bucket = $1 AND status = 'present' AND report_days >= $2 ORDER BY domain`,
      [prefix, threshold],
    );
    return rows.map((row) => ({ domain: row.domain, facts: factsOf(row) }));
  }

  async describe(domain: string): Promise<StoredDomain | undefined> {
    const { rows } = await this.pool.query<DomainRow>(
      `SELECT ${FACT_COLUMNS} FROM domains WHERE domain = $1`,
      [domain],
    );
    return rows[0] && storedDomainOf(rows[0]);
  }

  async pendingCount(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      "SELECT COUNT(*) AS n FROM domains WHERE status = 'pending'",
    );
    return Number(rows[0]?.n ?? 0);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
