import { PROBE_IDS, type ProbeId } from '../../core/probes';
import type { LyncHosting, TriState } from '../../core/verdict';
import type { DirectoryCapability, DomainFacts, DomainStatus, StatsCounts, StoredDomain } from './store';

/** The columns every query that returns facts selects, in both dialects. */
export const FACT_COLUMNS =
  'domain, reports, report_days, status, lync_federation, lync_public_facing, xmpp_federation, ' +
  'xmpp_client_access, microsoft365_tenant, hosting, records, checked_at, next_check_at, lync_live, xmpp_live, verified';

/** A row as either driver returns it: SQLite gives 0/1 and numbers, PostgreSQL booleans and BIGINT strings. */
export interface DomainRow {
  domain: string;
  reports: number | string;
  report_days: number | string;
  status: string;
  lync_federation: number | boolean | null;
  lync_public_facing: number | boolean | null;
  xmpp_federation: number | boolean | null;
  xmpp_client_access: number | boolean | null;
  microsoft365_tenant: number | boolean | null;
  hosting: string | null;
  records: string;
  checked_at: number | string | null;
  next_check_at: number | string;
  lync_live: number | boolean | null;
  xmpp_live: number | boolean | null;
  verified: number | boolean | null;
}

function triState(value: number | boolean | null): TriState {
  return value === null ? null : Boolean(value);
}

function recordsOf(text: string): ProbeId[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? PROBE_IDS.filter((id) => parsed.includes(id)) : [];
}

export function factsOf(row: DomainRow): DomainFacts {
  return {
    status: row.status as DomainStatus,
    lyncFederation: triState(row.lync_federation),
    lyncPublicFacing: triState(row.lync_public_facing),
    xmppFederation: triState(row.xmpp_federation),
    xmppClientAccess: triState(row.xmpp_client_access),
    microsoft365Tenant: triState(row.microsoft365_tenant),
    hosting: row.hosting as LyncHosting,
    records: recordsOf(row.records),
    checkedAt: row.checked_at === null ? null : Number(row.checked_at),
    lyncLive: triState(row.lync_live),
    xmppLive: triState(row.xmpp_live),
    verified: triState(row.verified),
  };
}

export function storedDomainOf(row: DomainRow): StoredDomain {
  return {
    domain: row.domain,
    reports: Number(row.reports),
    reportDays: Number(row.report_days),
    facts: factsOf(row),
    nextCheckAt: Number(row.next_check_at),
  };
}

/** A row as the entry the directory, the look-up and the verifier's leases hand out. */
export function entryOf(row: DomainRow): { domain: string; facts: DomainFacts } {
  return { domain: row.domain, facts: factsOf(row) };
}

/** Leased rows in the order the verifier checks them (RETURNING keeps no order): due first, then by name. */
export function dueOrder(rows: DomainRow[]): DomainRow[] {
  return rows.sort(
    (a, b) => Number(a.next_check_at) - Number(b.next_check_at) || (a.domain < b.domain ? -1 : 1),
  );
}

/*
 * The queries both stores run, written once with `?` placeholders (SQLite's; the PostgreSQL store
 * numbers them with `numberedPlaceholders`). Booleans compare with `= TRUE`, which both dialects read.
 */

/** A domain counts and is listed once verified present and reported on at least K different days. */
const PUBLISHED = "status = 'present' AND report_days >= ?";

/** The directory filter's column. */
const CAPABILITY_COLUMN = {
  lync: 'lync_federation',
  xmpp: 'xmpp_federation',
  'xmpp-client': 'xmpp_client_access',
} as const;

/** Parameters: threshold, after (domain), limit. */
export function directorySql(capability: DirectoryCapability | undefined): string {
  const filter = capability ? `AND ${CAPABILITY_COLUMN[capability]} = TRUE` : '';
  return `SELECT ${FACT_COLUMNS} FROM domains WHERE ${PUBLISHED} AND domain > ? ${filter} ORDER BY domain LIMIT ?`;
}

/** Parameters: prefix, threshold. */
export const BUCKET_SQL = `SELECT ${FACT_COLUMNS} FROM domains WHERE bucket = ? AND ${PUBLISHED} ORDER BY domain`;

/** Parameters: domain. */
export const DESCRIBE_SQL = `SELECT ${FACT_COLUMNS} FROM domains WHERE domain = ?`;

export const PENDING_SQL = "SELECT COUNT(*) AS n FROM domains WHERE status = 'pending'";

/**
 * Leases due domains. Parameters: lease end, now, now, limit. `lock` is PostgreSQL's
 * `FOR UPDATE SKIP LOCKED` (SQLite writes one at a time and needs none).
 */
