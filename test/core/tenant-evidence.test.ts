import type { RecordResult } from '../../src/core/records';
import { buildVerdict } from '../../src/core/verdict';
import { failed, found, noneBut, type Records } from '../support/records';

const domain = { domain: 'contoso.test', displayDomain: 'contoso.test' };
const alias = (target: string): RecordResult => found(target, 0);
const texts = (...values: string[]): RecordResult => ({ status: 'found', targets: [], texts: values });
const verdictOf = (records: Records) => buildVerdict(domain, noneBut(records));

describe('Microsoft 365 tenant evidence', () => {
  it.each([
    ['commercial', { MX: found('contoso-test.mail.protection.outlook.com', 25) }, 'mx'],
    ['gcc-high', { MX: found('contoso-test.mail.protection.office365.us', 25) }, 'mx'],
    ['21vianet', { MX: found('contoso-test.mail.protection.partner.outlook.cn', 25) }, 'mx'],
    ['commercial', { autodiscover: alias('autodiscover.outlook.com') }, 'autodiscover'],
    ['gcc-high', { autodiscover: alias('autodiscover-s.office365.us') }, 'autodiscover'],
    ['21vianet', { autodiscover: alias('autodiscover.partner.outlook.cn') }, 'autodiscover'],
    ['commercial', { lyncdiscover: alias('webdir.online.lync.com') }, 'lyncdiscover'],
    ['gcc-high', { lyncdiscover: alias('webdir.online.gov.skypeforbusiness.us') }, 'lyncdiscover'],
    ['dod', { lyncdiscover: alias('webdir.online.dod.skypeforbusiness.us') }, 'lyncdiscover'],
    ['21vianet', { lyncdiscover: alias('webdir.online.partner.lync.cn') }, 'lyncdiscover'],
    ['commercial', { TXT: texts('v=spf1 include:spf.protection.outlook.com -all') }, 'spf'],
    ['gcc-high', { TXT: texts('v=spf1 include:spf.protection.office365.us -all') }, 'spf'],
  ] as const)('%s from %j', (cloud, records, signal) => {
    const verdict = verdictOf(records as Records);
    expect(verdict.microsoft365).toMatchObject({ tenant: true, teamsLikely: true, cloud });
    expect(verdict.microsoft365.evidence.map((e) => e.signal)).toEqual([signal]);
    expect(verdict.answer).toBe('likely');
  });

  it('finds a tenant behind a third-party MX through autodiscover and DKIM, and names its initial domain', () => {
    const verdict = verdictOf({
      MX: found('mx1.contoso.pphosted.com', 25),
      autodiscover: alias('autodiscover.outlook.com'),
      'selector1._domainkey': alias('selector1-contoso-test._domainkey.contosocorp.onmicrosoft.com'),
    });
    expect(verdict.microsoft365).toMatchObject({
      tenant: true,
      cloud: 'commercial',
      tenantDomain: 'contosocorp.onmicrosoft.com',
    });
    expect(verdict.answer).toBe('likely');
    expect(verdict.microsoft365.evidence).toEqual([
      { signal: 'autodiscover', record: 'autodiscover', value: 'autodiscover.outlook.com' },
      {
        signal: 'dkim',
        record: 'selector1._domainkey',
        value: 'selector1-contoso-test._domainkey.contosocorp.onmicrosoft.com',
      },
    ]);
  });

  it('reads the MS= verification record', () => {
    const verdict = verdictOf({ TXT: texts('MS=ms12345678', 'v=spf1 mx -all') });
    expect(verdict.microsoft365.evidence).toEqual([
      { signal: 'ms-verification', record: 'TXT', value: 'MS=ms12345678' },
    ]);
    expect(verdict.microsoft365.cloud).toBeNull();
  });

  it('lists every signal of a domain whose signals conflict, DoD before GCC High', () => {
    const verdict = verdictOf({
      MX: found('contoso-test.mail.protection.office365.us', 25),
      lyncdiscover: alias('webdir.online.dod.skypeforbusiness.us'),
      TXT: texts('v=spf1 include:spf.protection.outlook.com include:_spf.google.com ~all'),
    });
    expect(verdict.microsoft365.evidence.map((e) => `${e.signal} ${e.value}`)).toEqual([
      'mx contoso-test.mail.protection.office365.us',
      'lyncdiscover webdir.online.dod.skypeforbusiness.us',
      'spf include:spf.protection.outlook.com',
    ]);
    expect(verdict.microsoft365.cloud).toBe('dod');
    expect(verdict.google.evidence.map((e) => e.signal)).toEqual(['google-spf']);
    expect(verdict.google.workspace).toBe(true);
  });

  it('says no tenant only when the MX and every piece of evidence asked say no; a failure leaves it unknown', () => {
    expect(verdictOf({ MX: found('mx.contoso.test', 25) }).microsoft365.tenant).toBe(false);
    const failedEvidence = verdictOf({ MX: found('mx.contoso.test', 25), autodiscover: failed });
    expect(failedEvidence.microsoft365.tenant).toBeNull();
    expect(failedEvidence.answer).toBe('unknown');
    // An autodiscover CNAME to the organisation's own Exchange is not evidence.
    expect(verdictOf({ autodiscover: alias('mail.contoso.test') }).microsoft365.tenant).toBe(false);
  });
});

describe('Google Workspace, Matrix and Cisco', () => {
  it('a Google Workspace domain with a stale Google Talk XMPP record: not counted, and said', () => {
    const verdict = verdictOf({
      MX: found('aspmx.l.google.com', 25),
      '_xmpp-server._tcp': found('xmpp-server.l.google.com', 5269),
      TXT: texts('google-site-verification=abc'),
    });
    expect(verdict.google).toEqual({
      workspace: true,
      evidence: [
        { signal: 'google-mx', record: 'MX', value: 'aspmx.l.google.com' },
        { signal: 'google-site-verification', record: 'TXT', value: 'google-site-verification=abc' },
      ],
    });
    expect(verdict.xmpp.federation).toBe(false);
    expect(verdict.answer).toBe('no');
    expect(verdict.notes.join(' ')).toMatch(/Google ended XMPP federation in 2017/);
    expect(verdict.notes.join(' ')).toMatch(/Google Chat federates with neither Teams nor XMPP/);
  });

  it('site verification alone is not Google Workspace', () => {
    expect(verdictOf({ TXT: texts('google-site-verification=abc') }).google.workspace).toBe(false);
  });

  it('Matrix by SRV: shown with its server, not counted in canFederate', () => {
    const verdict = verdictOf({ '_matrix-fed._tcp': found('matrix.contoso.test', 8448) });
    expect(verdict.matrix).toEqual({ federation: true, server: 'matrix.contoso.test:8448' });
    expect(verdict.canFederate).toBe(false);
    expect(verdictOf({ '_matrix._tcp': found('old.contoso.test', 8448) }).matrix.server).toBe(
      'old.contoso.test:8448',
    );
  });

  it('Cisco Expressway edge', () => {
    expect(verdictOf({ '_collab-edge._tls': found('expe.contoso.test', 8443) }).cisco.edge).toBe(true);
    expect(verdictOf({}).cisco.edge).toBe(false);
  });
});
