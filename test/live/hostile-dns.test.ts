import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveResult } from '../../src/core/live';
import type { RecordResult } from '../../src/core/records';
import { buildVerdict, type DomainVerdict } from '../../src/core/verdict';
import { DohClient } from '../../src/dns/doh-client';
import { createNodeFetch } from '../../src/dns/node-fetch';
import { AddressPolicy } from '../../src/live/address-policy';
import type { ConnectFunction } from '../../src/live/connect';
import { LiveChecker } from '../../src/live/live-checker';
import { startDohServer, type DohServer, type Zone } from '../support/doh-server';
import { LOOPBACK_OPT_IN } from '../support/live-servers';
import { projectRoot } from '../support/project-root';
import { noneBut } from '../support/records';

/** Every special-purpose family the policy must refuse, as DNS could hand them to us. */
const SPECIAL_V4 = [
  '0.0.0.0',
  '10.1.2.3',
  '100.64.0.1',
  '127.0.0.1',
  '127.9.9.9',
  '169.254.169.254',
  '172.16.5.4',
  '172.31.255.255',
  '192.0.0.8',
  '192.0.2.1',
  '192.168.1.1',
  '198.18.0.1',
  '198.19.255.1',
  '198.51.100.7',
  '203.0.113.9',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
];
const SPECIAL_V6 = [
  '::',
  '::1',
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'ff02::1',
  '2001:db8::1',
  '::ffff:a9fe:a9fe', // 169.254.169.254, IPv4-mapped
  '::ffff:127.0.0.1',
  '::ffff:10.0.0.1',
  '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
  '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
  '2002:c0a8:101::1', // 6to4 of 192.168.1.1
  '::127.0.0.1', // IPv4-compatible (deprecated)
];
/** Public addresses (documentation of real public ranges); the injected connect never touches the network. */
const PUBLIC = ['93.184.215.14', '2606:4700:4700::1111'];

/** A connect function that never opens a socket: it records the attempt and says "refused". */
function recordingConnect(): { connect: ConnectFunction; attempts: string[] } {
  const attempts: string[] = [];
  const connect: ConnectFunction = (address, port) => {
    attempts.push(`${address} ${port}`);
    return Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
  };
  return { connect, attempts };
}

const srv = (targets: { target: string; port: number }[]): RecordResult => ({
  status: 'found',
  targets: targets.map((t) => ({ ...t, priority: 0, weight: 0 })),
});

/** A verdict whose other records were asked and not found, so the live tri-states can settle. */
function verdictWith(domain: string, records: DomainVerdict['records']): DomainVerdict {
  return buildVerdict({ domain, displayDomain: domain }, noneBut(records));
}

let doh: DohServer;
let client: DohClient;
const zone: Zone = {};
SPECIAL_V4.forEach((address, i) => (zone[`v4-${i}.evil.test`] = { A: [address] }));
SPECIAL_V6.forEach((address, i) => (zone[`v6-${i}.evil.test`] = { AAAA: [address] }));
PUBLIC.forEach(
  (address, i) =>
    (zone[`public-${i}.good.test`] = address.includes(':') ? { AAAA: [address] } : { A: [address] }),
);
for (let i = 0; i < 300; i += 1)
  zone[`t${i}.many.test`] = { A: [`93.184.${200 + Math.floor(i / 250)}.${i % 250}`] };
zone['mixed.evil.test'] = { A: ['127.0.0.1', '93.184.215.14'] };
zone['slow.evil.test'] = { hang: true };
zone['silent.loop.test'] = { A: ['127.0.0.1'] };

beforeAll(async () => {
  doh = await startDohServer({ zone });
  client = new DohClient({ endpoints: [doh.url], fetch: createNodeFetch(), timeoutMs: 5000, retries: 0 });
});
afterAll(async () => {
  await doh.close();
});

describe('the address policy', () => {
  const policy = new AddressPolicy();
  test.each([...SPECIAL_V4, ...SPECIAL_V6])('%s is refused', (address) => {
    expect(policy.checkAddress(address)).toMatchObject({ allowed: false });
  });
  test.each(PUBLIC)('%s (public unicast) is allowed', (address) => {
    expect(policy.checkAddress(address)).toEqual({ allowed: true });
  });
  test('a host name is never an address', () => {
    expect(policy.checkAddress('localhost')).toMatchObject({ allowed: false, reason: 'not an IP address' });
  });
  test('ports: the services’ own by default, others only when allowed', () => {
    expect(policy.checkPort('sip', 5061)).toEqual({ allowed: true });
    expect(policy.checkPort('xmpp', 5269)).toEqual({ allowed: true });
    expect(policy.checkPort('sip', 6379)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('6379'),
    });
    expect(new AddressPolicy({ ports: { sip: [7000] } }).checkPort('sip', 7000)).toEqual({ allowed: true });
  });
});