export function claimDueSql(lock = ''): string {
  return `UPDATE domains SET lease_until = ? WHERE domain IN (
      SELECT domain FROM domains WHERE next_check_at <= ? AND lease_until <= ?
      ORDER BY next_check_at, domain LIMIT ? ${lock})
    RETURNING ${FACT_COLUMNS}`;
}

/** `?` → `$1`, `$2`, … in order, for node-postgres. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${(n += 1)}`);
}

/** The stats query. Parameters: threshold. */
export function statsSql(): string {
  const yes = (column: string): string => `SUM(CASE WHEN ${column} = TRUE THEN 1 ELSE 0 END)`;
  return `
    SELECT COUNT(*) AS domains,
      ${yes('lync_federation')} AS lync_federation,
      ${yes('xmpp_federation')} AS xmpp_federation,
      SUM(CASE WHEN lync_federation = TRUE AND xmpp_federation = TRUE THEN 1 ELSE 0 END) AS lync_and_xmpp,
      ${yes('xmpp_client_access')} AS xmpp_client_access,
      SUM(CASE WHEN lync_federation = TRUE AND hosting = 'microsoft-365' THEN 1 ELSE 0 END) AS microsoft365,
      SUM(CASE WHEN lync_federation = TRUE AND hosting = 'on-premises' THEN 1 ELSE 0 END) AS on_premises,
      SUM(CASE WHEN lync_federation = TRUE AND lync_live = TRUE THEN 1 ELSE 0 END) AS lync_edge_answering,
      SUM(CASE WHEN xmpp_federation = TRUE AND xmpp_live = TRUE THEN 1 ELSE 0 END) AS xmpp_edge_answering,
      ${yes('verified')} AS verified,
      MAX(checked_at) AS as_of
    FROM domains WHERE ${PUBLISHED}`;
}

export interface StatsRow {
  domains: number | string;
  lync_federation: number | string | null;
  xmpp_federation: number | string | null;
  lync_and_xmpp: number | string | null;
  xmpp_client_access: number | string | null;
  microsoft365: number | string | null;
  on_premises: number | string | null;
  lync_edge_answering: number | string | null;
  xmpp_edge_answering: number | string | null;
  verified: number | string | null;
  as_of: number | string | null;
}

export function statsOf(row: StatsRow): StatsCounts {
  const n = (value: number | string | null): number => (value === null ? 0 : Number(value));
  return {
    domains: n(row.domains),
    lyncFederation: n(row.lync_federation),
    xmppFederation: n(row.xmpp_federation),
    lyncAndXmpp: n(row.lync_and_xmpp),
    xmppClientAccess: n(row.xmpp_client_access),
    microsoft365: n(row.microsoft365),
    onPremises: n(row.on_premises),
    lyncEdgeAnswering: n(row.lync_edge_answering),
    xmppEdgeAnswering: n(row.xmpp_edge_answering),
    verified: n(row.verified),
    asOf: row.as_of === null ? null : Number(row.as_of),
  };
}

/** Facts as the values of the UPDATE both stores run, in {@link FACT_UPDATE_COLUMNS} order. */
const FACT_UPDATE_COLUMNS = [
  'status',
  'lync_federation',
  'lync_public_facing',
  'xmpp_federation',
  'xmpp_client_access',
  'microsoft365_tenant',
  'hosting',
  'records',
  'checked_at',
  'lync_live',
  'xmpp_live',
  'verified',
] as const;

export function factValues(facts: DomainFacts, bool: (value: TriState) => unknown): unknown[] {
  return [
    facts.status,
    bool(facts.lyncFederation),
    bool(facts.lyncPublicFacing),
    bool(facts.xmppFederation),
    bool(facts.xmppClientAccess),
    bool(facts.microsoft365Tenant),
    facts.hosting,
    JSON.stringify(facts.records),
    facts.checkedAt,
    bool(facts.lyncLive),
    bool(facts.xmppLive),
    bool(facts.verified),
  ];
}

/** Stores a check. Parameters: {@link factValues}, next check time, domain. */
export const SAVE_CHECK_SQL = `UPDATE domains SET ${FACT_UPDATE_COLUMNS.map((column) => `${column} = ?`).join(', ')}, next_check_at = ?, lease_until = 0 WHERE domain = ?`;

/** Stores facts without touching the schedule or the lease: the live checks' results. Parameters: {@link factValues}, domain. */
export const SAVE_FACTS_SQL = `UPDATE domains SET ${FACT_UPDATE_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE domain = ?`;
