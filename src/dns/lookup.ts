import type { NormalisedDomain } from '../core/address';
import { DomainSet } from '../core/domain-set';
import { PROBES, questionName, type Probe, type ProbeId, type ProbeRecordType } from '../core/probes';
import { QuestionPlan, type Profile } from '../core/question-plan';
import { errorResult, type RecordResult } from '../core/records';
import type { Cloud } from '../core/cloud';
import type { EntraFinding } from '../core/entra';
import { buildVerdict, type DomainVerdict } from '../core/verdict';
import { onAbort } from './abort-listeners';
import { interpretAnswer } from './answer';
import type { DnsResponse } from './doh-client';
import { DohError } from './errors';
import { Fifo } from './fifo';
import { RateLimiter } from './rate-limiter';
import { RecordCache } from './record-cache';
import type { RecordType } from './wire';

/** What the lookup needs of a DNS client: the {@link DohClient} in production, anything alike in tests. */
export interface DnsQuerier {
  query(name: string, type: RecordType, signal?: AbortSignal): Promise<DnsResponse>;
  /** Whether the client found every resolver unreachable and stopped asking (the DoH client's health check). */
  readonly unreachable?: boolean;
  /** Asks again after {@link unreachable}, giving up at the first silent question. */
  probeAgain?(): void;
}

/** What the lookup needs of Entra ID discovery: the {@link EntraDiscovery} (entra/discovery-client.ts). */
export interface EntraSource {
  /** Never rejects for the service's trouble (an `error` finding); only when `signal` aborts. */
  discover(domain: string, signal?: AbortSignal): Promise<EntraFinding>;
}

export interface FederationLookupOptions {
  client: DnsQuerier;
  /**
   * Entra ID discovery, asked where a domain's answer is still open (no SIP federation record, no
   * Microsoft 365 MX, not a consumer provider); without it, the DNS evidence alone decides.
   */
  entra?: EntraSource;
  /**
   * The checking user's Microsoft 365 cloud: a tenant in another cloud is not "likely via Teams"
   * (see core/cloud.ts). Without it (the collector), no cross-cloud rule applies.
   */
  fromCloud?: Cloud;
  /** Which records to ask; the whole catalogue by default. */
  probes?: readonly Probe[];
  /** Questions in flight at once across all domains. */
  concurrency?: number;
  cache?: RecordCache;
  /** At most this many questions a second (`--rate`): for resolvers that limit each client. */
  ratePerSecond?: number;
  /** How much to ask (see `question-plan.ts`): `standard` (everything chosen) by default. */
  profile?: Profile;
  /** Whether the details include the informational records (true by default; the pane says false). */
  informational?: boolean;
}

export interface LookupProgress {
  /** Domains whose every planned record is in. */
  domainsDone: number;
  /** Domains with their answer (the answer phase done); details may still be coming. */
  domainsAnswered?: number;
  /** Domains to check: the source's length once read (or `CheckOptions.total` while it streams). */
  domainsTotal: number;
  questionsDone: number;
  /** Questions planned so far: it grows as answers decide what else to ask. */
  questionsTotal: number;
  /** Questions that got no answer (time-out, unreachable, SERVFAIL…): what shows as "unknown". */
  questionsFailed?: number;
  /**
   * Every resolver was found unreachable (nothing answered while many questions timed out): the
   * questions left fail at once. A screen says so at once, not when the check ends.
   */
  resolverUnreachable?: boolean;
  /** Entra ID discovery asked (of domains whose answer it could change) and answered so far. */
  discoveriesTotal?: number;
  discoveriesDone?: number;
}

export interface CheckOptions {
  signal?: AbortSignal;
  /**
   * Called once a domain's answer records are in (the plan's answer phase), before its other records
   * are: lets a screen show the answer early. `pending` lists the records still asked (empty when only
   * Entra ID discovery is); tenant evidence, Entra ID's first, may still turn a "no" into "likely via Teams".
   */
  onPartial?: (verdict: DomainVerdict, pending: ProbeId[]) => void;
  /** Called with each complete verdict, as it completes. */
  onVerdict?: (verdict: DomainVerdict) => void;
  onProgress?: (progress: LookupProgress) => void;
  /** Ask every question again, ignoring (and then refreshing) cached answers: the pane's "Refresh". */
  refresh?: boolean;
  /**
   * Keep the verdicts to resolve with (the default). A streaming run (`onVerdict` writes each one)
   * says false, so that finished domains are not held in memory: it then resolves with `[]`.
   */
  keep?: boolean;
  /**
   * At most this many domains under way at once, read from the source as others finish: what keeps
   * a run over millions of domains (read from a stream) in flat memory. Unbounded by default, so a
   * pane's few thousand domains all get their answers before any detail is asked.
   */
  window?: number;
  /** How many domains the source holds, when known before it is read (a streamed input): for progress. */
  total?: number;
  /** Another plan for this check. */
  plan?: QuestionPlan;
  /**
   * Ask the informational records too, whatever the lookup's default: all of them (a person's
   * details opened), or only these (an export's client-access column). What is cached is not asked again.
   */
  informational?: boolean | readonly ProbeId[];
}

