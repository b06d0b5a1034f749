import { parseDomain, type NormalisedDomain } from '../../src/core/address';
import { DohClient } from '../../src/dns/doh-client';
import { FederationLookup } from '../../src/engine/federation-lookup';
import { EntraDiscovery } from '../../src/entra/discovery-client';
import { startDohServer, type DohServer } from '../support/doh-server';
import { startEntraStandIn, tenantIdOf, type EntraStandIn } from '../support/entra-server';
import { freeLoopbackPort } from '../support/free-port';

let entra: EntraStandIn;
beforeEach(async () => {
  entra = await startEntraStandIn({
    'contoso.com': { tenant: 'commercial' },
    'agency.gov': { tenant: 'gcc' },
    'contoso.us': { tenant: 'gcc-high' },
    'army.mil': { tenant: 'dod' },
    'contoso.cn': { tenant: '21vianet' },
    'broken.example': { status: 503 },
    'garbage.example': { status: 200, body: '<html>sign in</html>' },
    'hang.example': { hang: true },
    'slow.example': { delayMs: 200, then: { tenant: 'commercial' } },
    'huge.example': { huge: true },
  });
});
afterEach(async () => {
  await entra.close();
});

const client = (options: Partial<ConstructorParameters<typeof EntraDiscovery>[0]> = {}) =>
  new EntraDiscovery({ baseUrl: entra.url, timeoutMs: 1000, ...options });

describe("EntraDiscovery against a stand-in of Microsoft's sign-in service", () => {
  it.each([
    ['contoso.com', 'commercial'],
    ['agency.gov', 'gcc'],
    ['contoso.us', 'gcc-high'],
    ['army.mil', 'dod'],
    ['contoso.cn', '21vianet'],
  ])('%s: a tenant in the %s cloud, with its id', async (domain, cloud) => {
    await expect(client().discover(domain)).resolves.toEqual({
      status: 'tenant',
      tenantId: tenantIdOf(domain),
      cloud,
    });
  });

  it('a domain in no tenant (400 AADSTS90002) is "none"', async () => {
    await expect(client().discover('nowhere.example')).resolves.toEqual({ status: 'none' });
  });

  it.each([
    ['a 5xx', 'broken.example', /HTTP 503/],
    ['garbage', 'garbage.example', /without a document/],
    ['a time-out', 'hang.example', /did not answer within 0.3 s/],
    ['a body past 64 kB', 'huge.example', /more than a discovery document/],
  ])('%s is an error (unknown), never "none"', async (_name, domain, message) => {
    const started = Date.now();
    const finding = await client({ timeoutMs: 300 }).discover(domain);
    expect(finding).toMatchObject({ status: 'error', error: expect.stringMatching(message) });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a slow answer within the limit is read', async () => {
    await expect(client().discover('slow.example')).resolves.toMatchObject({ status: 'tenant' });
  });

  it('a service that cannot be reached is "unreachable" (the DNS evidence then decides)', async () => {
    const port = await freeLoopbackPort();
    const finding = await new EntraDiscovery({ baseUrl: `http://127.0.0.1:${port}` }).discover('contoso.com');
    expect(finding.status).toBe('unreachable');
  });

  it('asks each domain once, keeps findings, but asks a failure again', async () => {
    const entraClient = client();
    await Promise.all([entraClient.discover('contoso.com'), entraClient.discover('contoso.com')]);
    await entraClient.discover('contoso.com');
    await entraClient.discover('broken.example');
    entra.set('broken.example', { tenant: 'commercial' });
    await expect(entraClient.discover('broken.example')).resolves.toMatchObject({ status: 'tenant' });
    expect(entra.asked).toEqual(['contoso.com', 'broken.example', 'broken.example']);
    expect(entraClient.requests).toBe(3);
  });

  it('keeps at most 8 requests in flight', async () => {
    const domains = Array.from({ length: 30 }, (_, i) => `d${i}.example`);
    for (const domain of domains) entra.set(domain, { delayMs: 50, then: { tenant: 'commercial' } });
    const entraClient = client();
    await Promise.all(domains.map((d) => entraClient.discover(d)));
    expect(entra.asked).toHaveLength(30);
    expect(entra.mostInFlight).toBeLessThanOrEqual(8);
    expect(entra.mostInFlight).toBeGreaterThan(1);
  });

  it('asks for the domain in the path, encoded', () => {
    expect(client().urlFor('xn--bcher-kva.example')).toBe(
      `${entra.url}/xn--bcher-kva.example/v2.0/.well-known/openid-configuration`,
    );
  });
});

