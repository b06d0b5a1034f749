import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { AddressPolicy } from '../../src/live/address-policy';
import { freeLoopbackPort } from './free-port';
import type { Zone } from './doh-server';

/** The stand-ins listen on loopback, on random ports: tests that contact them opt in to both. */
export const LOOPBACK_OPT_IN = new AddressPolicy({ allowPrivate: true, ports: { sip: 'any', xmpp: 'any' } });

export interface Pem {
  cert: string;
  key: string;
}

/** A test CA made in the run, and leaf certificates it signs. */
async function testCa(): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: 'Who Can Federate Test CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 86_400_000),
    notAfterDate: new Date(Date.now() + 86_400_000),
    extensions: [{ name: 'basicConstraints', cA: true }],
  });
  return { cert: pems.cert, key: pems.private };
}

async function leaf(
  ca: Pem,
  name: string,
  notAfter: Date,
  notBefore = new Date(Date.now() - 86_400_000),
): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: name }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    ca: { key: ca.key, cert: ca.cert },
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: name }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

export interface ListeningServer {
  port: number;
  /** Bytes each connection sent, in order of connection. */
  received: string[];
  /** Connections open now, and the most there ever were at once. */
  connections: { now: number; max: number; total: number };
  close(): Promise<void>;
}

function listen(server: Server, sockets: Set<Socket>): Promise<number> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function track(
  server: Server,
  handle: (socket: Socket, record: (text: string) => void) => void,
): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  const received: string[] = [];
  const connections = { now: 0, max: 0, total: 0 };
  const onSocket = (socket: Socket): void => {
    connections.now += 1;
    connections.total += 1;
    connections.max = Math.max(connections.max, connections.now);
    socket.on('close', () => (connections.now -= 1));
    socket.on('error', () => undefined);
    const index = received.push('') - 1;
    handle(socket, (text) => (received[index] += text));
  };
  server.on('connection', onSocket);
  return listen(server, sockets).then((port) => ({
    port,
    received,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  }));
}

/** A TLS server presenting `pem`, offering the XMPP ALPN protocols; it says nothing after the handshake. */
function tlsServer(pem: Pem): Promise<ListeningServer> {
  const server = createTlsServer({ ...pem, ALPNProtocols: ['xmpp-server', 'xmpp-client'] });
  server.on('tlsClientError', () => undefined);
  server.on('secureConnection', (socket) => socket.on('error', () => undefined));
  return track(server, () => undefined);
}

/**
 * An XMPP server: answers a stream header with its own and features offering STARTTLS, after
 * `GREETING_DELAY_MS` (so connections made at once would overlap visibly).
 */
export const GREETING_DELAY_MS = 150;
function xmppServer(): Promise<ListeningServer> {
  return track(createTcpServer(), (socket, record) => {
    socket.setEncoding('utf8');
    let answered = false;
    socket.on('data', (chunk: string) => {
      record(chunk);
      if (!answered && chunk.includes('<stream:stream')) {
        answered = true;
        const ns = /xmlns='(jabber:[a-z]+)'/.exec(chunk)?.[1] ?? 'jabber:server';
        setTimeout(
          () =>
            socket.writable &&
            socket.write(
              `<?xml version='1.0'?><stream:stream xmlns='${ns}' xmlns:stream='http://etherx.jabber.org/streams' id='t1' from='live.test' version='1.0'>` +
                `<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>`,
            ),
          GREETING_DELAY_MS,
        );
      }
    });
  });
}

/** An XMPP server that does not serve the domain asked for, as Prosody and ejabberd answer: `host-unknown`. */
function disowningXmppServer(): Promise<ListeningServer> {
  return track(createTcpServer(), (socket, record) => {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      record(chunk);
      if (chunk.includes('<stream:stream')) {
        socket.end(
          `<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' id='t2' version='1.0'>` +
            `<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>`,
        );
      }
    });
  });
}

/**
 * A certificate whose notAfter is no date at all (month 13): OpenSSL prints it as "Bad time
 * value". Made from a valid one by changing the DER bytes; its signature no longer verifies, which
 * a handshake without verification does not mind.
 */
