import type { RecordResult, Target } from './types';
export type { RecordStatus, Target, RecordResult } from './types';

/** Orders targets as a client would try them: lowest priority first, then heaviest weight (RFC 2782). */
export function sortTargets(targets: readonly Target[]): Target[] {
  return [...targets].sort(
    (a, b) =>
      a.priority - b.priority || b.weight - a.weight || a.target.localeCompare(b.target) || a.port - b.port,
  );
}

/** A failed lookup, kept apart from "no record" so it is never reported as "no". */
export function errorResult(error: string): RecordResult {
  return { status: 'error', targets: [], error };
}

/** TXT records kept per answer: DNS is written by whoever owns the domain, so it is bounded. */
export const MOST_TEXTS = 20;
export const MOST_TEXT_LENGTH = 512;
