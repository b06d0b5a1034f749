import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Socket } from 'node:net';
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

  const udp = createSocket('udp4');
  udp.on('message', (message, remote) => {
    void answer(message, 'udp').then((reply) => {
      if (reply) udp.send(reply, remote.port, remote.address);
    });
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const port = udp.address().port;

  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
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
  });
  await new Promise<void>((resolve) => tcp.listen(port, '127.0.0.1', resolve));
  if ((tcp.address() as AddressInfo).port !== port) throw new Error('TCP and UDP ports differ');

  return {
    port,
    queries,
    options,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
