import { systemClock, type Clock } from '../async/clock';
import type { FederationLookup } from '../engine/federation-lookup';
import type { DomainVerdict } from '../core/verdict';
import type { LiveChecker } from '../live/live-checker';
import type { CollectorMetrics } from './metrics';
import { DEFAULT_SCHEDULE, foldCheck, nextCheckAt, type CheckSchedule } from './verification';
import type { CollectorStore, DomainFacts } from './store/store';

/** A domain whose DNS check is stored and whose servers are still to be contacted. */
interface LiveJob {
  domain: string;
  facts: DomainFacts;
  verdict: DomainVerdict;
}

export interface VerifierOptions {
  store: CollectorStore;
  lookup: FederationLookup;
  /** Contacts the servers behind the records found (the collector's default); without it, DNS only. */
  live?: LiveChecker;
  /** The operator's metrics: each check's outcome and each live check's status are counted. */
  metrics?: CollectorMetrics;
  clock?: Pick<Clock, 'now'>;
  schedule?: CheckSchedule;
  /**
   * Domains checked per minute at most, whatever arrives: reports can make the collector's queue
   * grow, never its traffic to the resolvers.
   */
  perMinute?: number;
  /** Domains leased per round. */
  batchSize?: number;
  /** How long a lease lasts: a verifier that dies mid-check frees its domains after this. */
  leaseMs?: number;
  /** Time between rounds when the queue is empty. */
  idleMs?: number;
  /** Where failures of a round go (they never stop the loop). */
  onError?: (error: unknown) => void;
  /**
   * Checks in a row that found none of a domain's records before it is deleted (default 3): junk
   * reported by the thousand, and domains that gave up federation, do not stay forever.
   */
  absentExpiryChecks?: number;
  /** Domains whose servers are contacted per live round (default 25). */
  liveBatchSize?: number;
  /**
   * Time allowed for one live round (default 30 s): what it has not reached by then is skipped,
   * so a domain behind many silent servers cannot hold the others back.
   */
  liveRoundMs?: number;
  /**
   * Domains waiting for their live check at most (default 1,000); past it, the oldest wait for
   * their next scheduled check instead. The DNS facts are stored either way.
   */
  maxLiveQueue?: number;
}

/**
 * Checks reported domains itself and re-checks known ones on a schedule. The queue is the
 * database (domains due for a check), so it survives restarts and is shared by every collector
 * instance; a token bucket bounds the checks per minute; a domain is queued once however often it
 * is reported, so reports cannot multiply lookups.
 */
