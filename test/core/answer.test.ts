import { answerOf, answerSentence, answerWord, reachable } from '../../src/core/answer';
import { buildVerdict } from '../../src/core/verdict';
import { failed, found, noneBut, type Records } from '../support/records';

const verdict = (domain: string, records: Records) =>
  buildVerdict({ domain, displayDomain: domain }, noneBut(records));

describe('answerOf', () => {
  it('gives every verdict one of five answers, never "no" for a failed lookup', () => {
    const sip = verdict('contoso.test', { '_sipfederationtls._tcp': found('sipfed.online.lync.com') });
    const tenant = verdict('tenant.test', { MX: found('tenant-test.mail.protection.outlook.com') });
    const tenantWithFailure = verdict('tenant2.test', {
      MX: found('tenant2-test.mail.protection.outlook.com'),
      '_xmpp-server._tcp': failed,
    });
    const gmail = verdict('gmail.com', { '_xmpp-server._tcp': found('xmpp-server.l.google.com') });
    const none = verdict('plain.test', {});
    const broken = verdict('broken.test', { '_sipfederationtls._tcp': failed });
    expect([sip, tenant, tenantWithFailure, gmail, none, broken].map((v) => v.answer)).toEqual([
      'yes',
      'likely',
      'likely',
      'depends',
      'no',
      'unknown',
    ]);
    expect(answerOf(broken)).toBe('unknown');
    expect(['yes', 'likely', 'depends', 'no', 'unknown'].map((a) => reachable(a as never))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(answerWord('likely')).toBe('likely via Teams');
    expect(answerSentence(tenant)).toBe(
      'tenant.test uses Microsoft 365 — you can very likely chat and call them from Teams, unless their admins turned external access off.',
    );
    expect(answerSentence(broken)).toMatch(/^Couldn't check broken\.test/);
  });
});
