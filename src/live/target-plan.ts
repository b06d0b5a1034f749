import {
  LIVE_PROBES,
  MAX_LIVE_TARGETS_PER_DOMAIN,
  MAX_LIVE_TARGETS_PER_RECORD,
  type LiveKind,
} from '../core/live';
import type { ProbeId } from '../core/probes';
import type { RecordResult, Target } from '../core/records';

/** One target of one record to contact, or to report as not contacted (`skip` says why). */
export interface LiveJob {
  probe: ProbeId;
  kind: LiveKind;
  /** Its place among the record's targets (with the probe and the target, its key among the findings). */
  index: number;
  target: Target;
  skip?: string;
}

/**
 * A domain's targets to check, in record then priority order, within the bounds: DNS is written by
 * whoever owns a domain, and an SRV answer can hold thousands of targets, each a look-up and a
 * connection. Pure: the same records always give the same plan.
 */
export function planTargets(records: Partial<Record<ProbeId, RecordResult>>): LiveJob[] {
  const jobs: LiveJob[] = [];
  let counted = 0;
  for (const [probe, kind] of Object.entries(LIVE_PROBES) as [ProbeId, LiveKind][]) {
    const record = records[probe];
    if (record?.status !== 'found') continue;
    record.targets.forEach((target, index) => {
      let skip: string | undefined;
      if (index >= MAX_LIVE_TARGETS_PER_RECORD) {
        skip = `not contacted: only the first ${MAX_LIVE_TARGETS_PER_RECORD} servers of a record are checked`;
      } else if (counted >= MAX_LIVE_TARGETS_PER_DOMAIN) {
        skip = `not contacted: only ${MAX_LIVE_TARGETS_PER_DOMAIN} servers of a domain are checked`;
      } else {
        counted += 1;
      }
      jobs.push({ probe, kind, index, target, ...(skip ? { skip } : {}) });
    });
  }
  return jobs;
}
