import { answerOf } from './answer';
import { isConsumerDomain } from './consumer';
import { falsePositiveOf } from './false-positives';
import { liveState, skippedNote, withLive } from './live';
import { crossCloudNote } from './cloud';
import { googleOf, isMicrosoftSipTarget, microsoft365Of } from './tenant-evidence';
import { PROBES } from './probes';
import type {
  Capability,
  DomainVerdict,
  LiveInputs,
  LyncHosting,
  NormalisedDomain,
  ProbeId,
  RecordResult,
  TenantInputs,
  TriState,
} from './types';

export type { LyncHosting, TriState } from './words';

export type { DomainVerdict } from './types';

/**
 * Combines the states of the records that feed one capability: any found ⇒ true; all none/refused ⇒
 * false; otherwise (an error, or a record not asked) ⇒ null.
 */
export function combineStates(results: readonly (RecordResult | undefined)[]): TriState {
  if (results.length === 0) return null;
  if (results.some((r) => r?.status === 'found')) return true;
  if (results.every((r) => r !== undefined && (r.status === 'none' || r.status === 'refused'))) return false;
  return null;
}

/** Either-or over tri-states: true if any is true, false if all are false, else unknown. */
export function anyOf(...values: TriState[]): TriState {
  if (values.some((v) => v === true)) return true;
  if (values.every((v) => v === false)) return false;
  return null;
}

function capabilityOf(capability: Capability, records: Partial<Record<ProbeId, RecordResult>>): TriState {
  return combineStates(
    PROBES.filter((probe) => probe.capability === capability).map((probe) => records[probe.id]),
  );
}

/**
 * The records as they count: a record known to be a false positive (see false-positives.ts) is
 * `refused`, its targets kept for whoever reads the details, with the rule's note.
 */
function countedRecords(
  domain: string,
  records: Partial<Record<ProbeId, RecordResult>>,
  notes: string[],
): Partial<Record<ProbeId, RecordResult>> {
  const counted: Partial<Record<ProbeId, RecordResult>> = {};
  for (const [id, record] of Object.entries(records) as [ProbeId, RecordResult][]) {
    const rule = falsePositiveOf(domain, id, record);
    if (!rule) {
      counted[id] = record;
      continue;
    }
    counted[id] = { ...record, status: 'refused' };
    if (!notes.includes(rule.note)) notes.push(rule.note);
  }
  return counted;
}

function lyncHosting(result: RecordResult | undefined): LyncHosting {
  if (result?.status !== 'found') return null;
  return result.targets.some((t) => isMicrosoftSipTarget(t.target)) ? 'microsoft-365' : 'on-premises';
}

const GOOGLE_CHAT_NOTE = 'Google Workspace: Google Chat federates with neither Teams nor XMPP';

/** The Matrix server a domain's records name, as "host:port" (the current record before the deprecated one). */
function matrixServer(records: Partial<Record<ProbeId, RecordResult>>): string | undefined {
  for (const id of ['_matrix-fed._tcp', '_matrix._tcp'] as const) {
    const target = records[id]?.status === 'found' ? records[id]?.targets[0] : undefined;
    if (target) return `${target.target}:${target.port}`;
  }
  return undefined;
}

export type { TenantInputs } from './tenant-evidence';
export { crossCloudNote } from './cloud';

/** What a verdict is built from beside the records: the tenant inputs, and a live check's findings. */
export interface VerdictInputs extends TenantInputs {
  /** After a live check (`--live`, the collector): what answered behind each target. */
  live?: LiveInputs;
}

/**
 * Turns one domain's record results into its verdict. Pure: the same records (and inputs: Entra ID's
 * answer, the checking user's cloud, a live check's findings) always give the same verdict.
 */
