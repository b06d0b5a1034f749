import { PROBES, type Probe } from './probes';
import { buildVerdict } from './verdict';
import type { DomainVerdict, NormalisedDomain, ProbeId, RecordResult, TenantInputs } from './types';

/** What a plan step is decided on beside the records: the verdict's inputs, and whether Entra ID was asked. */
export interface PlanInputs extends TenantInputs {
  /** Entra ID discovery was asked (its finding may not be in yet). */
  entraAsked?: boolean;
}

/**
 * - `answer`: the records that decide the answer a person reads (yes, likely via Teams, no…);
 * - `details`: everything else, asked once every domain has its answer, at lower priority.
 */
export type Phase = 'answer' | 'details';

/**
 * How much to ask:
 * - `quick`: the answer only: the federation records and the MX, and XMPP only where they leave the
 *   answer open: 2–4 questions a domain;
 * - `standard`: that answer first, then, as details, tenant evidence where it can still change a
 *   "no" or an "unknown" (stopping at the first signal), then every other record chosen (the CLI's
 *   default: complete rows);
 * - `thorough`: every record of every domain, tenant evidence too where the answer is already known
 *   (to study conflicting signals, or find every tenant's initial domain).
 */
export type Profile = 'quick' | 'standard' | 'thorough';

export const PROFILES: readonly Profile[] = ['quick', 'standard', 'thorough'];

/** One step of a plan: records asked together, once the steps before are in, if still needed. */
interface Step {
  probes: readonly ProbeId[];
  /** Ask Entra ID discovery with these records, where the plan has it (see {@link ENTRA_STEP}). */
  entra?: boolean;
  phase: Phase;
  /** Tenant evidence: the first of the details, ahead of the rest (see the lookup's queues). */
  evidence?: boolean;
  /** Whether the step is still needed, given the verdict of the records in so far (and those records). */
  needed: (
    soFar: DomainVerdict,
    records: Partial<Record<ProbeId, RecordResult>>,
    inputs: PlanInputs,
  ) => boolean;
}

const always = (): boolean => true;
/**
 * The answer is still open: no SIP federation record (a yes), no Microsoft 365 tenant (likely via
 * Teams) and not a consumer provider (depends on the account). XMPP, which could still make either of
 * the last two a yes, comes with the details.
 */
const answerOpen = (soFar: DomainVerdict): boolean =>
  soFar.lync.federation !== true && soFar.microsoft365.tenant !== true && !soFar.consumer;
const answerOpenAfterXmpp = (soFar: DomainVerdict): boolean =>
  answerOpen(soFar) && soFar.xmpp.federation !== true;
/** Open, and a lookup of the first round trip failed: the answer is at best unknown so far. */
const answerOpenAfterFailure = (
  soFar: DomainVerdict,
  records: Partial<Record<ProbeId, RecordResult>>,
): boolean =>
  answerOpen(soFar) &&
  (records['_sipfederationtls._tcp']?.status === 'error' || records.MX?.status === 'error');
/**
 * Tenant evidence can only turn a "no" or an "unknown" into "likely via Teams", and not where Entra
 * ID, which knows every tenant's domains, said the domain is in none.
 */
const noAnswerYet = (soFar: DomainVerdict, _records: unknown, inputs: PlanInputs): boolean =>
  soFar.canFederate !== true &&
  !soFar.consumer &&
  soFar.microsoft365.tenant !== true &&
  inputs.entra?.status !== 'none';

/**
 * Tenant evidence, one record a step, each asked only while no signal has been found: the first of
 * the details, since it can still turn a "no" into "likely via Teams". The two that nearly every
 * Exchange Online tenant publishes first: the apex TXT (Microsoft 365 verification and SPF in one
 * answer) and autodiscover; then the DKIM selector (which also names the tenant) and lyncdiscover,
 * which rarely find a tenant the first two missed.
 */
const evidenceStep = (id: ProbeId): Step => ({
  probes: [id],
  phase: 'details',
  evidence: true,
  needed: noAnswerYet,
});
const EVIDENCE_IDS: readonly ProbeId[] = ['TXT', 'autodiscover', 'selector1._domainkey', 'lyncdiscover'];
/**
 * The answer in as few questions as the records allow:
 * 1. `_sipfederationtls._tcp` and `MX`: a SIP federation record means yes; a Microsoft 365 MX means
 *    "likely via Teams" (XMPP, which could still make it a yes, comes with the details);
 * 2. `_xmpp-server._tcp`, where the answer is still open;
 * 3. `_xmpps-server._tcp` (XEP-0368 direct TLS), where it still is.
 * Where a lookup of the first round trip failed, 2 and 3 are asked together: a failing resolver
 * answers slowly (each failure is asked again after a back-off), and the domain's answer (unknown
 * unless XMPP says yes) should not wait for two more rounds of that.
 * A failed lookup never ends the plan early: it leaves the answer open, so the next records are asked.
 * A "no" or "unknown" shown then may still become "likely via Teams" with the tenant evidence.
 */
