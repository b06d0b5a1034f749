import type { NormalisedDomain } from '../../src/core/address';
import { PROBES, type ProbeId } from '../../src/core/probes';
import { QuestionPlan } from '../../src/core/question-plan';
import { advance, askingEntra, settle, settleEntra, startRun, verdictOf } from '../../src/engine/domain-run';
import { found, none } from '../support/records';

const domain: NormalisedDomain = { domain: 'contoso.example', displayDomain: 'contoso.example' };
const probe = (id: ProbeId) => PROBES.find((p) => p.id === id) as (typeof PROBES)[number];
const context = { first: true, resolverUnreachable: false };

describe("a domain's run through the question plan", () => {
  it('asks the answer records first, in the lane of new domains, and goes on once all are in', () => {
    const run = startRun(domain);
    const plan = new QuestionPlan(PROBES, 'standard', { informational: false });
    const step = advance(run, plan, 'commercial', context);
    expect(step?.lane).toBe('first');
    expect(step?.questions.map((question) => question.probe.id).sort()).toEqual(
      ['MX', '_sipfederationtls._tcp'].sort(),
    );
    expect(settle(run, probe('_sipfederationtls._tcp'), none)).toBe(false);
    expect(settle(run, probe('MX'), none)).toBe(true);
    const next = advance(run, plan, 'commercial', { ...context, first: false });
    expect(next?.lane).toBe('follow-up');
    expect(next?.questions.map((question) => question.probe.id)).toEqual(['_xmpp-server._tcp']);
  });

  it('answers when the details begin, and counts Entra ID discovery as one more thing the step waits for', () => {
    const run = startRun(domain);
    const plan = new QuestionPlan(PROBES, 'standard', { informational: false, entra: true });
    run.records = {
      '_sipfederationtls._tcp': none,
      MX: found('mx.contoso.example', 25),
      '_xmpp-server._tcp': none,
      '_xmpps-server._tcp': none,
    };
    run.step = 3;
    const step = advance(run, plan, 'commercial', context);
    expect(step?.answersNow).toBe(true);
    expect(step?.planned.entra).toBe(true);
    expect(step?.lane).toBe('evidence');
    askingEntra(run);
    expect(run.entraAsked).toBe(true);
    expect(
      settleEntra(run, {
        status: 'tenant',
        tenantId: '00000000-0000-0000-0000-000000000001',
        cloud: 'commercial',
      }),
    ).toBe((step?.questions.length ?? 0) === 0);
    expect(verdictOf(run, PROBES, 'commercial').answer).toBe('likely');
  });

  it('asks no DNS details once every resolver is given up', () => {
    const run = startRun(domain);
    const plan = new QuestionPlan(PROBES, 'standard', { informational: true });
    for (const id of ['_sipfederationtls._tcp', 'MX', '_xmpp-server._tcp', '_xmpps-server._tcp'] as const) {
      run.records[id] = none;
    }
    run.step = 3;
    expect(advance(run, plan, 'commercial', { first: false, resolverUnreachable: true })).toBeUndefined();
    expect(advance(run, plan, 'commercial', { first: false, resolverUnreachable: false })?.lane).toBe(
      'evidence',
    );
  });
});
