import { FALSE_POSITIVES } from '../../src/core/false-positives';
import { reportedDomainOf } from '../../src/core/report';
import {
  anyOf,
  buildVerdict,
  combineStates,
  failedLookups,
  hostingWord,
  triStateWord,
} from '../../src/core/verdict';
import { failed as error, found, none, noneBut, refused } from '../support/records';

const domain = { domain: 'contoso.test', displayDomain: 'contoso.test' };
const allNone = () => noneBut();

describe('combineStates', () => {
  it.each([
    [[found('a')], true],
    [[none, found('a')], true],
    [[error, found('a')], true],
    [[none, refused], false],
    [[none], false],
    [[none, error], null],
    [[error], null],
    [[none, undefined], null],
    [[], null],
  ])('%j → %s', (states, expected) => {
    expect(combineStates(states)).toBe(expected);
  });
});

describe('anyOf', () => {
  it('is true if any is true, false if all are false, else unknown', () => {
    expect(anyOf(true, null)).toBe(true);
    expect(anyOf(false, false)).toBe(false);
    expect(anyOf(false, null)).toBe(null);
  });
});

describe('buildVerdict', () => {
  it('says no when every record is absent or refused', () => {
    const verdict = buildVerdict(domain, { ...allNone(), '_xmpp-server._tcp': refused });
    expect(verdict).toMatchObject({
      canFederate: false,
      lync: { federation: false, publicFacing: false, hosting: null },
      xmpp: { federation: false, clientAccess: false },
      microsoft365: { tenant: false, teamsLikely: false },
      consumer: false,
    });
  });

  it('never turns a failed lookup into a no', () => {
    const verdict = buildVerdict(domain, { ...allNone(), '_sipfederationtls._tcp': error });
    expect(verdict.lync.federation).toBeNull();
    expect(verdict.canFederate).toBeNull();
    expect(verdict.lync.hosting).toBeNull();
  });

  it('recognises Microsoft 365 federation edges in every cloud', () => {
    for (const edge of [
      'sipfed.online.lync.com',
      'sipfed.online.gov.skypeforbusiness.us',
      'sipfed.online.dod.skypeforbusiness.us',
      'sipfed.online.partner.lync.cn',
    ]) {
      const verdict = buildVerdict(domain, { ...allNone(), '_sipfederationtls._tcp': found(edge) });
      expect(verdict.lync).toMatchObject({ federation: true, hosting: 'microsoft-365' });
      expect(verdict.canFederate).toBe(true);
    }
  });

  it('calls any other edge on-premises', () => {
    const verdict = buildVerdict(domain, {
      ...allNone(),
      '_sipfederationtls._tcp': found('sip.contoso.test'),
    });
    expect(verdict.lync.hosting).toBe('on-premises');
    // a look-alike name is not Microsoft's
    const spoof = buildVerdict(domain, {
      ...allNone(),
      '_sipfederationtls._tcp': found('online.lync.com.evil.test'),
    });
    expect(spoof.lync.hosting).toBe('on-premises');
  });

  it('derives XMPP federation from either the STARTTLS or the direct TLS record', () => {
    expect(
      buildVerdict(domain, { ...allNone(), '_xmpps-server._tcp': found('x.test', 5270) }).xmpp.federation,
    ).toBe(true);
    expect(
      buildVerdict(domain, { ...allNone(), '_xmpp-server._tcp': found('x.test', 5269) }).canFederate,
    ).toBe(true);
    expect(
      buildVerdict(domain, { ...allNone(), '_xmpps-client._tcp': found('x.test', 5223) }).xmpp.clientAccess,
    ).toBe(true);
    expect(buildVerdict(domain, { ...allNone(), '_xmpp-server._tcp': error }).xmpp.federation).toBeNull();
  });

  it('reads a Microsoft 365 tenant from the MX as "Teams (likely)" without changing canFederate', () => {
    const verdict = buildVerdict(domain, {
      ...allNone(),
      MX: found('contoso-test.mail.protection.outlook.com', 25),
    });
    expect(verdict.microsoft365).toEqual({
      tenant: true,
      teamsLikely: true,
      cloud: 'commercial',
      evidence: [{ signal: 'mx', record: 'MX', value: 'contoso-test.mail.protection.outlook.com' }],
    });
    expect(verdict.canFederate).toBe(false);
    expect(buildVerdict(domain, { ...allNone(), MX: error }).microsoft365.tenant).toBeNull();
    expect(buildVerdict(domain, { ...allNone(), MX: found('mx.contoso.test', 25) }).microsoft365.tenant).toBe(
      false,
    );
  });

  it('leaves capabilities unknown when their records were not asked', () => {
    const verdict = buildVerdict(domain, { '_sipfederationtls._tcp': none });
    expect(verdict.lync.federation).toBe(false);
    expect(verdict.xmpp.federation).toBeNull();
    expect(verdict.canFederate).toBeNull();
    expect(verdict.microsoft365.tenant).toBeNull();
  });

  it("flags consumer providers and does not count Google's dead XMPP records", () => {
    const gmail = buildVerdict(
      { domain: 'gmail.com', displayDomain: 'gmail.com' },
      {
        ...allNone(),
        '_xmpp-server._tcp': found('xmpp-server.l.google.com', 5269),
        '_xmpp-client._tcp': found('xmpp.l.google.com', 5222),
      },
    );
    expect(gmail.consumer).toBe(true);
    expect(gmail.xmpp).toEqual({ federation: false, clientAccess: false });
    expect(gmail.canFederate).toBe(false);
    // Counted as refused, in every output alike; the targets stay for whoever reads the details.
    expect(gmail.records['_xmpp-server._tcp']).toMatchObject({
      status: 'refused',
      targets: [{ target: 'xmpp-server.l.google.com' }],
    });
    expect(gmail.notes).toEqual([expect.stringMatching(/Google ended XMPP federation in 2017/)]);
    expect(buildVerdict({ domain: 'outlook.com', displayDomain: 'outlook.com' }, allNone()).consumer).toBe(
      true,
    );
  });
});

