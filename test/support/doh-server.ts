import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createSecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';

/** SRV data as a zone file has it. */
export interface SrvFixture {
  target: string;
  port: number;
  priority?: number;
  weight?: number;
}

/** What the fixture resolver knows about one owner name. */
export interface NameFixture {
  SRV?: SrvFixture[];
  MX?: { exchange: string; preference?: number }[];
  A?: string[];
  AAAA?: string[];
  /** TXT records, each one string (split into 255-byte strings on the wire, as long SPF records are). */
  TXT?: string[];
  /** The name is an alias: the server answers with the CNAME and then the target's records, as a resolver does. */
  CNAME?: string;
  ttl?: number;
  /** Answer with this rcode and no records (SERVFAIL: the authoritative servers are broken). */
  rcode?: 'SERVFAIL' | 'REFUSED';
  /** Never answer questions about this name (the connection stays open until the client gives up). */
  hang?: boolean;
  /** Extra latency for questions about this name, on top of the server's. */
  delayMs?: number;
}

/** Owner name (lower case, no trailing dot) → fixture. Names not listed are NXDOMAIN. */
export type Zone = Record<string, NameFixture>;

export interface ReceivedQuery {
  name: string;
  type: string;
  method: string;
}

export interface DohServerOptions {
  zone: Zone;
  /** Latency added to every answer, in ms. */
  latencyMs?: number;
  /** Refuse GET with 405, as some servers do, so the client must POST. */
  postOnly?: boolean;
  /** Answer every request with this HTTP status instead (a broken or overloaded resolver). */
  httpStatus?: number;
  /** Send a `Retry-After` header with `httpStatus`. */
  retryAfter?: string;
  /** Answer with bytes that are not a DNS message. */
  garbage?: boolean;
  /** Negative-answer SOA minimum, in seconds. */
  negativeTtl?: number;
  /**
   * Holds a question's answer until the promise returned settles (undefined: answer as usual): lets a
   * test look at the pane while some answers are still coming.
   */
  hold?: (query: ReceivedQuery) => Promise<void> | undefined;
  /**
   * Serve over TLS with this certificate: HTTP/2 and HTTP/1.1 chosen by ALPN, as public resolvers
   * do, or HTTP/1.1 only with `http1Only`.
   */
  tls?: { cert: string; key: string; http1Only?: boolean };
}

export interface DohServer {
  url: string;
  /** HTTP versions the requests came in with ('1.1', '2.0'), one per request. */
  httpVersions: string[];
  port: number;
  /** Every question received, in order of arrival. */
  queries: ReceivedQuery[];
  /** Questions being answered right now, and the most there ever were at once. */
  inFlight: { now: number; max: number };
  options: DohServerOptions;
  close(): Promise<void>;
}

const SOA = (zoneName: string, minimum: number): Answer => ({
  type: 'SOA',
  name: zoneName,
  ttl: minimum,
  class: 'IN',
  data: {
    mname: 'ns1.fixture.test',
    rname: 'hostmaster.fixture.test',
    serial: 1,
    refresh: 3600,
    retry: 600,
    expire: 86400,
    minimum,
  },
});

const norm = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/** Builds the answer a recursive resolver would give from the fixture zone. */
export function answerFromZone(zone: Zone, query: Packet, negativeTtl = 60): Packet {
  const question = query.questions?.[0];
  const base: Packet = {
    type: 'response',
    id: query.id ?? 0,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
    questions: query.questions ?? [],
    answers: [],
    authorities: [],
  };
  if (!question) return { ...base, flags: (base.flags ?? 0) | 1 /* FORMERR */ };
  const answers: Answer[] = [];
  let owner = norm(question.name);
  for (let hops = 0; hops < 10; hops += 1) {
    const fixture = zone[owner];
    if (!fixture) {
      // dns-packet's encode() ignores `rcode`: the code goes into the low bits of the flags.
      return {
        ...base,
        answers,
        flags: (base.flags ?? 0) | 3 /* NXDOMAIN */,
        authorities: [SOA(owner, negativeTtl)],
      };
    }
    if (fixture.rcode === 'SERVFAIL') return { ...base, flags: (base.flags ?? 0) | 2 };
    if (fixture.rcode === 'REFUSED') return { ...base, flags: (base.flags ?? 0) | 5 };
    const ttl = fixture.ttl ?? 300;
    if (fixture.CNAME !== undefined && question.type !== 'CNAME') {
      answers.push({ type: 'CNAME', name: owner, ttl, class: 'IN', data: fixture.CNAME });
      owner = norm(fixture.CNAME);
      continue;
    }
    const type = question.type;
    if (type === 'SRV') {
      for (const srv of fixture.SRV ?? []) {
        answers.push({
          type: 'SRV',
          name: owner,
          ttl,
          class: 'IN',
          data: { target: srv.target, port: srv.port, priority: srv.priority ?? 0, weight: srv.weight ?? 0 },
        });
      }
    } else if (type === 'MX') {
      for (const mx of fixture.MX ?? []) {
        answers.push({
          type: 'MX',
          name: owner,
          ttl,
          class: 'IN',
          data: { exchange: mx.exchange, preference: mx.preference ?? 10 },
        });
      }
    } else if (type === 'A' || type === 'AAAA') {
      for (const address of fixture[type] ?? [])
        answers.push({ type, name: owner, ttl, class: 'IN', data: address });
    } else if (type === 'TXT') {
      for (const text of fixture.TXT ?? []) {
        const bytes = Buffer.from(text);
        const strings: Buffer[] = [];
        for (let at = 0; at < bytes.length || strings.length === 0; at += 255)
          strings.push(bytes.subarray(at, at + 255));
        answers.push({ type: 'TXT', name: owner, ttl, class: 'IN', data: strings });
      }
    } else if (type === 'CNAME' && fixture.CNAME !== undefined) {
      answers.push({ type: 'CNAME', name: owner, ttl, class: 'IN', data: fixture.CNAME });
    }
    const hasOwn = answers.some((a) => a.type === type);
    return hasOwn ? { ...base, answers } : { ...base, answers, authorities: [SOA(owner, negativeTtl)] };
  }
  return { ...base, flags: (base.flags ?? 0) | 2 };
}

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

