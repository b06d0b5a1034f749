import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, postReport } from '../support/collector-app';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process';
import { startDohServer, type DohServer, type Zone } from '../support/doh-server';

/** Loopback listeners that accept and never speak, as a hostile domain's "servers". */
interface Silent {
  ports: number[];
  connections: () => number;
  close(): Promise<void>;
}

async function silentServers(n: number): Promise<Silent> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const servers: Server[] = [];
  const ports = await Promise.all(
    Array.from({ length: n }, () => {
      const server = createServer((socket) => {
        connections += 1;
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      });
      servers.push(server);
      return new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      );
    }),
  );
  return {
    ports,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
    },
  };
}

let doh: DohServer;
let silent: Silent;
let dir: string;
let collector: CollectorProcess;

beforeAll(async () => {
  silent = await silentServers(60);
  const zone: Zone = {
    // 300 targets in one answer, each a host of its own.
    '_xmpp-server._tcp.wide.test': {
      SRV: Array.from({ length: 300 }, (_, i) => ({
        target: `x${i}.wide.test`,
        port: silent.ports[i % 60] as number,
      })),
    },
    // 60 servers that accept and never speak.
    '_sipfederationtls._tcp.silent.test': {
      SRV: silent.ports.map((port, i) => ({ target: `s${i}.silent.test`, port, priority: i })),
    },
    '_sipfederationtls._tcp.ordinary.test': { SRV: [{ target: 'sipfed.online.lync.com', port: 5061 }] },
  };
  for (let i = 0; i < 300; i += 1) zone[`x${i}.wide.test`] = { A: ['127.0.0.1'] };
  for (let i = 0; i < 60; i += 1) zone[`s${i}.silent.test`] = { A: ['127.0.0.1'] };
  doh = await startDohServer({ zone });
  dir = await mkdtemp(join(tmpdir(), 'wcf-hostile-'));
  collector = await startCollectorProcess({
    WCF_COLLECTOR_DB: join(dir, 'collector.sqlite'),
    WCF_DOH_URLS: doh.url,
    WCF_PUBLISH_THRESHOLD: '1',
    WCF_LIVE_ALLOW_PRIVATE: 'true',
    WCF_LIVE_PORTS: 'sip=*;xmpp=*',
  });
});
afterAll(async () => {
  collector.child.kill('SIGTERM');
  await collector.exited;
  await silent.close();
  await doh.close();
  await rm(dir, { recursive: true, force: true });
});

test('the opt-in is warned about at start', () => {
  expect(collector.output()).toContain('WCF_LIVE_ALLOW_PRIVATE=true: live checks may contact loopback');
});

test('a 300-target domain and one behind 60 silent servers do not hold up an ordinary report', async () => {
  const first = await postReport(collector.url, {
    domains: [
      { domain: 'wide.test', records: ['_xmpp-server._tcp'] },
      { domain: 'silent.test', records: ['_sipfederationtls._tcp'] },
    ],
  });
  expect(first.status).toBe(202);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const reportedAt = Date.now();
  const second = await postReport(collector.url, {
    domains: [{ domain: 'ordinary.test', records: ['_sipfederationtls._tcp'] }],
  });
  expect(second.status).toBe(202);
  let listed = false;
  while (!listed && Date.now() - reportedAt < 10_000) {
    const page = (await get(collector.url, '/v1/domains')).json<{ domains: { domain: string }[] }>();
    listed = page.domains.some((d) => d.domain === 'ordinary.test');
    if (!listed) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(listed).toBe(true);
  expect(Date.now() - reportedAt).toBeLessThan(10_000);
  // The hostile domains were verified over DNS too; their servers were contacted within the bounds.
  const all = (await get(collector.url, '/v1/domains')).json<{ domains: { domain: string }[] }>();
  expect(all.domains.map((d) => d.domain).sort()).toEqual(['ordinary.test', 'silent.test', 'wide.test']);
  expect(silent.connections()).toBeLessThanOrEqual(40);
  expect(
    doh.queries.filter((q) => q.name.endsWith('.wide.test') && /^x\d+/.test(q.name)).length,
  ).toBeLessThanOrEqual(20);
}, 30_000);
