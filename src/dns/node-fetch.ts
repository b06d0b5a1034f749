import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import {
  connect as http2Connect,
  constants as h2,
  type ClientHttp2Session,
  type IncomingHttpHeaders as Http2Headers,
} from 'node:http2';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { FetchLike, FetchLikeResponse } from './doh-client';
import { onAbort } from '../async/abort-listeners';
import { untilAborted } from '../async/until-aborted';

/** A DNS message is at most 65,535 bytes; anything longer is not an answer. */
const MAX_BODY_BYTES = 65_535 + 1024;

export interface NodeFetchOptions {
  /** HTTP/1.1 connections per origin (HTTP/2 multiplexes everything over one). */
  maxSockets?: number;
  /** Extra trusted certificates (PEM), for resolvers with a private CA, such as the tests' local server. */
  ca?: string | string[];
  /** Use HTTP/2 for https: resolvers that offer it (ALPN `h2`); on by default. */
  http2?: boolean;
}

/** Times a request the server never processed (refused stream, GOAWAY) is sent again on a new connection. */
const UNPROCESSED_RETRIES = 4;

/**
 * Whether an HTTP/2 request failed before the server processed it, so that sending it again is
 * always safe (RFC 9113 §8.7): the stream was refused (`REFUSED_STREAM`), the session was going
 * away (GOAWAY) or gone when the request was made, or the stream was above GOAWAY's last stream id.
 */
export function wasNotProcessed(error: unknown, session?: ClientHttp2Session, streamId?: number): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === 'ERR_HTTP2_GOAWAY_SESSION' || code === 'ERR_HTTP2_INVALID_SESSION') return true;
  if (code === 'ERR_HTTP2_STREAM_ERROR' && typeof message === 'string' && /REFUSED_STREAM/.test(message)) {
    return true;
  }
  const last = session ? goawayLastStream.get(session) : undefined;
  return last !== undefined && streamId !== undefined && streamId > last;
}

/** The last stream id a server's GOAWAY said it will process, per session. */
const goawayLastStream = new WeakMap<ClientHttp2Session, number>();

/** What a request needs of its URL. */
interface Target {
  protocol: string;
  origin: string;
  /** The host to connect to: an IPv6 address without its URL brackets. */
  hostname: string;
  port: string;
  /** Path and query, as sent in the request line or `:path`. */
  path: string;
}

/** Characters a base64url query string may hold: such a tail needs no parsing or escaping. */
const PLAIN_QUERY = /^\?[A-Za-z0-9\-_=&]*$/;

/**
 * Parses request URLs, remembering the part before `?`: a resolver is asked thousands of
 * questions that differ only in `?dns=…`, and a full URL parse per question showed in profiles.
 */
class TargetCache {
  private readonly bases = new Map<string, URL>();

  parse(url: string): Target {
    const queryAt = url.indexOf('?');
    const base = queryAt < 0 ? url : url.slice(0, queryAt);
    const query = queryAt < 0 ? '' : url.slice(queryAt);
    if (!PLAIN_QUERY.test(query)) return targetOf(new URL(url));
    let parsed = this.bases.get(base);
    if (!parsed) {
      parsed = new URL(base);
      if (parsed.hash !== '' || this.bases.size >= 64) return targetOf(new URL(url));
      this.bases.set(base, parsed);
    }
    return { ...targetOf(parsed), path: parsed.pathname + query };
  }
}

function targetOf(url: URL): Target {
  const { protocol, origin, port } = url;
  return { protocol, origin, hostname: hostOf(url), port, path: `${url.pathname}${url.search}` };
}

