import { createSocket } from 'node:dgram';
import { interpretAnswer } from '../../src/dns/answer';
import { DnsAllFailedError } from '../../src/dns/errors';
import { FederationLookup } from '../../src/engine/federation-lookup';
import { DnsTimeoutError } from '../../src/dns/errors';
import { parseDnsServer, UdpDnsClient } from '../../src/dns/udp-client';
import { parseDomain } from '../../src/core/address';
import { FIXTURE_ZONE } from '../support/fixture-zone';
import { freeLoopbackPort } from '../support/free-port';
import { startUdpDnsServer, type UdpDnsServer } from '../support/udp-dns-server';

const HUNDRED_TARGETS = Array.from({ length: 100 }, (_, i) => ({
  target: `edge${i}.big.test`,
  port: 5061,
  priority: i,
}));

let server: UdpDnsServer;
beforeAll(async () => {
  server = await startUdpDnsServer({
    zone: { ...FIXTURE_ZONE, '_sipfederationtls._tcp.big.test': { SRV: HUNDRED_TARGETS } },
  });
});
afterAll(async () => {
  await server.close();
});

const client = (): UdpDnsClient =>
  new UdpDnsClient({ servers: [{ host: '127.0.0.1', port: server.port }], timeoutMs: 600 });

describe('UdpDnsClient against a local UDP/TCP server', () => {
  it('keeps found, NXDOMAIN, NODATA, SERVFAIL, a "." target and a time-out apart', async () => {
    const c = client();
    const state = async (name: string): Promise<string> => {
      try {
        const { result } = interpretAnswer(await c.query(name, 'SRV'), name, 'SRV');
        return result.status === 'error' ? `error: ${result.error}` : result.status;
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(await state('_sipfederationtls._tcp.contoso.test')).toBe('found');
    expect(await state('_sipfederationtls._tcp.nowhere.test')).toBe('none'); // NXDOMAIN
    const nodata = await c.query('contoso.test', 'SRV'); // the name exists, without SRV records
    expect(nodata.rcode ?? 'NOERROR').toBe('NOERROR');
    expect(interpretAnswer(nodata, 'contoso.test', 'SRV').result.status).toBe('none');
    expect(await state('_sipfederationtls._tcp.broken.test')).toBe('error: the resolver answered SERVFAIL');
    expect(await state('_xmpp-server._tcp.closed.test')).toBe('refused');
    const silent = await c.query('_sipfederationtls._tcp.silent.test', 'SRV').catch((e: unknown) => e);
    expect(silent).toBeInstanceOf(DnsAllFailedError);
    expect((silent as DnsAllFailedError).attempts[0]).toBeInstanceOf(DnsTimeoutError);
    expect((silent as Error).message).toBe(`127.0.0.1:${server.port} did not answer within 600 ms`);
    c.close();
  });

  it('asks again over TCP when the UDP answer is truncated, and gets every record', async () => {
    const c = client();
    const before = server.queries.length;
    const answer = await c.query('_sipfederationtls._tcp.big.test', 'SRV');
    const { result } = interpretAnswer(answer, '_sipfederationtls._tcp.big.test', 'SRV');
    expect(result.targets).toHaveLength(100);
    expect(server.queries.slice(before).map((q) => q.transport)).toEqual(['udp', 'tcp']);
    c.close();
  });

  it('fails over to the next server when the first is silent', async () => {
    const silentPort = await freeLoopbackPort();
    const blackHole = createSocket('udp4');
    await new Promise<void>((resolve) => blackHole.bind(silentPort, '127.0.0.1', resolve));
    try {
      const c = new UdpDnsClient({
        servers: [
          { host: '127.0.0.1', port: silentPort },
          { host: '127.0.0.1', port: server.port },
        ],
        timeoutMs: 300,
      });
      const answer = await c.query('_sipfederationtls._tcp.contoso.test', 'SRV');
      expect(answer.endpoint).toBe(`127.0.0.1:${server.port}`);
      c.close();
    } finally {
      blackHole.close();
    }
  });

  it('answers a whole lookup at high concurrency, nothing lost', async () => {
    const c = new UdpDnsClient({ servers: [{ host: '127.0.0.1', port: server.port }], timeoutMs: 3000 });
    const domains = ['contoso.test', 'fabrikam.test', 'jabber.test', 'tenant.test', 'closed.test'].map(
      (d) => {
        const parsed = parseDomain(d);
        if (!parsed.ok) throw new Error(parsed.reason);
        return parsed;
      },
    );
    const verdicts = await new FederationLookup({ client: c, concurrency: 256 }).checkDomains(domains);
    expect(verdicts.map((v) => v.answer)).toEqual(['yes', 'yes', 'yes', 'likely', 'no']);
    c.close();
  });

  it('parses resolver addresses', () => {
    expect(parseDnsServer('127.0.0.1')).toEqual({ host: '127.0.0.1', port: 53 });
    expect(parseDnsServer('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(parseDnsServer('[::1]:53')).toEqual({ host: '::1', port: 53 });
    expect(parseDnsServer('::1')).toEqual({ host: '::1', port: 53 });
    expect(() => parseDnsServer('resolver.example')).toThrow(/not a resolver address/);
    expect(() => parseDnsServer('127.0.0.1:70000')).toThrow(RangeError);
  });
});
