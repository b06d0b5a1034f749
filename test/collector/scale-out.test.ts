/**
 * Two collector processes on one PostgreSQL (the suite's throw-away cluster), started together,
 * reports spread over both: each domain is verified once, and both publish the same directory and
 * statistics; given the same address-key secret, one address's limits and its place in K add up
 * across them. Without PostgreSQL it is skipped with a note (in CI, PostgreSQL is required).
 */
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../support/collector-stores';
import { startDohServer, type DohServer } from '../support/doh-server';
import { PostgresStore } from '../../src/collector/store/postgres';
import { FIXTURE_ZONE } from '../support/fixture-zone';

const run = TEST_DATABASE_URL ? describe : describe.skip;
if (!TEST_DATABASE_URL) {
  if (process.env.CI)
    throw new Error('CI: WCF_TEST_DATABASE_URL is not set (scripts/test-postgres.sh starts one)');
  process.stderr.write(
    'Scale-out test skipped: set WCF_TEST_DATABASE_URL (scripts/test-postgres.sh starts one)\n',
  );
}

const REPORTED = {
  'contoso.test': ['_sipfederationtls._tcp'],
  'fabrikam.test': ['_sipfederationtls._tcp', '_xmpp-server._tcp'],
  'jabber.test': ['_xmpps-server._tcp'],
  'agency.test': ['_sipfederationtls._tcp'],
} as const;