const ANSWER_STEPS: readonly Step[] = [
  { probes: ['_sipfederationtls._tcp', 'MX'], phase: 'answer', needed: always },
  { probes: ['_xmpp-server._tcp', '_xmpps-server._tcp'], phase: 'answer', needed: answerOpenAfterFailure },
  { probes: ['_xmpp-server._tcp'], phase: 'answer', needed: answerOpen },
  { probes: ['_xmpps-server._tcp'], phase: 'answer', needed: answerOpenAfterXmpp },
];

/**
 * Entra ID discovery (where the plan has it), the first of the tenant evidence, for every domain whose
 * answer it can still change (no SIP federation record, no Microsoft 365 MX, not a public mail
 * service; an XMPP "yes" included, which it can make a "yes, and Teams too" in the counts): such a
 * domain may still be a tenant (mail behind a third-party filter), and Entra ID knows every tenant's
 * domains, so its finding, either way, makes the DNS evidence after it unnecessary. A failed MX lookup leaves the
 * answer open too, so a domain whose DNS cannot be read is still asked. It is not in the answer phase:
 * the sign-in service is asked at most 8 at a time (about 100 domains a second at 80 ms), which would
 * hold back every answer of a large address book (bench:pane measured 1.45× the time to every answer);
 * as evidence, a "No" it may change shows as not final meanwhile, as for the DNS evidence.
 */
const ENTRA_STEP: Step = { probes: [], entra: true, phase: 'details', evidence: true, needed: answerOpen };

/** The next records to ask of a domain, and in which phase; see {@link QuestionPlan.next}. */
export interface PlannedStep {
  /** Where the plan is: pass it back to {@link QuestionPlan.next} once these records are in. */
  index: number;
  probes: readonly Probe[];
  /** Ask Entra ID discovery too. */
  entra: boolean;
  phase: Phase;
  /** Tenant evidence (it can still change the answer): asked before the other details. */
  evidence: boolean;
}

/**
 * Which records to ask of a domain, in which order, and when its answer is decided: pure, so the
 * pane, the CLI and the collector ask alike and the order is unit-tested. The records chosen
 * (`--records`) bound every step; a step left empty by that choice is passed over.
 */
export class QuestionPlan {
  private readonly chosen: ReadonlySet<ProbeId>;
  private readonly steps: readonly Step[];

  /** Whether the plan asks Entra ID discovery (`--no-entra` says no). */
  readonly entra: boolean;

  /**
   * @param probes the records chosen (`--records`); every step keeps to them
   * @param options.informational whether the details include the informational (tier 3) records;
   *   the pane leaves them for when a person's details are opened, an export, or "Thorough check"
   * @param options.entra whether to ask Entra ID discovery where it can still change the answer
   */
  constructor(
    readonly probes: readonly Probe[] = PROBES,
    readonly profile: Profile = 'standard',
    options: { informational?: boolean; entra?: boolean } = {},
  ) {
    this.entra = options.entra ?? false;
    this.chosen = new Set(probes.map((p) => p.id));
    const evidence: Step[] = [
      ENTRA_STEP,
      ...(profile === 'thorough'
        ? [{ probes: EVIDENCE_IDS, phase: 'details' as const, evidence: true, needed: always }]
        : EVIDENCE_IDS.map(evidenceStep)),
    ];
    const keepChosen = (steps: readonly Step[]): Step[] =>
      steps
        .map((step) => ({
          ...step,
          probes: step.probes.filter((id) => this.chosen.has(id)),
          entra: this.entra && step.entra === true,
        }))
        .filter((step) => step.probes.length > 0 || step.entra);
    // The details step asks whatever is chosen and not yet asked (answer records passed over included),
    // except tenant evidence, which was asked where it could matter.
    const informational = options.informational ?? true;
    const details: Step = {
      probes: probes.filter((p) => p.tier === 1 || (p.tier === 3 && informational)).map((p) => p.id),
      phase: 'details',
      needed: always,
    };
    // `quick` asks what decides the answer: Entra ID discovery can, so it is asked there too.
    this.steps = keepChosen(
      profile === 'quick' ? [...ANSWER_STEPS, ENTRA_STEP] : [...ANSWER_STEPS, ...evidence, details],
    );
  }

  /**
   * The first step from `from` on that is still needed and asks something not yet asked, or
   * undefined when the plan is done. `from` is 0 for a new domain, then the last step's index + 1.
   */
  next(
    domain: NormalisedDomain,
    records: Partial<Record<ProbeId, RecordResult>>,
    from = 0,
    inputs: PlanInputs = {},
  ): PlannedStep | undefined {
    let soFar: DomainVerdict | undefined;
    for (let index = from; index < this.steps.length; index += 1) {
      const step = this.steps[index] as Step;
      const ask = step.probes.filter((id) => records[id] === undefined);
      const entra = step.entra === true && !inputs.entraAsked && inputs.entra === undefined;
      if (ask.length === 0 && !entra) continue;
      if (step.needed !== always) {
        soFar ??= buildVerdict(domain, records, inputs);
        if (!step.needed(soFar, records, inputs)) continue;
      }
      return {
        index,
        entra,
        phase: step.phase,
        evidence: step.evidence ?? false,
        probes: PROBES.filter((p) => ask.includes(p.id)),
      };
    }
    return undefined;
  }

  /** Every record a domain may be asked under this plan (the most questions it can cost). */
  get mostAsked(): number {
    return new Set(this.steps.flatMap((step) => step.probes)).size;
  }
}