export function withUnreadableExpiry(pem: Pem, notAfter: Date): Pem {
  const der = Buffer.from(pem.cert.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const yymmdd = notAfter.toISOString().slice(2, 10).replace(/-/g, '');
  const needle = Buffer.from(`${yymmdd}000000Z`);
  const at = der.indexOf(needle);
  if (at < 0) throw new Error('notAfter not found in the certificate');
  Buffer.from('13').copy(der, at + 2);
  const base64 =
    der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  return { key: pem.key, cert: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n` };
}

/**
 * OpenSSL's own test server, answering any SNI but `only.example` with a fatal `unrecognized_name`
 * alert (`-servername_fatal`): a direct-TLS server that does not serve the domain asked for.
 */
async function unrecognizedNameServer(pem: Pem): Promise<ListeningServer> {
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(join(tmpdir(), 'wcf-sni-'));
  writeFileSync(join(dir, 'cert.pem'), pem.cert);
  writeFileSync(join(dir, 'key.pem'), pem.key);
  const child = spawn(
    'openssl',
    [
      's_server',
      '-quiet',
      '-accept',
      `127.0.0.1:${port}`,
      '-cert',
      join(dir, 'cert.pem'),
      '-key',
      join(dir, 'key.pem'),
      '-cert2',
      join(dir, 'cert.pem'),
      '-key2',
      join(dir, 'key.pem'),
      '-servername',
      'only.example',
      '-servername_fatal',
    ],
    { stdio: 'ignore' },
  );
  const connections = { now: 0, max: 0, total: 0 };
  for (let attempt = 0; ; attempt += 1) {
    const up = await new Promise<boolean>((resolve) => {
      const probe = tcpConnect({ host: '127.0.0.1', port }, () => {
        probe.destroy();
        resolve(true);
      });
      probe.on('error', () => resolve(false));
    });
    if (up) break;
    if (attempt > 50) throw new Error('openssl s_server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    received: [],
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill();
      }),
  };
}

/** Accepts and never speaks. */
function silentServer(): Promise<ListeningServer> {
  return track(createTcpServer(), (socket, record) =>
    socket.on('data', (chunk: Buffer) => record(chunk.toString('latin1'))),
  );
}

/** Accepts, answers something that is not TLS, and hangs up. */
function garbageServer(): Promise<ListeningServer> {
  return track(createTcpServer(), (socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
}

export interface LiveServers {
  ca: Pem;
  valid: ListeningServer;
  otherName: ListeningServer;
  expired: ListeningServer;
  xmpps: ListeningServer;
  xmpp: ListeningServer;
  silent: ListeningServer;
  garbage: ListeningServer;
  disowning: ListeningServer;
  unreadableDate: ListeningServer;
  unrecognizedName: ListeningServer;
  refusedPort: number;
  /** SRV and A records pointing at the servers above, for the DoH fixture. */
  zone: Zone;
  close(): Promise<void>;
}

/**
 * The servers the live checks are tested against, all on 127.0.0.1, and a zone whose SRV targets
 * lead to them: one domain per outcome.
 */
export async function startLiveServers(): Promise<LiveServers> {
  const ca = await testCa();
  const tomorrow = new Date(Date.now() + 86_400_000);
  const badDate = new Date(Date.now() + 30 * 86_400_000);
  badDate.setUTCHours(0, 0, 0, 0);
  const [
    valid,
    otherName,
    expired,
    xmpps,
    xmpp,
    silent,
    garbage,
    refusedPort,
    disowning,
    unreadableDate,
    unrecognizedName,
  ] = await Promise.all([
    leaf(ca, 'sip.live.test', tomorrow).then(tlsServer),
    leaf(ca, 'elsewhere.example', tomorrow).then(tlsServer),
    leaf(ca, 'old.live.test', new Date(Date.now() - 3_600_000), new Date(Date.now() - 86_400_000 * 30)).then(
      tlsServer,
    ),
    leaf(ca, 'live.test', tomorrow).then(tlsServer),
    xmppServer(),
    silentServer(),
    garbageServer(),
    freeLoopbackPort(),
    disowningXmppServer(),
    leaf(ca, 'sip.baddate.test', badDate).then((pem) => tlsServer(withUnreadableExpiry(pem, badDate))),
    leaf(ca, 'only.example', tomorrow).then(unrecognizedNameServer),
  ]);
  const loopback = (name: string) => ({ [name]: { A: ['127.0.0.1'] } });
  const sip = (domain: string, target: string, port: number) => ({
    [`_sipfederationtls._tcp.${domain}`]: { SRV: [{ target, port }] },
  });
  const zone: Zone = {
    ...sip('live.test', 'sip.live.test', valid.port),
    '_xmpp-server._tcp.live.test': { SRV: [{ target: 'xmpp.live.test', port: xmpp.port }] },
    '_xmpp-client._tcp.live.test': { SRV: [{ target: 'xmpp.live.test', port: xmpp.port }] },
    '_xmpps-server._tcp.live.test': { SRV: [{ target: 'xmpps.live.test', port: xmpps.port }] },
    ...sip('shared.test', 'sip.live.test', valid.port),
    ...sip('mismatch.test', 'wrong.live.test', otherName.port),
    ...sip('expired.test', 'old.live.test', expired.port),
    ...sip('dead.test', 'dead.live.test', refusedPort),
    ...sip('noaddress.test', 'nowhere.live.test', valid.port),
    ...sip('garbled.test', 'garbled.live.test', garbage.port),
    '_xmpp-server._tcp.silent.test': { SRV: [{ target: 'silent.live.test', port: silent.port }] },
    '_xmpp-server._tcp.busy.test': { SRV: [{ target: 'xmpp.live.test', port: xmpp.port }] },
    '_xmpp-server._tcp.disowned.test': { SRV: [{ target: 'xmpp.disowned.test', port: disowning.port }] },
    '_xmpps-server._tcp.disowned.test': {
      SRV: [{ target: 'xmpps.disowned.test', port: unrecognizedName.port }],
    },
    ...sip('baddate.test', 'sip.baddate.test', unreadableDate.port),
    ...loopback('xmpp.disowned.test'),
    ...loopback('xmpps.disowned.test'),
    ...loopback('sip.baddate.test'),
    ...loopback('sip.live.test'),
    ...loopback('xmpp.live.test'),
    ...loopback('xmpps.live.test'),
    ...loopback('wrong.live.test'),
    ...loopback('old.live.test'),
    ...loopback('dead.live.test'),
    ...loopback('garbled.live.test'),
    ...loopback('silent.live.test'),
  };
  const listening = {
    valid,
    otherName,
    expired,
    xmpps,
    xmpp,
    silent,
    garbage,
    disowning,
    unreadableDate,
    unrecognizedName,
  };
  return {
    ca,
    ...listening,
    refusedPort,
    zone,
    close: async () => {
      await Promise.all(Object.values(listening).map((s) => s.close()));
    },
  };
}
