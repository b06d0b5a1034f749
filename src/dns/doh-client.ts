import { systemClock, type Clock } from '../async/clock';
import { decodeAnswerTo, isTruncated, refuseUnanswered } from './answer-checks';
import { DeadlineSignals, deadlinePassed } from '../async/deadline-signals';
import {
  DnsUnreachableError,
  DnsAllFailedError,
  DnsError,
  DohHttpError,
  DnsMalformedError,
  DnsNetworkError,
  DnsTimeoutError,
} from './errors';
import { Limiter } from '../async/limiter';
import { untilAborted } from '../async/until-aborted';
import { base64Url, DNS_MESSAGE, encodeQuery, ownBytes, type Packet, type RecordType } from './wire';

/**
 * Public resolvers that answer RFC 8484 and send CORS headers, so the same list works in the Outlook
 * webview and in Node. (Quad9 sends no CORS headers, so it is not a default.)
 */
export const PUBLIC_DOH_ENDPOINTS: readonly string[] = [
  'https://cloudflare-dns.com/dns-query',
  'https://dns.google/dns-query',
];

/** Public resolvers publish no rate limit; 64 questions in flight per resolver stays well clear of trouble. */
export const DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT = 64;

/** What the client reads of an HTTP response: a subset of the Fetch API's `Response`. */
export interface FetchLikeResponse {
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
  /** The body as bytes without a copy, where the Fetch implementation has it (newer browsers, ours). */
  bytes?(): Promise<Uint8Array>;
}

/**
 * The HTTP function the client needs: the browser's `fetch` fits it as it is; in Node,
 * `createNodeFetch()` (node-fetch.ts) does the same with less CPU per request.
 */
export type FetchLike = (
  url: string,
  init: {
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    body?: Uint8Array<ArrayBuffer>;
    signal: AbortSignal;
    cache?: 'no-store';
  },
) => Promise<FetchLikeResponse>;

export interface DohClientOptions {
  /** RFC 8484 endpoints, tried in order; a failing one is skipped until it recovers. */
  endpoints?: readonly string[];
  /** Injected so the client runs unchanged in browsers, Node and tests; the global `fetch` by default. */
  fetch?: FetchLike;
  /** Per-attempt time limit in ms. */
  timeoutMs?: number;
  /**
   * Further attempts after a time-out, 5xx or 429 (each after a back-off, on the next endpoint). An
   * endpoint that is unreachable or answers garbage is skipped for the next one without using a retry.
   */
  retries?: number;
  /** First back-off in ms; doubles on each retry, with jitter. */
  backoffMs?: number;
  maxInFlightPerEndpoint?: number;
  /**
   * Skip the HTTP cache (`cache: 'no-store'`): in a browser, where answers already live in the
   * lookup's own TTL cache, this saves the browser a cache look-up and write per question.
   */
  bypassHttpCache?: boolean;
  /** How long an endpoint that kept failing is tried last. */
  quarantineMs?: number;
  /**
   * Questions in a row that time out or fail on the network, with no answer between them, after which
   * an endpoint is unreachable; when every endpoint is, the client stops asking (see
   * {@link DnsUnreachableError}) until {@link DohClient.probeAgain}.
   */
  unreachableAfter?: number;
  clock?: Clock;
}

interface EndpointState {
  url: string;
  /** The URL a GET appends its base64url question to: `…/dns-query?dns=` (or `&dns=`). */
  getPrefix: string;
  limiter: Limiter;
  /** Set once the endpoint refused a GET, so later questions go straight to POST. */
  usePost: boolean;
  consecutiveFailures: number;
  quarantinedUntil: number;
  /** Questions in a row that got no HTTP answer at all (time-out, network); any answer resets it. */
  silentStreak: number;
}

/** A decoded answer with its rcode, and which endpoint gave it. */
export type DnsResponse = Packet & { rcode?: string; endpoint: string };

/** What came back over HTTP, body read in full within the time limit. */
interface HttpReply {
  status: number;
  headers: FetchLikeResponse['headers'];
  body: Uint8Array;
}

const QUARANTINE_AFTER_FAILURES = 3;
/**
 * Silent questions in a row before an endpoint counts as unreachable: well past what a slow but
 * working resolver shows (any answer, even an HTTP error, resets the count), and reached by the first
 * wave of time-outs of a check (64 questions in flight), so a blocked resolver is known in one time limit.
 */
export const DEFAULT_UNREACHABLE_AFTER = 12;
/** HTTP statuses with which servers say "this method/size is not for me": ask again by POST. */
const GET_REFUSED = new Set([405, 414, 415, 501]);

