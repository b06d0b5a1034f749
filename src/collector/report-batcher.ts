import { createHash } from 'node:crypto';
import { FOLD_MAX_DOMAINS } from './store/journal';
import type { CollectorStore, FoldResult } from './store/store';

/** One accepted report, waiting for its batch to be written. */
interface Waiting {
  domains: readonly string[];
  reporter: string;
  key?: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface ReportBatcherOptions {
  store: CollectorStore;
  /** How long reports gather before they are written together (default 100 ms). */
  windowMs?: number;
  /**
   * A batch this large is written at once, without waiting out the window (default 16): it already
   * mixes its reports. While a batch is being written the next one grows, and goes as soon as the
   * write before it is done, however large (group commit): under load a report waits about one
   * write, and each write carries as many reports as arrived meanwhile.
   */
  fullAt?: number;
  /** Existing rows rewritten unchanged beside each fold (default 16). */
  decoys?: number;
  /**
   * Under load, how long a journaled batch waits before it is counted in the domains, with every
   * batch journaled meanwhile (default 250 ms). When traffic is light (the batch waited out its
   * window), or nothing else waits and no fold ran for that long, it is counted at once, before its
   * reports are acknowledged.
   */
  foldEveryMs?: number;
  /** A fold that failed (the batches stay journaled and are folded on the next try). */
  onFoldError?: (error: unknown) => void;
  /** Each fold transaction, done or failed: how many batches it counted and how long it took (metrics). */
  onFold?: (fold: { batches: number; seconds: number; failed: boolean }) => void;
  /** UTC day of now, `YYYY-MM-DD`. */
  day: () => string;
  /**
   * Send a mark per reporter counted, for a store several instances share (it counts a reporter only
   * if no instance has written the mark today). Off for a store one process owns: its count is exact.
   */
  markReporters?: boolean;
}

/**
 * A reporter's mark for a domain: a hash of the reporter's key (itself a keyed hash of the address)
 * with the domain. A shared store keeps today's marks so instances count a reporter once; the marks
 * of one reporter cannot be told to belong together without that reporter's key.
 */
function reporterMark(pair: string): string {
  return createHash('sha256').update(pair).digest('base64url').slice(0, 22);
}

/**
 * Writes reports in batches: every report that arrives within a short window (or until the batch
 * is full) is merged with the others, each domain once with its counts, and the batch is appended
 * to the store's intake journal in one transaction; each report is acknowledged only once its batch
 * is durable there. Journaled batches are folded into the domains together (each domain written
 * once, in random order, beside decoy rows): at once when the collector is idle, otherwise within
 * `foldEveryMs`. So no transaction, WAL frame or row version belongs to one report alone whenever
 * reports overlap, and even a lone report's transaction holds more rows than it named.
 *
 * K counts reporters: each report comes with a keyed hash of its sender (the collector's daily
 * address key). Which hashes named which domain today is held here, in memory only, and only as
 * far as "already counted": the database gets, per domain, the number of reporters new today, and, when
 * several instances share it, a mark per reporter counted, so that it counts each reporter once.
 */
export class ReportBatcher {
  private readonly store: CollectorStore;
  private readonly windowMs: number;
  private readonly fullAt: number;
  private readonly decoys: number;
  private readonly day: () => string;
  private readonly markReporters: boolean;
  private readonly foldEveryMs: number;
  private readonly onFoldError: (error: unknown) => void;
  private readonly onFold: NonNullable<ReportBatcherOptions['onFold']>;
  private waiting: Waiting[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** A batch is being written: the next one gathers until it is done. */
  private busy = false;
  /** Batches taken from `waiting` whose write has not started yet. */
  private queued = 0;
  /** Today's reporters per domain (keyed hashes, forgotten at the day change). */
  private reportersToday = new Map<string, Set<string>>();
  private reportersDay = '';
  /** Report keys in the batches not yet written, so a retry racing its original is counted once. */
  private readonly keysWaiting = new Set<string>();

  constructor(options: ReportBatcherOptions) {
    this.store = options.store;
    this.windowMs = options.windowMs ?? 100;
    this.fullAt = options.fullAt ?? 16;
    this.decoys = options.decoys ?? 16;
    this.day = options.day;
    this.markReporters = options.markReporters ?? false;
    this.foldEveryMs = options.foldEveryMs ?? 250;
    this.onFoldError = options.onFoldError ?? (() => undefined);
    this.onFold = options.onFold ?? (() => undefined);
    this.retryMs = this.foldEveryMs;
  }

  private foldTimer: ReturnType<typeof setTimeout> | undefined;
  /** The folds in order; and the one not started yet, which every caller until it starts can share. */
  private folds: Promise<void> = Promise.resolve();
  private foldQueued: Promise<void> | undefined;
  /** When the last fold ended (performance.now()). */
  private foldedAt = Number.NEGATIVE_INFINITY;
  /** How long until a failed fold is tried again (doubles while the store keeps failing). */
  private retryMs: number;
  private closed = false;

  /**
   * Counts every batch journaled so far into the domains (including batches a crash left behind,
   * when called at start); resolves when done, rejects when the store failed.
   */
  fold(): Promise<void> {
    if (this.foldQueued) return this.foldQueued;
    const run = this.folds.then(async () => {
      this.foldQueued = undefined;
      for (;;) {
        const started = performance.now();
        let result: FoldResult;
        try {
          result = await this.store.foldJournal({ decoys: this.decoys, maxDomains: FOLD_MAX_DOMAINS });
        } catch (error) {
          this.onFold({ batches: 0, seconds: (performance.now() - started) / 1000, failed: true });
          throw error;
        }
        this.foldedAt = performance.now();
        this.onFold({ batches: result.folded, seconds: (this.foldedAt - started) / 1000, failed: false });
        if (!result.remaining) return;
      }
    });
    this.foldQueued = run;
    this.folds = run.catch(() => undefined);
    return run;
  }

  /**
   * Folds now, and when the store fails says so and tries again later (the batches are durable in the
   * journal meanwhile): after `foldEveryMs`, then twice as long each time, up to a minute.
   */
  private async foldOrRetry(): Promise<void> {
    try {
      await this.fold();
      this.retryMs = this.foldEveryMs;
    } catch (error) {
      this.onFoldError(error);
      this.foldSoon(this.retryMs);
      this.retryMs = Math.min(60_000, this.retryMs * 2);
    }
  }

  /** A fold after `delayMs` (one timer for every batch journaled meanwhile), unless one is due already. */
  private foldSoon(delayMs = this.foldEveryMs): void {
    if (this.closed) return;
    this.foldTimer ??= setTimeout(() => {
      this.foldTimer = undefined;
      void this.foldOrRetry();
    }, delayMs);
  }

  /**
   * At start: counts the batches a crash left in the journal. A store that cannot yet is reported
   * and tried again later; the collector starts anyway (its health check tells the database's state).
   */
  recover(): Promise<void> {
    return this.foldOrRetry();
  }

  /** How many reports waiting for a batch name each domain (kept as they come and go, not rebuilt per request). */
  private readonly waitingCounts = new Map<string, number>();

  /** Whether a domain is named by a report waiting for its batch: new to the store too, if not in it. */
  isWaiting(domain: string): boolean {
    return this.waitingCounts.has(domain);
  }

  /** Whether a report with this key is already counted or on its way. */
  async isDuplicate(key: string): Promise<boolean> {
    return this.keysWaiting.has(key) || (await this.store.seen(key));
  }

  /**
   * Resolves once the report's batch is durable (with false when a report with the same key is
   * already waiting: it is counted once); rejects when its batch could not be written.
   */
  submit(domains: readonly string[], reporter: string, key?: string): Promise<boolean> {
    if (key && this.keysWaiting.has(key)) return Promise.resolve(false);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ domains, reporter, key, resolve, reject });
      for (const domain of domains) this.waitingCounts.set(domain, (this.waitingCounts.get(domain) ?? 0) + 1);
      if (key) this.keysWaiting.add(key);
      if (this.waiting.length >= this.fullAt && !this.busy) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(true), this.windowMs);
    }).then(() => true);
  }

  /** Writes what is waiting now (`quiet`: the batch waited out its window, traffic is light). */
  flush(quiet = false): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return this.writing;
    this.queued += 1;
    for (const report of batch) {
      for (const domain of report.domains) {
        const left = (this.waitingCounts.get(domain) ?? 1) - 1;
        if (left > 0) this.waitingCounts.set(domain, left);
        else this.waitingCounts.delete(domain);
      }
    }
    this.writing = this.writing.then(async () => {
      this.busy = true;
      this.queued -= 1;
      try {
        await this.write(batch, quiet);
      } finally {
        this.busy = false;
      }
      // What gathered meanwhile goes at once when it is a batch already (it waited one write).
      if (this.waiting.length >= this.fullAt) void this.flush();
    });
    return this.writing;
  }

  private async write(batch: Waiting[], quiet: boolean): Promise<void> {
    const day = this.day();
    if (day !== this.reportersDay) {
      this.reportersDay = day;
      this.reportersToday = new Map();
    }
    const entries = new Map<
      string,
      { domain: string; reports: number; newReporters: number; reporterMarks?: string[] }
    >();
    /** Reporters counted by this batch, per domain: remembered once the batch is durable. */
    const counted = new Map<string, Set<string>>();
    for (const report of batch) {
      for (const domain of report.domains) {
        let entry = entries.get(domain);
        if (!entry) {
          entry = {
            domain,
            reports: 0,
            newReporters: 0,
            ...(this.markReporters ? { reporterMarks: [] } : {}),
          };
          entries.set(domain, entry);
        }
        entry.reports += 1;
        if (this.reportersToday.get(domain)?.has(report.reporter)) continue;
        let reporters = counted.get(domain);
        if (!reporters) counted.set(domain, (reporters = new Set()));
        if (reporters.has(report.reporter)) continue;
        reporters.add(report.reporter);
        entry.newReporters += 1;
        entry.reporterMarks?.push(reporterMark(`${report.reporter} ${domain}`));
      }
    }
    const keys = batch.flatMap((report) => (report.key ? [report.key] : []));
    try {
      await this.store.journal({ day, entries: [...entries.values()], keys, decoys: this.decoys });
    } catch (error) {
      for (const key of keys) this.keysWaiting.delete(key);
      for (const report of batch) report.reject(error);
      return;
    }
    for (const [domain, reporters] of counted) {
      const known = this.reportersToday.get(domain);
      if (!known) this.reportersToday.set(domain, reporters);
      else for (const reporter of reporters) known.add(reporter);
    }
    for (const key of keys) this.keysWaiting.delete(key);
    // Counted before it is acknowledged when traffic is light (the batch waited out its window), or
    // when nothing else waits and no fold ran lately; under load the folds come every foldEveryMs.
    // The batch is durable either way; a failed fold is tried again.
    const idle =
      this.waiting.length === 0 && this.queued === 0 && performance.now() - this.foldedAt >= this.foldEveryMs;
    if (quiet || idle) await this.foldOrRetry();
    else this.foldSoon();
    for (const report of batch) report.resolve();
  }

  /**
   * Shutdown: writes what is waiting and counts every journaled batch. When the store fails, the
   * error is reported and the batches stay journaled, durable, for the next start to count.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.foldTimer);
    this.foldTimer = undefined;
    await this.flush();
    await this.fold().catch((error: unknown) => this.onFoldError(error));
  }
}
