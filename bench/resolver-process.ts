/**
 * The benchmark's resolvers, in a process of their own so that their CPU time is not charged to the
 * client being measured (a real resolver runs on another machine). Started with fork(); sends its
 * ports over IPC; exits when its parent disconnects.
 */
import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { answerFromZone, startDohServer } from '../test/support/doh-server';
import { loopbackCertificate } from '../test/support/certificates';
import { benchZone } from '../test/support/generated-zone';

/** What the resolver process tells its parent. */
export interface ResolverAddresses {
  /** Plain HTTP/1.1 DoH. */
  dohUrl: string;
  /** DoH over TLS offering HTTP/2 and HTTP/1.1 by ALPN, as public resolvers do. */
  dohTlsUrl: string;
  /** The certificate to trust for `dohTlsUrl`. */
  ca: string;
  udpPort: number;
}

async function start(): Promise<void> {
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 40);
  const { zone } = benchZone(Number(process.env.BENCH_ZONE_DOMAINS ?? 400));
  const certificate = await loopbackCertificate();
  const doh = await startDohServer({ zone, latencyMs });
  const dohTls = await startDohServer({ zone, latencyMs, tls: certificate });
  const udp = createSocket('udp4');
  udp.on('message', (message, remote) => {
    const query = dnsPacket.decode(message);
    setTimeout(() => {
      udp.send(
        dnsPacket.encode({ ...answerFromZone(zone, query), id: query.id }),
        remote.port,
        remote.address,
      );
    }, latencyMs);
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const ports: ResolverAddresses = {
    dohUrl: doh.url,
    dohTlsUrl: dohTls.url,
    ca: certificate.cert,
    udpPort: udp.address().port,
  };
  process.send?.(ports);
  process.on('disconnect', () => {
    udp.close();
    void Promise.all([doh.close(), dohTls.close()]).then(() => process.exit(0));
  });
}

void start();
