import { parseDomain, type NormalisedDomain } from '../../src/core/address';
import { selectProbes, type ProbeId } from '../../src/core/probes';
import { QuestionPlan, type Phase } from '../../src/core/question-plan';
import type { RecordResult } from '../../src/core/records';
import { buildVerdict } from '../../src/core/verdict';
import { failed, found, none, refused, type Records } from '../support/records';

function domain(name: string): NormalisedDomain {
  const parsed = parseDomain(name);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed;
}

/**
 * Walks a plan over a domain whose records are `published` (anything else: none), the way the lookup
 * does: returns each step asked, the answer shown when the answer phase ended, and the final answer.
 */
function walk(
  plan: QuestionPlan,
  name: string,
  published: Records,
): { steps: string[]; answerAfter: number; answer: string; final: string } {
  const d = domain(name);
  const records: Partial<Record<ProbeId, RecordResult>> = {};
  const steps: string[] = [];
  let answerAfter = -1;
  let answer = '';
  let phase: Phase = 'answer';
  for (let step = plan.next(d, records); step; step = plan.next(d, records, step.index + 1)) {
    if (step.phase === 'details' && phase === 'answer') {
      answerAfter = steps.length;
      answer = buildVerdict(d, records).answer;
    }
    phase = step.phase;
    steps.push(`${step.phase}: ${step.probes.map((p) => p.id).join(' ')}`);
    for (const probe of step.probes) records[probe.id] = published[probe.id] ?? none;
  }
  if (answerAfter < 0) {
    answerAfter = steps.length;
    answer = buildVerdict(d, records).answer;
  }
  return { steps, answerAfter, answer, final: buildVerdict(d, records).answer };
}

const standard = new QuestionPlan();
const quick = new QuestionPlan(undefined, 'quick');
const INFO = '_sip._tls _xmpp-client._tcp _xmpps-client._tcp _matrix-fed._tcp _matrix._tcp _collab-edge._tls';
const DETAILS_ALL = `details: ${INFO}`;
const EVIDENCE = [
  'details: TXT',
  'details: autodiscover',
  'details: selector1._domainkey',
  'details: lyncdiscover',
];
const M365_MX = found('contoso-test.mail.protection.outlook.com', 25);

