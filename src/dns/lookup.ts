import type { NormalisedDomain } from '../core/address';
import { PROBES, questionName, type Probe, type ProbeId } from '../core/probes';
import { errorResult, type RecordResult } from '../core/records';
import { buildVerdict, type DomainVerdict } from '../core/verdict';
import { onAbort } from './abort-listeners';
import { interpretAnswer } from './answer';
import type { DnsResponse } from './doh-client';
import { DohError } from './errors';
import { RateLimiter } from './rate-limiter';
import { RecordCache } from './record-cache';
import type { RecordType } from './wire';

/** What the lookup needs of a DNS client: the {@link DohClient} in production, anything alike in tests. */
export interface DnsQuerier {
  query(name: string, type: RecordType, signal?: AbortSignal): Promise<DnsResponse>;
}

export interface FederationLookupOptions {
  client: DnsQuerier;
  /** Which records to ask; the whole catalogue by default. */
  probes?: readonly Probe[];
  /** Questions in flight at once across all domains. */
  concurrency?: number;
  cache?: RecordCache;
  /** At most this many questions a second (`--rate`): for resolvers that limit each client. */
  ratePerSecond?: number;
}

export interface LookupProgress {
  domainsDone: number;
  domainsTotal: number;
  questionsDone: number;
  questionsTotal: number;
  /** Questions that got no answer (time-out, unreachable, SERVFAIL…): what shows as "unknown". */
  questionsFailed?: number;
}

export interface CheckOptions {
  signal?: AbortSignal;
  /**
   * Called once a domain's `canFederate` is settled (its deciding records are in), before its other
   * records are: lets a screen show the answer that matters early. `pending` lists what is still asked.
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
}

interface Question {
  domain: DomainState;
  probe: Probe;
}

interface DomainState {
  domain: NormalisedDomain;
  records: Partial<Record<ProbeId, RecordResult>>;
  remaining: number;
  decidingRemaining: number;
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
  private readonly client: DnsQuerier;
  private readonly cache: RecordCache;
  private readonly inFlight = new Map<string, SharedQuestion>();
  private readonly rate: RateLimiter | undefined;

  constructor(options: FederationLookupOptions) {
    this.client = options.client;
    this.probes = options.probes ?? PROBES;
    if (this.probes.length === 0) throw new RangeError('at least one record must be asked');
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number ≥ 1, not ${this.concurrency}`);
    }
    this.cache = options.cache ?? new RecordCache();
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
    type: 'SRV' | 'MX',
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
   * Checks many domains (duplicates asked once) with bounded concurrency; resolves with every
   * verdict in input order once all are in, reporting each as it completes through the callbacks.
   */
  async checkDomains(
    domains: Iterable<NormalisedDomain>,
    options: CheckOptions = {},
  ): Promise<DomainVerdict[]> {
    const { signal } = options;
    const keep = options.keep ?? true;
    const deciding = this.probes.filter((p) => p.decidesCanFederate);
    const others = this.probes.filter((p) => !p.decidesCanFederate);
    const states = new Map<string, DomainState>();
    for (const domain of domains) {
      if (states.has(domain.domain)) continue;
      states.set(domain.domain, {
        domain: { domain: domain.domain, displayDomain: domain.displayDomain },
        records: {},
        remaining: this.probes.length,
        decidingRemaining: deciding.length,
      });
    }
    const all = [...states.values()];
    const questions: Question[] = [
      ...all.flatMap((d) => deciding.map((probe) => ({ domain: d, probe }))),
      ...all.flatMap((d) => others.map((probe) => ({ domain: d, probe }))),
    ];
    const verdicts = new Map<string, DomainVerdict>();
    const progress: LookupProgress = {
      domainsDone: 0,
      domainsTotal: all.length,
      questionsDone: 0,
      questionsTotal: questions.length,
      questionsFailed: 0,
    };
    options.onProgress?.({ ...progress });

    const settle = (question: Question, result: RecordResult): void => {
      const state = question.domain;
      state.records[question.probe.id] = result;
      state.remaining -= 1;
      progress.questionsDone += 1;
      if (result.status === 'error') progress.questionsFailed = (progress.questionsFailed ?? 0) + 1;
      if (question.probe.decidesCanFederate) {
        state.decidingRemaining -= 1;
        if (state.decidingRemaining === 0 && state.remaining > 0 && options.onPartial) {
          const pending = this.probes.filter((p) => state.records[p.id] === undefined).map((p) => p.id);
          options.onPartial(buildVerdict(state.domain, { ...state.records }), pending);
        }
      }
      if (state.remaining === 0) {
        const verdict = buildVerdict(state.domain, orderRecords(state.records, this.probes));
        if (keep) verdicts.set(state.domain.domain, verdict);
        else state.records = {};
        progress.domainsDone += 1;
        options.onVerdict?.(verdict);
      }
      options.onProgress?.({ ...progress });
    };

    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < questions.length) {
        if (signal?.aborted) throw signal.reason;
        const question = questions[next] as Question;
        next += 1;
        const result = await this.lookupIn(
          signal,
          question.probe,
          question.domain.domain.domain,
          options.refresh ?? false,
        );
        settle(question, result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, questions.length) }, worker));
    return keep ? all.map((state) => verdicts.get(state.domain.domain) as DomainVerdict) : [];
  }

  /** One domain's verdict. */
  async checkDomain(domain: NormalisedDomain, options: CheckOptions = {}): Promise<DomainVerdict> {
    const [verdict] = await this.checkDomains([domain], options);
    return verdict as DomainVerdict;
  }
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