interface Question {
  domain: DomainState;
  probe: Probe;
  /** Set once asked: a question hurried to the front is also still in its old queue, and skipped there. */
  taken?: boolean;
  /** Moved behind every other detail ({@link FederationLookup.deferDetails}): skipped in its old queue. */
  later?: boolean;
}

interface DomainState {
  domain: NormalisedDomain;
  records: Partial<Record<ProbeId, RecordResult>>;
  /** Entra ID's finding, once in; `entraAsked` from the moment it is asked. */
  entra?: EntraFinding;
  entraAsked?: boolean;
  /** The plan step being asked, and how many of its questions are still out. */
  step: number;
  waiting: number;
  answered: boolean;
  verdict?: DomainVerdict;
  /** The detail questions of the current step, until asked: what {@link FederationLookup.hurry} moves. */
  queuedDetails?: Question[];
  /** Whether those are tenant evidence (which can change the answer, so never deferred). */
  queuedEvidence?: boolean;
  /** Its details wait behind every other domain's ({@link FederationLookup.deferDetails}). */
  later?: boolean;
}

interface SharedQuestion {
  promise: Promise<RecordResult>;
  /** The signal of the run that asked it: when it aborts, so does the request. */
  signal: AbortSignal | undefined;
}

export const DEFAULT_CONCURRENCY = 64;

/**
 * Many domains → verdicts. Every (domain, record) question is asked once: answers are cached with
 * their TTL and identical questions in flight share one request. The records that decide
 * `canFederate` are asked for every domain before the rest, so the answer that matters arrives first.
 */
