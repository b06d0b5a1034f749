import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { pendingFilePath } from '../../src/cli/pending-file';
import { startTestCollector, type TestCollector } from '../support/collector-app';
import { storeKinds, type TestStore } from '../support/collector-stores';
import { startDohServer, type DohServer } from '../support/doh-server';
import { FIXTURE_ZONE } from '../support/fixture-zone';

let doh: DohServer;
let dir: string;
let list: string;
let t: TestStore;
let collector: TestCollector;

beforeAll(async () => {
  doh = await startDohServer({ zone: FIXTURE_ZONE });
});
afterAll(async () => {
  await doh.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wcf-share-'));
  list = join(dir, 'list.txt');
  await writeFile(
    list,
    'alice@contoso.test\nbob@fabrikam.test\ncarol@gmail.com\ndave@plain.test\nerin@broken.test\n',
  );
  t = await (storeKinds()[0] as ReturnType<typeof storeKinds>[0]).create();
  collector = await startTestCollector(t.store);
});
afterEach(async () => {
  await collector.close();
  await t.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdin: Readable.from([]),
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: { WCF_DOH_URLS: doh.url, WCF_SHARE_DELAY_MS: '0-0', XDG_CACHE_HOME: dir, ...env },
  });
  return { code, stdout, stderr };
}

test('--share sends only domains with found records, after writing the same results', async () => {
  const plain = await cli(['check', list, '--format', 'csv']);
  const shared = await cli(['check', list, '--format', 'csv', '--share', '--collector', collector.url]);
  expect(shared.code).toBe(0);
  expect(shared.stdout).toBe(plain.stdout);
  expect(shared.stderr).toContain('Sharing 2 domains anonymously');
  expect(shared.stderr).toContain('Shared 2 domains');
  expect(await t.store.describe('contoso.test')).toMatchObject({ reports: 1 });
  expect(await t.store.describe('fabrikam.test')).toMatchObject({ reports: 1 });
  for (const never of ['gmail.com', 'plain.test', 'broken.test'])
    expect(await t.store.describe(never)).toBeUndefined();
});

test('WCF_COLLECTOR_URL is the default directory', async () => {
  const run = await cli(['check', list, '--share'], { WCF_COLLECTOR_URL: collector.url });
  expect(run.stderr).toContain('Shared 2 domains');
});

test('a directory that cannot be reached keeps the domains for the next --share run', async () => {
  const down = await cli(['check', list, '--format', 'json', '--share', '--collector', 'http://127.0.0.1:9']);
  expect(down.code).toBe(0);
  expect(JSON.parse(down.stdout)).toHaveProperty('domains');
  expect(down.stderr).toMatch(/Could not share: the directory could not be reached .*2 domains are kept in/);
  const kept = JSON.parse(await readFile(pendingFilePath({ XDG_CACHE_HOME: dir }), 'utf8')) as {
    domains: unknown[];
  };
  expect(kept.domains).toHaveLength(2);

  await writeFile(list, 'someone@jabber.test\n');
  const next = await cli(['check', list, '--share', '--collector', collector.url]);
  expect(next.stderr).toContain('Shared 3 domains');
  expect(await t.store.describe('contoso.test')).toMatchObject({ reports: 1 });
  expect(await t.store.describe('jabber.test')).toMatchObject({ reports: 1 });
  await expect(readFile(pendingFilePath({ XDG_CACHE_HOME: dir }))).rejects.toThrow();
});

test('--share-preview prints the exact body and sends nothing', async () => {
  const run = await cli(['check', list, '--share-preview', '--collector', collector.url]);
  expect(run.stderr).toContain(
    '{"domains":[{"domain":"contoso.test","records":["_sipfederationtls._tcp","_sip._tls"]},{"domain":"fabrikam.test","records":["_sipfederationtls._tcp","_xmpp-server._tcp","_xmpp-client._tcp"]}]}',
  );
  expect(await t.store.pendingCount()).toBe(0);
});

test('--share without a directory is a usage error; nothing is shared unless asked', async () => {
  const run = await cli(['check', list, '--share']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('--share needs the directory to share with');
  const unasked = await cli(['check', list], { WCF_COLLECTOR_URL: collector.url });
  expect(unasked.stderr).not.toContain('Shar');
  expect(await t.store.pendingCount()).toBe(0);
});
