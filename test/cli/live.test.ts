import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { parse } from 'papaparse';
import { startDohServer, type DohServer } from '../support/doh-server';
import { startLiveServers, type LiveServers } from '../support/live-servers';

let servers: LiveServers;
let doh: DohServer;
beforeAll(async () => {
  servers = await startLiveServers();
  doh = await startDohServer({ zone: servers.zone });
});
afterAll(async () => {
  await servers.close();
  await doh.close();
});

/** The test servers listen on loopback, on random ports: the project's own tests opt in to both. */
const OPT_IN = { WCF_LIVE_ALLOW_PRIVATE: 'true', WCF_LIVE_PORTS: 'sip=*;xmpp=*' };

async function cli(argv: string[], stdin: string, extraEnv: Record<string, string> = OPT_IN) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: { WCF_DOH_URLS: doh.url, ...extraEnv },
  });
  return { code, stdout, stderr };
}

test('without --live no server is contacted', async () => {
  const before = servers.valid.connections.total;
  const run = await cli(['check', '--format', 'json'], 'live.test\n');
  expect(run.code).toBe(0);
  expect(servers.valid.connections.total).toBe(before);
  expect(run.stdout).not.toContain('"live"');
});

test('--live adds each target\'s answer, the edges and "verified" to the JSON', async () => {
  const run = await cli(['check', '--live', '--format', 'json'], 'live.test\ndead.test\n');
  expect(run.code).toBe(0);
  const { domains } = JSON.parse(run.stdout) as {
    domains: {
      domain: string;
      verified: boolean;
      lync: { live: boolean };
      records: Record<string, { targets: { live: { status: string; tls?: { nameMatches: boolean } } }[] }>;
    }[];
  };
  const live = domains.find((d) => d.domain === 'live.test');
  expect(live).toMatchObject({
    verified: true,
    lync: { federation: true, live: true },
    xmpp: { live: true },
  });
  expect(live?.records['_sipfederationtls._tcp']?.targets[0]?.live).toMatchObject({
    status: 'answering',
    tls: { nameMatches: true, altNames: ['sip.live.test'] },
  });
  expect(domains.find((d) => d.domain === 'dead.test')).toMatchObject({
    canFederate: true,
    verified: false,
    lync: { live: false },
  });
});

test('--live in the CSV: edge columns and each target with its status', async () => {
  const run = await cli(['check', '--live', '--format', 'csv'], 'dead.test\n');
  const [row] = parse<Record<string, string>>(run.stdout.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
  }).data;
  expect(row).toMatchObject({
    'Can federate': 'yes',
    'Lync edge answering': 'no',
    Verified: 'no',
    '_sipfederationtls._tcp targets': `dead.live.test:${servers.refusedPort} (refused)`,
  });
});

test('the help says what --live does and why it is off by default', async () => {
  const run = await cli(['--help'], '');
  // The help is wrapped at 80 columns: the words, whatever line they fall on.
  expect(run.stdout.replace(/\s+/g, ' ')).toContain("opens connections to other organisations' servers");
});

test('without the opt-in, --live never connects to the loopback servers the records point at', async () => {
  const before = servers.valid.connections.total + servers.xmpp.connections.total;
  const run = await cli(['check', '--live', '--format', 'json'], 'live.test\n', {});
  expect(run.code).toBe(0);
  expect(servers.valid.connections.total + servers.xmpp.connections.total).toBe(before);
  const { domains } = JSON.parse(run.stdout) as {
    domains: { records: Record<string, { targets: { live: { status: string; detail: string } }[] }> }[];
  };
  const sip = domains[0]?.records['_sipfederationtls._tcp']?.targets[0]?.live;
  // The fixture's ports are random, so the port rule refuses first; with any port allowed, the address rule does.
  expect(sip?.status).toBe('blocked');
  const portsOnly = await cli(['check', '--live', '--format', 'json'], 'live.test\n', {
    WCF_LIVE_PORTS: 'sip=*;xmpp=*',
  });
  const parsed = JSON.parse(portsOnly.stdout) as { domains: typeof domains };
  expect(parsed.domains[0]?.records['_sipfederationtls._tcp']?.targets[0]?.live).toMatchObject({
    status: 'blocked',
    detail: 'not contacted: 127.0.0.1 is a loopback address (127.0.0.0/8)',
  });
  expect(servers.valid.connections.total + servers.xmpp.connections.total).toBe(before);
  expect(run.stderr).not.toContain('Warning');
});

test('--live-ports is checked, and the opt-in is said on stderr', async () => {
  const bad = await cli(['check', '--live', '--live-ports', 'sip=99999'], 'live.test\n');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--live-ports: "99999" in sip= is not a port number');
  const warned = await cli(['check', '--live', '--quiet', '--format', 'json'], 'live.test\n');
  expect(warned.stderr).toContain('Warning: live checks may contact loopback and private addresses');
});