export class FederationLookup {
  readonly probes: readonly Probe[];
  readonly concurrency: number;
  readonly plan: QuestionPlan;
  /** The same plan with the informational records: for `CheckOptions.informational`. */
  private readonly completePlan: QuestionPlan;
  private readonly client: DnsQuerier;
  private readonly cache: RecordCache;
  private readonly inFlight = new Map<string, SharedQuestion>();
  /** The runs under way, each told by {@link hurry} which domains someone is looking at. */
  private readonly hurryListeners = new Set<(domain: string) => void>();
  /** The runs under way, each told by {@link deferDetails} which domains' details can wait. */
  private readonly deferListeners = new Set<(domain: string) => void>();
  private readonly rate: RateLimiter | undefined;
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
    this.cache = options.cache ?? new RecordCache();
    const entra = options.entra !== undefined;
    this.plan = new QuestionPlan(this.probes, options.profile, {
      informational: options.informational,
      entra,
    });
    this.completePlan = new QuestionPlan(this.probes, options.profile, { entra });
    this.rate = options.ratePerSecond === undefined ? undefined : new RateLimiter(options.ratePerSecond);
  }

  /**
   * One record of one domain: from the cache, from a question already in flight, or asked now.
   * Never rejects for DNS trouble (that is an `error` result); rejects only when `signal` aborts.
   */
  lookupRecord(probe: Probe, domain: string, signal?: AbortSignal, refresh = false): Promise<RecordResult> {
    return this.lookupIn(signal, probe, domain, refresh);
  }

  private lookupIn(
    signal: AbortSignal | undefined,
    probe: Probe,
    domain: string,
    refresh: boolean,
  ): Promise<RecordResult> {
    const name = questionName(probe, domain);
    const cached = refresh ? undefined : this.cache.get(name, probe.type);
    if (cached) return Promise.resolve(cached);
    const key = `${probe.type} ${name}`;
    let shared = this.inFlight.get(key);
    if (!shared) {
      // The request carries the asking run's own signal: no controller of its own per question,
      // which showed in CPU profiles at thousands of questions a second.
      const promise = this.ask(name, probe.type, signal).finally(() => this.inFlight.delete(key));
      shared = { promise, signal };
      this.inFlight.set(key, shared);
    }
    return this.wait(shared, signal, probe, domain, refresh);
  }

  /**
   * Waits for a question, perhaps one another run asked. When that run is cancelled, its request
   * goes with it, and this run (not cancelled) asks the question again instead of failing.
   */
  private wait(
    shared: SharedQuestion,
    signal: AbortSignal | undefined,
    probe: Probe,
    domain: string,
    refresh: boolean,
  ): Promise<RecordResult> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (shared.signal === signal) return shared.promise;
    return new Promise<RecordResult>((resolve, reject) => {
      // One listener per signal however many questions wait on it (abort-listeners.ts).
      const leave = signal ? onAbort(signal, () => reject(signal.reason)) : () => undefined;
      shared.promise.then(
        (result) => {
          leave();
          resolve(result);
        },
        (error: unknown) => {
          leave();
          if (shared.signal?.aborted && !signal?.aborted)
            resolve(this.lookupIn(signal, probe, domain, refresh));
          else reject(error);
        },
      );
    });
  }

  private async ask(
    name: string,
    type: ProbeRecordType,
    signal: AbortSignal | undefined,
  ): Promise<RecordResult> {
    try {
      await this.rate?.take(signal);
      const response = await this.client.query(name, type, signal);
      const { result, ttlSeconds } = interpretAnswer(response, name, type);
      if (ttlSeconds !== null) this.cache.set(name, type, result, ttlSeconds);
      return result;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof DohError) return errorResult(error.message);
      throw error;
    }
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
    const kept: DomainState[] = [];
    // A domain's later answer steps go first (its answer sooner), then new domains, then details.
    const followUps = new Fifo<Question>();
    const firsts = new Fifo<Question>();
    const details = new Fifo<Question>();
    // Tenant evidence can still change an answer shown ("no" to "likely via Teams"): the first details.
    const evidence = new Fifo<Question>();
    // Details someone is looking at (a person's details open, rows on screen): before everything else.
    const hurried = new Fifo<Question>();
    // Details that can wait (the community directory knows the domain): after every other question.
    const deferred = new Fifo<Question>();
    const states = new Map<string, DomainState>();
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
    const inputsOf = (state: DomainState) => ({
      entra: state.entra,
      entraAsked: state.entraAsked,
      fromCloud,
    });
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

    const enqueue = (state: DomainState, first: boolean): boolean => {
      const step = plan.next(state.domain, state.records, state.step, inputsOf(state));
      if (!step) return false;
      // With every resolver given up, DNS details are not asked (each would fail at once, and say
      // nothing); Entra ID discovery still is: Microsoft's sign-in service may still be reachable.
      if (step.phase === 'details' && progress.resolverUnreachable && !step.entra) return false;
      if (step.phase === 'details' && !state.answered) answer(state, step.probes, step.entra);
      state.step = step.index + 1;
      state.waiting = step.probes.length;
      if (step.entra && this.entra) discover(state, this.entra);
      const queue =
        step.phase === 'answer'
          ? first
            ? firsts
            : followUps
          : step.evidence
            ? evidence
            : state.later
              ? deferred
              : details;
      const questions = step.probes.map((probe) => ({ domain: state, probe }));
      for (const question of questions) queue.push(question);
      state.queuedDetails = step.phase === 'details' ? questions : undefined;
      state.queuedEvidence = step.evidence;
      progress.questionsTotal += step.probes.length;
      wakeAll();
      return true;
    };
    const answer = (state: DomainState, pending: readonly Probe[], entraPending = false): void => {
      state.answered = true;
      progress.domainsAnswered = (progress.domainsAnswered ?? 0) + 1;
      if ((pending.length > 0 || entraPending) && options.onPartial) {
        options.onPartial(
          buildVerdict(state.domain, orderRecords(state.records, this.probes), inputsOf(state)),
          pending.map((p) => p.id),
        );
      }
    };
    const finish = (state: DomainState): void => {
      if (!state.answered) answer(state, []);
      const verdict = buildVerdict(state.domain, orderRecords(state.records, this.probes), inputsOf(state));
      if (keep) state.verdict = verdict;
      state.records = {};
      state.entra = undefined;
      underWay -= 1;
      states.delete(state.domain.domain);
      progress.domainsDone += 1;
      options.onVerdict?.(verdict);
    };
    const admit = (domain: NormalisedDomain): void => {
      if (!seen.add(domain.domain)) return;
      const state: DomainState = {
        domain: { domain: domain.domain, displayDomain: domain.displayDomain },
        records: {},
        step: 0,
        waiting: 0,
        answered: false,
      };
      if (keep) kept.push(state);
      states.set(state.domain.domain, state);
      underWay += 1;
      progress.domainsTotal = Math.max(progress.domainsTotal, seen.size);
      if (!enqueue(state, true)) finish(state);
    };
    let reading: Promise<void> | undefined;
    /** Reads domains from the source until the window is full (one reader at a time). */
    const read = (): Promise<void> =>
      (reading ??= (async () => {
        try {
          while (!sourceDone && underWay < window && firsts.length < this.concurrency * 2) {
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

    const settle = (question: Question, result: RecordResult): void => {
      const state = question.domain;
      state.records[question.probe.id] = result;
      progress.questionsDone += 1;
      if (result.status === 'error') {
        progress.questionsFailed = (progress.questionsFailed ?? 0) + 1;
        // The client says so itself: it gave up on every resolver (its health check).
        if (this.client.unreachable) progress.resolverUnreachable = true;
      }
      stepDone(state);
    };
    const stepDone = (state: DomainState): void => {
      state.waiting -= 1;
      if (state.waiting === 0 && !enqueue(state, false)) finish(state);
      options.onProgress?.({ ...progress });
    };
    /**
     * Entra ID discovery beside the step's DNS questions, outside the DNS workers (it has its own
     * limit of requests in flight): counted in `asking`, so the workers do not stop before it is in.
     */
    const discover = (state: DomainState, entra: EntraSource): void => {
      state.entraAsked = true;
      state.waiting += 1;
      asking += 1;
      progress.discoveriesTotal = (progress.discoveriesTotal ?? 0) + 1;
      entra.discover(state.domain.domain, signal).then(
        (finding) => {
          asking -= 1;
          state.entra = finding;
          progress.discoveriesDone = (progress.discoveriesDone ?? 0) + 1;
          stepDone(state);
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
        let question = nextUntaken(hurried, true) ?? followUps.shift() ?? firsts.shift();
        if (!question && roomForMore) {
          await read();
          continue;
        }
        if (roomForMore && firsts.length < this.concurrency) void read();
        question ??= nextUntaken(evidence) ?? nextUntaken(details) ?? nextUntaken(deferred, true);
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
          const result = await this.lookupIn(signal, question.probe, question.domain.domain.domain, refresh);
          settle(question, result);
        } finally {
          asking -= 1;
          // The last answer in may leave nothing more to ask: the workers waiting can stop.
          if (asking === 0) wakeAll();
        }
      }
    };
    const hurry = (domain: string): void => {
      const queued = states.get(domain)?.queuedDetails;
      if (!queued) return;
      for (const question of queued) if (!question.taken) hurried.push(question);
      wakeAll();
    };
    const defer = (domain: string): void => {
      const state = states.get(domain);
      if (!state || state.later) return;
      state.later = true;
      if (state.queuedEvidence || !state.queuedDetails) return;
      for (const question of state.queuedDetails) {
        if (question.taken) continue;
        question.later = true;
        deferred.push(question);
      }
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
    return keep ? kept.map((state) => state.verdict as DomainVerdict) : [];
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

/**
 * The next question of a queue not already asked through another queue. A question moved behind
 * the rest is skipped in its old queue, not in the deferred one nor when hurried (`evenLater`).
 */
function nextUntaken(queue: Fifo<Question>, evenLater = false): Question | undefined {
  for (let question = queue.shift(); question; question = queue.shift()) {
    if (!question.taken && (evenLater || !question.later)) return question;
  }
  return undefined;
}

/** Records keyed in catalogue order, so every output lists them the same way. */
function orderRecords(
  records: Partial<Record<ProbeId, RecordResult>>,
  probes: readonly Probe[],
): Partial<Record<ProbeId, RecordResult>> {
  const ordered: Partial<Record<ProbeId, RecordResult>> = {};
  for (const probe of PROBES) {
    if (probes.includes(probe) && records[probe.id]) ordered[probe.id] = records[probe.id];
  }
  return ordered;
}