async function send(url: string, domains: string[]): Promise<{ status: number; message: string }> {
  const response = await fetch(`${url}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      domains: domains.map((domain) => ({
        domain,
        records: REPORTED[domain as keyof typeof REPORTED] ?? ['_sipfederationtls._tcp'],
      })),
    }),
  });
  const body = (await response.json()) as { message?: string };
  return { status: response.status, message: body.message ?? '' };
}

async function report(url: string, domains: (keyof typeof REPORTED)[]): Promise<number> {
  return (await send(url, domains)).status;
}

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url);
  return (await response.json()) as T;
}

async function until(condition: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

run('two collectors on one PostgreSQL', () => {
  let doh: DohServer;
  let schema: TestSchema;
  const collectors: CollectorProcess[] = [];
  const schemas: TestSchema[] = [];
  beforeAll(async () => {
    doh = await startDohServer({ zone: FIXTURE_ZONE });
    schema = await createTestSchema();
  });
  afterAll(async () => {
    for (const collector of collectors) {
      collector.child.kill('SIGTERM');
      await collector.exited;
    }
    await doh.close();
    await schema.drop();
    for (const other of schemas) await other.drop();
  });

  /** Two collectors started together on a schema of their own. */
  async function pair(env: Record<string, string>): Promise<[CollectorProcess, CollectorProcess]> {
    const started = await Promise.allSettled([startCollectorProcess(env), startCollectorProcess(env)]);
    const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    collectors.push(...running);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    return running as [CollectorProcess, CollectorProcess];
  }

  test('start together, share the work, verify each domain once, and publish the same', async () => {
    const env = {
      DATABASE_URL: schema.url,
      WCF_DOH_URLS: doh.url,
      WCF_PUBLISH_THRESHOLD: '1',
      WCF_VERIFY_PER_MINUTE: '6000',
      WCF_LIVE_CHECKS: 'off',
      WCF_ENTRA: 'off',
    };
    // Started at the same moment: the migrations take turns (an advisory lock), neither fails.
    const [a, b] = await pair(env);
    // The same report reaches both (a client retrying elsewhere, a load balancer), others one each.
    expect(await report(a.url, ['contoso.test', 'fabrikam.test'])).toBe(202);
    expect(await report(b.url, ['contoso.test', 'fabrikam.test'])).toBe(202);
    expect(await report(a.url, ['jabber.test'])).toBe(202);
    expect(await report(b.url, ['agency.test'])).toBe(202);

    type Stats = { domains: number; lyncFederation: number; xmppFederation: number };
    type Listing = { domains: { domain: string }[] };
    // (The directory, not the statistics, is polled: each collector keeps its statistics a minute.)
    const published = async (url: string) => (await json<Listing>(`${url}/v1/domains`)).domains.length;
    await until(
      async () => (await published(a.url)) === 4 && (await published(b.url)) === 4,
      20_000,
      'both collectors to publish the four domains',
    );
    const [statsA, statsB] = await Promise.all([
      json<Stats>(`${a.url}/v1/stats`),
      json<Stats>(`${b.url}/v1/stats`),
    ]);
    expect(statsB).toEqual(statsA);
    expect(statsA).toMatchObject({ domains: 4, lyncFederation: 3, xmppFederation: 2 });
    const [listA, listB] = await Promise.all([
      json<Listing>(`${a.url}/v1/domains`),
      json<Listing>(`${b.url}/v1/domains`),
    ]);
    expect(listB).toEqual(listA);
    expect(listA.domains.map((d) => d.domain).sort()).toEqual(Object.keys(REPORTED).sort());

    // Each domain was verified once, by one of the two: its SIP federation question asked once.
    for (const domain of ['contoso.test', 'fabrikam.test', 'agency.test']) {
      const asked = doh.queries.filter(
        (q) => q.name === `_sipfederationtls._tcp.${domain}` && q.type === 'SRV',
      );
      expect({ domain, asked: asked.length }).toEqual({ domain, asked: 1 });
    }
  }, 60_000);

  test('with one address-key secret, an address has one allowance and one place in K across both', async () => {
    const own = await createTestSchema();
    schemas.push(own);
    const [a, b] = await pair({
      DATABASE_URL: own.url,
      WCF_DOH_URLS: doh.url,
      WCF_ADDRESS_KEY_SECRET: 'a-secret-shared-by-the-two-instances-of-this-test',
      WCF_PUBLISH_THRESHOLD: '2',
      WCF_REPORTS_PER_MINUTE: '6',
      WCF_MAX_NEW_PER_ADDRESS_PER_DAY: '4',
      WCF_VERIFY_PER_MINUTE: '6000',
      WCF_LIVE_CHECKS: 'off',
      WCF_ENTRA: 'off',
    });
    // New domains in a day (4 here): 3 through one instance, then 2 more through the other is 5.
    expect((await send(a.url, ['new-1.test', 'new-2.test', 'new-3.test'])).status).toBe(202);
    const refused = await send(b.url, ['new-4.test', 'new-5.test']);
    expect(refused).toEqual({
      status: 429,
      message: expect.stringMatching(/^Your address has shared 3 new domains today, the most .* is 4/),
    });
    // One more is within it; after that, a known domain costs no allowance.
    expect(await send(b.url, ['contoso.test'])).toEqual({ status: 202, message: '' });
    // The same reporter through both instances counts once toward K (2 here): not published.
    expect((await send(a.url, ['contoso.test'])).status).toBe(202);
    expect((await send(b.url, ['contoso.test'])).status).toBe(202);
    expect((await send(a.url, ['contoso.test'])).status).toBe(202);
    // Reports per minute (6 here): six were sent, through both; the seventh is one too many, on either.
    expect(await send(b.url, ['contoso.test'])).toEqual({
      status: 429,
      message: expect.stringMatching(/^Too many requests; try again in/),
    });
    expect((await send(a.url, ['contoso.test'])).status).toBe(429);

    const store = new PostgresStore(own.url);
    try {
      await until(
        async () => (await store.describe('contoso.test'))?.facts.status === 'present',
        20_000,
        'a check',
      );
      const contoso = await store.describe('contoso.test');
      expect({ reports: contoso?.reports, reporters: contoso?.reporters }).toEqual({
        reports: 4,
        reporters: 1,
      });
      expect(await store.describe('new-4.test')).toBeUndefined();
      expect(await store.describe('new-3.test')).toBeDefined();
    } finally {
      await store.close();
    }
    expect((await json<{ domains: unknown[] }>(`${a.url}/v1/domains`)).domains).toEqual([]);
  }, 60_000);
});
