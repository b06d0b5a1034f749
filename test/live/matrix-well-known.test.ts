import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { AddressPolicy } from '../../src/live/address-policy';
import { LiveChecker } from '../../src/live/live-checker';
import { matrixWellKnown, type MatrixWellKnownOptions } from '../../src/live/matrix-well-known';
import { buildVerdict } from '../../src/core/verdict';
import { DohClient } from '../../src/dns/doh-client';
import { loopbackCertificate, type TestCertificate } from '../support/certificates';
import { startDohServer, type DohServer } from '../support/doh-server';
import { noneBut } from '../support/records';

let certificate: TestCertificate;
let web: Server;
let port: number;
let doh: DohServer;
const requests: string[] = [];
/** What the web server answers, per domain (its Host header). */
const pages: Record<string, { status: number; body: string }> = {
  'matrix.test': { status: 200, body: '{"m.server": "chat.matrix.test:443"}' },
  'missing.test': { status: 404, body: 'not found' },
  'huge.test': { status: 200, body: `{"m.server": "x.test", "pad": "${'x'.repeat(40_000)}"}` },
  'sneaky.test': { status: 200, body: '{"m.server": "evil.test/../../admin"}' },
};

beforeAll(async () => {
  certificate = await loopbackCertificate(Object.keys(pages));
  web = createServer({ cert: certificate.cert, key: certificate.key }, (request, response) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    requests.push(`${host} ${request.url ?? ''}`);
    const page = pages[host] ?? { status: 404, body: '' };
    response.writeHead(page.status, { 'content-type': 'application/json' });
    response.end(page.body);
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  port = (web.address() as AddressInfo).port;
  doh = await startDohServer({
    zone: Object.fromEntries(Object.keys(pages).map((name) => [name, { A: ['127.0.0.1'] }])),
  });
});
afterAll(async () => {
  await new Promise((resolve) => web.close(resolve));
  await doh.close();
});

const options = (allowPrivate: boolean): MatrixWellKnownOptions => ({
  resolver: new DohClient({ endpoints: [doh.url] }),
  policy: new AddressPolicy({ allowPrivate }),
  port,
  tls: { ca: certificate.cert },
  timeoutMs: 3000,
});

describe('the Matrix .well-known delegation', () => {
  it('reads m.server over TLS to the checked address, the domain as SNI and Host', async () => {
    expect(await matrixWellKnown('matrix.test', options(true))).toEqual({
      status: 'found',
      server: 'chat.matrix.test:443',
    });
    expect(requests).toContain('matrix.test /.well-known/matrix/server');
  });

  it('contacts nothing the address policy refuses (loopback, by default)', async () => {
    const before = requests.length;
    const result = await matrixWellKnown('matrix.test', options(false));
    expect(result).toMatchObject({
      status: 'blocked',
      detail: expect.stringMatching(/127\.0\.0\.1 is .*loopback/),
    });
    expect(requests).toHaveLength(before);
  });

  it('bounds the document, and refuses what is not a server name', async () => {
    expect(await matrixWellKnown('huge.test', { ...options(true), maxBytes: 1024 })).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/over 1024 bytes/),
    });
    expect(await matrixWellKnown('sneaky.test', options(true))).toMatchObject({ status: 'error' });
    expect(await matrixWellKnown('missing.test', options(true))).toMatchObject({
      status: 'none',
      detail: 'the web server answered 404',
    });
  });

  it('checks the certificate: a server that cannot prove the name is an error, not a delegation', async () => {
    const untrusted = await matrixWellKnown('matrix.test', { ...options(true), tls: {} });
    expect(untrusted.status).toBe('error');
  });

  it('fills in matrix.server after a live check (the CLI --live, the collector)', async () => {
    const checker = new LiveChecker({
      resolver: new DohClient({ endpoints: [doh.url] }),
      policy: new AddressPolicy({ allowPrivate: true }),
      matrix: { port, tls: { ca: certificate.cert } },
    });
    const [verdict] = await checker.check([
      buildVerdict({ domain: 'matrix.test', displayDomain: 'matrix.test' }, noneBut()),
    ]);
    expect(verdict?.matrix).toEqual({ federation: true, server: 'chat.matrix.test:443', via: 'well-known' });
    expect(verdict?.canFederate).toBe(false);
  });
});
