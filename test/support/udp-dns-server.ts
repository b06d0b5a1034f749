import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Packet } from 'dns-packet';
import { answerFromZone, type Zone } from './doh-server';

export interface UdpDnsServer {
  /** The port both UDP and TCP listen on, at 127.0.0.1. */
  port: number;
  /** Every question as it came: name, type and transport. */
  queries: { name: string; type: string; transport: 'udp' | 'tcp' }[];
  options: { zone: Zone; latencyMs?: number };
  close(): Promise<void>;
}

const norm = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/**
 * A classic DNS server on 127.0.0.1 for a zone, over UDP and TCP on one port, as a local resolver
 * is: an answer larger than the query's EDNS payload size (512 without EDNS) goes back over UDP
 * truncated (TC set, no records), so the client must ask again over TCP. Names marked `hang` never
 * get an answer; `delayMs` and `latencyMs` delay them.
 */
export async function startUdpDnsServer(options: { zone: Zone; latencyMs?: number }): Promise<UdpDnsServer> {
  const queries: UdpDnsServer['queries'] = [];
  const answer = async (wire: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> => {
    let query: Packet;
    try {
      query = dnsPacket.decode(wire);
    } catch {
      return undefined;
    }
    const question = query.questions?.[0];
    const name = norm(question?.name ?? '');
    queries.push({ name, type: question?.type ?? '', transport });
    const fixture = options.zone[name];
    if (fixture?.hang) return undefined;
    const delay = (options.latencyMs ?? 0) + (fixture?.delayMs ?? 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const response = answerFromZone(options.zone, query);
    const encoded = dnsPacket.encode(response);
    const opt = (query.additionals ?? []).find((r) => r.type === 'OPT') as
      { udpPayloadSize?: number } | undefined;
    const limit = opt?.udpPayloadSize ?? 512;
    if (transport === 'udp' && encoded.length > limit) {
      return dnsPacket.encode({
        ...response,
        answers: [],
        flags: (response.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE,
      });
    }
    return encoded;
  };

  const sockets = new Set<Socket>();
  const onUdpMessage =
    (udp: ReturnType<typeof createSocket>) =>
    (message: Buffer, remote: { port: number; address: string }) => {
      void answer(message, 'udp').then((reply) => {
        if (reply) udp.send(reply, remote.port, remote.address);
      });
    };
  const onTcpConnection = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const message = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + message.length);
        void answer(Buffer.from(message), 'tcp').then((reply) => {
          if (reply && !socket.destroyed)
            socket.write(Buffer.concat([Buffer.from([reply.length >> 8, reply.length & 0xff]), reply]));
        });
      }
    });
    socket.on('error', () => undefined);
  };
  // UDP takes a free port; TCP must then get the same one, which another test's socket may hold
  // (EADDRINUSE): then both are let go and another port is tried.
  let udp: ReturnType<typeof createSocket> | undefined;
  let tcp: ReturnType<typeof createServer> | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 20 && !tcp; attempt += 1) {
    const udpSocket = createSocket('udp4');
    udpSocket.on('message', onUdpMessage(udpSocket));
    await new Promise<void>((resolve) => udpSocket.bind(0, '127.0.0.1', resolve));
    const candidate = udpSocket.address().port;
    const server = createServer(onTcpConnection);
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => resolve(true));
    });
    if (listening) {
      udp = udpSocket;
      tcp = server;
      port = candidate;
    } else {
      await new Promise<void>((resolve) => udpSocket.close(() => resolve()));
    }
  }
  if (!udp || !tcp) throw new Error('no loopback port was free for both UDP and TCP after 20 tries');
  const [udpServer, tcpServer] = [udp, tcp];

  return {
    port,
    queries,
    options,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udpServer.close(() => resolve())),
        new Promise<void>((resolve) => tcpServer.close(() => resolve())),
      ]);
    },
  };
}
