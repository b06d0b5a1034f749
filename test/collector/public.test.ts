import { parse } from 'papaparse';
import type { DomainFacts } from '../../src/collector/store/store';
import { UNCHECKED } from '../../src/collector/verification';
import { UTF8_BOM } from '../../src/core/csv';
import { get, startTestCollector, type TestCollector } from '../support/collector-app';
import { storeKinds, type TestStore } from '../support/collector-stores';

const CHECKED = Date.UTC(2026, 10, 29, 18, 30);
const facts = (overrides: Partial<DomainFacts>): DomainFacts => ({
  ...UNCHECKED,
  status: 'present',
  lyncFederation: false,
  lyncPublicFacing: false,
  xmppFederation: false,
  xmppClientAccess: false,
  checkedAt: CHECKED,
  ...overrides,
});
const lync = facts({
  lyncFederation: true,
  hosting: 'microsoft-365',
  records: ['_sipfederationtls._tcp'],
  lyncLive: true,
  verified: true,
});
const onPrem = facts({
  lyncFederation: true,
  hosting: 'on-premises',
  records: ['_sipfederationtls._tcp'],
  lyncLive: false,
  verified: false,
});
const xmpp = facts({
  xmppFederation: true,
  xmppClientAccess: true,
  records: ['_xmpp-server._tcp', '_xmpp-client._tcp'],
});

interface Page {
  domains: { domain: string; displayDomain: string; checked: string; records: string[] }[];
  next: string | null;
}

