import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { domainBucket } from '../domain-hash';
import { utcDay } from '../utc-day';
import { MemoryLedger, type LimitLedger } from '../limit-ledger';
import { MIGRATIONS } from './migrations';
import { journalEntries, mergeJournal, type JournalRow } from './journal';
import {
  BUCKET_SQL,
  claimDueSql,
  DECOY_SQL,
  DECOY_WRAP_SQL,
  DELETE_DOMAIN_SQL,
  existingSql,
  FORGET_SEEN_SQL,
  HEALTH_SQL,
  SEEN_SQL,
  TOUCH_SQL,
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

const toInteger = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

/** SQLite files larger than this are not rewritten by {@link SqliteStore.maintain} (VACUUM takes a while). */
const VACUUM_UP_TO_BYTES = 256 * 1024 * 1024;

/**
 * SQLite through better-sqlite3: one file, no set-up, the default. WAL lets the public pages read
 * while reports are written; `synchronous = FULL` makes every acknowledged report durable, even
 * across a power cut, not only a crash of the process.
 *
 * Privacy of the file: it is created 0600 in a 0700 folder (the WAL and shared-memory files take
 * the same mode); `secure_delete` zeroes freed content (a folded journal row too); after every
 * fold of the intake journal, and after every batch written directly, the WAL is checkpointed and
 * truncated, so no file keeps a transaction's frames (which would tie a batch's domains together)
 * for longer than a batch waits to be folded; `maintain()` rewrites the file in key order (VACUUM)
 * so no page keeps the order its rows were written in either.
 */
export class SqliteStore implements CollectorStore {
  readonly kind = 'sqlite';
  private readonly memory = new MemoryLedger();
  private readonly db: Database.Database;
  private readonly addBatchTransaction: Database.Transaction<(batch: ReportBatch) => void>;
  private readonly journalTransaction: Database.Transaction<(batch: ReportBatch) => void>;
  private readonly foldTransaction: Database.Transaction<(options: FoldOptions) => FoldResult>;

  constructor(readonly file: string) {
    try {
      if (file !== ':memory:') {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
        chmodSync(file, 0o600);
      }
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('secure_delete = ON');
      this.db.pragma('journal_size_limit = 0');
    } catch (error) {
      throw new StoreError(
        `Cannot open the SQLite database "${file}" (${(error as Error).message}); check that its folder is writable, or set WCF_COLLECTOR_DB`,
        { cause: error },
      );
    }
    this.migrateNow();
    // An existing domain is updated in place; only a new one needs its bucket (a SHA-256) and a
    // random check order, so those are computed only when the update finds no row. (The same as
    // INSERT … ON CONFLICT DO UPDATE, without hashing every domain of every fold.)
    const bump = this.db.prepare(`
      UPDATE domains SET
        reports = reports + ?,
        reporters = reporters + ?,
        report_days = report_days + (CASE WHEN last_report_day IS NULL OR last_report_day < ? THEN 1 ELSE 0 END),
        last_report_day = MAX(COALESCE(last_report_day, ''), ?)
      WHERE domain = ?`);
    const insert = this.db.prepare(`
      INSERT INTO domains (domain, reports, report_days, last_report_day, bucket, reporters, check_order)
      VALUES (?, ?, 1, ?, ?, ?, ?)`);
    const count = (domain: string, reports: number, newReporters: number, day: string): void => {
      if (bump.run(reports, newReporters, day, day, domain).changes > 0) return;
      insert.run(domain, reports, day, domainBucket(domain), newReporters, randomInt(2_147_483_647));
    };
    const decoys = this.db.prepare(DECOY_SQL).pluck();
    const wrap = this.db.prepare(DECOY_WRAP_SQL).pluck();
    const touch = this.db.prepare(TOUCH_SQL);
    const remember = this.db.prepare(
      'INSERT INTO seen_reports (key, day) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    const applyBatch = (batch: ReportBatch): void => {
      const touched = batch.decoys > 0 ? (decoys.all(randomStart(), batch.decoys) as string[]) : [];
      if (touched.length < batch.decoys)
        touched.push(...(wrap.all(batch.decoys - touched.length) as string[]));
      const reported = new Set(batch.entries.map((entry) => entry.domain));
      const writes: (() => void)[] = [
        ...batch.entries.map(
          (entry) => () => count(entry.domain, entry.reports, entry.newReporters, batch.day),
        ),
        ...[...new Set(touched)]
          .filter((domain) => !reported.has(domain))
          .map((domain) => () => touch.run(domain)),
        ...batch.keys.map((key) => () => remember.run(key, batch.day)),
      ];
      for (const write of shuffled(writes)) write();
    };
    this.addBatchTransaction = this.db.transaction(applyBatch);
    const append = this.db.prepare('INSERT INTO intake_journal (day, entries) VALUES (?, ?)');
    this.journalTransaction = this.db.transaction((batch: ReportBatch) => {
      append.run(batch.day, journalEntries(batch));
      for (const key of shuffled(batch.keys)) remember.run(key, batch.day);
    });
    const journalRows = this.db.prepare('SELECT id, day, entries FROM intake_journal ORDER BY id');
    const forget = this.db.prepare('DELETE FROM intake_journal WHERE id <= ?');
    const more = this.db.prepare('SELECT 1 FROM intake_journal LIMIT 1');
    this.foldTransaction = this.db.transaction((options: FoldOptions): FoldResult => {
      // The iterator is closed (by the loop's end or break) before the writes below.
      const merged = mergeJournal(journalRows.iterate() as Iterable<JournalRow>, options);
      if (merged.ids.length === 0) return { folded: 0, remaining: false };
      for (const batch of merged.batches) applyBatch(batch);
      // One writer: the rows merged are the journal's oldest, up to the last id taken.
      forget.run(merged.ids[merged.ids.length - 1]);
      return { folded: merged.ids.length, remaining: more.get() !== undefined };
    });
  }

  private migrateNow(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    );
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      this.db
        .transaction(() => {
          this.db.exec(migration.sqlite);
          if (migration.backfill) {
            const { column, value } = migration.backfill;
            const update = this.db.prepare(`UPDATE domains SET ${column} = ? WHERE domain = ?`);
            const rows = this.db.prepare(`SELECT domain FROM domains WHERE ${column} IS NULL`).all() as {
              domain: string;
            }[];
            for (const row of rows) update.run(value(row.domain), row.domain);
          }
          this.db
            .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
            .run(migration.version, utcDay(Date.now()));
        })
        .immediate();
    }
  }

  /** Migrations run when the store opens (its statements need the tables); this is for the interface. */
  async migrate(): Promise<void> {}

  async addReport(domains: readonly string[], day: string): Promise<void> {
    await this.addBatch(singleReportBatch(domains, day));
  }

  async addBatch(batch: ReportBatch): Promise<void> {
    this.addBatchTransaction.immediate(batch);
    this.truncateWal();
  }

  /** Empties the WAL into the main file and truncates it: no file keeps the frames of what was just written. */
  private truncateWal(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** No checkpoint here: the journal row's frames go with the fold's checkpoint, soon after. */
  async journal(batch: ReportBatch): Promise<void> {
    this.journalTransaction.immediate(batch);
  }

  async foldJournal(options: FoldOptions): Promise<FoldResult> {
    const result = this.foldTransaction.immediate(options);
    if (result.folded > 0) this.truncateWal();
    return result;
  }

  async existing(domains: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < domains.length; i += 500) {
      const chunk = domains.slice(i, i + 500);
      for (const domain of this.db
        .prepare(existingSql(chunk.length))
        .pluck()
        .all(...chunk) as string[]) {
        found.add(domain);
      }
    }
    return found;
  }

  async seen(key: string): Promise<boolean> {
    return this.db.prepare(SEEN_SQL).get(key) !== undefined;
  }

  async deleteDomain(domain: string): Promise<void> {
    this.db.prepare(DELETE_DOMAIN_SQL).run(domain);
  }

  async health(): Promise<void> {
    for (const sql of HEALTH_SQL) this.db.prepare(sql).all();
  }

  /** One SQLite file serves one process: its per-address counts live in memory. */
  ledger(): LimitLedger {
    return this.memory;
  }

  async maintain(oldestDay: string): Promise<void> {
    this.db.prepare(FORGET_SEEN_SQL).run(oldestDay);
    if (this.file !== ':memory:' && statSync(this.file).size <= VACUUM_UP_TO_BYTES) this.db.exec('VACUUM');
    this.truncateWal();
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<DueDomain[]> {
    const rows = this.db.prepare(claimDueSql()).all(now + leaseMs, now, now, limit) as DueRow[];
    return dueOrder(rows);
  }

  async saveCheck(domain: string, facts: DomainFacts, nextCheckAt: number, absentChecks = 0): Promise<void> {
    this.db.prepare(SAVE_CHECK_SQL).run(...factValues(facts, toInteger), absentChecks, nextCheckAt, domain);
  }

  async saveFacts(domain: string, facts: DomainFacts): Promise<void> {
    this.db.prepare(SAVE_FACTS_SQL).run(...factValues(facts, toInteger), domain);
  }

  async stats(threshold: number): Promise<StatsCounts> {
    return statsOf(this.db.prepare(statsSql()).get(threshold) as StatsRow);
  }

  async directory(query: DirectoryQuery): Promise<DirectoryEntry[]> {
    const rows = this.db
      .prepare(directorySql(query.capability))
      .all(query.threshold, query.after ?? '', query.limit) as DomainRow[];
    return rows.map(entryOf);
  }

  async bucket(prefix: string, threshold: number): Promise<DirectoryEntry[]> {
    return (this.db.prepare(BUCKET_SQL).all(prefix, threshold) as DomainRow[]).map(entryOf);
  }

  async describe(domain: string): Promise<StoredDomain | undefined> {
    const row = this.db.prepare(DESCRIBE_SQL).get(domain) as DomainRow | undefined;
    return row && storedDomainOf(row);
  }

  async pendingCount(): Promise<number> {
    const row = this.db.prepare(PENDING_SQL).get() as {
      n: number;
    };
    return row.n;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