test('no special-purpose address is ever connected to; public ones are', async () => {
  const { connect, attempts } = recordingConnect();
  const checker = new LiveChecker({ resolver: client, connect, timeoutMs: 2000 });
  const hosts = [
    ...SPECIAL_V4.map((_, i) => `v4-${i}.evil.test`),
    ...SPECIAL_V6.map((_, i) => `v6-${i}.evil.test`),
  ];
  const evil = hosts.map((host) =>
    verdictWith(host.replace('.evil.test', '.example'), {
      '_sipfederationtls._tcp': srv([{ target: host, port: 5061 }]),
    }),
  );
  const good = PUBLIC.map((_, i) =>
    verdictWith(`good${i}.example`, {
      '_xmpp-server._tcp': srv([{ target: `public-${i}.good.test`, port: 5269 }]),
    }),
  );
  const checked = await checker.check([...evil, ...good]);
  expect(attempts.sort()).toEqual([`${PUBLIC[0]} 5269`, `${PUBLIC[1]} 5269`].sort());
  for (const verdict of checked.slice(0, evil.length)) {
    const live = verdict.records['_sipfederationtls._tcp']?.targets[0]?.live;
    expect(live).toMatchObject({
      status: 'blocked',
      detail: expect.stringMatching(/^not contacted: .+ is /),
    });
    expect(verdict.lync.live).toBe(false); // blocked counts like "no address"
    expect(verdict.verified).toBe(false);
  }
  expect(checked[0]?.records['_sipfederationtls._tcp']?.targets[0]?.live?.detail).toBe(
    'not contacted: 0.0.0.0 is "this network" (0.0.0.0/8)',
  );
  const mapped = checked[SPECIAL_V4.length + 7]?.records['_sipfederationtls._tcp']?.targets[0]?.live;
  expect(mapped?.detail).toBe(
    'not contacted: ::ffff:a9fe:a9fe is a link-local address (169.254.0.0/16), inside an IPv6 address',
  );
});

test('a port the service does not use is blocked before any look-up or connection', async () => {
  const { connect, attempts } = recordingConnect();
  const before = doh.queries.length;
  const checker = new LiveChecker({ resolver: client, connect });
  const [checked] = await checker.check([
    verdictWith('redis.example', {
      '_xmpp-server._tcp': srv([{ target: 'public-0.good.test', port: 6379 }]),
    }),
  ]);
  expect(checked?.records['_xmpp-server._tcp']?.targets[0]?.live).toMatchObject({
    status: 'blocked',
    detail: 'port 6379 is not one XMPP servers use (5222, 5223, 5269, 5270, 443)',
  });
  expect(attempts).toEqual([]);
  expect(doh.queries.length).toBe(before);
});

test('of a host with a loopback and a public address, only the public one is contacted', async () => {
  const { connect, attempts } = recordingConnect();
  const checker = new LiveChecker({ resolver: client, connect });
  await checker.check([
    verdictWith('mixed.example', {
      '_sipfederationtls._tcp': srv([{ target: 'mixed.evil.test', port: 5061 }]),
    }),
  ]);
  expect(attempts).toEqual(['93.184.215.14 5061']);
});