describe('the question plan', () => {
  it('yes by SIP federation: decided in one round trip, XMPP left to the details', () => {
    const walked = walk(standard, 'contoso.test', {
      '_sipfederationtls._tcp': found('sipfed.online.lync.com'),
      MX: M365_MX,
    });
    expect(walked.steps).toEqual([
      'answer: _sipfederationtls._tcp MX',
      `details: _xmpp-server._tcp _xmpps-server._tcp ${INFO}`,
    ]);
    expect(walked).toMatchObject({ answerAfter: 1, answer: 'yes' });
  });

  it('yes by XMPP: the direct-TLS record is not asked once the classic one is found', () => {
    const walked = walk(standard, 'jabber.test', { '_xmpp-server._tcp': found('xmpp.jabber.test', 5269) });
    expect(walked.steps).toEqual([
      'answer: _sipfederationtls._tcp MX',
      'answer: _xmpp-server._tcp',
      `details: _xmpps-server._tcp ${INFO}`,
    ]);
    expect(walked).toMatchObject({ answerAfter: 2, answer: 'yes' });
  });

  it('yes by XMPP over direct TLS only: all four answer records', () => {
    const walked = walk(standard, 'jabber.test', { '_xmpps-server._tcp': found('xmpp.jabber.test', 5270) });
    expect(walked.steps.slice(0, 3)).toEqual([
      'answer: _sipfederationtls._tcp MX',
      'answer: _xmpp-server._tcp',
      'answer: _xmpps-server._tcp',
    ]);
    expect(walked.steps[3]).toBe(DETAILS_ALL);
    expect(walked).toMatchObject({ answerAfter: 3, answer: 'yes' });
  });

  it('likely via Teams: decided in the first round trip; XMPP (which could make it a yes) comes with the details', () => {
    const d = domain('tenant.test');
    const records: Records = { '_sipfederationtls._tcp': none, MX: M365_MX };
    expect(buildVerdict(d, records).answer).toBe('likely');
    const walked = walk(standard, 'tenant.test', { MX: M365_MX });
    expect(walked.steps).toEqual([
      'answer: _sipfederationtls._tcp MX',
      `details: _xmpp-server._tcp _xmpps-server._tcp ${INFO}`,
    ]);
    expect(walked).toMatchObject({ answerAfter: 1, answer: 'likely', final: 'likely' });
    const xmppToo = walk(standard, 'tenant.test', {
      MX: M365_MX,
      '_xmpp-server._tcp': found('xmpp.tenant.test', 5269),
    });
    expect(xmppToo).toMatchObject({ answerAfter: 1, answer: 'likely', final: 'yes' });
  });

  it('no: the three answer steps say no, refused ones included; the tenant evidence leads the details', () => {
    const walked = walk(standard, 'closed.test', { '_sipfederationtls._tcp': refused, MX: refused });
    expect(walked.steps.slice(0, 3)).toEqual([
      'answer: _sipfederationtls._tcp MX',
      'answer: _xmpp-server._tcp',
      'answer: _xmpps-server._tcp',
    ]);
    expect(walked.steps.slice(3, 7)).toEqual(EVIDENCE);
    expect(walked).toMatchObject({ answerAfter: 3, answer: 'no', final: 'no' });
    expect(walked.steps[7]).toBe(DETAILS_ALL);
  });

  it('a "no" becomes likely via Teams behind another MX: the evidence stops at the first signal', () => {
    const walked = walk(standard, 'filtered.test', {
      MX: found('mx1.proofpoint.example', 25),
      autodiscover: found('autodiscover.outlook.com', 0),
    });
    expect(walked.steps.slice(3, 5)).toEqual(['details: TXT', 'details: autodiscover']);
    expect(walked).toMatchObject({ answerAfter: 3, answer: 'no', final: 'likely' });
    expect(walked.steps[5]).toBe(DETAILS_ALL);
  });

  it('asks no tenant evidence where the answer is already known (yes, likely, depends)', () => {
    for (const [name, published] of [
      ['contoso.test', { '_sipfederationtls._tcp': found('sipfed.online.lync.com') }],
      ['tenant.test', { MX: M365_MX }],
      ['gmail.com', {}],
    ] as const) {
      expect(walk(standard, name, published).steps.some((step) => EVIDENCE.includes(step))).toBe(false);
    }
  });

  it('thorough asks every piece of evidence of every domain, in one step', () => {
    const walked = walk(new QuestionPlan(undefined, 'thorough'), 'contoso.test', {
      '_sipfederationtls._tcp': found('sipfed.online.lync.com'),
    });
    expect(walked.steps).toEqual([
      'answer: _sipfederationtls._tcp MX',
      'details: TXT autodiscover selector1._domainkey lyncdiscover',
      `details: _xmpp-server._tcp _xmpps-server._tcp ${INFO}`,
    ]);
  });

  it('leaves the informational records out of the details where asked to (the pane)', () => {
    const pane = new QuestionPlan(undefined, 'standard', { informational: false });
    const walked = walk(pane, 'contoso.test', { '_sipfederationtls._tcp': found('sipfed.online.lync.com') });
    expect(walked.steps).toEqual([
      'answer: _sipfederationtls._tcp MX',
      'details: _xmpp-server._tcp _xmpps-server._tcp',
    ]);
  });

  it('depends: a consumer provider is decided by its name at once; its XMPP records come with the details', () => {
    const walked = walk(standard, 'gmail.com', {});
    expect(walked).toMatchObject({ answerAfter: 1, answer: 'depends' });
    expect(walked.steps[1]).toBe(`details: _xmpp-server._tcp _xmpps-server._tcp ${INFO}`);
  });

  it('unknown: a failed lookup never ends the plan early', () => {
    const walked = walk(standard, 'broken.test', { '_sipfederationtls._tcp': failed, MX: failed });
    // After a failure, both XMPP records at once: a failing resolver is slow (each failure is retried).
    expect(walked.steps.slice(0, 2)).toEqual([
      'answer: _sipfederationtls._tcp MX',
      'answer: _xmpp-server._tcp _xmpps-server._tcp',
    ]);
    expect(walked).toMatchObject({ answerAfter: 2, answer: 'unknown' });
    const mxFailed = walk(standard, 'broken.test', { MX: failed });
    expect(mxFailed.steps[1]).toBe('answer: _xmpp-server._tcp _xmpps-server._tcp');
    const rescued = walk(standard, 'broken.test', {
      '_sipfederationtls._tcp': failed,
      '_xmpp-server._tcp': found('xmpp.broken.test', 5269),
    });
    expect(rescued).toMatchObject({ answerAfter: 2, answer: 'yes' });
  });

  it('a stale Google Talk XMPP record does not end the plan: the direct-TLS one is still asked', () => {
    const walked = walk(standard, 'workspace.test', {
      '_xmpp-server._tcp': found('xmpp-server.l.google.com', 5269),
    });
    expect(walked.steps[2]).toBe('answer: _xmpps-server._tcp');
    expect(walked.answer).toBe('no');
  });

  it('quick asks the answer only', () => {
    expect(
      walk(quick, 'contoso.test', { '_sipfederationtls._tcp': found('sipfed.online.lync.com') }).steps,
    ).toEqual(['answer: _sipfederationtls._tcp MX']);
    expect(walk(quick, 'nothing.test', {}).steps).toHaveLength(3);
    expect(walk(quick, 'tenant.test', { MX: M365_MX }).steps).toEqual(['answer: _sipfederationtls._tcp MX']);
    expect(quick.mostAsked).toBe(4);
    expect(standard.mostAsked).toBe(14);
  });

  it('keeps to the records chosen, passing over steps they leave empty', () => {
    const chosen = new QuestionPlan(selectProbes(['_xmpp-server._tcp', '_sip._tls']));
    expect(walk(chosen, 'nothing.test', {}).steps).toEqual([
      'answer: _xmpp-server._tcp',
      'details: _sip._tls',
    ]);
  });

  it('asks only what is missing when some records are known already (a cache, a reopened pane)', () => {
    const d = domain('tenant.test');
    const step = standard.next(d, { MX: M365_MX });
    expect(step?.probes.map((p) => p.id)).toEqual(['_sipfederationtls._tcp']);
  });
});
