import { onAbort } from '../async/abort-listeners';
import { RateLimiter } from '../async/rate-limiter';
import type { NormalisedDomain } from '../core/address';
import type { Cloud } from '../core/cloud';
import { DomainSet } from '../core/domain-set';
import { PROBES, type Probe } from '../core/probes';
import { QuestionPlan } from '../core/question-plan';
import type { RecordResult } from '../core/records';
import type { DomainVerdict } from '../core/verdict';
import type { DnsQuerier } from '../dns/querier';
import { RecordCache } from '../dns/record-cache';
import {
  advance,
  askingEntra,
  settle,
  settleEntra,
  startRun,
  verdictOf,
  type DomainRun,
  type Question,
} from './domain-run';
import { LanedQueue } from './laned-queue';
import type { CheckOptions, EntraSource, FederationLookupOptions, LookupProgress } from './lookup-types';
import { RecordSource } from './record-source';

export type { CheckOptions, EntraSource, FederationLookupOptions, LookupProgress } from './lookup-types';

export const DEFAULT_CONCURRENCY = 64;

/**
 * Many domains → verdicts. Every (domain, record) question is asked once (see {@link RecordSource});
 * each domain goes through the question plan (see domain-run.ts), its questions waiting in lanes
 * (see {@link LanedQueue}) that a fixed number of workers take from: every domain's answer records
 * before any detail, so the answer that matters arrives first.
 */
export class FederationLookup {
  readonly probes: readonly Probe[];
  readonly concurrency: number;
  readonly plan: QuestionPlan;
  /** The same plan with the informational records: for `CheckOptions.informational`. */
  private readonly completePlan: QuestionPlan;
  private readonly client: DnsQuerier;
  private readonly records: RecordSource;
  /** The runs under way, each told by {@link hurry} which domains someone is looking at. */
  private readonly hurryListeners = new Set<(domain: string) => void>();
  /** The runs under way, each told by {@link deferDetails} which domains' details can wait. */
  private readonly deferListeners = new Set<(domain: string) => void>();
  private readonly entra: EntraSource | undefined;
  /** The checking user's cloud; the pane sets it once it has read the user's own tenant. */
  fromCloud: Cloud | undefined;

