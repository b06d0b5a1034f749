import { liveKey } from '../../src/core/live';
import { DEFAULT_SCHEDULE, foldCheck, nextCheckAt, UNCHECKED } from '../../src/collector/verification';
import { buildVerdict } from '../../src/core/verdict';
import { failed, found, noneBut } from '../support/records';

const domain = { domain: 'fabrikam.test', displayDomain: 'fabrikam.test' };
const NOW = Date.UTC(2026, 10, 30);

const sipAndXmpp = buildVerdict(
  domain,
  noneBut({
    '_sipfederationtls._tcp': found('sip.fabrikam.test'),
    '_xmpp-server._tcp': found('xmpp.fabrikam.test', 5269),
  }),
);

describe('foldCheck', () => {
  test('a complete check replaces what was known', () => {
    expect(foldCheck(UNCHECKED, sipAndXmpp, NOW)).toEqual({
      status: 'present',
      lyncFederation: true,
      lyncPublicFacing: false,
      xmppFederation: true,
      xmppClientAccess: false,
      microsoft365Tenant: false,
      microsoft365Cloud: null,
      microsoft365Source: null,
      hosting: 'on-premises',
      records: ['_sipfederationtls._tcp', '_xmpp-server._tcp'],
      checkedAt: NOW,
      lyncLive: null,
      xmppLive: null,
      verified: null,
    });
  });

  test('live checks: an edge that answered stays answering through a time-out; no record, no edge', () => {
    const edge = { target: 'sip.fabrikam.test', port: 5061, priority: 0, weight: 0 };
    const sip = (status: 'answering' | 'timeout' | 'refused') =>
      buildVerdict(domain, noneBut({ '_sipfederationtls._tcp': { status: 'found', targets: [edge] } }), {
        live: {
          findings: new Map([[liveKey('_sipfederationtls._tcp', 0, edge), { status, ms: 5 }]]),
          skipped: 0,
        },
      });
    const answering = foldCheck(UNCHECKED, sip('answering'), NOW);
    expect(answering).toMatchObject({ lyncLive: true, verified: true, xmppLive: null });
    expect(foldCheck(answering, sip('timeout'), NOW + 1)).toMatchObject({ lyncLive: true, verified: true });
    expect(foldCheck(answering, sip('refused'), NOW + 1)).toMatchObject({ lyncLive: false, verified: false });
    expect(foldCheck(answering, buildVerdict(domain, noneBut()), NOW + 2)).toMatchObject({
      status: 'absent',
      lyncLive: null,
      verified: false,
    });
  });

  test('records gone make the domain absent', () => {
    const before = foldCheck(UNCHECKED, sipAndXmpp, NOW);
    const after = foldCheck(before, buildVerdict(domain, noneBut()), NOW + 1);
    expect(after).toMatchObject({
      status: 'absent',
      lyncFederation: false,
      xmppFederation: false,
      records: [],
      hosting: null,
    });
  });

  test('a failed lookup keeps the old answer for what it could not settle, never turning it into "no"', () => {
    const before = foldCheck(UNCHECKED, sipAndXmpp, NOW);
    const partial = buildVerdict(
      domain,
      noneBut({ '_sipfederationtls._tcp': failed, '_xmpp-server._tcp': failed }),
    );
    const after = foldCheck(before, partial, NOW + 1);
    expect(after).toMatchObject({
      status: 'present',
      lyncFederation: true,
      xmppFederation: true,
      hosting: 'on-premises',
      records: ['_sipfederationtls._tcp', '_xmpp-server._tcp'],
      checkedAt: NOW + 1,
    });
  });

  test('a check where every lookup failed changes nothing, not even the check time', () => {
    const allFailed = buildVerdict(
      domain,
      Object.fromEntries(Object.keys(noneBut()).map((id) => [id, failed])),
    );
    expect(foldCheck(UNCHECKED, allFailed, NOW)).toEqual(UNCHECKED);
  });
});

describe('nextCheckAt', () => {
  test('a full answer waits for the regular re-check; a failure retries soon', () => {
    expect(nextCheckAt(sipAndXmpp, NOW, DEFAULT_SCHEDULE)).toBe(NOW + DEFAULT_SCHEDULE.recheckMs);
    const partial = buildVerdict(domain, noneBut({ '_sip._tls': failed }));
    expect(nextCheckAt(partial, NOW, DEFAULT_SCHEDULE)).toBe(NOW + DEFAULT_SCHEDULE.retryMs);
  });
});

describe('foldCheck: Microsoft 365 tenants', () => {
  const onPrem = { '_sipfederationtls._tcp': found('sip.onprem.test') };
  test("keeps a tenant's cloud, and whether only Entra ID found it", () => {
    const viaEntra = buildVerdict({ domain: 'onprem.test', displayDomain: 'onprem.test' }, noneBut(onPrem), {
      entra: { status: 'tenant', tenantId: '00000000-0000-4000-8000-000000000001', cloud: 'gcc' },
    });
    expect(foldCheck(UNCHECKED, viaEntra, NOW)).toMatchObject({
      microsoft365Tenant: true,
      microsoft365Cloud: 'gcc',
      microsoft365Source: 'entra',
    });
    const viaDns = buildVerdict(
      { domain: 'onprem.test', displayDomain: 'onprem.test' },
      noneBut({ ...onPrem, MX: found('onprem-test.o-v1.mx.microsoft', 25) }),
    );
    expect(foldCheck(UNCHECKED, viaDns, NOW)).toMatchObject({
      microsoft365Cloud: 'commercial',
      microsoft365Source: 'dns',
    });
    // Entra ID failing this time: what was known stays.
    const failing = buildVerdict({ domain: 'onprem.test', displayDomain: 'onprem.test' }, noneBut(onPrem), {
      entra: { status: 'error', error: 'HTTP 503' },
    });
    expect(foldCheck(foldCheck(UNCHECKED, viaEntra, NOW), failing, NOW)).toMatchObject({
      microsoft365Tenant: true,
      microsoft365Cloud: 'gcc',
      microsoft365Source: 'entra',
    });
  });
});