function readBody(request: AnyRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An RFC 8484 resolver on 127.0.0.1 that answers from a fixture zone: the tests', the benchmark's
 * and the offline demo's stand-in for Cloudflare and Google. Options can be changed while it runs.
 */
export async function startDohServer(options: DohServerOptions): Promise<DohServer> {
  const queries: ReceivedQuery[] = [];
  const inFlight = { now: 0, max: 0 };
  const httpVersions: string[] = [];
  const handle = async (request: AnyRequest, response: AnyResponse): Promise<void> => {
    httpVersions.push(request.httpVersion);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    // CORS as the public resolvers send it, so the pane can be tested against this server too.
    response.setHeader('access-control-allow-origin', '*');
    if (request.method === 'OPTIONS') {
      response.setHeader('access-control-allow-methods', 'GET, POST');
      response.setHeader('access-control-allow-headers', 'content-type, accept');
      response.writeHead(204).end();
      return;
    }
    if (url.pathname !== '/dns-query') {
      response.writeHead(404).end();
      return;
    }
    let wire: Buffer;
    if (request.method === 'GET') {
      if (options.postOnly) {
        response.writeHead(405, { allow: 'POST' }).end();
        return;
      }
      wire = Buffer.from(url.searchParams.get('dns') ?? '', 'base64url');
    } else if (request.method === 'POST') {
      wire = await readBody(request);
    } else {
      response.writeHead(405).end();
      return;
    }
    let query: Packet;
    try {
      query = dnsPacket.decode(wire);
    } catch {
      response.writeHead(400).end('bad DNS message');
      return;
    }
    const question = query.questions?.[0];
    const name = norm(question?.name ?? '');
    const received: ReceivedQuery = { name, type: question?.type ?? '', method: request.method };
    queries.push(received);
    const fixture = options.zone[name];
    if (fixture?.hang) return; // never answer: the client's time-out must fire
    inFlight.now += 1;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    try {
      const delay = (options.latencyMs ?? 0) + (fixture?.delayMs ?? 0);
      if (delay > 0) await sleep(delay);
      await options.hold?.(received);
      if (options.httpStatus !== undefined) {
        const headers: Record<string, string> = {};
        if (options.retryAfter !== undefined) headers['retry-after'] = options.retryAfter;
        response.writeHead(options.httpStatus, headers).end();
        return;
      }
      if (options.garbage) {
        response.writeHead(200, { 'content-type': 'application/dns-message' }).end(Buffer.from([1, 2, 3]));
        return;
      }
      const answer = dnsPacket.encode(answerFromZone(options.zone, query, options.negativeTtl));
      response
        .writeHead(200, { 'content-type': 'application/dns-message', 'content-length': answer.length })
        .end(answer);
    } finally {
      inFlight.now -= 1;
    }
  };
  const listener = (request: AnyRequest, response: AnyResponse): void => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  };
  const { tls } = options;
  const server = !tls
    ? createServer(listener)
    : tls.http1Only
      ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener)
      : createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true }, listener);
  // Track connections and HTTP/2 sessions so close() can end them at once.
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/dns-query`,
    port,
    queries,
    httpVersions,
    inFlight,
    options,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