  constructor(options: FederationLookupOptions) {
    this.client = options.client;
    this.entra = options.entra;
    this.fromCloud = options.fromCloud;
    this.probes = options.probes ?? PROBES;
    if (this.probes.length === 0) throw new RangeError('at least one record must be asked');
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number ≥ 1, not ${this.concurrency}`);
    }
    const entra = options.entra !== undefined;
    this.plan = new QuestionPlan(this.probes, options.profile, {
      informational: options.informational,
      entra,
    });
    this.completePlan = new QuestionPlan(this.probes, options.profile, { entra });
    this.records = new RecordSource(
      options.client,
      options.cache ?? new RecordCache(),
      options.ratePerSecond === undefined ? undefined : new RateLimiter(options.ratePerSecond),
    );
  }

  /**
   * One record of one domain: from the cache, from a question already in flight, or asked now.
   * Never rejects for DNS trouble (that is an `error` result); rejects only when `signal` aborts.
   */
  lookupRecord(probe: Probe, domain: string, signal?: AbortSignal, refresh = false): Promise<RecordResult> {
    return this.records.lookup(probe, domain, signal, refresh);
  }

  /**
   * Checks many domains (duplicates asked once, read from an array or a stream) with bounded
   * concurrency, along the question plan: every domain's answer records first, then the details at
   * lower priority. Resolves with every verdict in input order (unless `keep` is false), reporting
   * each as it completes through the callbacks.
   */
  async checkDomains(
    source: Iterable<NormalisedDomain> | AsyncIterable<NormalisedDomain>,
    options: CheckOptions = {},
  ): Promise<DomainVerdict[]> {
    const { signal } = options;
    // A check after the resolvers were found unreachable (Retry, a later check) probes them first.
    if (this.client.unreachable) this.client.probeAgain?.();
    const keep = options.keep ?? true;
    const window = options.window ?? Number.POSITIVE_INFINITY;
    const refresh = options.refresh ?? false;
    const plan = options.plan ?? this.planFor(options.informational);
    const seen = new DomainSet();
    const kept: DomainRun[] = [];
    const lanes = new LanedQueue<Question>();
    const runs = new Map<string, DomainRun>();
    const progress: LookupProgress = {
      domainsDone: 0,
      domainsAnswered: 0,
      domainsTotal: options.total ?? 0,
      questionsDone: 0,
      questionsTotal: 0,
      questionsFailed: 0,
      discoveriesTotal: 0,
      discoveriesDone: 0,
    };
    const fromCloud = this.fromCloud;
    let underWay = 0;
    let asking = 0;
    let sourceDone = false;
    let failure: { error: unknown } | undefined;
    const iterator =
      Symbol.asyncIterator in source
        ? (source as AsyncIterable<NormalisedDomain>)[Symbol.asyncIterator]()
        : (source as Iterable<NormalisedDomain>)[Symbol.iterator]();
    let sleepers: (() => void)[] = [];
    const wakeAll = (): void => {
      const woken = sleepers;
      sleepers = [];
      for (const wake of woken) wake();
    };

    /** Queues a run's next step; false when its plan is done. */
    const enqueue = (run: DomainRun, first: boolean): boolean => {
      const step = advance(run, plan, fromCloud, {
        first,
        resolverUnreachable: progress.resolverUnreachable === true,
      });
      if (!step) return false;
      if (step.answersNow) answer(run, step.planned.probes, step.planned.entra);
      if (step.planned.entra && this.entra) discover(run, this.entra);
      if (step.lane === 'first' || step.lane === 'follow-up')
        lanes.pushAnswer(step.questions, step.lane === 'first');
      else lanes.pushDetails(step.questions, step.lane);
      progress.questionsTotal += step.questions.length;
      wakeAll();
      return true;
    };
    const answer = (run: DomainRun, pending: readonly Probe[], entraPending = false): void => {
      run.answered = true;
      progress.domainsAnswered = (progress.domainsAnswered ?? 0) + 1;
      if ((pending.length > 0 || entraPending) && options.onPartial) {
        options.onPartial(
          verdictOf(run, this.probes, fromCloud),
          pending.map((p) => p.id),
        );
      }
    };
    const finish = (run: DomainRun): void => {
      if (!run.answered) answer(run, []);
      const verdict = verdictOf(run, this.probes, fromCloud);
      if (keep) run.verdict = verdict;
      run.records = {};
      run.entra = undefined;
      underWay -= 1;
      runs.delete(run.domain.domain);
      progress.domainsDone += 1;
      options.onVerdict?.(verdict);
    };
    const admit = (domain: NormalisedDomain): void => {
      if (!seen.add(domain.domain)) return;
      const run = startRun(domain);
      if (keep) kept.push(run);
      runs.set(run.domain.domain, run);
      underWay += 1;
      progress.domainsTotal = Math.max(progress.domainsTotal, seen.size);
      if (!enqueue(run, true)) finish(run);
    };
    let reading: Promise<void> | undefined;
    /** Reads domains from the source until the window is full (one reader at a time). */
    const read = (): Promise<void> =>
      (reading ??= (async () => {
        try {
          while (!sourceDone && underWay < window && lanes.firstsWaiting < this.concurrency * 2) {
            const next = await iterator.next();
            if (next.done) sourceDone = true;
            else admit(next.value);
          }
          if (sourceDone) progress.domainsTotal = seen.size;
        } catch (error) {
          failure ??= { error };
        } finally {
          reading = undefined;
          wakeAll();
        }
      })());

    /** A step's part is in: the run goes on (or finishes) once the whole step is. */
    const stepPartIn = (run: DomainRun, stepDone: boolean): void => {
      if (stepDone && !enqueue(run, false)) finish(run);
      options.onProgress?.({ ...progress });
    };
    const settleQuestion = (question: Question, result: RecordResult): void => {
      progress.questionsDone += 1;
      if (result.status === 'error') {
        progress.questionsFailed = (progress.questionsFailed ?? 0) + 1;
        // The client says so itself: it gave up on every resolver (its health check).
        if (this.client.unreachable) progress.resolverUnreachable = true;
      }
      stepPartIn(question.run, settle(question.run, question.probe, result));
    };
    /**
     * Entra ID discovery beside the step's DNS questions, outside the DNS workers (it has its own
     * limit of requests in flight): counted in `asking`, so the workers do not stop before it is in.
     */
    const discover = (run: DomainRun, entra: EntraSource): void => {
      askingEntra(run);
      asking += 1;
      progress.discoveriesTotal = (progress.discoveriesTotal ?? 0) + 1;
      entra.discover(run.domain.domain, signal).then(
        (finding) => {
          asking -= 1;
          progress.discoveriesDone = (progress.discoveriesDone ?? 0) + 1;
          stepPartIn(run, settleEntra(run, finding));
          wakeAll();
        },
        (error: unknown) => {
          // Only an abort rejects (see EntraSource); the check is ending with it.
          asking -= 1;
          failure ??= { error };
          wakeAll();
        },
      );
    };

    /**
     * The next question to ask (counted in `asking` until settled), or undefined when all is done.
     * Details wait while the source still has domains whose answers could go first.
     */
    const take = async (): Promise<Question | undefined> => {
      for (;;) {
        if (failure) throw failure.error;
        if (signal?.aborted) throw signal.reason;
        const roomForMore = !sourceDone && underWay < window;
        let question = lanes.nextAnswer();
        if (!question && roomForMore) {
          await read();
          continue;
        }
        if (roomForMore && lanes.firstsWaiting < this.concurrency) void read();
        question ??= lanes.nextDetail();
        if (question) {
          question.taken = true;
          asking += 1;
          return question;
        }
        if (sourceDone && asking === 0 && !reading) return undefined;
        await new Promise<void>((resolve) => sleepers.push(resolve));
      }
    };

    const worker = async (): Promise<void> => {
      for (;;) {
        const question = await take();
        if (!question) return;
        try {
          const result = await this.records.lookup(
            question.probe,
            question.run.domain.domain,
            signal,
            refresh,
          );
          settleQuestion(question, result);
        } finally {
          asking -= 1;
          // The last answer in may leave nothing more to ask: the workers waiting can stop.
          if (asking === 0) wakeAll();
        }
      }
    };
    const hurry = (domain: string): void => {
      const queued = runs.get(domain)?.queuedDetails;
      if (!queued) return;
      lanes.hurry(queued);
      wakeAll();
    };
    const defer = (domain: string): void => {
      const run = runs.get(domain);
      if (!run || run.later) return;
      run.later = true;
      if (run.queuedEvidence || !run.queuedDetails) return;
      lanes.defer(run.queuedDetails);
    };
    this.hurryListeners.add(hurry);
    this.deferListeners.add(defer);
    const stopWaiting = signal ? onAbort(signal, wakeAll) : () => undefined;
    try {
      options.onProgress?.({ ...progress });
      await read();
      if (failure) throw failure.error;
      await Promise.all(Array.from({ length: this.concurrency }, worker));
    } catch (error) {
      failure ??= { error };
      wakeAll();
      throw error;
    } finally {
      stopWaiting();
      this.hurryListeners.delete(hurry);
      this.deferListeners.delete(defer);
    }
    if (signal?.aborted) throw signal.reason;
    return keep ? kept.map((run) => run.verdict as DomainVerdict) : [];
  }

  /** The plan for `CheckOptions.informational`: the lookup's own, with all, or with some informational records. */
  private planFor(informational: CheckOptions['informational']): QuestionPlan {
    if (informational === true) return this.completePlan;
    if (!informational || informational.length === 0) return this.plan;
    const probes = this.probes.filter((p) => p.tier !== 3 || informational.includes(p.id));
    return new QuestionPlan(probes, this.plan.profile, { entra: this.plan.entra });
  }

  /**
   * Asks a domain's waiting details before any other question, in every check under way: for a
   * person whose details are open, or rows on screen, while the rest of the details wait.
   */
  hurry(domains: Iterable<string>): void {
    for (const domain of domains) for (const listener of this.hurryListeners) listener(domain);
  }

  /**
   * Lets these domains' details wait behind every other question, in every check under way: the
   * community directory already knows them. Their answers and tenant evidence (which can change an
   * answer) are not delayed, and {@link hurry} still brings a domain's details forward.
   */
  deferDetails(domains: Iterable<string>): void {
    for (const domain of domains) for (const listener of this.deferListeners) listener(domain);
  }

  /** One domain's verdict. */
  async checkDomain(domain: NormalisedDomain, options: CheckOptions = {}): Promise<DomainVerdict> {
    const [verdict] = await this.checkDomains([domain], options);
    return verdict as DomainVerdict;
  }
}
