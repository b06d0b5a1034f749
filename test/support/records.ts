import { PROBES, type ProbeId } from '../../src/core/probes';
import type { RecordResult } from '../../src/core/records';

/** Record results to build verdicts from, without DNS. */
export type Records = Partial<Record<ProbeId, RecordResult>>;

export const found = (target: string, port = 5061): RecordResult => ({
  status: 'found',
  targets: [{ target, port, priority: 0, weight: 0 }],
});
export const none: RecordResult = { status: 'none', targets: [] };
export const refused: RecordResult = { status: 'refused', targets: [] };
export const failed: RecordResult = { status: 'error', targets: [], error: 'the resolver answered SERVFAIL' };

/** Every probe answered "none", with `overrides` on top: a domain that publishes only what is given. */
export function noneBut(overrides: Records = {}): Records {
  return { ...Object.fromEntries(PROBES.map((p) => [p.id, none])), ...overrides };
}
