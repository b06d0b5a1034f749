import { createHash } from 'node:crypto';
import type { CollectorStore } from './store/store';

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
  /** Existing rows rewritten unchanged beside each batch (default 16). */
  decoys?: number;
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
 * is full) is merged with the others, each domain written once with its counts, in random order, beside decoy rows, in one
 * transaction; each report is acknowledged only once its batch is durable. So no transaction,
 * WAL frame or row version belongs to one report alone whenever reports overlap, and even a lone
 * report's transaction holds more rows than it named.
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
  private waiting: Waiting[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** A batch is being written: the next one gathers until it is done. */
  private busy = false;
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
      else this.timer ??= setTimeout(() => void this.flush(), this.windowMs);
    }).then(() => true);
  }

  /** Writes what is waiting now. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return this.writing;
    for (const report of batch) {
      for (const domain of report.domains) {
        const left = (this.waitingCounts.get(domain) ?? 1) - 1;
        if (left > 0) this.waitingCounts.set(domain, left);
        else this.waitingCounts.delete(domain);
      }
    }
    this.writing = this.writing.then(async () => {
      this.busy = true;
      try {
        await this.write(batch);
      } finally {
        this.busy = false;
      }
      // What gathered meanwhile goes at once when it is a batch already (it waited one write).
      if (this.waiting.length >= this.fullAt) void this.flush();
    });
    return this.writing;
  }

  private async write(batch: Waiting[]): Promise<void> {
    const day = this.day();
    if (day !== this.reportersDay) {
      this.reportersDay = day;
      this.reportersToday = new Map();
    }
    const entries = new Map<
      string,
      { domain: string; reports: number; newReporters: number; reporterMarks?: string[] }
    >();
    const counted = new Set<string>();
    for (const report of batch) {
      for (const domain of report.domains) {
        const entry = entries.get(domain) ?? {
          domain,
          reports: 0,
          newReporters: 0,
          ...(this.markReporters ? { reporterMarks: [] } : {}),
        };
        entry.reports += 1;
        const known = this.reportersToday.get(domain);
        const pair = `${report.reporter} ${domain}`;
        if (!known?.has(report.reporter) && !counted.has(pair)) {
          entry.newReporters += 1;
          entry.reporterMarks?.push(reporterMark(pair));
          counted.add(pair);
        }
        entries.set(domain, entry);
      }
    }
    const keys = batch.flatMap((report) => (report.key ? [report.key] : []));
    try {
      await this.store.addBatch({ day, entries: [...entries.values()], keys, decoys: this.decoys });
    } catch (error) {
      for (const key of keys) this.keysWaiting.delete(key);
      for (const report of batch) report.reject(error);
      return;
    }
    for (const pair of counted) {
      const [reporter, domain] = pair.split(' ') as [string, string];
      let set = this.reportersToday.get(domain);
      if (!set) this.reportersToday.set(domain, (set = new Set()));
      set.add(reporter);
    }
    for (const key of keys) this.keysWaiting.delete(key);
    for (const report of batch) report.resolve();
  }

  /** Writes what is waiting and stops (shutdown). */
  async close(): Promise<void> {
    await this.flush();
  }
}
