import { domainBucket } from '../domain-hash';

/**
 * The schema, as numbered migrations in both dialects. It is one logical schema: the same columns,
 * constraints and meaning; only the types differ (SQLite has no booleans, PostgreSQL's BIGINT holds
 * the millisecond times). A table holds per-domain counts and the collector's own findings, nothing
 * else: no report, no sender, no arrival time finer than the UTC day.
 */
export interface Migration {
  version: number;
  description: string;
  sqlite: string;
  postgres: string;
  /** Fills a new column for existing rows (same for both stores): domain → the column's value. */
  backfill?: { column: string; value: (domain: string) => string };
}

/** Migration 3's columns and indexes, the same text in both dialects (the planners use them alike). */
const MIGRATION_3_COLUMNS = `
      ALTER TABLE domains ADD COLUMN reporters INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE domains ADD COLUMN absent_checks INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE domains ADD COLUMN check_order INTEGER NOT NULL DEFAULT 0;`;
const MIGRATION_3_INDEXES = `
      DROP INDEX domains_due;
      CREATE INDEX domains_due ON domains (next_check_at, check_order);
      CREATE INDEX domains_status ON domains (status);
      CREATE INDEX domains_present ON domains (domain) WHERE status = 'present';
      CREATE INDEX domains_present_lync ON domains (domain) WHERE status = 'present' AND lync_federation = TRUE;
      CREATE INDEX domains_present_xmpp ON domains (domain) WHERE status = 'present' AND xmpp_federation = TRUE;
      CREATE INDEX domains_present_xmpp_client ON domains (domain) WHERE status = 'present' AND xmpp_client_access = TRUE;`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'domains: report counts and verified facts',
    // WITHOUT ROWID: rows are kept in domain order, so the file does not keep the order in which
    // domains first arrived (which would tie together the domains of one report).
    sqlite: `
      CREATE TABLE domains (
        domain TEXT PRIMARY KEY NOT NULL,
        reports INTEGER NOT NULL DEFAULT 0,
        report_days INTEGER NOT NULL DEFAULT 0,
        last_report_day TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'present', 'absent')),
        lync_federation INTEGER,
        lync_public_facing INTEGER,
        xmpp_federation INTEGER,
        xmpp_client_access INTEGER,
        microsoft365_tenant INTEGER,
        hosting TEXT CHECK (hosting IN ('microsoft-365', 'on-premises')),
        records TEXT NOT NULL DEFAULT '[]',
        checked_at INTEGER,
        next_check_at INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE INDEX domains_due ON domains (next_check_at, domain);
    `,
    // COLLATE "C": byte order, as SQLite and JavaScript compare, so the directory's keyset cursor
    // pages the same way on both.
    postgres: `
      CREATE TABLE domains (
        domain TEXT COLLATE "C" PRIMARY KEY NOT NULL,
        reports INTEGER NOT NULL DEFAULT 0,
        report_days INTEGER NOT NULL DEFAULT 0,
        last_report_day TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'present', 'absent')),
        lync_federation BOOLEAN,
        lync_public_facing BOOLEAN,
        xmpp_federation BOOLEAN,
        xmpp_client_access BOOLEAN,
        microsoft365_tenant BOOLEAN,
        hosting TEXT CHECK (hosting IN ('microsoft-365', 'on-premises')),
        records TEXT NOT NULL DEFAULT '[]',
        checked_at BIGINT,
        next_check_at BIGINT NOT NULL DEFAULT 0,
        lease_until BIGINT NOT NULL DEFAULT 0
      );
      CREATE INDEX domains_due ON domains (next_check_at, domain);
    `,
  },
  {
    version: 2,
    description: 'live checks of the edges, and the hash bucket for private look-ups',
    sqlite: `
      ALTER TABLE domains ADD COLUMN lync_live INTEGER;
      ALTER TABLE domains ADD COLUMN xmpp_live INTEGER;
      ALTER TABLE domains ADD COLUMN verified INTEGER;
      ALTER TABLE domains ADD COLUMN bucket TEXT;
      CREATE INDEX domains_bucket ON domains (bucket);
    `,
    postgres: `
      ALTER TABLE domains ADD COLUMN lync_live BOOLEAN;
      ALTER TABLE domains ADD COLUMN xmpp_live BOOLEAN;
      ALTER TABLE domains ADD COLUMN verified BOOLEAN;
      ALTER TABLE domains ADD COLUMN bucket TEXT;
      CREATE INDEX domains_bucket ON domains (bucket);
    `,
    backfill: { column: 'bucket', value: domainBucket },
  },
  {
    version: 3,
    description:
      'K counts distinct reporters; absent domains expire; checks in random order; indexes for every query; report keys for de-duplication',
    // check_order: a random number drawn per domain, so domains due at the same time are checked in
    // random order (not by name, and not in arrival order, which would tie a report's domains together).
    // seen_reports: keyed hashes of clients' idempotency keys, for two days; nothing else.
    sqlite: `
      ${MIGRATION_3_COLUMNS}
      UPDATE domains SET reporters = report_days, check_order = abs(random() % 2147483647);
      ${MIGRATION_3_INDEXES}
      CREATE TABLE seen_reports (key TEXT PRIMARY KEY NOT NULL, day TEXT NOT NULL) WITHOUT ROWID;
    `,
    postgres: `
      ${MIGRATION_3_COLUMNS}
      UPDATE domains SET reporters = report_days, check_order = floor(random() * 2147483647)::integer;
      ${MIGRATION_3_INDEXES}
      CREATE TABLE seen_reports (key TEXT COLLATE "C" PRIMARY KEY NOT NULL, day TEXT NOT NULL);
    `,
  },
  {
    version: 4,
    description: "Microsoft 365 tenants' cloud, and whether only Entra ID discovery found them",
    sqlite: `
      ALTER TABLE domains ADD COLUMN microsoft365_cloud TEXT;
      ALTER TABLE domains ADD COLUMN microsoft365_source TEXT;
    `,
    postgres: `
      ALTER TABLE domains ADD COLUMN microsoft365_cloud TEXT;
      ALTER TABLE domains ADD COLUMN microsoft365_source TEXT;
    `,
  },
  {
    version: 5,
    description: 'per-address limits and K counted across instances sharing one PostgreSQL database',
    // Only PostgreSQL: one SQLite file serves one process, which keeps these counts in memory.
    sqlite: `SELECT 1;`,
    // UNLOGGED: counts of the day, not facts; a crash empties them, as a restart empties memory.
    // Keys are keyed hashes (address-key.ts); a reporter mark hashes a reporter's key with a domain,
    // so the rows cannot be grouped by reporter. Rows older than two days are deleted (maintain()).
    postgres: `
      CREATE UNLOGGED TABLE rate_windows (
        key TEXT COLLATE "C" PRIMARY KEY NOT NULL,
        started_at BIGINT NOT NULL,
        hits INTEGER NOT NULL
      );
      CREATE UNLOGGED TABLE intake_daily (
        day TEXT NOT NULL,
        reporter TEXT COLLATE "C" NOT NULL,
        used INTEGER NOT NULL,
        PRIMARY KEY (day, reporter)
      );
      CREATE UNLOGGED TABLE reporter_marks (
        day TEXT NOT NULL,
        mark TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (day, mark)
      );
    `,
  },
  {
    version: 6,
    description:
      'the intake journal: batches of reports made durable at once, counted in the domains soon after',
    // A row holds one batch's domains with their counts, shuffled (journal.ts); it lives until the next
    // fold, a fraction of a second under load. On SQLite secure_delete zeroes it and the WAL is
    // truncated after the fold.
    sqlite: `
      CREATE TABLE intake_journal (id INTEGER PRIMARY KEY, day TEXT NOT NULL, entries TEXT NOT NULL);
    `,
    postgres: `
      CREATE TABLE intake_journal (id BIGSERIAL PRIMARY KEY, day TEXT NOT NULL, entries TEXT NOT NULL);
    `,
  },
];
