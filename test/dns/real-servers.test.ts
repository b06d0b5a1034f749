import { CLASSIC_PROBE_IDS, selectProbes } from '../../src/core/probes';
import { createSecureServer, constants as h2, type ServerHttp2Stream } from 'node:http2';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import * as dnsPacket from 'dns-packet';
import { main } from '../../src/cli/main';
import { DohClient } from '../../src/dns/doh-client';
import { FederationLookup } from '../../src/engine/federation-lookup';
import { createNodeFetch } from '../../src/dns/node-fetch';
import { loopbackCertificate, type TestCertificate } from '../support/certificates';
import { answerFromZone, startDohServer, type Zone } from '../support/doh-server';
import { benchZone, countLost } from '../support/generated-zone';

let certificate: TestCertificate;
beforeAll(async () => {
  certificate = await loopbackCertificate();
});

/** Closes an HTTP/2 server and the sessions clients keep open to it. */
function closeH2(
  server: ReturnType<typeof createSecureServer>,
  sessions: Set<{ destroy(): void }>,
): Promise<void> {
  for (const session of sessions) session.destroy();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

function trackSessions(server: ReturnType<typeof createSecureServer>): Set<{ destroy(): void }> {
  const sessions = new Set<{ destroy(): void }>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  return sessions;
}

const listen = (server: Server | ReturnType<typeof createSecureServer>): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

/**
 * An HTTP/2 DoH server that rotates its connections as nginx does (GOAWAY after `rotateEvery`
 * streams, the streams after it refused) and refuses some streams outright (`REFUSED_STREAM`),
 * as servers at their concurrency limit do.
 */
async function rotatingServer(zone: Zone, rotateEvery: number, refuseEvery: number) {
  const server = createSecureServer({ ...certificate, settings: { maxConcurrentStreams: 100 } });
  const sessions = trackSessions(server);
  let streams = 0;
  let answered = 0;
  const perSession = new WeakMap<object, number>();
  server.on('stream', (stream: ServerHttp2Stream, headers) => {
    stream.on('error', () => undefined);
    streams += 1;
    const count = (perSession.get(stream.session as object) ?? 0) + 1;
    perSession.set(stream.session as object, count);
    if (count === rotateEvery) stream.session?.goaway(h2.NGHTTP2_NO_ERROR, (stream.id ?? 2) - 2);
    if (count >= rotateEvery || streams % refuseEvery === 0) {
      stream.close(h2.NGHTTP2_REFUSED_STREAM);
      return;
    }
    const path = String(headers[':path']);
    const query = dnsPacket.decode(
      Buffer.from(new URL(path, 'https://x').searchParams.get('dns') ?? '', 'base64url'),
    );
    const answer = dnsPacket.encode(answerFromZone(zone, query));
    setTimeout(() => {
      if (stream.destroyed) return;
      answered += 1;
      stream.respond({ ':status': 200, 'content-type': 'application/dns-message' });
      stream.end(answer);
    }, 1);
  });
  const port = await listen(server);
  return {
    url: `https://localhost:${port}/dns-query`,
    counts: () => ({ streams, answered }),
    close: () => closeH2(server, sessions),
  };
}

test('GOAWAY every 100 streams and refused streams lose no answer over 2,100 questions', async () => {
  const { zone, domains } = benchZone(300);
  const server = await rotatingServer(zone, 100, 53);
  try {
    const client = new DohClient({
      endpoints: [server.url],
      fetch: createNodeFetch({ ca: certificate.cert }),
      timeoutMs: 5000,
    });
    const lookup = new FederationLookup({ client, concurrency: 64, probes: selectProbes(CLASSIC_PROBE_IDS) });
    const verdicts = await lookup.checkDomains(domains);
    const failed = verdicts.flatMap((v) => Object.values(v.records).filter((r) => r.status === 'error'));
    expect(failed).toEqual([]);
    expect(countLost(verdicts, 300)).toBe(0);
    expect(server.counts().answered).toBe(2100);
  } finally {
    await server.close();
  }
}, 30_000);

test('a DoH port that accepts and never completes TLS fails over within the time limit', async () => {
  const sockets = new Set<Socket>();
  const stalled = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const port = await listen(stalled);
  const good = await startDohServer({ zone: { 'x.example': { A: ['192.0.2.1'] } } });
  try {
    const client = new DohClient({
      endpoints: [`https://127.0.0.1:${port}/dns-query`, good.url],
      fetch: createNodeFetch(),
      timeoutMs: 500,
      retries: 1,
      backoffMs: 10,
    });
    const started = performance.now();
    const answer = await client.query('x.example', 'A');
    expect(answer.endpoint).toBe(good.url);
    expect(performance.now() - started).toBeLessThan(500 * 1.2 + 100);
  } finally {
    for (const socket of sockets) socket.destroy();
    stalled.close();
    await good.close();
  }
});

test('a POST-only resolver answers all 7 records at concurrency 64 (questions in flight are re-asked by POST)', async () => {
  const { zone, domains } = benchZone(1);
  const doh = await startDohServer({ zone, postOnly: true, latencyMs: 20 });
  try {
    const client = new DohClient({ endpoints: [doh.url], fetch: createNodeFetch() });
    const probes = selectProbes(CLASSIC_PROBE_IDS);
    const lookup = new FederationLookup({ client, concurrency: 64, probes });
    const [verdict] = await lookup.checkDomains(domains);
    expect(Object.values(verdict?.records ?? {}).filter((r) => r.status === 'error')).toEqual([]);
    expect(Object.keys(verdict?.records ?? {})).toHaveLength(7);
  } finally {
    await doh.close();
  }
});

test('an answer with the TC bit is an error, never a partial answer', async () => {
  const server = createSecureServer(certificate);
  const sessions = trackSessions(server);
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    const query = dnsPacket.decode(
      Buffer.from(new URL(String(headers[':path']), 'https://x').searchParams.get('dns') ?? '', 'base64url'),
    );
    const answer = answerFromZone({ 'x.example': { A: ['192.0.2.1'] } }, query);
    answer.flags = (answer.flags ?? 0) | 0x0200;
    stream.respond({ ':status': 200, 'content-type': 'application/dns-message' });
    stream.end(dnsPacket.encode(answer));
  });
  const port = await listen(server);
  try {
    const client = new DohClient({
      endpoints: [`https://localhost:${port}/dns-query`],
      fetch: createNodeFetch({ ca: certificate.cert }),
    });
    await expect(client.query('x.example', 'A')).rejects.toThrow('the answer was truncated (TC bit set)');
  } finally {
    await closeH2(server, sessions);
  }
});

test('exit status 3 and one line on stderr when no lookup at all succeeded; no OpenSSL internals', async () => {
  const plain = await startDohServer({ zone: {} });
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['check', '--format', 'json', '--timeout', '500', '--doh', plain.url.replace('http:', 'https:')],
    {
      stdin: Readable.from([Buffer.from('contoso.example\n')]),
      stdout: { write: (text: string) => (stdout += text), isTTY: false },
      stderr: { write: (text: string) => (stderr += text), isTTY: false },
      env: {},
    },
  );
  await plain.close();
  expect(code).toBe(3);
  expect(stderr).toContain('no lookup succeeded: check the network and the --doh resolvers.');
  expect(stderr).not.toMatch(/deps\/openssl|routines:/);
  expect(stderr).toContain('wrong version number');
  expect(JSON.parse(stdout)).toHaveProperty('domains');
});
