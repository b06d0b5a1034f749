import type { CollectorStore } from './store/store';

export interface RateLimit {
  max: number;
  timeWindow: number;
}

/** What every route reads: built once by {@link buildCollector} from its options. */
export interface CollectorContext {
  store: CollectorStore;
  /** Told when a report queued new work, so checks start at once rather than at the next round. */
  verifier?: { nudge(): void };
  /** K: a domain is published once reported on at least this many different days. */
  threshold: number;
  clock: { now(): number };
  rateLimits: { reports: RateLimit; reads: RateLimit };
  /** How long the statistics are reused before they are counted again. */
  statsCacheMs: number;
}