describe('false positives by target', () => {
  it("does not count a Google Workspace domain's stale XMPP records pointing at Google Talk", () => {
    const workspace = buildVerdict(
      { domain: 'acme.test', displayDomain: 'acme.test' },
      {
        ...allNone(),
        '_xmpp-server._tcp': {
          status: 'found',
          targets: [
            { target: 'xmpp-server.l.google.com', port: 5269, priority: 5, weight: 0 },
            { target: 'alt1.xmpp-server.l.google.com', port: 5269, priority: 20, weight: 0 },
          ],
        },
        '_xmpp-client._tcp': found('talk.l.google.com', 5222),
      },
    );
    expect(workspace.consumer).toBe(false);
    expect(workspace.xmpp).toEqual({ federation: false, clientAccess: false });
    expect(workspace.answer).toBe('no');
    expect(workspace.records['_xmpp-server._tcp']?.status).toBe('refused');
    expect(workspace.notes).toEqual([expect.stringMatching(/pointing at Google Talk are not counted/)]);
    // Not shared either: only found records are.
    expect(reportedDomainOf(workspace)).toBeUndefined();
  });

  it('still counts a record with a server of its own beside Google', () => {
    const mixed = buildVerdict(
      { domain: 'mixed.test', displayDomain: 'mixed.test' },
      {
        ...allNone(),
        '_xmpp-server._tcp': {
          status: 'found',
          targets: [
            { target: 'xmpp-server.l.google.com', port: 5269, priority: 5, weight: 0 },
            { target: 'xmpp.mixed.test', port: 5269, priority: 10, weight: 0 },
          ],
        },
      },
    );
    expect(mixed.xmpp.federation).toBe(true);
    expect(mixed.notes).toEqual([]);
  });

  it('lists a source for every rule', () => {
    for (const rule of FALSE_POSITIVES) expect(rule.source).toMatch(/^https?:\/\//);
  });
});

describe('triStateWord', () => {
  it('has three words', () => {
    expect([true, false, null].map(triStateWord)).toEqual(['yes', 'no', 'unknown']);
  });
});

describe('hostingWord and failedLookups', () => {
  it('name the hosting as every output shows it, and count failed lookups', () => {
    expect([hostingWord('microsoft-365'), hostingWord('on-premises'), hostingWord(null)]).toEqual([
      'Microsoft 365',
      'on-premises',
      '',
    ]);
    expect(failedLookups(buildVerdict(domain, noneBut({ MX: error, '_sip._tls': error })))).toBe(2);
    expect(failedLookups(buildVerdict(domain, noneBut()))).toBe(0);
  });
});
