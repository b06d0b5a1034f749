import { percent, summarise } from '../../src/core/summary';
import { buildVerdict } from '../../src/core/verdict';
import { failed as error, found, noneBut, type Records } from '../support/records';

function verdict(domain: string, records: Records) {
  return buildVerdict({ domain, displayDomain: domain }, noneBut(records));
}

describe('summarise', () => {
  it('counts the research table, consumer providers apart', () => {
    const summary = summarise([
      verdict('m365.test', {
        '_sipfederationtls._tcp': found('sipfed.online.lync.com'),
        MX: found('m365-test.mail.protection.outlook.com'),
      }),
      verdict('both.test', {
        '_sipfederationtls._tcp': found('sip.both.test'),
        '_xmpp-server._tcp': found('x.both.test'),
        '_xmpp-client._tcp': found('x.both.test'),
      }),
      verdict('xmpp.test', { '_xmpps-server._tcp': found('x.xmpp.test') }),
      verdict('none.test', {}),
      verdict('broken.test', { '_sipfederationtls._tcp': error }),
      verdict('gmail.com', { '_xmpp-server._tcp': found('xmpp-server.l.google.com') }),
    ]);
    expect(summary).toEqual({
      tenantsBehindOtherMx: 0,
      tenantsOnlyInEntra: 0,
      tenantsByCloud: { commercial: 1, gcc: 0, 'gcc-high': 0, dod: 0, '21vianet': 0 },
      tenantsCrossCloud: 0,
      googleWorkspace: 0,
      matrixFederation: 0,
      ciscoEdge: 0,
      domains: 6,
      lyncFederation: 2,
      xmppFederation: 2,
      lyncAndXmpp: 1,
      xmppClientAccess: 1,
      microsoft365: 1,
      onPremises: 1,
      unknown: 1,
      consumer: 1,
      microsoft365Tenants: 1,
    });
  });

  it('is all zeros for nothing', () => {
    expect(summarise([]).domains).toBe(0);
  });
});

describe('percent', () => {
  it('rounds to one decimal and survives zero', () => {
    expect(percent(1201, 15255)).toBe(7.9);
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(5, 0)).toBe(0);
  });
});
