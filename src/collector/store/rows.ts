import { randomInt } from 'node:crypto';
import { CLOUDS, parseCloud, type Cloud } from '../../core/cloud';
import { PROBE_IDS, type ProbeId } from '../../core/probes';
import type { LyncHosting, TriState } from '../../core/verdict';
import type {
  DirectoryCapability,
  DomainFacts,
  DomainStatus,
  DueDomain,
  ReportBatch,
  StatsCounts,
  StoredDomain,
} from './store';

/** The columns every query that returns facts selects, in both dialects. */
export const FACT_COLUMNS =
  'domain, reports, report_days, reporters, absent_checks, status, lync_federation, lync_public_facing, xmpp_federation, ' +
  'xmpp_client_access, microsoft365_tenant, microsoft365_cloud, microsoft365_source, hosting, records, checked_at, next_check_at, ' +
  'lync_live, xmpp_live, verified';

/** A row as either driver returns it: SQLite gives 0/1 and numbers, PostgreSQL booleans and BIGINT strings. */
export interface DomainRow {
  domain: string;
  reports: number | string;
  report_days: number | string;
  reporters: number | string;
  absent_checks: number | string;
  status: string;
  lync_federation: number | boolean | null;
  lync_public_facing: number | boolean | null;
  xmpp_federation: number | boolean | null;
  xmpp_client_access: number | boolean | null;
  microsoft365_tenant: number | boolean | null;
  microsoft365_cloud: string | null;
  microsoft365_source: string | null;
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
    microsoft365Cloud: parseCloud(row.microsoft365_cloud ?? '') ?? null,
    microsoft365Source:
      row.microsoft365_source === 'dns' || row.microsoft365_source === 'entra'
        ? row.microsoft365_source
        : null,
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
    reporters: Number(row.reporters),
    absentChecks: Number(row.absent_checks),
    facts: factsOf(row),
    nextCheckAt: Number(row.next_check_at),
  };
}

/** A row as the entry the directory, the look-up and the verifier's leases hand out. */
export function entryOf(row: DomainRow): { domain: string; facts: DomainFacts } {
  return { domain: row.domain, facts: factsOf(row) };
}

/** Leased rows in the order they were leased (RETURNING keeps no order): due first, then in random order. */
export type DueRow = DomainRow & { check_order: number | string };

export function dueOrder(rows: DueRow[]): DueDomain[] {
  return rows
    .sort(
      (a, b) =>
        Number(a.next_check_at) - Number(b.next_check_at) || Number(a.check_order) - Number(b.check_order),
    )
    .map((row) => ({ ...entryOf(row), absentChecks: Number(row.absent_checks) }));
}

/*
 * The queries both stores run, written once with `?` placeholders (SQLite's; the PostgreSQL store
 * numbers them with `numberedPlaceholders`). Booleans compare with `= TRUE`, which both dialects read.
 */

/**
 * A domain counts and is listed once verified present and reported by at least K different
 * reporters (counted per UTC day by a keyed hash that is never stored).
 */
const PUBLISHED = "status = 'present' AND reporters >= ?";

/** The directory filter's column. */
const CAPABILITY_COLUMN = {
  lync: 'lync_federation',
  xmpp: 'xmpp_federation',
  'xmpp-client': 'xmpp_client_access',
} as const;

/** Parameters: threshold, after (domain), limit. */
export function directorySql(capability: DirectoryCapability | undefined): string {
  // The filter is written as the partial indexes have it (migration 3), so both planners use them.
  const filter = capability ? `AND ${CAPABILITY_COLUMN[capability]} = TRUE` : '';
  return `SELECT ${FACT_COLUMNS} FROM domains WHERE ${PUBLISHED} ${filter} AND domain > ? ORDER BY domain LIMIT ?`;
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
      ORDER BY next_check_at, check_order LIMIT ? ${lock})
    RETURNING ${FACT_COLUMNS}, check_order`;
}

/** `?` → `$1`, `$2`, … in order, for node-postgres. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${(n += 1)}`);
}

/** The stats query's column for a cloud's tenants: `tenants_gcc_high`. */
function cloudColumn(cloud: Cloud): `tenants_${string}` {
  return `tenants_${cloud.replace(/-/g, '_').replace(/^21/, 'cn21')}`;
}

