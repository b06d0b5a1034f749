import type { NormalisedDomain } from '../core/address';
import type { Cloud } from '../core/cloud';
import type { EntraFinding } from '../core/entra';
import { PROBES, type Probe, type ProbeId } from '../core/probes';
import type { PlannedStep, PlanInputs, QuestionPlan } from '../core/question-plan';
import type { RecordResult } from '../core/records';
import { buildVerdict, type DomainVerdict } from '../core/verdict';
import type { Movable } from './laned-queue';

/** One record of one domain, waiting in a lane. */
export interface Question extends Movable {
  run: DomainRun;
  probe: Probe;
}

/**
 * One domain's way through the question plan: the records in so far, the step being asked and how
 * many of its questions are still out. No I/O: the engine asks, this keeps count and says what next.
 */
export interface DomainRun {
  domain: NormalisedDomain;
  records: Partial<Record<ProbeId, RecordResult>>;
  /** Entra ID's finding, once in; `entraAsked` from the moment it is asked. */
  entra?: EntraFinding;
  entraAsked?: boolean;
  /** The next plan step's index, and how many questions of the current one are still out. */
  step: number;
  waiting: number;
  /** Whether the answer was given (the plan's answer phase is over). */
  answered: boolean;
  verdict?: DomainVerdict;
  /** The detail questions of the current step, until asked: what hurrying moves. */
  queuedDetails?: Question[];
  /** Whether those are tenant evidence (which can change the answer, so never deferred). */
  queuedEvidence?: boolean;
  /** Its details wait behind every other domain's. */
  later?: boolean;
}

/** Where a step's questions wait (see {@link LanedQueue}). */
export type Lane = 'first' | 'follow-up' | 'evidence' | 'details' | 'deferred';

/** The step a run goes on with: its questions, their lane, and what happens beside them. */
export interface RunStep {
  planned: PlannedStep;
  questions: Question[];
  lane: Lane;
  /** The answer phase ends with this step: the answer can be shown before its questions are in. */
  answersNow: boolean;
}

/** A domain's run before its first question. */
export function startRun(domain: NormalisedDomain): DomainRun {
  return {
    domain: { domain: domain.domain, displayDomain: domain.displayDomain },
    records: {},
    step: 0,
    waiting: 0,
    answered: false,
  };
}

/** What the plan and the verdict decide on beside the records. */
export function inputsOf(run: DomainRun, fromCloud: Cloud | undefined): PlanInputs {
  return { entra: run.entra, entraAsked: run.entraAsked, fromCloud };
}

/**
 * Moves a run to its next plan step, or says it is done (undefined). With every resolver given up,
 * DNS details are not asked (each would fail at once, and say nothing); Entra ID discovery still is.
 */
export function advance(
  run: DomainRun,
  plan: QuestionPlan,
  fromCloud: Cloud | undefined,
  context: { first: boolean; resolverUnreachable: boolean },
): RunStep | undefined {
  const planned = plan.next(run.domain, run.records, run.step, inputsOf(run, fromCloud));
  if (!planned) return undefined;
  if (planned.phase === 'details' && context.resolverUnreachable && !planned.entra) return undefined;
  const answersNow = planned.phase === 'details' && !run.answered;
  run.step = planned.index + 1;
  run.waiting = planned.probes.length;
  const questions = planned.probes.map((probe) => ({ run, probe }));
  const lane: Lane =
    planned.phase === 'answer'
      ? context.first
        ? 'first'
        : 'follow-up'
      : planned.evidence
        ? 'evidence'
        : run.later
          ? 'deferred'
          : 'details';
  run.queuedDetails = planned.phase === 'details' ? questions : undefined;
  run.queuedEvidence = planned.evidence;
  return { planned, questions, lane, answersNow };
}

/** Notes a record's result; true when the run's current step has nothing more out. */
export function settle(run: DomainRun, probe: Probe, result: RecordResult): boolean {
  run.records[probe.id] = result;
  return stepPartDone(run);
}

/** Notes Entra ID's finding; true when the run's current step has nothing more out. */
export function settleEntra(run: DomainRun, finding: EntraFinding): boolean {
  run.entra = finding;
  return stepPartDone(run);
}

/** Counts Entra ID discovery as one more thing the current step waits for. */
export function askingEntra(run: DomainRun): void {
  run.entraAsked = true;
  run.waiting += 1;
}

function stepPartDone(run: DomainRun): boolean {
  run.waiting -= 1;
  return run.waiting === 0;
}

/** The run's verdict as it stands: its records in catalogue order, as every output lists them. */
export function verdictOf(
  run: DomainRun,
  probes: readonly Probe[],
  fromCloud: Cloud | undefined,
): DomainVerdict {
  const ordered: Partial<Record<ProbeId, RecordResult>> = {};
  for (const probe of PROBES) {
    if (probes.includes(probe) && run.records[probe.id]) ordered[probe.id] = run.records[probe.id];
  }
  return buildVerdict(run.domain, ordered, inputsOf(run, fromCloud));
}
