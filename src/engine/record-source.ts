import { onAbort } from '../async/abort-listeners';
import type { RateLimiter } from '../async/rate-limiter';
import { questionName, type Probe, type ProbeRecordType } from '../core/probes';
import { errorResult, type RecordResult } from '../core/records';
import { interpretAnswer } from '../dns/answer';
import { DnsError } from '../dns/errors';
import type { DnsQuerier } from '../dns/querier';
import type { RecordCache } from '../dns/record-cache';

interface SharedQuestion {
  promise: Promise<RecordResult>;
  /** The signal of the run that asked it: when it aborts, so does the request. */
  signal: AbortSignal | undefined;
}

/**
 * Where the engine gets one record of one domain: from the cache (answers kept for their TTL), from
 * the same question already in flight (asked once however many runs want it), or asked now, within
 * the rate limit. DNS trouble is an `error` result, never a rejection.
 */
export class RecordSource {
  private readonly inFlight = new Map<string, SharedQuestion>();

  constructor(
    private readonly client: DnsQuerier,
    private readonly cache: RecordCache,
    private readonly rate: RateLimiter | undefined,
  ) {}

  /**
   * One record of one domain. Rejects only when `signal` aborts; `refresh` asks again whatever the
   * cache holds (and refreshes it).
   */
  lookup(probe: Probe, domain: string, signal?: AbortSignal, refresh = false): Promise<RecordResult> {
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
            resolve(this.lookup(probe, domain, signal, refresh));
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
      if (error instanceof DnsError) return errorResult(error.message);
      throw error;
    }
  }
}
