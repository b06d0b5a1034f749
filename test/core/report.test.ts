import {
  REPORT_LIMITS,
  reportBody,
  reportedDomainProblem,
  reportedDomains,
  splitIntoReports,
  type ReportedDomain,
} from '../../src/core/report';
import { buildVerdict } from '../../src/core/verdict';
import { failed, found, noneBut } from '../support/records';

const verdict = (domain: string, records: Parameters<typeof noneBut>[0]) =>
  buildVerdict({ domain, displayDomain: domain }, noneBut(records));

describe('reportedDomains', () => {
  test('only domains with a found SRV record, consumer providers never, sorted, once each', () => {
    const verdicts = [
      verdict('zeta.test', { '_xmpp-server._tcp': found('x.zeta.test', 5269), '_sip._tls': failed }),
      verdict('gmail.com', { '_xmpp-server._tcp': found('xmpp-server.l.google.com', 5269) }),
      verdict('mailonly.test', {
        MX: { status: 'found', targets: [{ target: 'mx.mailonly.test', port: 0, priority: 10, weight: 0 }] },
      }),
      verdict('alpha.test', {
        '_sipfederationtls._tcp': found('sipfed.online.lync.com'),
        '_sip._tls': found('sipdir.online.lync.com', 443),
      }),
      verdict('alpha.test', { '_sipfederationtls._tcp': found('sipfed.online.lync.com') }),
      verdict('nothing.test', {}),
    ];
    expect(reportedDomains(verdicts)).toEqual([
      { domain: 'alpha.test', records: ['_sipfederationtls._tcp'] },
      { domain: 'zeta.test', records: ['_xmpp-server._tcp'] },
    ]);
  });
});

describe('splitIntoReports', () => {
  test('keeps every domain, in order, within the domain and byte limits', () => {
    const domains: ReportedDomain[] = Array.from({ length: 450 }, (_, i) => ({
      domain: `${'x'.repeat(i % 7 === 0 ? 200 : 10)}${i}.test`,
      records: ['_sipfederationtls._tcp', '_sip._tls', '_xmpp-server._tcp'],
    }));
    const reports = splitIntoReports(domains);
    expect(reports.flatMap((r) => r.domains)).toEqual(domains);
    for (const report of reports) {
      expect(report.domains.length).toBeLessThanOrEqual(REPORT_LIMITS.maxDomains);
      expect(Buffer.byteLength(reportBody(report))).toBeLessThanOrEqual(REPORT_LIMITS.maxBytes);
    }
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(splitIntoReports([])).toEqual([]);
  });

  test('splits by bytes when long names would overflow before the domain limit', () => {
    const long: ReportedDomain[] = Array.from({ length: 200 }, (_, i) => ({
      domain: `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.d${i}.test`,
      records: [
        '_sipfederationtls._tcp',
        '_sip._tls',
        '_xmpp-server._tcp',
        '_xmpp-client._tcp',
        '_xmpps-server._tcp',
        '_xmpps-client._tcp',
      ],
    }));
    const reports = splitIntoReports(long);
    expect(reports.length).toBeGreaterThan(1);
    for (const report of reports)
      expect(Buffer.byteLength(reportBody(report))).toBeLessThanOrEqual(REPORT_LIMITS.maxBytes);
  });
});

describe('reportedDomainProblem', () => {
  test.each([
    ['contoso.test', undefined],
    ['xn--bcher-kva.test', undefined],
    ['bücher.test', 'ASCII (xn--) form'],
    ['Contoso.Test', 'normalised form (lower case'],
    ['contoso.test.', 'normalised form'],
    ['192.0.2.1', 'IP address'],
    ['a b.test', 'not allowed'],
  ])('%s → %s', (domain, problem) => {
    const found = reportedDomainProblem(domain);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
