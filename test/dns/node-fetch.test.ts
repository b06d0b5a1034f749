import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DohClient } from '../../src/dns/doh-client';
import { createNodeFetch } from '../../src/dns/node-fetch';
import { loopbackCertificate, type TestCertificate } from '../support/certificates';
import { startDohServer, type DohServer } from '../support/doh-server';
import { FIXTURE_ZONE } from '../support/fixture-zone';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/big') {
      response.writeHead(200, { 'content-type': 'application/dns-message' }).end(Buffer.alloc(100_000));
    } else if (request.url === '/echo') {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () =>
        response
          .writeHead(201, {
            'x-method': request.method ?? '',
            'x-accept': String(request.headers.accept),
            'set-cookie': ['a=1', 'b=2'],
          })
          .end(Buffer.concat(chunks)),
      );
    } else {
      setTimeout(() => response.end('late'), 5000).unref();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createNodeFetch', () => {
  const fetchLike = createNodeFetch();
  const signal = () => new AbortController().signal;

  it('sends method, headers and body, and reads status, headers and body', async () => {
    const response = await fetchLike(`${base}/echo`, {
      method: 'POST',
      headers: { accept: 'application/dns-message' },
      body: new Uint8Array([1, 2, 3]),
      signal: signal(),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('X-Method')).toBe('POST');
    expect(response.headers.get('x-accept')).toBe('application/dns-message');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(response.headers.get('x-missing')).toBeNull();
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('refuses an answer larger than any DNS message', async () => {
    await expect(fetchLike(`${base}/big`, { method: 'GET', headers: {}, signal: signal() })).rejects.toThrow(
      /larger than/,
    );
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const pending = fetchLike(`${base}/slow`, { method: 'GET', headers: {}, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toThrow(/abort/i);
  });

  it('refuses protocols other than http and https', async () => {
    await expect(
      fetchLike('ftp://127.0.0.1/x', { method: 'GET', headers: {}, signal: signal() }),
    ).rejects.toThrow(/unsupported protocol/);
  });
});

describe('createNodeFetch over TLS', () => {
  let certificate: TestCertificate;
  const servers: DohServer[] = [];
  beforeAll(async () => {
    certificate = await loopbackCertificate();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('multiplexes questions over one HTTP/2 connection where the resolver offers h2', async () => {
    const doh = await startDohServer({ zone: FIXTURE_ZONE, tls: certificate });
    servers.push(doh);
    const client = new DohClient({ endpoints: [doh.url], fetch: createNodeFetch({ ca: certificate.cert }) });
    const answers = await Promise.all(
      [
        '_sipfederationtls._tcp.contoso.test',
        '_sip._tls.contoso.test',
        '_xmpp-server._tcp.fabrikam.test',
      ].map((name) => client.query(name, 'SRV')),
    );
    expect(answers.map((a) => a.rcode)).toEqual(['NOERROR', 'NOERROR', 'NOERROR']);
    expect(doh.httpVersions).toEqual(['2.0', '2.0', '2.0']);
  });

  it('falls back to HTTP/1.1 where the resolver speaks only that', async () => {
    const doh = await startDohServer({ zone: FIXTURE_ZONE, tls: { ...certificate, http1Only: true } });
    servers.push(doh);
    const client = new DohClient({ endpoints: [doh.url], fetch: createNodeFetch({ ca: certificate.cert }) });
    await client.query('_sipfederationtls._tcp.contoso.test', 'SRV');
    await client.query('_sip._tls.contoso.test', 'SRV');
    expect(doh.httpVersions).toEqual(['1.1', '1.1']);
  });

  it('refuses a resolver whose certificate it cannot trust, with the reason', async () => {
    const doh = await startDohServer({ zone: FIXTURE_ZONE, tls: certificate });
    servers.push(doh);
    const client = new DohClient({ endpoints: [doh.url], fetch: createNodeFetch() });
    await expect(client.query('_sip._tls.contoso.test', 'SRV')).rejects.toThrow(
      /cannot reach .*certificate/i,
    );
  });

  it('posts over HTTP/2 where GET is refused', async () => {
    const doh = await startDohServer({ zone: FIXTURE_ZONE, tls: certificate, postOnly: true });
    servers.push(doh);
    const client = new DohClient({ endpoints: [doh.url], fetch: createNodeFetch({ ca: certificate.cert }) });
    expect((await client.query('_sipfederationtls._tcp.contoso.test', 'SRV')).rcode).toBe('NOERROR');
    expect(doh.queries.map((q) => q.method)).toEqual(['POST']);
  });
});
