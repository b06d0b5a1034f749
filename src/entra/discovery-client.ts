import { interpretDiscovery, MOST_DISCOVERY_BYTES, type EntraFinding } from '../core/entra';
import { Limiter } from '../async/limiter';
import { untilAborted } from '../async/until-aborted';

/** Microsoft's sign-in service: where MSAL.js, AADInternals and bbot read tenants' discovery documents. */
export const DEFAULT_ENTRA_URL = 'https://login.microsoftonline.com';

/** Requests to the sign-in service in flight at once: it is one service, asked politely. */
export const ENTRA_MAX_IN_FLIGHT = 8;

/** What the client reads of an HTTP response: a subset of the Fetch API's `Response`. */
export interface EntraResponse {
  status: number;
  headers: { get(name: string): string | null };
  body?: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The HTTP function: the browser's or Node's `fetch` fits it as it is. */
export type EntraFetch = (
  url: string,
  init: { method: 'GET'; headers: Record<string, string>; signal: AbortSignal },
) => Promise<EntraResponse>;

export interface EntraDiscoveryOptions {
  /** The sign-in service's base URL (`--entra-url`, `WCF_ENTRA_URL`); any URL, `http` included, for tests. */
  baseUrl?: string;
  fetch?: EntraFetch;
  /** Time limit of one request, body included. */
  timeoutMs?: number;
  maxInFlight?: number;
  /** How long a finding (tenant or none) is kept; failures are never kept, so asking again retries. */
  ttlMs?: number;
  /** Most findings kept; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/** Thrown inside a request that passed its time limit; reported as an `error` finding, never as "no". */
class DiscoveryTimeout extends Error {
  override name = 'DiscoveryTimeout';
}

/**
 * Asks Entra ID whether a domain is verified in a tenant, and in which cloud:
 * `GET <base>/<domain>/v2.0/.well-known/openid-configuration`. At most {@link ENTRA_MAX_IN_FLIGHT}
 * requests at once, a domain asked once (findings cached, requests in flight shared), every answer
 * bounded in size and time and read by `interpretDiscovery` (core/entra.ts). Never rejects for the
 * service's trouble: that is an `error` (or `unreachable`) finding; rejects only when `signal` aborts.
 *
 * @example
 * const entra = new EntraDiscovery({ baseUrl: 'http://127.0.0.1:8080' });
 * await entra.discover('contoso.com'); // { status: 'tenant', tenantId: '…', cloud: 'commercial' }
 */
export class EntraDiscovery {
  readonly baseUrl: string;
  private readonly fetch: EntraFetch;
  private readonly timeoutMs: number;
  private readonly limiter: Limiter;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly found = new Map<string, { finding: EntraFinding; expires: number }>();
  private readonly inFlight = new Map<string, Promise<EntraFinding>>();
  /** Requests sent (not answered from the cache): what the benchmarks count. */
  requests = 0;

  constructor(options: EntraDiscoveryOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_ENTRA_URL).replace(/\/+$/, '');
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init) as Promise<EntraResponse>);
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.limiter = new Limiter(options.maxInFlight ?? ENTRA_MAX_IN_FLIGHT);
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The URL asked for a domain (ASCII, lower case). */
  urlFor(domain: string): string {
    return `${this.baseUrl}/${encodeURIComponent(domain)}/v2.0/.well-known/openid-configuration`;
  }

  /** What Entra ID says of `domain`: from the cache, a request in flight, or asked now. */
  discover(domain: string, signal?: AbortSignal): Promise<EntraFinding> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const cached = this.found.get(domain);
    if (cached && cached.expires > this.now()) return Promise.resolve(cached.finding);
    if (cached) this.found.delete(domain);
    let pending = this.inFlight.get(domain);
    if (!pending) {
      pending = this.limiter
        .run(() => this.ask(domain), signal)
        .then((finding) => {
          if (finding.status === 'tenant' || finding.status === 'none') this.remember(domain, finding);
          return finding;
        })
        .finally(() => this.inFlight.delete(domain));
      this.inFlight.set(domain, pending);
    }
    // A request shared with other askers runs on when this one gives up (one listener per signal).
    return signal ? untilAborted(pending, signal) : pending;
  }

  private remember(domain: string, finding: EntraFinding): void {
    if (this.found.size >= this.maxEntries) {
      const oldest = this.found.keys().next().value;
      if (oldest !== undefined) this.found.delete(oldest);
    }
    this.found.set(domain, { finding, expires: this.now() + this.ttlMs });
  }

  /** One request, within its own time limit (a timer of its own, cleared when done: see shared/README). */
  private async ask(domain: string): Promise<EntraFinding> {
    this.requests += 1;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DiscoveryTimeout());
    }, this.timeoutMs);
    try {
      const response = await this.fetch(this.urlFor(domain), {
        method: 'GET',
        headers: { accept: 'application/json' },
        signal: controller.signal,
      });
      const body = await readBounded(response, MOST_DISCOVERY_BYTES);
      if (body === undefined) {
        return { status: 'error', error: "Microsoft's sign-in service sent more than a discovery document" };
      }
      return interpretDiscovery(response.status, body);
    } catch (error) {
      if (timedOut) {
        return {
          status: 'error',
          error: `Microsoft's sign-in service did not answer within ${this.timeoutMs / 1000} s`,
        };
      }
      const detail = error instanceof Error ? error.message : String(error);
      return { status: 'unreachable', error: `cannot reach Microsoft's sign-in service: ${detail}` };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The body as text, or undefined past `limit` bytes (announced or sent): the service's size is not trusted. */
async function readBounded(response: EntraResponse, limit: number): Promise<string | undefined> {
  const announced = Number(response.headers.get('content-length') ?? '0');
  if (announced > limit) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.byteLength > limit ? undefined : new TextDecoder().decode(bytes);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}