describe('the lookup asks Entra ID only where it can change the answer', () => {
  let doh: DohServer;
  afterEach(async () => {
    await doh.close();
  });

  const domain = (name: string): NormalisedDomain => {
    const parsed = parseDomain(name);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed;
  };

  it('behind a filter: likely via Teams; a Microsoft MX, SIP records, a consumer provider: not asked', async () => {
    doh = await startDohServer({
      zone: {
        'fabrikam.com': { MX: [{ exchange: 'mx1.fabrikam.pphosted.com' }] },
        'contoso.com': { MX: [{ exchange: 'contoso-com.o-v1.mx.microsoft' }] },
        '_sipfederationtls._tcp.onprem.com': { SRV: [{ target: 'sip.onprem.com', port: 5061 }] },
        'gmail.com': { MX: [{ exchange: 'gmail-smtp-in.l.google.com' }] },
        'plain.com': { MX: [{ exchange: 'mail.plain.com' }] },
        'contoso.us': { MX: [{ exchange: 'mail.contoso.us' }] },
      },
    });
    entra.set('fabrikam.com', { tenant: 'commercial' });
    const client = new DohClient({ endpoints: [doh.url], timeoutMs: 1000, retries: 0 });
    const discovery = new EntraDiscovery({ baseUrl: entra.url });
    const lookup = new FederationLookup({ client, entra: discovery, fromCloud: 'commercial' });
    const names = ['fabrikam.com', 'contoso.com', 'onprem.com', 'gmail.com', 'plain.com', 'contoso.us'];
    let last: { discoveriesTotal?: number; discoveriesDone?: number } = {};
    const verdicts = await lookup.checkDomains(names.map(domain), { onProgress: (p) => (last = p) });
    const answers = Object.fromEntries(verdicts.map((v) => [v.domain, v.answer]));
    expect(answers).toEqual({
      'fabrikam.com': 'likely',
      'contoso.com': 'likely',
      'onprem.com': 'yes',
      'gmail.com': 'depends',
      'plain.com': 'no',
      'contoso.us': 'no',
    });
    expect(entra.asked.sort()).toEqual(['contoso.us', 'fabrikam.com', 'plain.com']);
    expect(last).toMatchObject({ discoveriesTotal: 3, discoveriesDone: 3 });
    const fabrikam = verdicts.find((v) => v.domain === 'fabrikam.com');
    expect(fabrikam?.microsoft365.evidence.map((e) => e.signal)).toEqual(['entra']);
    // Entra ID knew: none of the DNS tenant evidence was asked for it.
    expect(Object.keys(fabrikam?.records ?? {})).not.toContain('autodiscover');
  });

  it("an export's re-check (informational records asked) keeps asking Entra ID", async () => {
    doh = await startDohServer({
      zone: { 'fabrikam.com': { MX: [{ exchange: 'mx1.fabrikam.pphosted.com' }] } },
    });
    entra.set('fabrikam.com', { tenant: 'commercial' });
    const client = new DohClient({ endpoints: [doh.url], timeoutMs: 1000, retries: 0 });
    const lookup = new FederationLookup({
      client,
      informational: false,
      entra: new EntraDiscovery({ baseUrl: entra.url }),
    });
    const [verdict] = await lookup.checkDomains([domain('fabrikam.com')], {
      informational: ['_xmpp-client._tcp'],
    });
    expect(verdict?.answer).toBe('likely');
  });

  it('a GCC High tenant, seen from commercial, is "No" with the reason', async () => {
    doh = await startDohServer({ zone: { 'contoso.us': { MX: [{ exchange: 'mail.contoso.us' }] } } });
    const client = new DohClient({ endpoints: [doh.url], timeoutMs: 1000, retries: 0 });
    const lookup = new FederationLookup({
      client,
      entra: new EntraDiscovery({ baseUrl: entra.url }),
      fromCloud: 'commercial',
    });
    const [verdict] = await lookup.checkDomains([domain('contoso.us')]);
    expect(verdict?.answer).toBe('no');
    expect(verdict?.notes.join(' ')).toMatch(/GCC High cloud: Teams reaches across clouds only where both/);
  });
});
