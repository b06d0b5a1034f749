import { cloudOfDiscovery, interpretDiscovery } from '../../src/core/entra';
import {
  DISCOVERY_CONVENTIONS,
  HOST_CONVENTIONS,
  TEXT_CONVENTIONS,
  tenantDomainOfDkim,
} from '../../src/core/microsoft-conventions';
import type { RecordResult } from '../../src/core/records';
import { microsoft365Of } from '../../src/core/tenant-evidence';
import { buildVerdict } from '../../src/core/verdict';
import { found, noneBut, type Records } from '../support/records';

const texts = (...values: string[]): RecordResult => ({ status: 'found', targets: [], texts: values });

describe("Microsoft's conventions: every row read back from its source's own example", () => {
  it.each(HOST_CONVENTIONS.map((row) => [`${row.record} → ${row.example.value}`, row] as const))(
    '%s',
    (_name, row) => {
      const signals = microsoft365Of(
        noneBut({ [row.record]: found(row.example.value, row.record === 'MX' ? 25 : 0) }),
      );
      expect(signals).toMatchObject({ tenant: true, cloud: row.cloud });
      expect(signals.evidence).toEqual([
        { signal: row.signal, record: row.record, value: row.example.value },
      ]);
      expect(signals.tenantDomain).toBe(row.example.tenantDomain);
    },
  );

  it.each(TEXT_CONVENTIONS.map((row) => [row.example.value, row] as const))('TXT "%s"', (_name, row) => {
    const signals = microsoft365Of(noneBut({ TXT: texts(row.example.value) }));
    expect(signals).toMatchObject({ tenant: true, cloud: row.cloud });
    expect(signals.evidence.map((e) => e.signal)).toEqual([row.signal]);
  });

  it('every row names a source page and a date', () => {
    for (const row of [...HOST_CONVENTIONS, ...TEXT_CONVENTIONS, ...DISCOVERY_CONVENTIONS]) {
      expect(row.source.url).toMatch(/^https:\/\//);
      expect(row.since).toMatch(/^≤?\d{4}-\d{2}$/);
    }
  });

  it("names the tenant's initial domain from either DKIM form, as the DKIM page's examples show", () => {
    // Microsoft Learn, "Set up DKIM…": cohovineyardandwinery.onmicrosoft.com with two custom domains,
    // given partitions n and r.
    expect(
      tenantDomainOfDkim(
        'selector1-cohowinery-com._domainkey.cohovineyardandwinery.r-v1.dkim.mail.microsoft',
      ),
    ).toBe('cohovineyardandwinery.onmicrosoft.com');
    expect(tenantDomainOfDkim('selector1-contoso-com._domainkey.contoso.onmicrosoft.com')).toBe(
      'contoso.onmicrosoft.com',
    );
    expect(tenantDomainOfDkim('selector1-x._domainkey.dkim.mail.microsoft')).toBeUndefined();
    expect(tenantDomainOfDkim('dkim.example.net')).toBeUndefined();
  });

  it('reads a new tenant (mx.microsoft MX, new DKIM) as "likely via Teams", where it used to read "No"', () => {
    const verdict = buildVerdict(
      { domain: 'contoso.com', displayDomain: 'contoso.com' },
      noneBut({
        MX: found('contoso-com.o-v1.mx.microsoft', 25),
        'selector1._domainkey': found('selector1-contoso-com._domainkey.contoso.n-v1.dkim.mail.microsoft', 0),
      }),
    );
    expect(verdict.answer).toBe('likely');
    expect(verdict.microsoft365.tenantDomain).toBe('contoso.onmicrosoft.com');
  });

  it('does not take a look-alike host for Microsoft', () => {
    const signals = microsoft365Of(
      noneBut({
        MX: found('mail.protection.outlook.com.evil.example', 25),
        autodiscover: found('notautodiscover.outlook.com.example', 0),
        'selector1._domainkey': found('selector1._domainkey.mx.microsoft.example', 0),
      } as Records),
    );
    expect(signals.tenant).toBe(false);
  });
});

describe("Entra ID's discovery document", () => {
  const document = (fields: Record<string, unknown>): string =>
    JSON.stringify({
      token_endpoint: 'https://login.microsoftonline.com/x/oauth2/v2.0/token',
      issuer: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
      ...fields,
    });

  it.each([
    ['commercial', { cloud_instance_name: 'microsoftonline.com', tenant_region_scope: 'NA' }],
    [
      'gcc',
      {
        cloud_instance_name: 'microsoftonline.com',
        tenant_region_scope: 'NA',
        tenant_region_sub_scope: 'GCC',
      },
    ],
    [
      'gcc-high',
      {
        cloud_instance_name: 'microsoftonline.us',
        tenant_region_scope: 'NA',
        tenant_region_sub_scope: 'DODCON',
      },
    ],
    [
      'dod',
      {
        cloud_instance_name: 'microsoftonline.us',
        tenant_region_scope: 'NA',
        tenant_region_sub_scope: 'DOD',
      },
    ],
    ['21vianet', { cloud_instance_name: 'partner.microsoftonline.cn', tenant_region_scope: 'AS' }],
  ] as const)('200 in the %s cloud', (cloud, fields) => {
    expect(interpretDiscovery(200, document(fields))).toEqual({
      status: 'tenant',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      cloud,
    });
  });

  it('400 invalid_tenant (AADSTS90002) is "in no tenant"', () => {
    // The body Microsoft sends, as quoted in microsoftgraph/windowsupdates-webapplication-sample#6.
    const body = JSON.stringify({
      error: 'invalid_tenant',
      error_description:
        "AADSTS90002: Tenant 'nowhere.example' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
      error_codes: [90002],
      error_uri: 'https://login.microsoftonline.com/error?code=90002',
    });
    expect(interpretDiscovery(400, body)).toEqual({ status: 'none' });
  });

  it.each([
    ['a 5xx', 503, document({ cloud_instance_name: 'microsoftonline.com' })],
    ['another 400', 400, JSON.stringify({ error: 'invalid_request', error_codes: [900023] })],
    ['garbage', 200, '<html>hello</html>'],
    [
      'an issuer without a tenant id',
      200,
      document({ issuer: 'https://evil.example/', cloud_instance_name: 'microsoftonline.com' }),
    ],
    ['an unknown cloud', 200, document({ cloud_instance_name: 'microsoftonline.example' })],
    ['a JSON array', 200, '[]'],
  ])('%s is unknown, never "no"', (_name, status, body) => {
    expect(interpretDiscovery(status, body).status).toBe('error');
  });

  it('cloud rows are matched by instance, then sub-scope', () => {
    expect(cloudOfDiscovery({ instance: 'MicrosoftOnline.US' })).toBe('gcc-high');
    expect(cloudOfDiscovery({ instance: 'microsoftonline.us', subScope: 'dod' })).toBe('dod');
    expect(cloudOfDiscovery({ instance: 'microsoftonline.de' })).toBeUndefined();
  });
});

describe('tenants found through Entra ID, and clouds', () => {
  const domain = { domain: 'fabrikam.com', displayDomain: 'fabrikam.com' };
  const behindFilter = noneBut({ MX: found('mx1.fabrikam.pphosted.com', 25) });
  const tenant = (cloud: 'commercial' | 'gcc' | 'gcc-high' | 'dod' | '21vianet') =>
    ({ status: 'tenant', tenantId: '00000000-0000-4000-8000-000000000001', cloud }) as const;

  it('a tenant with no Microsoft record in DNS is "likely via Teams" through Entra ID', () => {
    const verdict = buildVerdict(domain, behindFilter, {
      entra: tenant('commercial'),
      fromCloud: 'commercial',
    });
    expect(verdict.answer).toBe('likely');
    expect(verdict.microsoft365).toMatchObject({
      tenant: true,
      cloud: 'commercial',
      tenantId: '00000000-0000-4000-8000-000000000001',
      evidence: [{ signal: 'entra', record: 'entra-id', value: '00000000-0000-4000-8000-000000000001' }],
    });
  });

  it('Entra ID says "in no tenant": a definite no, even where a DNS evidence lookup failed', () => {
    const records = {
      ...behindFilter,
      autodiscover: { status: 'error' as const, targets: [], error: 'time-out' },
    };
    expect(buildVerdict(domain, records).answer).toBe('unknown');
    expect(buildVerdict(domain, records, { entra: { status: 'none' } }).answer).toBe('no');
  });

  it('Entra ID failing leaves the tenant unknown, never "no"', () => {
    const verdict = buildVerdict(domain, behindFilter, { entra: { status: 'error', error: 'HTTP 503' } });
    expect(verdict.microsoft365.tenant).toBeNull();
    expect(verdict.answer).toBe('unknown');
  });

  it('Entra ID unreachable: the DNS evidence decides, as without it', () => {
    const verdict = buildVerdict(domain, behindFilter, {
      entra: { status: 'unreachable', error: 'offline' },
    });
    expect(verdict.answer).toBe('no');
  });

  it('a domain whose DNS failed but Entra ID knows reads "likely via Teams"', () => {
    const failed: RecordResult = { status: 'error', targets: [], error: 'cannot reach the resolver' };
    const verdict = buildVerdict(
      domain,
      { '_sipfederationtls._tcp': failed, MX: failed, '_xmpp-server._tcp': failed },
      { entra: tenant('gcc'), fromCloud: 'commercial' },
    );
    expect(verdict.answer).toBe('likely');
    expect(verdict.canFederate).toBeNull();
  });

  it.each([
    ['commercial', 'gcc', 'likely'],
    ['gcc', 'commercial', 'likely'],
    ['commercial', 'gcc-high', 'no'],
    ['gcc-high', 'commercial', 'no'],
    ['gcc-high', 'dod', 'no'],
    ['commercial', '21vianet', 'no'],
    ['dod', 'dod', 'likely'],
  ] as const)('a user in %s, a tenant in %s without SIP records: %s', (fromCloud, cloud, answer) => {
    const verdict = buildVerdict(domain, behindFilter, { entra: tenant(cloud), fromCloud });
    expect(verdict.answer).toBe(answer);
  });

  it('says why a tenant in another cloud is "No", in words', () => {
    const verdict = buildVerdict(
      { domain: 'contoso.us', displayDomain: 'contoso.us' },
      noneBut({ MX: found('contoso-us.mail.protection.office365.us', 25) }),
      { fromCloud: 'commercial' },
    );
    expect(verdict.answer).toBe('no');
    expect(verdict.notes).toContain(
      "contoso.us is in Microsoft's GCC High cloud: Teams reaches across clouds only where both organisations publish a federation record",
    );
  });

  it('a tenant in another cloud that publishes its SIP federation record is still a yes', () => {
    const verdict = buildVerdict(
      { domain: 'contoso.us', displayDomain: 'contoso.us' },
      noneBut({
        '_sipfederationtls._tcp': found('sipfed.online.gov.skypeforbusiness.us', 5061),
        MX: found('contoso-us.mail.protection.office365.us', 25),
      }),
      { fromCloud: 'commercial' },
    );
    expect(verdict.answer).toBe('yes');
    expect(verdict.notes).toEqual([]);
  });
});
