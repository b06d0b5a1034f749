import {
  AuthenticationHandler,
  Client,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';

export interface GraphClientOptions {
  /** Graph's base URL with its version, e.g. `https://graph.microsoft.com/v1.0` (WCF_GRAPH_BASE_URL). */
  baseUrl: string;
  /** A token for the scopes asked; called for every request, so it can refresh silently. */
  getAccessToken: () => Promise<string>;
  /** Injected so tests can trust a local server's certificate; the global fetch by default. */
  fetch?: typeof globalThis.fetch;
  /** Seconds before the first retry of a 429/503/504 without `Retry-After` (browsers may hide it). */
  retryDelaySeconds?: number;
  maxRetries?: number;
}

/** The last link of the chain: sends the request with the injected fetch. */
class FetchHandler implements Middleware {
  constructor(private readonly fetchImpl: typeof globalThis.fetch) {}
  async execute(context: Context): Promise<void> {
    context.response = await this.fetchImpl(context.request, context.options as RequestInit);
  }
}

/**
 * A Graph client with the SDK's authentication and retry handlers (which honour `Retry-After` on
 * 429/503/504 and back off exponentially without it) over an injected fetch. The base URL's host is
 * registered as a custom host, since the SDK only attaches the token for hosts it knows.
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const base = new URL(options.baseUrl.replace(/\/+$/, ''));
  const segments = base.pathname.split('/').filter(Boolean);
  const version = segments.pop() ?? 'v1.0';
  const root = `${base.origin}${segments.length ? `/${segments.join('/')}` : ''}`;
  const auth = new AuthenticationHandler({ getAccessToken: options.getAccessToken });
  const retry = new RetryHandler(
    new RetryHandlerOptions(options.retryDelaySeconds ?? 3, options.maxRetries ?? 5),
  );
  const send = new FetchHandler(options.fetch ?? ((input, init) => globalThis.fetch(input, init)));
  auth.setNext(retry);
  retry.setNext(send);
  return Client.initWithMiddleware({
    middleware: auth,
    baseUrl: root,
    defaultVersion: version,
    customHosts: new Set([base.hostname]),
  });
}
