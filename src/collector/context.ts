import type { DomainSet } from '../core/domain-set';
import type { DailyAddressKey } from './address-key';
import type { Intake } from './intake';
import type { CollectorMetrics } from './metrics';
import type { ReportBatcher } from './report-batcher';
import type { CollectorStore } from './store/store';

/** What `/healthz` asks of the verifier: when its loop last finished a round (null: not started). */
export interface VerifierHealth {
  nudge(): void;
  lastRoundAt?: () => number | null;
}

export interface RateLimit {
  max: number;
  timeWindow: number;
}

/** What every route reads: built once by {@link buildCollector} from its options. */
export interface CollectorContext {
  store: CollectorStore;
  /** Told when a report queued new work, so checks start at once rather than at the next round. */
  verifier?: VerifierHealth;
  /** K: a domain is published once reported by at least this many different reporters. */
  threshold: number;
  clock: { now(): number };
  rateLimits: { reports: RateLimit; reads: RateLimit; lookups: RateLimit };
  /** The daily keyed hash of client addresses: rate limits and the reporter count use it. */
  addressKey: DailyAddressKey;
  batcher: ReportBatcher;
  /**
   * Domains known to be stored (12 bytes each), so a report asks the store only about names it has
   * not met: a domain deleted later (no records, checks in a row) still counts as known here, which
   * only makes the allowance of new domains a little more lenient.
   */
  known: DomainSet;
  intake: Intake;
  logger: { error(error: unknown): void; warn(message: string): void };
  /** How long the statistics are reused before they are counted again. */
  statsCacheMs: number;
  /** The operator's metrics, when served (`WCF_METRICS_PORT`). */
  metrics?: CollectorMetrics;
}
