import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { domainBucket } from '../domain-hash';
import { MIGRATIONS } from './migrations';
import {
  BUCKET_SQL,
  claimDueSql,
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

const toInteger = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

/**
 * SQLite through better-sqlite3: one file, no set-up, the default. WAL lets the public pages read
 * while reports are written; `synchronous = FULL` makes every acknowledged report durable, even
 * across a power cut, not only a crash of the process.
 */
export class SqliteStore implements CollectorStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly addReportTransaction: Database.Transaction<
    (domains: readonly string[], day: string) => void
  >;

  constructor(readonly file: string) {
    try {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
    } catch (error) {
      throw new StoreError(
        `Cannot open the SQLite database "${file}" (${(error as Error).message}); check that its folder is writable, or set WCF_COLLECTOR_DB`,
        { cause: error },
      );
    }
    this.migrateNow();
    this.upsert = this.db.prepare(`
      INSERT INTO domains (domain, reports, report_days, last_report_day, bucket) VALUES (?, 1, 1, ?, ?)
      ON CONFLICT (domain) DO UPDATE SET
        reports = reports + 1,
        report_days = report_days + (CASE WHEN last_report_day IS NULL OR last_report_day < excluded.last_report_day THEN 1 ELSE 0 END),
        last_report_day = MAX(COALESCE(last_report_day, ''), excluded.last_report_day)`);
    this.addReportTransaction = this.db.transaction((domains: readonly string[], day: string) => {
      for (const domain of domains) this.upsert.run(domain, day, domainBucket(domain));
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
            .run(migration.version, new Date().toISOString().slice(0, 10));
        })
        .immediate();
    }
  }

  /** Migrations run when the store opens (its statements need the tables); this is for the interface. */
  async migrate(): Promise<void> {}

  async addReport(domains: readonly string[], day: string): Promise<void> {
    this.addReportTransaction.immediate(domains, day);
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<DueDomain[]> {
    const rows = this.db.prepare(claimDueSql()).all(now + leaseMs, now, now, limit) as DomainRow[];
    return dueOrder(rows).map(entryOf);
  }

  async saveCheck(domain: string, facts: DomainFacts, nextCheckAt: number): Promise<void> {
    this.db.prepare(SAVE_CHECK_SQL).run(...factValues(facts, toInteger), nextCheckAt, domain);
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