export function buildVerdict(
  domain: NormalisedDomain,
  asked: Partial<Record<ProbeId, RecordResult>>,
  inputs: VerdictInputs = {},
): DomainVerdict {
  const notes: string[] = [];
  const counted = countedRecords(domain.domain, asked, notes);
  const records = inputs.live ? withLive(counted, inputs.live.findings) : counted;
  const federation = capabilityOf('lync.federation', records);
  const xmppFederation = capabilityOf('xmpp.federation', records);
  const microsoft365 = microsoft365Of(records, inputs);
  const crossCloud = federation === true ? undefined : crossCloudNote(domain.displayDomain, microsoft365);
  if (crossCloud) notes.push(crossCloud);
  const google = googleOf(records);
  const consumer = isConsumerDomain(domain.domain);
  if (google.workspace === true && microsoft365.tenant !== true && !consumer) notes.push(GOOGLE_CHAT_NOTE);
  const server = matrixServer(records);
  const verdict: DomainVerdict = {
    domain: domain.domain,
    displayDomain: domain.displayDomain,
    records,
    lync: {
      federation,
      publicFacing: capabilityOf('lync.publicFacing', records),
      hosting: lyncHosting(records['_sipfederationtls._tcp']),
    },
    xmpp: {
      federation: xmppFederation,
      clientAccess: capabilityOf('xmpp.clientAccess', records),
    },
    microsoft365,
    google,
    matrix: { federation: capabilityOf('matrix.federation', records), ...(server ? { server } : {}) },
    cisco: { edge: capabilityOf('cisco.edge', records) },
    consumer,
    canFederate: anyOf(federation, xmppFederation),
    answer: 'unknown',
    notes,
    ...(inputs.entra ? { entra: inputs.entra } : {}),
    ...(inputs.fromCloud ? { fromCloud: inputs.fromCloud } : {}),
  };
  verdict.answer = answerOf(verdict);
  if (inputs.live) addLive(verdict, inputs.live);
  return verdict;
}

/** A live check's findings in a verdict: the edges' tri-states, "verified", the Matrix delegation and the notes. */
function addLive(verdict: DomainVerdict, live: LiveInputs): void {
  const { records } = verdict;
  if (live.findings.size > 0) {
    verdict.lync.live = liveState([records['_sipfederationtls._tcp']]);
    verdict.xmpp.live = liveState([records['_xmpp-server._tcp'], records['_xmpps-server._tcp']]);
    verdict.verified = verifiedOf(verdict);
  }
  const skipped = skippedNote(live.skipped);
  if (skipped) verdict.notes.push(skipped);
  if (live.matrix && 'server' in live.matrix) {
    verdict.matrix = { federation: true, server: live.matrix.server, via: 'well-known' };
  } else if (live.matrix) {
    verdict.notes.push(`Matrix delegation not fetched: ${live.matrix.blocked}`);
  }
}

/**
 * A verdict again with a live check's findings: the same records and inputs, so the answer is the
 * same; the edges, "verified" and their notes added.
 */
export function verdictWithLive(verdict: DomainVerdict, live: LiveInputs): DomainVerdict {
  return buildVerdict({ domain: verdict.domain, displayDomain: verdict.displayDomain }, verdict.records, {
    entra: verdict.entra,
    fromCloud: verdict.fromCloud,
    live,
  });
}

/** "Record present and an edge answers", from the federation capabilities and their edges. */
function verifiedOf(verdict: DomainVerdict): TriState {
  if (verdict.canFederate === false) return false;
  const capabilities = [
    [verdict.lync.federation, verdict.lync.live ?? null],
    [verdict.xmpp.federation, verdict.xmpp.live ?? null],
  ] as const;
  if (capabilities.some(([federation, live]) => federation === true && live === true)) return true;
  if (
    capabilities.every(
      ([federation, live]) => federation === false || (federation === true && live === false),
    )
  ) {
    return false;
  }
  return null;
}

// The words live apart from the verdict logic (and its consumer-domain list), so that screens that
// only show verdicts do not load what builds them.
export { failedLookups, hostingWord, triStateWord } from './words';
