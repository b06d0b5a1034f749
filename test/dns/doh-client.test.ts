import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DohClient as BaseDohClient, type DohClientOptions } from '../../src/dns/doh-client';
import { createNodeFetch } from '../../src/dns/node-fetch';
import {
  DnsAllFailedError,
  DohHttpError,
  DnsMalformedError,
  DnsNetworkError,
  DnsTimeoutError,
} from '../../src/dns/errors';
import { startDohServer, type DohServer } from '../support/doh-server';
import { FIXTURE_ZONE } from '../support/fixture-zone';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const servers: DohServer[] = [];
async function server(options: Partial<Parameters<typeof startDohServer>[0]> = {}): Promise<DohServer> {
  const started = await startDohServer({ zone: FIXTURE_ZONE, ...options });
  servers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe.each([
  ['the global fetch', undefined],
  ['createNodeFetch()', createNodeFetch()],
])('DohClient over %s', (_, transport) => {
  class DohClient extends BaseDohClient {
    constructor(options: DohClientOptions) {
      super({ fetch: transport, ...options });
    }
  }

  it('asks by GET with the RFC 8484 wire format and decodes the answer', async () => {
    const doh = await server();
    const client = new DohClient({ endpoints: [doh.url] });
    const answer = await client.query('_sipfederationtls._tcp.contoso.test', 'SRV');
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.endpoint).toBe(doh.url);
    expect(answer.answers?.[0]).toMatchObject({
      type: 'SRV',
      data: { target: 'sipfed.online.lync.com', port: 5061 },
    });
    expect(doh.queries).toEqual([
      { name: '_sipfederationtls._tcp.contoso.test', type: 'SRV', method: 'GET' },
    ]);
  });

  it('returns NXDOMAIN and SERVFAIL as answers, not failures', async () => {
    const doh = await server();
    const client = new DohClient({ endpoints: [doh.url] });
    expect((await client.query('_sip._tls.nowhere.test', 'SRV')).rcode).toBe('NXDOMAIN');
    expect((await client.query('_sipfederationtls._tcp.broken.test', 'SRV')).rcode).toBe('SERVFAIL');
  });

  it('falls back to POST where GET is refused, and remembers it', async () => {
    const doh = await server({ postOnly: true });
    const client = new DohClient({ endpoints: [doh.url] });
    await client.query('_sipfederationtls._tcp.contoso.test', 'SRV');
    await client.query('_sip._tls.contoso.test', 'SRV');
    expect(doh.queries.map((q) => q.method)).toEqual(['POST', 'POST']);
  });

  it('gives up on a silent resolver after the time limit, retrying a bounded number of times', async () => {
    const doh = await server();
    const client = new DohClient({ endpoints: [doh.url], timeoutMs: 150, retries: 2, backoffMs: 10 });
    const started = Date.now();
    const failure = await client.query('_sipfederationtls._tcp.silent.test', 'SRV').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DnsAllFailedError);
    const attempts = (failure as DnsAllFailedError).attempts;
    expect(attempts).toHaveLength(3);
    for (const attempt of attempts) expect(attempt).toBeInstanceOf(DnsTimeoutError);
    expect(doh.queries.filter((q) => q.name === '_sipfederationtls._tcp.silent.test')).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails over at once from an unreachable resolver to the next one', async () => {
    const port = await closedPort();
    const good = await server();
    const client = new DohClient({
      endpoints: [`http://127.0.0.1:${port}/dns-query`, good.url],
      backoffMs: 5_000,
    });
    const started = Date.now();
    const answer = await client.query('_sipfederationtls._tcp.contoso.test', 'SRV');
    expect(answer.endpoint).toBe(good.url);
    expect(Date.now() - started).toBeLessThan(2000); // no back-off before switching
  });

  it('retries a 5xx on the next resolver after a back-off', async () => {
    const failing = await server({ httpStatus: 503 });
    const good = await server();
    const client = new DohClient({ endpoints: [failing.url, good.url], backoffMs: 5 });
    const answer = await client.query('_sipfederationtls._tcp.contoso.test', 'SRV');
    expect(answer.endpoint).toBe(good.url);
    expect(failing.queries).toHaveLength(1);
  });

  it('honours Retry-After on 429 and gives up with an actionable message', async () => {
    const limited = await server({ httpStatus: 429, retryAfter: '0' });
    const client = new DohClient({ endpoints: [limited.url], retries: 1, backoffMs: 5 });
    const failure = (await client
      .query('_sip._tls.contoso.test', 'SRV')
      .catch((e: unknown) => e)) as DnsAllFailedError;
    expect(limited.queries).toHaveLength(2);
    expect(failure.attempts[0]).toBeInstanceOf(DohHttpError);
    expect(failure.message).toMatch(/429.*too many questions at once/);
  });

  it('does not retry a resolver that sends garbage, but asks the next one without using a retry', async () => {
    const garbage = await server({ garbage: true });
    const good = await server();
    const client = new DohClient({ endpoints: [garbage.url, good.url], retries: 0 });
    expect((await client.query('_sip._tls.contoso.test', 'SRV')).endpoint).toBe(good.url);
    expect(garbage.queries).toHaveLength(1);
    const alone = new DohClient({ endpoints: [garbage.url], retries: 3 });
    const failure = (await alone
      .query('_sip._tls.contoso.test', 'SRV')
      .catch((e: unknown) => e)) as DnsAllFailedError;
    expect(failure.attempts).toHaveLength(1);
    expect(failure.attempts[0]).toBeInstanceOf(DnsMalformedError);
    expect(failure.message).toMatch(/malformed/);
  });

  it('treats a wrong path (404) as that resolver failing, with the status in the message', async () => {
    const doh = await server();
    const client = new DohClient({ endpoints: [doh.url.replace('/dns-query', '/nope')] });
    await expect(client.query('_sip._tls.contoso.test', 'SRV')).rejects.toThrow(/HTTP 404/);
  });

  it('tries a resolver that kept failing last, until it recovers', async () => {
    const port = await closedPort();
    const good = await server();
    let now = 0;
    const clock = { now: () => now, sleep: () => Promise.resolve() };
    const dead = `http://127.0.0.1:${port}/dns-query`;
    const client = new DohClient({ endpoints: [dead, good.url], clock, quarantineMs: 1000 });
    for (let i = 0; i < 3; i += 1) await client.query('_sip._tls.contoso.test', 'SRV');
    const fetchCalls: string[] = [];
    const spying = new DohClient({
      endpoints: [dead, good.url],
      clock,
      fetch: (input, init) => {
        fetchCalls.push(input);
        return (transport ?? ((url, options) => fetch(url, options)))(input, init);
      },
    });
    // the new client has its own health state: it tries the dead one first
    await spying.query('_sip._tls.contoso.test', 'SRV');
    expect(fetchCalls[0]).toContain(String(port));
    // the old one, after three failures, goes straight to the good resolver
    const before = good.queries.length;
    await client.query('_sipfederationtls._tcp.contoso.test', 'SRV');
    expect(good.queries.length).toBe(before + 1);
    now += 1001; // quarantine over: the dead one is first again (and fails over again)
    await expect(client.query('_sip._tls.contoso.test', 'SRV')).resolves.toMatchObject({
      endpoint: good.url,
    });
  });

  it('keeps at most maxInFlightPerEndpoint questions in flight', async () => {
    const doh = await server({ latencyMs: 20 });
    const client = new DohClient({ endpoints: [doh.url], maxInFlightPerEndpoint: 4 });
    await Promise.all(Array.from({ length: 24 }, (_, i) => client.query(`_sip._tls.d${i}.test`, 'SRV')));
    expect(doh.inFlight.max).toBe(4);
  });

  it('asks fetch to skip the HTTP cache when told to (the pane keeps its own cache)', async () => {
    const doh = await server();
    const seen: (string | undefined)[] = [];
    const spy = (bypassHttpCache: boolean) =>
      new DohClient({
        endpoints: [doh.url],
        bypassHttpCache,
        fetch: (url, init) => {
          seen.push(init.cache);
          return (transport ?? ((u, o) => fetch(u, o)))(url, init);
        },
      });
    await spy(true).query('_sip._tls.contoso.test', 'SRV');
    await spy(false).query('_sip._tls.contoso.test', 'SRV');
    expect(seen).toEqual(['no-store', undefined]);
  });

  it('stops at once when cancelled', async () => {
    const doh = await server();
    const client = new DohClient({ endpoints: [doh.url], timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = client.query('_sipfederationtls._tcp.silent.test', 'SRV', controller.signal);
    setTimeout(() => controller.abort(new Error('cancelled by the user')), 50);
    await expect(pending).rejects.toThrow('cancelled by the user');
  });

  it('explains an unreachable resolver', async () => {
    const port = await closedPort();
    const client = new DohClient({ endpoints: [`http://127.0.0.1:${port}/dns-query`] });
    const failure = (await client.query('a.test', 'SRV').catch((e: unknown) => e)) as DnsAllFailedError;
    expect(failure.attempts[0]).toBeInstanceOf(DnsNetworkError);
    expect(failure.message).toMatch(/^cannot reach /);
  });
});
