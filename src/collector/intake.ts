import { ServiceUnavailable, TooManyRequests } from './errors';
import { MemoryLedger, type DailyTake, type LimitLedger } from './limit-ledger';
import type { CollectorStore } from './store/store';
import { utcDay } from './utc-day';

export interface IntakeLimits {
  /** Domains new to the collector in one report. */
  maxNewPerReport: number;
  /** Domains new to the collector from one reporter (keyed address hash) in one UTC day. */
  maxNewPerAddressPerDay: number;
  /** Domains waiting for their first check, in all. */
  maxPending: number;
}

export const DEFAULT_INTAKE: IntakeLimits = {
  maxNewPerReport: 200,
  maxNewPerAddressPerDay: 1000,
  maxPending: 20_000,
};

/** Seconds until the next UTC midnight: when a per-day allowance starts again. */
function secondsToMidnight(now: number): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((next.getTime() - now) / 1000));
}

/**
 * How much checking work reports may queue. A report is cheap to send and a check is not, so new
 * domains (the ones that cost a check) are capped per report, per reporter per day, and in all.
 * Past a cap the whole report is refused, nothing half-stored: 429 (this reporter, try later) or
 * 503 (everyone, the queue is full), each with `Retry-After`. The daily allowance is kept in the
 * ledger (shared by every instance when it lives in PostgreSQL). The pending count is read from the
 * store every few seconds and kept up to date in between, so a report costs no count query; with
 * several instances each adds only what it admitted itself between two reads, so together they may
 * pass the cap by what they admit in those few seconds.
 */
export class Intake {
  private readonly limits: IntakeLimits;
  private pending = 0;
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly store: CollectorStore,
    limits: Partial<IntakeLimits> = {},
    private readonly now: () => number = Date.now,
    private readonly refreshMs = 5000,
    private readonly ledger: LimitLedger = new MemoryLedger(),
  ) {
    this.limits = { ...DEFAULT_INTAKE, ...limits };
  }

  private async pendingNow(): Promise<number> {
    if (this.now() - this.refreshedAt > this.refreshMs) {
      this.refreshing ??= this.store
        .pendingCount()
        .then((count) => {
          this.pending = count;
          this.refreshedAt = this.now();
        })
        .finally(() => (this.refreshing = undefined));
      await this.refreshing;
    }
    return this.pending;
  }

  /** Takes `fresh` new domains from `reporter`'s allowance, or throws why not. */
  async admit(reporter: string, fresh: number): Promise<() => Promise<void>> {
    if (fresh === 0) return () => Promise.resolve();
    const day = utcDay(this.now());
    if (fresh > this.limits.maxNewPerReport) {
      throw new TooManyRequests(
        `This report names ${fresh} domains the directory does not know yet; it takes at most ${this.limits.maxNewPerReport} new ones per report. Send the rest in later reports.`,
        60,
      );
    }
    if ((await this.pendingNow()) + fresh > this.limits.maxPending) {
      throw new ServiceUnavailable(
        'The directory has too many domains waiting to be checked; nothing was stored. Try again later.',
        600,
      );
    }
    // Held before the ledger is asked (a round trip to PostgreSQL): reports admitted meanwhile see it.
    this.pending += fresh;
    const release = (): void => {
      this.pending = Math.max(0, this.pending - fresh);
    };
    let take: DailyTake;
    try {
      take = await this.ledger.takeDaily(day, reporter, fresh, this.limits.maxNewPerAddressPerDay);
    } catch (error) {
      release();
      throw error;
    }
    if (!take.taken) {
      release();
      throw new TooManyRequests(
        `Your address has shared ${take.used} new domains today, the most the directory takes from one address in a day is ${this.limits.maxNewPerAddressPerDay}: try again tomorrow (UTC).`,
        secondsToMidnight(this.now()),
      );
    }
    // Given back when the report could not be written after all.
    return () => {
      release();
      return this.ledger.giveBackDaily(day, reporter, fresh);
    };
  }
}
