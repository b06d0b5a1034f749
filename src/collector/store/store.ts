import type { ProbeId } from '../../core/probes';
import type { Cloud } from '../../core/cloud';
import type { Summary } from '../../core/summary';
import type { LyncHosting, TriState } from '../../core/verdict';
import type { LimitLedger } from '../limit-ledger';

/**
 * Where a domain stands after the collector's own checks: `pending` until a check has settled it,
 * `present` with at least one federation or client record found, `absent` when every one is
 * known to be missing. A failed check never moves a domain (unknown is never "no").
 */
export type DomainStatus = 'pending' | 'present' | 'absent';

/** What the collector itself verified about a domain: the only facts it counts or publishes. */
export interface DomainFacts {
  status: DomainStatus;
  lyncFederation: TriState;
  lyncPublicFacing: TriState;
  xmppFederation: TriState;
  xmppClientAccess: TriState;
  microsoft365Tenant: TriState;
  /** The tenant's cloud, where known (Entra ID tells GCC from commercial; DNS cannot). */
  microsoft365Cloud: Cloud | null;
  /** How the tenant was found: DNS evidence, or only Entra ID discovery. */
  microsoft365Source: 'dns' | 'entra' | null;
  hosting: LyncHosting;
  /** The SRV records found, in catalogue order. */
  records: ProbeId[];
  /** When the collector last checked (ms since the epoch); null before the first check. */
  checkedAt: number | null;
  /** From the live checks: whether a Lync / XMPP federation edge answers, and "record present and an edge answers". */
  lyncLive: TriState;
  xmppLive: TriState;
  verified: TriState;
}

/** A domain whose check is due, leased to one verifier so that no other checks it meanwhile. */
export interface DueDomain {
  domain: string;
  facts: DomainFacts;
  /** Checks in a row that found none of its records. */
  absentChecks: number;
}

/** Everything stored about one domain: per-domain counts only, never which report it came in. */
export interface StoredDomain {
  domain: string;
  /** Reports that named it. */
  reports: number;
  /** Distinct UTC days on which it was reported. */
  reportDays: number;
  /** Distinct reporters (per UTC day, by a keyed hash; shared instances keep a mark per reporter and domain for two days): what K counts. */
  reporters: number;
  /** Checks in a row that found none of its records. */
  absentChecks: number;
  facts: DomainFacts;
  nextCheckAt: number;
}

/** The research table's counts that the collector publishes: the CLI summary's, by the same names. */
export type PublishedCounts = Pick<
  Summary,
  | 'domains'
  | 'lyncFederation'
  | 'xmppFederation'
  | 'lyncAndXmpp'
  | 'xmppClientAccess'
  | 'microsoft365'
  | 'onPremises'
  | 'microsoft365Tenants'
  | 'tenantsOnlyInEntra'
  | 'tenantsByCloud'
  | 'matrixFederation'
  | 'ciscoEdge'
>;

/** The research table over the published domains, and what the live checks add. */
export interface StatsCounts extends PublishedCounts {
  /** Lync-federated domains whose edge answered the collector's live check. */
  lyncEdgeAnswering: number;
  /** XMPP-federated domains whose server answered. */
  xmppEdgeAnswering: number;
  /** Domains whose federation record is present and whose edge answers. */
  verified: number;
  /** The latest check among the counted domains (ms since the epoch); null when none is counted. */
  asOf: number | null;
}

/** The directory's capability filters. */
export type DirectoryCapability = 'lync' | 'xmpp' | 'xmpp-client';

export interface DirectoryQuery {
  capability?: DirectoryCapability;
  /** Keyset cursor: list domains after this one. */
  after?: string;
  limit: number;
  /** Published only when reported by at least this many different reporters. */
  threshold: number;
}

export interface DirectoryEntry {
  domain: string;
  facts: DomainFacts;
}

/**
 * The collector's storage, one interface over SQLite and PostgreSQL so that the same tests run
 * against both. Reports are exploded into per-domain counts as they arrive: no report, report id,
 * sender or arrival time is ever written, only the UTC day, per domain.
 */