describe.each(storeKinds())('public endpoints ($name)', (kind) => {
  let t: TestStore;
  let c: TestCollector;
  const published: string[] = [];

  beforeAll(async () => {
    t = await kind.create();
    const seed: [string, DomainFacts][] = [];
    for (let i = 0; i < 12; i += 1) seed.push([`m365-${String(i).padStart(2, '0')}.test`, lync]);
    for (let i = 0; i < 3; i += 1) seed.push([`onprem-${i}.test`, onPrem]);
    seed.push([
      'both.test',
      { ...lync, xmppFederation: true, records: ['_sipfederationtls._tcp', '_xmpp-server._tcp'] },
    ]);
    seed.push(['jabber.test', xmpp]);
    seed.push(['xn--bcher-kva.test', onPrem]);
    for (const day of ['2026-11-27', '2026-11-28', '2026-11-29'])
      await t.store.addReport(seed.map(([d]) => d).sort(), day);
    for (const [domain, f] of seed) await t.store.saveCheck(domain, f, 1);
    published.push(...seed.map(([d]) => d).sort());
    // Reported on two days only: verified, but below K.
    for (const day of ['2026-11-28', '2026-11-29']) await t.store.addReport(['rare.test'], day);
    await t.store.saveCheck('rare.test', lync, 1);
    c = await startTestCollector(t.store, { threshold: 3 });
  });
  afterAll(async () => {
    await c.close();
    await t.dispose();
  });

  test('GET /v1/stats is the research table with percentages', async () => {
    const response = await get(c.url, '/v1/stats');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      domains: 18,
      lyncFederation: 17,
      xmppFederation: 2,
      lyncAndXmpp: 1,
      xmppClientAccess: 1,
      microsoft365: 13,
      onPremises: 4,
      lyncEdgeAnswering: 13,
      xmppEdgeAnswering: 0,
      verified: 13,
      microsoft365Tenants: 0,
      tenantsOnlyInEntra: 0,
      tenantsByCloud: { commercial: 0, gcc: 0, 'gcc-high': 0, dod: 0, '21vianet': 0 },
      matrixFederation: 0,
      ciscoEdge: 0,
      asOf: new Date(CHECKED).toISOString(),
      percent: {
        lyncFederation: 94.4,
        xmppFederation: 11.1,
        lyncAndXmpp: 5.9,
        xmppClientAccess: 5.6,
        microsoft365: 76.5,
        onPremises: 23.5,
        lyncEdgeAnswering: 76.5,
        xmppEdgeAnswering: 0,
        verified: 72.2,
        microsoft365Tenants: 0,
        tenantsOnlyInEntra: 0,
        matrixFederation: 0,
        ciscoEdge: 0,
      },
      threshold: 3,
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  test('GET /v1/domains pages through the whole directory with a cursor, nothing twice or missed', async () => {
    const seen: string[] = [];
    let path = '/v1/domains?limit=5';
    for (;;) {
      const page = (await get(c.url, path)).json<Page>();
      seen.push(...page.domains.map((d) => d.domain));
      if (page.next === null) break;
      path = `/v1/domains?limit=5&cursor=${page.next}`;
    }
    expect(seen).toEqual(published);
    expect(seen).not.toContain('rare.test');
    const first = (await get(c.url, '/v1/domains?capability=lync&limit=1')).json<Page>();
    expect(first.domains).toEqual([
      {
        domain: 'both.test',
        displayDomain: 'both.test',
        lyncFederation: true,
        lyncPublicFacing: false,
        xmppFederation: true,
        xmppClientAccess: false,
        hosting: 'microsoft-365',
        records: ['_sipfederationtls._tcp', '_xmpp-server._tcp'],
        lyncLive: true,
        xmppLive: null,
        verified: true,
        checked: '2026-11-29',
      },
    ]);
    const unicode = (await get(c.url, '/v1/domains?capability=lync&limit=1000')).json<Page>();
    expect(unicode.domains.find((d) => d.domain === 'xn--bcher-kva.test')?.displayDomain).toBe('bücher.test');
    expect(unicode.next).toBeNull();
    expect(
      (await get(c.url, '/v1/domains?capability=xmpp-client')).json<Page>().domains.map((d) => d.domain),
    ).toEqual(['jabber.test']);
  });

  test.each([
    ['an unknown capability', '/v1/domains?capability=sip'],
    ['a limit of 0', '/v1/domains?limit=0'],
    ['a limit too large', '/v1/domains?limit=5000'],
    ['a limit that is not a number', '/v1/domains?limit=ten'],
    ['a forged cursor', '/v1/domains?cursor=bm90IGEgZG9tYWlu'],
    ['an unknown parameter', '/v1/domains?user=alice'],
  ])('GET /v1/domains refuses %s with a 400', async (_what, path) => {
    const response = await get(c.url, path);
    expect(response.status).toBe(400);
    expect(response.json<{ message: string }>().message.length).toBeGreaterThan(5);
  });

  test('the directory as CSV, by parameter or by Accept, streams every row', async () => {
    const byParameter = await get(c.url, '/v1/domains?format=csv');
    const byAccept = await get(c.url, '/v1/domains', { accept: 'text/csv' });
    expect(byParameter.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(byParameter.headers.get('content-disposition')).toContain('who-can-federate-all.csv');
    expect(byAccept.text).toBe(byParameter.text);
    // Excel needs the BOM (fetch's text() hides it, so read the bytes).
    const bytes = Buffer.from(await (await fetch(`${c.url}/v1/domains?format=csv`)).arrayBuffer());
    expect(bytes.toString('utf8').startsWith(UTF8_BOM)).toBe(true);
    const rows = parse<Record<string, string>>(byParameter.text, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.Domain)).toEqual(published);
    expect(rows.find((r) => r.Domain === 'jabber.test')).toEqual({
      Domain: 'jabber.test',
      'Display domain': 'jabber.test',
      'Lync/Teams federation': 'no',
      Hosting: '',
      'Public-facing Lync': 'no',
      'XMPP federation': 'yes',
      'XMPP client access': 'yes',
      Records: '_xmpp-server._tcp _xmpp-client._tcp',
      'Lync edge answering': 'unknown',
      'XMPP edge answering': 'unknown',
      Verified: 'unknown',
      Checked: '2026-11-29',
    });
    const limited = await get(c.url, '/v1/domains?format=csv&capability=lync&limit=2');
    expect(limited.text.trim().split('\r\n')).toHaveLength(3);
  });

  test('GET / shows the statistics without any script, each group of bars over the one denominator it names', async () => {
    const response = await get(c.url, '/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(
      /default-src 'none'; style-src 'sha256-[^']+'; base-uri 'none'; form-action 'self'/,
    );
    expect(response.text).not.toMatch(/<script|style="|<table/i);
    expect(response.text).toContain('<strong>18</strong>');
    expect(response.text).toContain('<h2>Of all 18 domains</h2>');
    expect(response.text).toContain('<h2>Of the 17 Lync-federated domains</h2>');
    expect(response.text).toMatch(/Also XMPP federation<\/span><span class="n">1 · 5.9%<\/span>/);
    // The share is read once, as text: the bars are for the eye only.
    expect(response.text).not.toMatch(/aria-label="[^"]*%/);
    expect(response.text.match(/<svg [^>]*aria-hidden="true"/g)?.length).toBe(11);
    expect(response.text).toContain('at least 3 different people');
    expect(response.text).toContain('<form method="get" action="/">');
  });

  test('GET /?domain= answers "Is my domain listed?" for published domains only, privately', async () => {
    const listed = await get(c.url, '/?domain=Both.test');
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('private, no-store');
    expect(listed.text).toMatch(
      /<strong>both\.test<\/strong> is listed: Teams \/ Skype for Business \/ Lync federation \(Microsoft 365\) and XMPP federation\. Its server answered when last checked\. Checked 2026-11-29\./,
    );
    // Verified, but reported by fewer than K people: not listed, like the directory.
    expect((await get(c.url, '/?domain=rare.test')).text).toContain(
      '<strong>rare.test</strong> is not listed',
    );
    expect((await get(c.url, '/?domain=xn--bcher-kva.test')).text).toContain(
      '<strong>bücher.test</strong> is listed',
    );
    const hostile = await get(c.url, `/?domain=${encodeURIComponent('<script>x</script>')}`);
    expect(hostile.status).toBe(200);
    expect(hostile.text).not.toContain('<script>');
    expect(hostile.text).toContain('is not a domain name');
  });

  test('GET /healthz says which store answers', async () => {
    const response = await get(c.url, '/healthz');
    expect(response.json()).toEqual({ status: 'ok', store: kind.name });
  });

  test('an unknown path is a 404 in JSON', async () => {
    const response = await get(c.url, '/v2/everything');
    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({ error: 'Not Found' });
  });
});

test('GET / explains K and how to contribute while nothing is published', async () => {
  const t = await (storeKinds()[0] as ReturnType<typeof storeKinds>[0]).create();
  const c = await startTestCollector(t.store, { threshold: 3 });
  try {
    const page = await get(c.url, '/');
    expect(page.text).toContain('Nothing is published yet');
    expect(page.text).toContain('at least <strong>3</strong> different people have shared it');
    expect(page.text).toContain('who-can-federate check --share');
    expect(page.text).not.toContain('<svg');
  } finally {
    await c.close();
    await t.dispose();
  }
});

test('GET /healthz is 503 when the database is gone', async () => {
  const kind = storeKinds()[0] as ReturnType<typeof storeKinds>[0];
  const t = await kind.create();
  const c = await startTestCollector(t.store);
  await t.store.close();
  const response = await get(c.url, '/healthz');
  expect(response.status).toBe(503);
  expect(response.json()).toMatchObject({ status: 'unavailable' });
  await c.close();
  await t.dispose();
});