/** A URL's host as sockets take it: `[::1]` → `::1`. */
function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * A `fetch` for Node made for many small requests to a few resolvers: HTTP/2 (one multiplexed
 * connection per resolver, as RFC 8484 recommends) where the resolver offers it over TLS, else
 * HTTP/1.1 with keep-alive. Node's global fetch (undici) spends several times the CPU per request
 * (see `npm run bench`), and at hundreds of questions a second that is what bounds a lookup.
 * Browsers keep their own `fetch`, which negotiates HTTP/2 by itself.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): FetchLike {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, scheduling: 'lifo' as const };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent({ ...agentOptions, ca: options.ca });
  const sessions = new Map<string, Promise<ClientHttp2Session | null>>();
  /** The session each origin's promise resolved to, to tell whether a failing one is still current. */
  const resolved = new Map<string, ClientHttp2Session>();

  /** The origin's HTTP/2 session, or null when the origin speaks only HTTP/1.1 (remembered). */
  const sessionFor = (origin: string): Promise<ClientHttp2Session | null> => {
    let pending = sessions.get(origin);
    if (!pending) {
      pending = openSession(origin, options.ca).then(
        (session) => {
          if (!session) return null;
          resolved.set(origin, session);
          const forget = (): void => {
            if (sessions.get(origin) === pending) sessions.delete(origin);
            if (resolved.get(origin) === session) resolved.delete(origin);
          };
          session.on('close', forget);
          session.on('goaway', (_code: number, lastStreamID: number) => {
            goawayLastStream.set(session, lastStreamID);
            forget();
          });
          session.on('error', forget);
          // An idle session must not keep a finished CLI alive.
          session.unref();
          return session;
        },
        (error: unknown) => {
          sessions.delete(origin);
          throw error;
        },
      );
      sessions.set(origin, pending);
    }
    return pending;
  };

  const targets = new TargetCache();

  return async (url, init) => {
    const target = targets.parse(url);
    if (target.protocol !== 'https:' && target.protocol !== 'http:') {
      throw new TypeError(`unsupported protocol ${target.protocol}`);
    }
    if (target.protocol === 'https:' && options.http2 !== false) {
      for (let attempt = 0; ; attempt += 1) {
        // An open session is used at once; opening one (connection and TLS set-up) counts against
        // the request's own time limit: a port that accepts and never completes TLS is a time-out,
        // and the resolver fails over.
        const session =
          resolved.get(target.origin) ?? (await untilAborted(sessionFor(target.origin), init.signal));
        if (!session) break;
        if (session.closed || session.destroyed) {
          forgetSession(target.origin, session);
          continue;
        }
        try {
          return await requestHttp2(session, target, init);
        } catch (error) {
          const unprocessed = wasNotProcessed(error, session, (error as { streamId?: number }).streamId);
          if (!unprocessed || attempt >= UNPROCESSED_RETRIES || init.signal.aborted) throw error;
          // Never processed: safe to send again, on a new connection if this one is going away.
          forgetSession(target.origin, session);
        }
      }
    }
    return requestHttp1(target, init, target.protocol === 'https:' ? httpsAgent : httpAgent);
  };

  /** Drops a session that is going away (GOAWAY, closed), so the next request opens a new one. */
  function forgetSession(origin: string, session: ClientHttp2Session): void {
    const goingAway = goawayLastStream.has(session) || session.closed || session.destroyed;
    if (goingAway && resolved.get(origin) === session) {
      sessions.delete(origin);
      resolved.delete(origin);
    }
  }
}

/**
 * Opens TLS offering `h2` and `http/1.1` by ALPN; resolves with an HTTP/2 session over that socket when
 * the server chose `h2`, or null when it chose HTTP/1.1 (or no ALPN at all).
 */
function openSession(origin: string, ca: NodeFetchOptions['ca']): Promise<ClientHttp2Session | null> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const host = hostOf(url);
    const socket = tlsConnect({
      host,
      port: Number(url.port || 443),
      servername: isIP(host) ? undefined : host,
      ca,
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    // A port that accepts and never completes TLS: give up on the socket after a while (requests
    // waiting for it have their own time limits and fail over before this).
    socket.setTimeout(30_000, () => socket.destroy(new Error('no TLS handshake within 30 s')));
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      socket.setTimeout(0);
      socket.off('error', reject);
      if (socket.alpnProtocol !== 'h2') {
        socket.destroy();
        resolve(null);
        return;
      }
      const session = http2Connect(origin, { createConnection: () => socket });
      session.on('error', () => undefined); // reported through the requests that fail
      resolve(session);
    });
  });
}