export interface CollectorStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Applies the schema's migrations that are not yet applied; safe to run from several instances. */
  migrate(): Promise<void>;
  /**
   * Counts one report: each domain once (the caller has refused duplicates and sorted them), new
   * domains queued for a check. Resolves only once the write is durable.
   */
  addReport(domains: readonly string[], day: string): Promise<void>;
  /**
   * Counts a batch of reports in one transaction: each domain with how many reports named it and
   * how many reporters new today, in the order given (the caller shuffles), beside decoy rows
   * rewritten unchanged, and the batch's report keys. Resolves once durable.
   */
  addBatch(batch: ReportBatch): Promise<void>;
  /**
   * Appends a batch to the intake journal (one row) and records its report keys: resolves once
   * durable, cheaply. It is counted in the domains by a later {@link foldJournal}; see journal.ts.
   */
  journal(batch: ReportBatch): Promise<void>;
  /**
   * Counts journaled batches into the domains in one transaction (each domain written once, beside
   * `decoys` unrelated rows rewritten unchanged) and deletes their rows; at most `maxDomains` domains
   * at a time, oldest batches first. With several instances, each fold takes batches no other holds.
   */
  foldJournal(options: FoldOptions): Promise<FoldResult>;
  /** Which of these domains are stored already (the rest would be new). */
  existing(domains: readonly string[]): Promise<Set<string>>;
  /** Whether a report key (a keyed hash) was counted already. */
  seen(key: string): Promise<boolean>;
  /** Leases up to `limit` domains whose check is due, oldest due first, then by name. */
  claimDue(now: number, limit: number, leaseMs: number): Promise<DueDomain[]>;
  /** Stores a check's facts, schedules the next check and releases the lease. */
  saveCheck(domain: string, facts: DomainFacts, nextCheckAt: number, absentChecks?: number): Promise<void>;
  /** Deletes a domain (absent for too long). */
  deleteDomain(domain: string): Promise<void>;
  /** Stores facts found after the check (the live checks), leaving its schedule as it is. */
  saveFacts(domain: string, facts: DomainFacts): Promise<void>;
  stats(threshold: number): Promise<StatsCounts>;
  directory(query: DirectoryQuery): Promise<DirectoryEntry[]>;
  /** The published domains in a look-up bucket (first hex characters of their SHA-256). */
  bucket(prefix: string, threshold: number): Promise<DirectoryEntry[]>;
  /** One domain as stored, or undefined: for tests and operators. */
  describe(domain: string): Promise<StoredDomain | undefined>;
  /** Domains waiting for their first check. */
  pendingCount(): Promise<number>;
  /** Rejects when the database cannot be reached: a cheap liveness probe. */
  ping(): Promise<void>;
  /** Rejects unless every query the public endpoints run works: the health check. */
  health(): Promise<void>;
  /**
   * Housekeeping: forgets report keys before `oldestDay`; SQLite rewrites its file in key order
   * when it is small enough (so no page keeps the order rows were written in).
   */
  maintain(oldestDay: string): Promise<void>;
  /** Where per-address counts are kept: in PostgreSQL for every instance, in memory for SQLite. */
  ledger(): LimitLedger;
  close(): Promise<void>;
}

/** A fold's bounds: the decoys written beside it, and the most domains it counts in one transaction. */
export interface FoldOptions {
  decoys: number;
  maxDomains: number;
}

/** What a fold of the intake journal did: how many journaled batches it counted, and whether more are waiting. */
export interface FoldResult {
  folded: number;
  remaining: boolean;
}

/** One flush of the report batcher. */
export interface ReportBatch {
  day: string;
  entries: {
    domain: string;
    reports: number;
    /** Reporters new today as far as this process knows. */
    newReporters: number;
    /**
     * A mark for each of those reporters (a hash of the reporter's key and the domain): a store that
     * instances share counts a reporter only if no instance has written its mark today.
     */
    reporterMarks?: string[];
  }[];
  /** Keyed hashes of the reports' idempotency keys. */
  keys: string[];
  /** How many existing rows to rewrite unchanged beside the batch. */
  decoys: number;
}

/** Thrown when the database cannot be opened or migrated: the message says what to fix. */
export class StoreError extends Error {
  override name = 'StoreError';
}