describe('real sockets on loopback', () => {
  let listener: Server;
  let port: number;
  let bytes = 0;
  let connections = 0;
  const open = new Set<Socket>();
  beforeAll(async () => {
    listener = createServer((socket: Socket) => {
      connections += 1;
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('data', (chunk) => (bytes += chunk.length));
      socket.on('error', () => undefined);
    });
    port = await new Promise<number>((resolve) =>
      listener.listen(0, '127.0.0.1', () => resolve((listener.address() as AddressInfo).port)),
    );
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        listener.close(() => resolve());
      }),
  );

  const target = (): DomainVerdict =>
    verdictWith('loop.example', {
      '_sipfederationtls._tcp': srv([{ target: 'silent.loop.test', port }]),
      '_xmpp-server._tcp': srv([{ target: 'silent.loop.test', port }]),
    });

  test('without the opt-in, no byte reaches a loopback listener, even with every port allowed', async () => {
    const checker = new LiveChecker({
      resolver: client,
      timeoutMs: 500,
      policy: new AddressPolicy({ ports: { sip: 'any', xmpp: 'any' } }),
    });
    const [checked] = await checker.check([target()]);
    expect(connections).toBe(0);
    expect(bytes).toBe(0);
    expect(checked?.records['_xmpp-server._tcp']?.targets[0]?.live?.status).toBe('blocked');
  });

  test('with the opt-in it is contacted', async () => {
    const checker = new LiveChecker({ resolver: client, timeoutMs: 300, policy: LOOPBACK_OPT_IN });
    await checker.check([target()]);
    expect(connections).toBeGreaterThan(0);
    expect(bytes).toBeGreaterThan(0);
  });

  test('time limits hold under garbage collection: a silent server is a time-out within limit + 20 %', () => {
    // In a process of its own, as the CLI and the collector run, with a collection every 50 ms.
    const probe = join(projectRoot(), 'build/test/support/gc-timeout-probe.js');
    if (!existsSync(probe))
      throw new Error(`${probe} is missing: run "npm run build:node" first (npm test does)`);
    const output = execFileSync(process.execPath, ['--expose-gc', probe], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    const result = JSON.parse(output) as { limitMs: number; took: number; sip: LiveResult; xmpp: LiveResult };
    expect(result.sip).toMatchObject({ status: 'timeout' });
    // The XMPP target is behind the same silent server: it gets the same answer without a second wait.
    expect(result.xmpp).toMatchObject({
      status: 'timeout',
      detail: 'no TLS handshake within the time allowed',
    });
    expect(result.sip.ms).toBeGreaterThanOrEqual(result.limitMs * 0.95);
    expect(result.took).toBeLessThan(result.limitMs * 1.2);
  });

  test('five domains behind one silent server wait once, not five times', async () => {
    const before = connections;
    const checker = new LiveChecker({ resolver: client, timeoutMs: 400, policy: LOOPBACK_OPT_IN });
    const domains = Array.from({ length: 5 }, (_, i) =>
      verdictWith(`d${i}.example`, { '_xmpp-server._tcp': srv([{ target: 'silent.loop.test', port }]) }),
    );
    const started = performance.now();
    const checked = await checker.check(domains);
    expect(performance.now() - started).toBeLessThan(400 * 1.2 + 100);
    expect(connections - before).toBe(1);
    for (const verdict of checked) {
      expect(verdict.records['_xmpp-server._tcp']?.targets[0]?.live?.status).toBe('timeout');
    }
  });

  test('a target whose address look-up hangs is unresolved (unknown) within the limit', async () => {
    const checker = new LiveChecker({ resolver: client, timeoutMs: 400, policy: LOOPBACK_OPT_IN });
    const started = performance.now();
    const [checked] = await checker.check([
      verdictWith('slowdns.example', { '_sipfederationtls._tcp': srv([{ target: 'slow.evil.test', port }]) }),
    ]);
    expect(performance.now() - started).toBeLessThan(400 * 1.2 + 50);
    expect(checked?.records['_sipfederationtls._tcp']?.targets[0]?.live).toMatchObject({
      status: 'unresolved',
      lookupFailed: true,
      detail: 'the address lookup failed: no answer within 400 ms',
    });
    expect(checked?.lync.live).toBeNull();
  });
});

test('a 300-target answer: 10 per record and 20 per domain are contacted, the rest skipped with a note', async () => {
  const { connect, attempts } = recordingConnect();
  const before = doh.queries.length;
  const checker = new LiveChecker({ resolver: client, connect });
  const many = (offset: number, port: number) =>
    srv(Array.from({ length: 150 }, (_, i) => ({ target: `t${i + offset}.many.test`, port })));
  const [checked] = await checker.check([
    verdictWith('many.example', {
      '_xmpp-server._tcp': many(0, 5269),
      '_xmpp-client._tcp': many(150, 5222),
      '_xmpps-server._tcp': many(0, 5270),
    }),
  ]);
  expect(attempts).toHaveLength(20);
  expect(doh.queries.length - before).toBeLessThanOrEqual(40); // A and AAAA of 20 hosts at most
  const statuses = Object.values(checked?.records ?? {}).flatMap((r) => r.targets.map((t) => t.live?.status));
  expect(statuses.filter((s) => s === 'skipped')).toHaveLength(450 - 20);
  expect(checked?.notes).toContain(
    '430 more servers were not contacted: a live check contacts at most 10 per record and 20 per domain',
  );
});

/** A loopback listener that accepts and never speaks; `close()` drops what is still connected. */
async function silentListener(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

test('a run budget: targets not reached in time are skipped, and the check ends on time', async () => {
  // 60 domains, each behind its own silent server: two at a time they would take 12 s; the budget
  // ends the check after 600 ms.
  const silent = await Promise.all(Array.from({ length: 60 }, silentListener));
  try {
    const checker = new LiveChecker({
      resolver: client,
      timeoutMs: 400,
      concurrency: 2,
      policy: LOOPBACK_OPT_IN,
    });
    const domains = silent.map(({ port }, i) =>
      verdictWith(`b${i}.example`, { '_xmpp-server._tcp': srv([{ target: 'silent.loop.test', port }]) }),
    );
    const started = performance.now();
    const checked = await checker.check(domains, { budgetMs: 600 });
    expect(performance.now() - started).toBeLessThan(600 * 1.2 + 100);
    const statuses = checked.map((v) => v.records['_xmpp-server._tcp']?.targets[0]?.live?.status);
    // The first two get their full time; the rest would not have had it, so they are skipped, not "timed out".
    expect(statuses.filter((s) => s === 'timeout')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'skipped')).toHaveLength(58);
  } finally {
    await Promise.all(silent.map((listener) => listener.close()));
  }
});