export class Verifier {
  private readonly store: CollectorStore;
  private readonly lookup: FederationLookup;
  private readonly live: LiveChecker | undefined;
  private readonly metrics: CollectorMetrics | undefined;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly schedule: CheckSchedule;
  private readonly perMinute: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly idleMs: number;
  private readonly onError: (error: unknown) => void;
  private tokens: number;
  private refilledAt: number;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly abort = new AbortController();
  private readonly absentExpiryChecks: number;
  private nudged = false;
  private lastRound: number | null = null;
  private readonly liveBatchSize: number;
  private readonly liveRoundMs: number;
  private readonly maxLiveQueue: number;
  private readonly liveQueue: LiveJob[] = [];
  private liveRunning: Promise<void> | undefined;
  private liveWake: (() => void) | undefined;
  private liveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: VerifierOptions) {
    this.store = options.store;
    this.lookup = options.lookup;
    this.live = options.live;
    this.metrics = options.metrics;
    this.clock = options.clock ?? systemClock;
    this.schedule = options.schedule ?? DEFAULT_SCHEDULE;
    this.perMinute = options.perMinute ?? 600;
    this.batchSize = options.batchSize ?? 50;
    this.leaseMs = options.leaseMs ?? 5 * 60 * 1000;
    this.idleMs = options.idleMs ?? 10_000;
    this.onError = options.onError ?? (() => undefined);
    this.absentExpiryChecks = options.absentExpiryChecks ?? 3;
    this.liveBatchSize = options.liveBatchSize ?? 25;
    this.liveRoundMs = options.liveRoundMs ?? 30_000;
    this.maxLiveQueue = options.maxLiveQueue ?? 1000;
    if (!(this.perMinute > 0)) throw new RangeError('perMinute must be above 0');
    this.tokens = Math.min(this.batchSize, this.perMinute);
    this.refilledAt = this.clock.now();
  }

  /** Domains the bucket allows now. */
  private allowance(): number {
    const now = this.clock.now();
    const capacity = Math.max(1, Math.min(this.batchSize, this.perMinute));
    this.tokens = Math.min(capacity, this.tokens + ((now - this.refilledAt) * this.perMinute) / 60_000);
    this.refilledAt = now;
    return Math.floor(this.tokens);
  }

  /** Milliseconds until the bucket allows one more domain. */
  private msUntilToken(): number {
    return Math.ceil(((1 - (this.tokens % 1)) * 60_000) / this.perMinute);
  }

  /**
   * One round: leases what is due (as many as the bucket allows), checks it over DNS, stores the
   * facts. The servers behind the records are contacted afterwards, by the live loop, so slow or
   * silent edges never hold up the DNS verdict of anyone's report. Resolves with the number of
   * domains checked.
   */
  async runOnce(): Promise<number> {
    const allowed = Math.min(this.batchSize, this.allowance());
    if (allowed === 0) return 0;
    const now = this.clock.now();
    const due = await this.store.claimDue(now, allowed, this.leaseMs);
    if (due.length === 0) return 0;
    this.tokens -= due.length;
    const verdicts = await this.lookup.checkDomains(
      due.map((d) => ({ domain: d.domain, displayDomain: d.domain })),
      { signal: this.abort.signal, refresh: true },
    );
    const checkedAt = this.clock.now();
    for (const [i, entry] of due.entries()) {
      const verdict = verdicts[i];
      if (!verdict) continue;
      const facts = foldCheck(entry.facts, verdict, checkedAt);
      const absentChecks =
        facts.status === 'absent'
          ? entry.absentChecks + 1
          : facts.status === 'present'
            ? 0
            : entry.absentChecks;
      if (facts.status === 'absent' && absentChecks >= this.absentExpiryChecks) {
        await this.store.deleteDomain(entry.domain);
        this.metrics?.verifications.inc({ outcome: 'deleted' });
        continue;
      }
      this.metrics?.verifications.inc({ outcome: facts.status === 'pending' ? 'unknown' : facts.status });
      await this.store.saveCheck(
        entry.domain,
        facts,
        nextCheckAt(verdict, checkedAt, this.schedule),
        absentChecks,
      );
      if (this.live && verdict.canFederate === true) this.queueLive({ domain: entry.domain, facts, verdict });
    }
    return due.length;
  }

  private queueLive(job: LiveJob): void {
    this.liveQueue.push(job);
    if (this.liveQueue.length > this.maxLiveQueue) this.liveQueue.shift();
    this.liveWake?.();
  }

  /** Domains waiting for their live check. */
  get liveBacklog(): number {
    return this.liveQueue.length;
  }

  /**
   * One live round: contacts the servers of up to `liveBatchSize` checked domains (each counts
   * against the per-minute budget, like a DNS check) within `liveRoundMs`, and stores what the
   * edges said. Resolves with the number of domains whose servers were contacted.
   */
  async runLiveOnce(): Promise<number> {
    if (!this.live || this.liveQueue.length === 0) return 0;
    const allowed = Math.min(this.liveBatchSize, this.allowance(), this.liveQueue.length);
    if (allowed === 0) return 0;
    const jobs = this.liveQueue.splice(0, allowed);
    this.tokens -= jobs.length;
    const checked = await this.live.check(
      jobs.map((job) => job.verdict),
      { signal: this.abort.signal, budgetMs: this.liveRoundMs },
    );
    const checkedAt = this.clock.now();
    for (const [i, job] of jobs.entries()) {
      const verdict = checked[i];
      if (!verdict) continue;
      this.metrics?.countLive(
        Object.values(verdict.records).flatMap((record) =>
          record.targets.flatMap((t) => (t.live ? [t.live.status] : [])),
        ),
      );
      await this.store.saveFacts(job.domain, foldCheck(job.facts, verdict, checkedAt));
    }
    return jobs.length;
  }

  /** Runs rounds until nothing is due and no live check waits (or the bucket is empty); for tests and the benchmark. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const checked = await this.runOnce();
      const contacted = await this.runLiveOnce();
      if (checked === 0 && contacted === 0) return total;
      total += checked;
    }
  }

  /** Starts the background loop. */
  start(): void {
    if (this.running) return;
    this.running = this.loop();
    if (this.live) this.liveRunning = this.liveLoop();
  }

  /** Asks the loop to look for work now (a report arrived); remembered if the loop is busy. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** When the loop last finished a round (ms since the epoch), or null before the first: for `/healthz`. */
  lastRoundAt(): number | null {
    return this.lastRound;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let checked = 0;
      this.nudged = false;
      try {
        checked = await this.runOnce();
        this.lastRound = Date.now();
      } catch (error) {
        if (this.stopping) break;
        this.onError(error);
      }
      if (this.stopping) break;
      // A report that arrived during the round is looked at now, not after the idle pause.
      const pause = checked > 0 ? 0 : this.tokens < 1 ? this.msUntilToken() : this.nudged ? 0 : this.idleMs;
      if (pause > 0) await this.sleep(pause);
    }
  }

  private async liveLoop(): Promise<void> {
    while (!this.stopping) {
      let contacted = 0;
      try {
        contacted = await this.runLiveOnce();
      } catch (error) {
        if (this.stopping) break;
        this.onError(error);
      }
      if (this.stopping) break;
      if (contacted > 0) continue;
      const pause = this.liveQueue.length === 0 ? this.idleMs : this.tokens < 1 ? this.msUntilToken() : 0;
      if (pause > 0) {
        await new Promise<void>((resolve) => {
          this.liveWake = () => {
            clearTimeout(this.liveTimer);
            this.liveWake = undefined;
            resolve();
          };
          this.liveTimer = setTimeout(() => this.liveWake?.(), pause);
        });
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        clearTimeout(this.timer);
        this.wake = undefined;
        resolve();
      };
      this.timer = setTimeout(() => this.wake?.(), ms);
    });
  }

  /** Stops the loop, cancelling the lookups of the round in progress (their leases simply expire). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort(new Error('collector shutting down'));
    this.wake?.();
    this.liveWake?.();
    await Promise.all([this.running, this.liveRunning]);
  }
}
