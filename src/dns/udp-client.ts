import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect, isIP } from 'node:net';
import { randomInt } from 'node:crypto';
import type { DnsResponse } from './doh-client';
import { decodeAnswerTo, isTruncated, refuseUnanswered } from './answer-checks';
import { DnsAllFailedError, DnsError, DnsMalformedError, DnsNetworkError, DnsTimeoutError } from './errors';
import { onAbort } from '../async/abort-listeners';
import { Limiter } from '../async/limiter';
import type { DnsQuerier } from './querier';
import { untilAborted } from '../async/until-aborted';
import { encodeQuery, type Packet, type RecordType } from './wire';

/** A classic DNS resolver's address: `127.0.0.1`, `127.0.0.1:5353`, `[::1]:53`. */
export interface DnsServer {
  host: string;
  port: number;
}

/** Parses `HOST[:PORT]` (IPv6 in brackets when a port is given); the port is 53 by default. */
export function parseDnsServer(spec: string): DnsServer {
  const text = spec.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const [host, port] = bracketed
    ? [bracketed[1] ?? '', bracketed[2]]
    : isIP(text) === 6
      ? [text, undefined]
      : [text.split(':')[0] ?? '', text.split(':')[1]];
  const number = port === undefined ? 53 : Number(port);
  if (isIP(host) === 0 || !Number.isInteger(number) || number < 1 || number > 65_535) {
    throw new RangeError(`"${spec}" is not a resolver address (an IP address, optionally :PORT)`);
  }
  return { host, port: number };
}

export interface UdpDnsClientOptions {
  servers: readonly DnsServer[];
  /** Per-question time limit, over every UDP try (and the TCP retry after truncation). */
  timeoutMs?: number;
  /** UDP sends per question and server before moving on (each after timeoutMs / tries). */
  tries?: number;
  /** Questions in flight per server. */
  maxInFlightPerServer?: number;
}

/** Sockets per address family: answers spread over this many receive buffers and source ports. */
const SOCKETS_PER_FAMILY = 4;
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

interface Pending {
  name: string;
  type: RecordType;
  resolve: (message: Buffer) => void;
}

/**
 * Asks classic DNS resolvers (a local Unbound, a campus resolver) over UDP, and over TCP when an
 * answer comes back truncated: many thousands of questions a second where a public DoH resolver
 * allows about a thousand. The same answers as the DoH client: NXDOMAIN, NODATA and SERVFAIL are
 * answers with their rcode; a time-out or an unreachable server is a failure (never "no"), and the
 * next server is asked. Answers are matched by id, server and question, so a stray or spoofed
 * datagram is dropped.
 */
export class UdpDnsClient implements DnsQuerier {
  private readonly servers: readonly DnsServer[];
  private readonly timeoutMs: number;
  private readonly tries: number;
  private readonly limiters: Limiter[];
  /** Per address family, a few sockets (a few source ports), each with a large receive buffer. */
  private readonly sockets = new Map<4 | 6, UdpSocket[]>();
  /** Questions waiting for a datagram, by server and id. */
  private readonly pending = new Map<string, Pending>();

  constructor(options: UdpDnsClientOptions) {
    if (options.servers.length === 0) throw new DnsAllFailedError([]);
    this.servers = options.servers;
    this.timeoutMs = options.timeoutMs ?? 4000;
    this.tries = Math.max(1, options.tries ?? 2);
    this.limiters = options.servers.map(() => new Limiter(options.maxInFlightPerServer ?? 256));
  }

  async query(name: string, type: RecordType, signal?: AbortSignal): Promise<DnsResponse> {
    const failures: DnsError[] = [];
    for (const [index, server] of this.servers.entries()) {
      const limiter = this.limiters[index] as Limiter;
      try {
        const packet = await limiter.run(() => this.ask(server, name, type, signal), signal);
        return Object.assign(packet, { endpoint: label(server) });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        failures.push(error instanceof DnsError ? error : new DnsNetworkError(label(server), error));
      }
    }
    throw new DnsAllFailedError(failures);
  }

  /** Closes the sockets (a finished command then exits by itself: they are unref'd anyway). */
  close(): void {
    for (const sockets of this.sockets.values()) for (const socket of sockets) socket.close();
    this.sockets.clear();
  }

  private async ask(
    server: DnsServer,
    name: string,
    type: RecordType,
    signal?: AbortSignal,
  ): Promise<Packet> {
    const started = Date.now();
    let message = await this.overUdp(server, name, type, signal);
    let packet = this.read(server, message, name, type);
    if (isTruncated(packet)) {
      // Too big for a datagram: the whole answer over TCP, in what is left of the time limit.
      const left = Math.max(1, this.timeoutMs - (Date.now() - started));
      message = await this.overTcp(server, name, type, left, signal);
      packet = this.read(server, message, name, type);
      if (isTruncated(packet)) {
        throw new DnsMalformedError(label(server), 'the answer was truncated, even over TCP');
      }
    }
    return packet;
  }