/** Gathers a body up to {@link MAX_BODY_BYTES}; errors (an oversized body destroys the stream) go to the stream's own 'error' listener. */
function collect(
  stream: NodeJS.ReadableStream & { destroy(error?: Error): void },
  onEnd: (body: Buffer) => void,
): void {
  // A DNS answer nearly always comes in one chunk: no array, no concatenation for it.
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      stream.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
      return;
    }
    if (!first) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  stream.on('end', () => onEnd(more ? Buffer.concat(more) : (first ?? Buffer.alloc(0))));
}

/** A response as the DoH client reads it: methods on the prototype, no closures per response. */
class NodeResponse implements FetchLikeResponse {
  readonly headers: FetchLikeResponse['headers'];

  constructor(
    readonly status: number,
    headers: IncomingHttpHeaders | Http2Headers,
    private readonly body: Buffer,
  ) {
    this.headers = new HeaderView(headers);
  }

  bytes(): Promise<Uint8Array> {
    return Promise.resolve(this.body);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const { body } = this;
    return Promise.resolve(
      (body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
        ? body.buffer
        : body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)) as ArrayBuffer,
    );
  }
}

/** Node's header object behind the Fetch API's `headers.get()`. */
class HeaderView {
  constructor(private readonly headers: IncomingHttpHeaders | Http2Headers) {}

  get(name: string): string | null {
    const value = this.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : String(value);
  }
}

/** Stream options, made once: a GET ends its side with its headers; a POST sends a body first. */
const END_STREAM = { endStream: true };
const OPEN_STREAM = { endStream: false };

function requestHttp2(
  session: ClientHttp2Session,
  target: Target,
  init: Parameters<FetchLike>[1],
): Promise<FetchLikeResponse> {
  return new Promise((resolve, reject) => {
    if (init.signal.aborted) {
      reject(init.signal.reason);
      return;
    }
    const headers: Record<string, string> = { ':method': init.method, ':path': target.path };
    for (const name in init.headers) headers[name] = init.headers[name] as string;
    const stream = session.request(headers, init.body === undefined ? END_STREAM : OPEN_STREAM);
    const done = onAbort(init.signal, () => {
      stream.close(h2.NGHTTP2_CANCEL);
      reject(init.signal.reason);
    });
    let response: Http2Headers | undefined;
    stream.on('response', (received) => (response = received));
    collect(stream, (body) => {
      done();
      if (response) resolve(new NodeResponse(Number(response[h2.HTTP2_HEADER_STATUS]), response, body));
      else reject(new Error('the stream ended without a response'));
    });
    stream.once('error', (error) => {
      done();
      reject(Object.assign(error, { streamId: stream.id }));
    });
    if (init.body !== undefined) stream.end(Buffer.from(init.body));
  });
}

function requestHttp1(
  target: Target,
  init: Parameters<FetchLike>[1],
  agent: HttpAgent,
): Promise<FetchLikeResponse> {
  return new Promise((resolve, reject) => {
    if (init.signal.aborted) {
      reject(init.signal.reason);
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        path: target.path,
        method: init.method,
        headers: init.headers,
        agent,
      },
      (response) => {
        response.on('error', (error) => {
          done();
          reject(error);
        });
        collect(response, (body) => {
          done();
          resolve(new NodeResponse(response.statusCode ?? 0, response.headers, body));
        });
      },
    );
    // Not `signal:` in the options: Node would add a listener per request to a shared signal.
    const done = onAbort(init.signal, () => {
      request.destroy();
      reject(init.signal.reason);
    });
    request.on('error', (error) => {
      done();
      reject(error);
    });
    request.end(init.body === undefined ? undefined : Buffer.from(init.body));
  });
}
