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

/** Waits for `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
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

  return async (url, init) => {
    const target = new URL(url);
    if (target.protocol !== 'https:' && target.protocol !== 'http:') {
      throw new TypeError(`unsupported protocol ${target.protocol}`);
    }
    if (target.protocol === 'https:' && options.http2 !== false) {
      for (let attempt = 0; ; attempt += 1) {
        // The connection and TLS set-up count against the request's own time limit: a port that
        // accepts and never completes TLS is a time-out, and the resolver fails over.
        const session = await untilAborted(sessionFor(target.origin), init.signal);
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
    const socket = tlsConnect({
      host: url.hostname,
      port: Number(url.port || 443),
      servername: isIP(url.hostname) ? undefined : url.hostname,
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

function collect(
  stream: NodeJS.ReadableStream & { destroy(error?: Error): void },
  onEnd: (body: Buffer) => void,
  onError: (error: Error) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      stream.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
      return;
    }
    chunks.push(chunk);
  });
  stream.on('error', onError);
  stream.on('end', () => onEnd(Buffer.concat(chunks)));
}

function responseOf(
  status: number,
  headers: IncomingHttpHeaders | Http2Headers,
  body: Buffer,
): FetchLikeResponse {
  return {
    status,
    headers: {
      get: (name: string) => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : String(value);
      },
    },
    arrayBuffer: () =>
      Promise.resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer),
  };
}

function requestHttp2(
  session: ClientHttp2Session,
  target: URL,
  init: Parameters<FetchLike>[1],
): Promise<FetchLikeResponse> {
  return new Promise((resolve, reject) => {
    if (init.signal.aborted) {
      reject(init.signal.reason);
      return;
    }
    const stream = session.request(
      {
        [h2.HTTP2_HEADER_METHOD]: init.method,
        [h2.HTTP2_HEADER_PATH]: `${target.pathname}${target.search}`,
        ...init.headers,
      },
      { endStream: init.body === undefined },
    );
    const onAbort = (): void => {
      stream.close(h2.NGHTTP2_CANCEL);
      reject(init.signal.reason);
    };
    init.signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => init.signal.removeEventListener('abort', onAbort);
    stream.once('response', (headers) => {
      collect(
        stream,
        (body) => {
          done();
          resolve(responseOf(Number(headers[h2.HTTP2_HEADER_STATUS]), headers, body));
        },
        (error) => {
          done();
          reject(error);
        },
      );
    });
    stream.once('error', (error) => {
      done();
      reject(Object.assign(error, { streamId: stream.id }));
    });
    if (init.body !== undefined) stream.end(Buffer.from(init.body));
  });
}

function requestHttp1(
  target: URL,
  init: Parameters<FetchLike>[1],
  agent: HttpAgent,
): Promise<FetchLikeResponse> {
  return new Promise((resolve, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      { method: init.method, headers: init.headers, agent, signal: init.signal },
      (response) => {
        collect(
          response,
          (body) => resolve(responseOf(response.statusCode ?? 0, response.headers, body)),
          reject,
        );
      },
    );
    request.on('error', reject);
    request.end(init.body === undefined ? undefined : Buffer.from(init.body));
  });
}
