/**
 * What one probe found for one domain.
 * - `found`: one or more usable targets;
 * - `none`: NXDOMAIN, or NOERROR without a record of the asked type;
 * - `refused`: the only target is `.`, "service decidedly not available" (RFC 2782; a null MX, RFC 7505);
 * - `error`: the question could not be answered (SERVFAIL, time-out, HTTP failure, malformed answer).
 */
export type RecordStatus = 'found' | 'none' | 'refused' | 'error';

/** An SRV target, or an MX exchange (port 25, preference as priority, weight 0). */
export interface Target {
  target: string;
  port: number;
  priority: number;
  weight: number;
}

export interface RecordResult {
  status: RecordStatus;
  /**
   * Usable targets sorted by priority, then weight descending; empty unless `found`. A CNAME
   * probe's one target is the alias's target (port 0).
   */
  targets: Target[];
  /**
   * A TXT probe's texts that may be evidence (`MS=`, `v=spf1`, `google-site-verification=`), each
   * record's strings joined, at most {@link MOST_TEXTS} of {@link MOST_TEXT_LENGTH} characters: a
   * domain's other TXT records are not kept.
   */
  texts?: string[];
  /** Why the lookup failed; only with `error`. */
  error?: string;
}

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