/** The stats query. Parameters: threshold. */
export function statsSql(): string {
  const yes = (column: string): string => `SUM(CASE WHEN ${column} = TRUE THEN 1 ELSE 0 END)`;
  // `records` is the JSON array of the SRV records found, each name quoted. LIKE with `_` escaped
  // (it is LIKE's one-character wildcard) reads the same in SQLite and PostgreSQL.
  const hasRecord = (...ids: string[]): string =>
    `SUM(CASE WHEN ${ids.map((id) => `records LIKE '%"${id.replace(/_/g, '!_')}"%' ESCAPE '!'`).join(' OR ')} THEN 1 ELSE 0 END)`;
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
      ${yes('microsoft365_tenant')} AS microsoft365_tenants,
      SUM(CASE WHEN microsoft365_tenant = TRUE AND microsoft365_source = 'entra' THEN 1 ELSE 0 END) AS tenants_only_entra,
      ${CLOUDS.map((cloud) => `SUM(CASE WHEN microsoft365_tenant = TRUE AND microsoft365_cloud = '${cloud}' THEN 1 ELSE 0 END) AS ${cloudColumn(cloud)}`).join(',\n      ')},
      ${hasRecord('_matrix-fed._tcp', '_matrix._tcp')} AS matrix_federation,
      ${hasRecord('_collab-edge._tls')} AS cisco_edge,
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
  microsoft365_tenants: number | string | null;
  tenants_only_entra: number | string | null;
  [cloudCount: `tenants_${string}`]: number | string | null;
  matrix_federation: number | string | null;
  cisco_edge: number | string | null;
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
    microsoft365Tenants: n(row.microsoft365_tenants),
    tenantsOnlyInEntra: n(row.tenants_only_entra),
    tenantsByCloud: Object.fromEntries(
      CLOUDS.map((cloud) => [cloud, n(row[cloudColumn(cloud)] ?? null)]),
    ) as Record<Cloud, number>,
    matrixFederation: n(row.matrix_federation),
    ciscoEdge: n(row.cisco_edge),
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
  'microsoft365_cloud',
  'microsoft365_source',
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
    facts.microsoft365Cloud,
    facts.microsoft365Source,
    facts.hosting,
    JSON.stringify(facts.records),
    facts.checkedAt,
    bool(facts.lyncLive),
    bool(facts.xmppLive),
    bool(facts.verified),
  ];
}

/** Stores a check. Parameters: {@link factValues}, next check time, domain. */
export const SAVE_CHECK_SQL = `UPDATE domains SET ${FACT_UPDATE_COLUMNS.map((column) => `${column} = ?`).join(', ')}, absent_checks = ?, next_check_at = ?, lease_until = 0 WHERE domain = ?`;

/** Stores facts without touching the schedule or the lease: the live checks' results. Parameters: {@link factValues}, domain. */
export const SAVE_FACTS_SQL = `UPDATE domains SET ${FACT_UPDATE_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE domain = ?`;

/** Deletes a domain whose records stayed absent (flooded junk, or a domain that gave up federation). Parameters: domain. */
export const DELETE_DOMAIN_SQL = 'DELETE FROM domains WHERE domain = ?';

/** Which of some domains are stored already. Parameters: the domains. */
export function existingSql(count: number): string {
  return `SELECT domain FROM domains WHERE domain IN (${new Array<string>(count).fill('?').join(', ')})`;
}

/** Whether a report key was seen. Parameters: key hash. */
export const SEEN_SQL = 'SELECT 1 AS seen FROM seen_reports WHERE key = ?';

/** Forgets report keys of earlier days. Parameters: the oldest day kept. */
export const FORGET_SEEN_SQL = 'DELETE FROM seen_reports WHERE day < ?';

/**
 * Decoys: existing domains from a random point of the key order, rewritten unchanged in the same
 * transaction as a batch of reports, so that the rows a transaction wrote (SQLite's WAL frames,
 * PostgreSQL's `xmin`) are always more than the reported domains. Parameters: random start, limit.
 */
export const DECOY_SQL = 'SELECT domain FROM domains WHERE domain >= ? ORDER BY domain LIMIT ?';
/** The decoys' wrap-around, when the random point is near the end. Parameters: limit. */
export const DECOY_WRAP_SQL = 'SELECT domain FROM domains ORDER BY domain LIMIT ?';
export const TOUCH_SQL = 'UPDATE domains SET reports = reports WHERE domain = ?';

/** The queries `/healthz` runs: the same tables and indexes the public endpoints read. */
export const HEALTH_SQL: readonly string[] = [
  `SELECT COUNT(*) AS n FROM domains WHERE status = 'present' AND reporters >= 1`,
  `SELECT domain FROM domains WHERE status = 'present' AND reporters >= 1 AND domain > '' ORDER BY domain LIMIT 1`,
  `SELECT domain FROM domains WHERE bucket = '00000' LIMIT 1`,
  PENDING_SQL,
  `SELECT domain FROM domains WHERE next_check_at <= 0 ORDER BY next_check_at, check_order LIMIT 1`,
];

/** A random point in the key order (domains are lower-case ASCII): where the decoys are taken from. */
export function randomStart(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 3 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** A copy in random order (Fisher–Yates with a cryptographic source). */
export function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** One report as a batch of its own (one reporter, no decoys): what `addReport` writes, for tests and tools. */
export function singleReportBatch(domains: readonly string[], day: string): ReportBatch {
  return {
    day,
    entries: domains.map((domain) => ({ domain, reports: 1, newReporters: 1 })),
    keys: [],
    decoys: 0,
  };
}
