/**
 * The pane's plan before the question plan, for the pane benchmark's side-by-side run only (swapped
 * in for `src/core/question-plan.ts` by webpack): every domain's three federation records first, in
 * one step, then its four others, so 7 questions for every domain whatever the answers say.
 */
import type { NormalisedDomain } from '../src/core/address';
import { CLASSIC_PROBE_IDS, PROBES, type Probe, type ProbeId } from '../src/core/probes';
import type { RecordResult } from '../src/core/records';
import type { PlannedStep, Profile } from '../src/core/question-plan';

export type { Phase, PlannedStep, Profile } from '../src/core/question-plan';
export const PROFILES: readonly Profile[] = ['quick', 'standard'];

const DECIDING: readonly ProbeId[] = ['_sipfederationtls._tcp', '_xmpp-server._tcp', '_xmpps-server._tcp'];

export class QuestionPlan {
  /** The plan of then asked no Entra ID discovery. */
  readonly entra = false;

  constructor(
    readonly probes: readonly Probe[] = PROBES,
    readonly profile: Profile = 'standard',
  ) {}

  next(
    _domain: NormalisedDomain,
    records: Partial<Record<ProbeId, RecordResult>>,
    from = 0,
  ): PlannedStep | undefined {
    // The seven records there were then, whatever the catalogue holds now.
    const classic = this.probes.filter((p) => CLASSIC_PROBE_IDS.includes(p.id));
    const steps = [
      classic.filter((p) => DECIDING.includes(p.id)),
      classic.filter((p) => !DECIDING.includes(p.id)),
    ];
    for (let index = from; index < steps.length; index += 1) {
      const probes = (steps[index] ?? []).filter((p) => records[p.id] === undefined);
      if (probes.length > 0)
        return { index, probes, entra: false, phase: index === 0 ? 'answer' : 'details', evidence: false };
    }
    return undefined;
  }

  get mostAsked(): number {
    return CLASSIC_PROBE_IDS.length;
  }
}