  private read(server: DnsServer, message: Buffer, name: string, type: RecordType): Packet {
    const packet = decodeAnswerTo(label(server), message, name, type);
    refuseUnanswered(label(server), packet);
    return packet;
  }

  /**
   * The socket for a question id. Several sockets spread the answers over several receive buffers
   * (and source ports, RFC 5452): at hundreds in flight, one socket's default buffer overflows
   * whenever the event loop pauses (a garbage collection), and every datagram dropped there costs a
   * retry's wait. Each asks the kernel for a 4 MB buffer (it grants up to `net.core.rmem_max`).
   */
  private socketFor(family: 4 | 6, id: number): { socket: UdpSocket; index: number } {
    let sockets = this.sockets.get(family);
    if (!sockets) {
      sockets = Array.from({ length: SOCKETS_PER_FAMILY }, (_, index) => {
        const created = createSocket({
          type: family === 6 ? 'udp6' : 'udp4',
          recvBufferSize: RECEIVE_BUFFER_BYTES,
          sendBufferSize: RECEIVE_BUFFER_BYTES,
        });
        created.on('message', (message, remote) => {
          if (message.length < 2) return;
          const key = `${index}|${remote.address}|${remote.port}|${message.readUInt16BE(0)}`;
          const waiting = this.pending.get(key);
          if (waiting) waiting.resolve(message);
        });
        created.on('error', () => undefined); // a send error fails its own question
        created.unref();
        return created;
      });
      this.sockets.set(family, sockets);
    }
    const index = id % sockets.length;
    return { socket: sockets[index] as UdpSocket, index };
  }

  /** Sends the question over UDP (again after each try's share of the limit) and waits for its answer. */
  private overUdp(server: DnsServer, name: string, type: RecordType, signal?: AbortSignal): Promise<Buffer> {
    const family = isIP(server.host) === 6 ? 6 : 4;
    let id = 0;
    let key = '';
    let socket: UdpSocket;
    do {
      id = randomInt(1, 65_536);
      const chosen = this.socketFor(family, id);
      socket = chosen.socket;
      key = `${chosen.index}|${server.host}|${server.port}|${id}`;
    } while (this.pending.has(key));
    const query = Buffer.from(encodeQuery(name, type, id));
    const answer = new Promise<Buffer>((resolve, reject) => {
      let tries = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (): void => {
        if (timer) clearTimeout(timer);
        this.pending.delete(key);
      };
      const send = (): void => {
        tries += 1;
        socket.send(query, server.port, server.host, (error) => {
          if (error) {
            finish();
            reject(new DnsNetworkError(label(server), error));
          }
        });
        timer = setTimeout(
          () => {
            if (tries < this.tries) send();
            else {
              finish();
              reject(new DnsTimeoutError(label(server), this.timeoutMs));
            }
          },
          Math.ceil(this.timeoutMs / this.tries),
        );
      };
      this.pending.set(key, {
        name,
        type,
        resolve: (message) => {
          finish();
          resolve(message);
        },
      });
      send();
    });
    if (!signal) return answer;
    return untilAborted(answer, signal).catch((error: unknown) => {
      this.pending.delete(key);
      throw error;
    });
  }

  /** One question over TCP (RFC 7766): a two-byte length, then the message; the same back. */
  private overTcp(
    server: DnsServer,
    name: string,
    type: RecordType,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Buffer> {
    const query = Buffer.from(encodeQuery(name, type, randomInt(1, 65_536)));
    const framed = Buffer.concat([Buffer.from([query.length >> 8, query.length & 0xff]), query]);
    const answer = new Promise<Buffer>((resolve, reject) => {
      const socket = tcpConnect({ host: server.host, port: server.port });
      const chunks: Buffer[] = [];
      let size = 0;
      socket.setTimeout(timeoutMs, () => socket.destroy(new DnsTimeoutError(label(server), this.timeoutMs)));
      socket.once('connect', () => socket.write(framed));
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        const all = Buffer.concat(chunks, size);
        if (all.length >= 2 && all.length >= 2 + all.readUInt16BE(0)) {
          socket.destroy();
          resolve(all.subarray(2, 2 + all.readUInt16BE(0)));
        }
      });
      socket.once('error', (error) =>
        reject(error instanceof DnsError ? error : new DnsNetworkError(label(server), error)),
      );
      socket.once('close', () =>
        reject(new DnsNetworkError(label(server), new Error('closed before answering'))),
      );
      const stop = signal ? onAbort(signal, () => socket.destroy()) : undefined;
      socket.once('close', () => stop?.());
    });
    return signal ? untilAborted(answer, signal) : answer;
  }
}

function label(server: DnsServer): string {
  return isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}
