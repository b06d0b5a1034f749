import { Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { randomInt } from 'node:crypto';
import { domainBucket } from '../domain-hash';
import { utcDay } from '../utc-day';
import type { LimitLedger } from '../limit-ledger';
import { PostgresLedger } from './postgres-ledger';
import { MIGRATIONS } from './migrations';
import { journalEntries, mergeJournal, type JournalRow } from './journal';
import {
  BUCKET_SQL,
  claimDueSql,
  DECOY_SQL,
  DECOY_WRAP_SQL,
  DELETE_DOMAIN_SQL,
  FORGET_SEEN_SQL,
  HEALTH_SQL,
  SEEN_SQL,
  randomStart,
  shuffled,
  singleReportBatch,
  DESCRIBE_SQL,
  directorySql,
  dueOrder,
  entryOf,
  factValues,
  PENDING_SQL,
  SAVE_CHECK_SQL,
  SAVE_FACTS_SQL,
  statsOf,
  statsSql,
  storedDomainOf,
  numberedPlaceholders,
  type DomainRow,
  type DueRow,
  type StatsRow,
} from './rows';
import {
  StoreError,
  type CollectorStore,
  type DirectoryEntry,
  type DirectoryQuery,
  type DomainFacts,
  type DueDomain,
  type FoldOptions,
  type FoldResult,
  type ReportBatch,
  type StatsCounts,
  type StoredDomain,
} from './store';

/** Any number, so that every instance migrating at once waits for the first: "wcf" in ASCII. */
const MIGRATION_LOCK = 0x776366;
/** PostgreSQL's deadlock_detected and serialization_failure: safe to run the statement again. */
const RETRYABLE = new Set(['40P01', '40001']);
/** Journal rows one fold locks at most (it counts those that fit its domain budget, the rest are left). */
const FOLD_MAX_ROWS = 256;

/**
 * PostgreSQL through node-postgres, for a collector that outgrows one machine: several instances
 * behind a load balancer share one database. Reports are one statement each (atomic without an
 * explicit transaction), domains sorted so concurrent reports lock rows in the same order; check
 * leases use `SKIP LOCKED` so instances never check the same domain at once.
 */
export class PostgresStore implements CollectorStore {
  readonly kind = 'postgres';
  private readonly pool: Pool;
  private shared: PostgresLedger | undefined;

  constructor(connectionString: string, options: { max?: number; connectTimeoutMs?: number } = {}) {
    // A server that accepts the connection and never answers (down, firewalled, overloaded) fails
    // the query that waits for it after this long, with a message, instead of hanging it for ever.
    this.pool = new Pool({
      connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    });
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
          utcDay(Date.now()),
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
    await this.addBatch(singleReportBatch(domains, day));
  }

  /** Runs `work` in a transaction, again (up to five times) when PostgreSQL reports a deadlock or a serialization failure. */
  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: string }).code;
        if (attempt >= 5 || code === undefined || !RETRYABLE.has(code)) throw error;
      } finally {
        client.release();
      }
    }
  }

  /**
   * One transaction per batch: the reports' domains and the decoys in one statement, in name
   * order (so neither the rows' `xmin` nor their `ctid` order tells them apart), then the report
   * keys.
   */
  async addBatch(batch: ReportBatch): Promise<void> {
    await this.transaction((client) => this.applyBatch(client, batch));
  }

  private async applyBatch(client: PoolClient, batch: ReportBatch): Promise<void> {
    const decoys =
      batch.decoys > 0
        ? (
            await client.query<{ domain: string }>(numberedPlaceholders(DECOY_SQL), [
              randomStart(),
              batch.decoys,
            ])
          ).rows.map((row) => row.domain)
        : [];
    if (decoys.length < batch.decoys) {
      const { rows: wrapped } = await client.query<{ domain: string }>(numberedPlaceholders(DECOY_WRAP_SQL), [
        batch.decoys - decoys.length,
      ]);
      decoys.push(...wrapped.map((row) => row.domain));
    }
    // Reporters another instance counted today already are not counted again: only the marks
    // this batch writes first count (in sorted order, so concurrent batches do not deadlock).
    const marks = [...new Set(batch.entries.flatMap((entry) => entry.reporterMarks ?? []))].sort();
    let firstMarks: Set<string> | undefined;
    if (marks.length > 0) {
      const { rows: written } = await client.query<{ mark: string }>(
        'INSERT INTO reporter_marks (day, mark) SELECT $1, m FROM unnest($2::text[]) AS m ON CONFLICT DO NOTHING RETURNING mark',
        [batch.day, marks],
      );
      firstMarks = new Set(written.map((row) => row.mark));
    }
    const entries = batch.entries.map((entry) =>
      firstMarks && entry.reporterMarks
        ? { ...entry, newReporters: entry.reporterMarks.filter((mark) => firstMarks.has(mark)).length }
        : entry,
    );
    const reported = new Map(entries.map((entry) => [entry.domain, entry]));
    // In name order, reported rows and decoys together: name order says nothing about which
    // came in a report, and concurrent batches lock rows in the same order (no deadlocks).
    const rows = [
      ...entries,
      ...[...new Set(decoys)]
        .filter((domain) => !reported.has(domain))
        .map((domain) => ({ domain, reports: 0, newReporters: 0 })),
    ].sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
    await client.query(
      `INSERT INTO domains (domain, reports, report_days, last_report_day, bucket, reporters, check_order)
       SELECT d, r, 1, $4, b, n, o
         FROM unnest($1::text[], $2::int[], $3::int[], $5::text[], $6::int[]) WITH ORDINALITY AS input(d, r, n, b, o, i)
         ORDER BY i
       ON CONFLICT (domain) DO UPDATE SET
         reports = domains.reports + EXCLUDED.reports,
         reporters = domains.reporters + EXCLUDED.reporters,
         report_days = domains.report_days + (CASE WHEN EXCLUDED.reports > 0 AND (domains.last_report_day IS NULL
           OR domains.last_report_day < EXCLUDED.last_report_day) THEN 1 ELSE 0 END),
         last_report_day = CASE WHEN EXCLUDED.reports > 0
           THEN GREATEST(domains.last_report_day, EXCLUDED.last_report_day) ELSE domains.last_report_day END`,
      [
        rows.map((row) => row.domain),
        rows.map((row) => row.reports),
        rows.map((row) => row.newReporters),
        batch.day,
        rows.map((row) => domainBucket(row.domain)),
        rows.map(() => randomInt(2_147_483_647)),
      ],
    );
    if (batch.keys.length > 0) {
      await client.query(
        'INSERT INTO seen_reports (key, day) SELECT k, $2 FROM unnest($1::text[]) AS k ON CONFLICT DO NOTHING',
        [shuffled(batch.keys), batch.day],
      );
    }
  }

  /** One statement: the journal row and the report keys, atomically. */
  async journal(batch: ReportBatch): Promise<void> {
    await this.pool.query({
      // Named: each connection parses and plans it once, not once a batch.
      name: 'wcf-journal',
      text: `WITH journaled AS (INSERT INTO intake_journal (day, entries) VALUES ($1, $2))
       INSERT INTO seen_reports (key, day) SELECT k, $1 FROM unnest($3::text[]) AS k ON CONFLICT DO NOTHING`,
      values: [batch.day, journalEntries(batch), shuffled(batch.keys)],
    });
  }

  /**
   * Takes the oldest journal rows no other instance is folding (`SKIP LOCKED`), counts them and
   * deletes them, in one transaction: a batch is counted once however many instances fold.
   */
  async foldJournal(options: FoldOptions): Promise<FoldResult> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<JournalRow>(
        'SELECT id, day, entries FROM intake_journal ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
        [FOLD_MAX_ROWS],
      );
      const merged = mergeJournal(rows, options);
      if (merged.ids.length === 0) return { folded: 0, remaining: false };
      for (const batch of merged.batches) await this.applyBatch(client, batch);
      await client.query('DELETE FROM intake_journal WHERE id = ANY($1::bigint[])', [merged.ids]);
      return {
        folded: merged.ids.length,
        remaining: rows.length > merged.ids.length || rows.length === FOLD_MAX_ROWS,
      };
    });
  }

  async existing(domains: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ domain: string }>(
      'SELECT domain FROM domains WHERE domain = ANY($1::text[])',
      [domains],
    );
    return new Set(rows.map((row) => row.domain));
  }

  async seen(key: string): Promise<boolean> {
    return (await this.query(SEEN_SQL, [key])).rows.length > 0;
  }

  async deleteDomain(domain: string): Promise<void> {
    await this.query(DELETE_DOMAIN_SQL, [domain]);
  }

  async health(): Promise<void> {
    for (const sql of HEALTH_SQL) await this.pool.query(sql);
  }

  async maintain(oldestDay: string): Promise<void> {
    await this.query(FORGET_SEEN_SQL, [oldestDay]);
    await this.pool.query('DELETE FROM intake_daily WHERE day < $1', [oldestDay]);
    await this.pool.query('DELETE FROM reporter_marks WHERE day < $1', [oldestDay]);
    // Windows are a minute long: an hour-old one is long over.
    await this.pool.query('DELETE FROM rate_windows WHERE started_at < $1', [Date.now() - 3_600_000]);
  }

  /** Per-address counts in this database, shared by every instance on it. */
  ledger(): LimitLedger {
    this.shared ??= new PostgresLedger(this.pool);
    return this.shared;
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<DueDomain[]> {
    const { rows } = await this.query<DueRow>(claimDueSql('FOR UPDATE SKIP LOCKED'), [
      now + leaseMs,
      now,
      now,
      limit,
    ]);
    return dueOrder(rows);
  }

  async saveCheck(domain: string, facts: DomainFacts, nextCheckAt: number, absentChecks = 0): Promise<void> {
    await this.query(SAVE_CHECK_SQL, [
      ...factValues(facts, (value) => value),
      absentChecks,
      nextCheckAt,
      domain,
    ]);
  }

  async saveFacts(domain: string, facts: DomainFacts): Promise<void> {
    await this.query(SAVE_FACTS_SQL, [...factValues(facts, (value) => value), domain]);
  }

  async stats(threshold: number): Promise<StatsCounts> {
    const { rows } = await this.query<StatsRow>(statsSql(), [threshold]);
    return statsOf(rows[0] as StatsRow);
  }

  async directory(query: DirectoryQuery): Promise<DirectoryEntry[]> {
    const { rows } = await this.query<DomainRow>(directorySql(query.capability), [
      query.threshold,
      query.after ?? '',
      query.limit,
    ]);
    return rows.map(entryOf);
  }

  async bucket(prefix: string, threshold: number): Promise<DirectoryEntry[]> {
    const { rows } = await this.query<DomainRow>(BUCKET_SQL, [prefix, threshold]);
    return rows.map(entryOf);
  }

  async describe(domain: string): Promise<StoredDomain | undefined> {
    const { rows } = await this.query<DomainRow>(DESCRIBE_SQL, [domain]);
    return rows[0] && storedDomainOf(rows[0]);
  }

  /** Runs one of the shared queries, numbering its `?` placeholders as PostgreSQL wants. */
  private query<Row extends QueryResultRow>(sql: string, values: unknown[]): Promise<QueryResult<Row>> {
    return this.pool.query<Row>(numberedPlaceholders(sql), values);
  }

  async pendingCount(): Promise<number> {
    const { rows } = await this.query<{ n: string }>(PENDING_SQL, []);
    return Number(rows[0]?.n ?? 0);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
