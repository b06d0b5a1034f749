import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';

/** What taking from a reporter's daily allowance came to. */
export interface DailyTake {
  /** Whether the new domains were taken (the total stayed within the day's allowance). */
  taken: boolean;
  /** The reporter's new domains today before this take. */
  used: number;
}

/**
 * Where the collector keeps its per-address counts: the daily allowance of new domains and the
 * per-minute request windows. In this process's memory ({@link MemoryLedger}), or in PostgreSQL
 * (`store/postgres-ledger.ts`) so that every instance on one database counts against the same
 * allowance. Reporters are keyed hashes of addresses (`address-key.ts`), never addresses.
 */
export interface LimitLedger {
  /** Whether other instances see these counts (they do when kept in a shared database). */
  readonly shared: boolean;
  /** Adds `fresh` to `reporter`'s new domains on `day` unless that would pass `max`. */
  takeDaily(day: string, reporter: string, fresh: number, max: number): Promise<DailyTake>;
  /** Gives back what {@link takeDaily} took, when the report could not be written after all. */
  giveBackDaily(day: string, reporter: string, fresh: number): Promise<void>;
  /** A store for `@fastify/rate-limit`'s windows, or undefined for its own in-memory one. */
  readonly rateLimitStore: FastifyRateLimitStoreCtor | undefined;
}

/** The ledger of one process: counts in memory, for today and yesterday only. */
export class MemoryLedger implements LimitLedger {
  readonly shared = false;
  readonly rateLimitStore = undefined;
  private readonly days = new Map<string, Map<string, number>>();

  private countsOf(day: string): Map<string, number> {
    let counts = this.days.get(day);
    if (!counts) {
      this.days.set(day, (counts = new Map()));
      // A day older than the two latest is over: forgotten (reporters are keyed by the day anyway).
      const kept = [...this.days.keys()].sort().slice(-2);
      for (const known of this.days.keys()) if (!kept.includes(known)) this.days.delete(known);
    }
    return counts;
  }

  takeDaily(day: string, reporter: string, fresh: number, max: number): Promise<DailyTake> {
    const counts = this.countsOf(day);
    const used = counts.get(reporter) ?? 0;
    if (used + fresh > max) return Promise.resolve({ taken: false, used });
    counts.set(reporter, used + fresh);
    return Promise.resolve({ taken: true, used });
  }

  giveBackDaily(day: string, reporter: string, fresh: number): Promise<void> {
    const counts = this.days.get(day);
    if (counts) counts.set(reporter, Math.max(0, (counts.get(reporter) ?? 0) - fresh));
    return Promise.resolve();
  }
}