/** Asks one question of a list of DoH resolvers, with time-outs, retries, failover and a cap on questions in flight. */
export class DohClient {
  readonly endpoints: readonly string[];
  private readonly fetch: FetchLike;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly quarantineMs: number;
  private readonly bypassHttpCache: boolean;
  private readonly clock: Clock;
  private readonly states: EndpointState[];
  private readonly deadlines: DeadlineSignals;
  private readonly unreachableAfter: number;
  /** Set when every endpoint is unreachable: aborts what is in flight, refuses what comes. */
  private gaveUp: { controller: AbortController; error?: DnsUnreachableError } = {
    controller: new AbortController(),
  };

  constructor(options: DohClientOptions = {}) {
    this.endpoints = [...(options.endpoints ?? PUBLIC_DOH_ENDPOINTS)];
    if (this.endpoints.length === 0) throw new DnsAllFailedError([]);
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init as RequestInit));
    this.timeoutMs = options.timeoutMs ?? 4000;
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 250;
    this.quarantineMs = options.quarantineMs ?? 30_000;
    this.bypassHttpCache = options.bypassHttpCache ?? false;
    this.clock = options.clock ?? systemClock;
    this.unreachableAfter = options.unreachableAfter ?? DEFAULT_UNREACHABLE_AFTER;
    // Deadlines told apart to 1/20 of the limit (at most 100 ms): 4 s means 4.0–4.1 s.
    this.deadlines = new DeadlineSignals(Math.max(1, Math.min(100, this.timeoutMs / 20)));
    const limit = options.maxInFlightPerEndpoint ?? DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT;
    this.states = this.endpoints.map((url) => ({
      url,
      getPrefix: `${url}${url.includes('?') ? '&' : '?'}dns=`,
      limiter: new Limiter(limit),
      usePost: false,
      consecutiveFailures: 0,
      quarantinedUntil: 0,
      silentStreak: 0,
    }));
  }

  /** Whether every endpoint was found unreachable (and the client stopped asking). */
  get unreachable(): boolean {
    return this.gaveUp.error !== undefined;
  }

  /**
   * After {@link unreachable}: ask again, but give up at the first silent question (a Retry, or a later
   * check, probes first: a resolver still blocked costs one time limit, not one per question).
   */
  probeAgain(): void {
    if (!this.gaveUp.error) return;
    this.gaveUp = { controller: new AbortController() };
    for (const state of this.states) state.silentStreak = Math.max(0, this.unreachableAfter - 1);
  }

  /** Counts a question that got no answer from `state`; gives up on every endpoint once all are silent. */
  private noteSilence(state: EndpointState): void {
    state.silentStreak += 1;
    if (this.gaveUp.error) return;
    if (this.states.every((s) => s.silentStreak >= this.unreachableAfter)) {
      const error = new DnsUnreachableError(
        this.states.map((s) => s.url),
        Math.max(...this.states.map((s) => s.silentStreak)),
      );
      this.gaveUp.error = error;
      this.gaveUp.controller.abort(error);
    }
  }

  /** Healthy endpoints in configured order, then quarantined ones: a list of the question's own. */
  private endpointOrder(): EndpointState[] {
    const now = this.clock.now();
    if (this.states.every((s) => s.quarantinedUntil <= now)) return this.states.slice();
    const healthy = this.states.filter((s) => s.quarantinedUntil <= now);
    const quarantined = this.states.filter((s) => s.quarantinedUntil > now);
    return [...healthy, ...quarantined];
  }

  /**
   * Asks `type` records of `name`. Resolves with the decoded answer, whatever its rcode (SERVFAIL is an
   * answer); rejects with a {@link DnsAllFailedError} when no endpoint answered, or with the signal's
   * reason when aborted.
   */
  async query(name: string, type: RecordType, signal?: AbortSignal): Promise<DnsResponse> {
    if (this.gaveUp.error) throw this.gaveUp.error;
    const failures: DnsError[] = [];
    const candidates = this.endpointOrder();
    let retriesLeft = this.retries;
    let next = 0;
    let previous: DnsError | undefined;
    while (candidates.length > 0) {
      if (previous) await this.clock.sleep(this.backoff(this.retries - retriesLeft, previous), signal);
      const index = next % candidates.length;
      const state = candidates[index] as EndpointState;
      try {
        const packet = await state.limiter.run(() => this.attempt(state, name, type, signal), signal);
        state.consecutiveFailures = 0;
        state.quarantinedUntil = 0;
        state.silentStreak = 0;
        const response = packet as DnsResponse;
        response.endpoint = state.url;
        return response;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const failure = error instanceof DnsError ? error : new DnsNetworkError(state.url, error);
        failures.push(failure);
        if (failure instanceof DnsTimeoutError || failure instanceof DnsNetworkError) this.noteSilence(state);
        else state.silentStreak = 0;
        // Given up (by this question's silence, or another's meanwhile): every question ends here.
        if (this.gaveUp.error) throw this.gaveUp.error;
        if (failure.retryable) this.noteTransportFailure(state);
        if (failure instanceof DnsNetworkError || !failure.retryable) {
          // Unreachable, refusing or garbling endpoints are dropped for this question and the next
          // one is asked at once, without using up a retry.
          candidates.splice(index, 1);
          next = index;
          previous = undefined;
        } else {
          // A slow or overloaded endpoint (time-out, 5xx, 429) stays in the rotation; the next
          // endpoint is asked after a back-off, as long as retries are left.
          if (retriesLeft === 0) break;
          retriesLeft -= 1;
          next = index + 1;
          previous = failure;
        }
      }
    }
    throw new DnsAllFailedError(failures);
  }

  /** Exponential back-off with jitter, or the server's `Retry-After` when it asked for longer. */
  private backoff(retry: number, previous: DnsError): number {
    const retryAfterMs =
      previous instanceof DohHttpError && previous.retryAfterSeconds !== undefined
        ? previous.retryAfterSeconds * 1000
        : 0;
    const exponential = this.backoffMs * 2 ** (retry - 1) * (0.5 + Math.random() / 2);
    return Math.max(retryAfterMs, exponential);
  }

  /** An endpoint that keeps failing is tried last for a while, so other questions go elsewhere first. */
  private noteTransportFailure(state: EndpointState): void {
    state.consecutiveFailures += 1;
    if (state.consecutiveFailures >= QUARANTINE_AFTER_FAILURES) {
      state.quarantinedUntil = this.clock.now() + this.quarantineMs;
    }
  }

  private async attempt(
    state: EndpointState,
    name: string,
    type: RecordType,
    signal?: AbortSignal,
  ): Promise<Packet> {
    const query = encodeQuery(name, type);
    const sentByPost = state.usePost;
    const response = await this.send(state, query, signal);
    if (!sentByPost && GET_REFUSED.has(response.status)) {
      // The resolver takes POST only: every later question goes by POST, and this one (and any
      // other GET already in flight when the refusal came) is asked again by POST, not failed.
      state.usePost = true;
      return this.read(state, await this.send(state, query, signal), name, type);
    }
    return this.read(state, response, name, type);
  }

  private async send(state: EndpointState, query: Uint8Array, signal?: AbortSignal): Promise<HttpReply> {
    // The time limit is a signal shared with the other requests due at about the same time; the
    // caller's cancel is waited on beside the request, so no controller of its own is made per
    // question (see DeadlineSignals). A cancelled request runs on until its answer or its limit.
    const deadline = this.deadlines.begin(this.timeoutMs);
    try {
      // GET with the question in the URL is cacheable and, from a browser, needs no CORS preflight;
      // POST (which needs a preflight for its content type) only where an endpoint refused GET.
      const init: Parameters<FetchLike>[1] = state.usePost
        ? {
            method: 'POST',
            headers: { accept: DNS_MESSAGE, 'content-type': DNS_MESSAGE },
            body: ownBytes(query),
            signal: deadline,
          }
        : { method: 'GET', headers: { accept: DNS_MESSAGE }, signal: deadline };
      if (this.bypassHttpCache) init.cache = 'no-store';
      const url = state.usePost ? state.url : state.getPrefix + base64Url(query);
      const gaveUp = this.gaveUp;
      if (gaveUp.error) throw gaveUp.error;
      const exchange = this.exchange(url, init);
      // Waited on beside the request: when every endpoint is found unreachable, this one stops too.
      const request = untilAborted(exchange, gaveUp.controller.signal);
      return await (signal ? untilAborted(request, signal) : request);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (deadlinePassed(deadline)) throw new DnsTimeoutError(state.url, this.timeoutMs);
      throw new DnsNetworkError(state.url, error);
    } finally {
      this.deadlines.end();
    }
  }

  /** One HTTP request and its whole body: a server that sends headers and stalls is a time-out too. */
  private async exchange(url: string, init: Parameters<FetchLike>[1]): Promise<HttpReply> {
    const response = await this.fetch(url, init);
    const body = response.bytes ? await response.bytes() : new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body };
  }

  private read(state: EndpointState, response: HttpReply, name: string, type: RecordType): Packet {
    if (response.status < 200 || response.status > 299) {
      throw new DohHttpError(
        state.url,
        response.status,
        parseRetryAfter(response.headers.get('retry-after')),
      );
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.toLowerCase().startsWith(DNS_MESSAGE)) {
      throw new DnsMalformedError(state.url, `content type "${contentType}" is not ${DNS_MESSAGE}`);
    }
    const packet = decodeAnswerTo(state.url, response.body, name, type);
    if (isTruncated(packet)) {
      // A DoH answer is never truncated for size (RFC 8484 §5); a TC answer is partial: never used.
      throw new DnsMalformedError(state.url, 'the answer was truncated (TC bit set)');
    }
    refuseUnanswered(state.url, packet);
    return packet;
  }
}

/** Retry-After as seconds (delta form only; an HTTP date is rare from resolvers and ignored). */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) : undefined;
}
