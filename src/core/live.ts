import type {
  CheckedRecord,
  CheckedTarget,
  LiveFindings,
  LiveResult,
  ProbeId,
  RecordResult,
  Target,
  TriState,
} from './types';

export type { CheckedTarget, CheckedRecord, LiveFindings, LiveInputs } from './types';

export type { LiveResult, LiveStatus, TlsFacts } from './types';

/**
 * Bounds on the work one domain's records can cause: an SRV answer can hold thousands of targets,
 * and every one would be a DNS look-up and a connection.
 */
export const MAX_LIVE_TARGETS_PER_RECORD = 10;
export const MAX_LIVE_TARGETS_PER_DOMAIN = 20;

/** The records whose targets the live check contacts, and how. */
export const LIVE_PROBES: Readonly<
  Partial<Record<ProbeId, 'tls' | 'xmpp-server' | 'xmpp-client' | 'xmpps-server' | 'xmpps-client'>>
> = {
  '_sipfederationtls._tcp': 'tls',
  '_xmpp-server._tcp': 'xmpp-server',
  '_xmpp-client._tcp': 'xmpp-client',
  '_xmpps-server._tcp': 'xmpps-server',
  '_xmpps-client._tcp': 'xmpps-client',
};

/** How a live check contacts the servers of a record: TLS (SIP edges), an XMPP greeting, or direct-TLS XMPP. */
export type LiveKind = NonNullable<(typeof LIVE_PROBES)[ProbeId]>;

/** The key of a record's target among a domain's live findings: the record, its place, its host and port. */
export function liveKey(probe: ProbeId, index: number, target: Target): string {
  return `${probe}#${index} ${target.target}:${target.port}`;
}

/** The records with each target's live finding beside it (copies: the DNS results are not touched). */
export function withLive(
  records: Partial<Record<ProbeId, RecordResult>>,
  findings: LiveFindings,
): Partial<Record<ProbeId, CheckedRecord>> {
  const checked: Partial<Record<ProbeId, CheckedRecord>> = {};
  for (const [probe, record] of Object.entries(records) as [ProbeId, RecordResult][]) {
    checked[probe] = {
      ...record,
      targets: record.targets.map((target: CheckedTarget, index) => {
        // A finding of an earlier check is replaced, never kept beside this one's.
        const { target: host, port, priority, weight } = target;
        const live = findings.get(liveKey(probe, index, target));
        return live
          ? { target: host, port, priority, weight, live }
          : { target: host, port, priority, weight };
      }),
    };
  }
  return checked;
}

/** The note a verdict carries when targets were beyond the live check's bounds. */
export function skippedNote(skipped: number): string | undefined {
  if (skipped === 0) return undefined;
  return (
    `${skipped} more server${skipped === 1 ? ' was' : 's were'} not contacted: a live check contacts at most ` +
    `${MAX_LIVE_TARGETS_PER_RECORD} per record and ${MAX_LIVE_TARGETS_PER_DOMAIN} per domain`
  );
}

/** Whether a target's check says its edge is gone: refused, no address, or an address we may not contact. */
function edgeGone(result: LiveResult): boolean {
  if (result.status === 'refused' || result.status === 'blocked') return true;
  return result.status === 'unresolved' && !result.lookupFailed;
}

/**
 * A capability's edge, from its records' targets: any answering → true; every one refused, blocked
 * or without an address → false; otherwise (time-outs, TLS failures, lookups that failed, targets
 * skipped) unknown. Null too when there is no found target to contact.
 */
export function liveState(results: readonly (CheckedRecord | undefined)[]): TriState {
  const checks = results
    .filter((r): r is CheckedRecord => r?.status === 'found')
    .flatMap((r) => r.targets.map((t) => t.live));
  if (checks.length === 0 || checks.some((c) => c === undefined)) {
    return checks.some((c) => c?.status === 'answering') ? true : null;
  }
  const live = checks as LiveResult[];
  if (live.some((c) => c.status === 'answering')) return true;
  if (live.every(edgeGone)) return false;
  return null;
}

/**
 * RFC 6125 name matching: case-insensitive, a wildcard only as the whole left-most label and
 * matching exactly one label (`*.example.com` covers `a.example.com`, not `example.com` or `a.b.example.com`).
 */
export function certificateNameCovers(pattern: string, host: string): boolean {
  const name = pattern.toLowerCase().replace(/\.$/, '');
  const target = host.toLowerCase().replace(/\.$/, '');
  if (!name.startsWith('*.')) return name === target;
  const suffix = name.slice(1); // ".example.com"
  if (suffix.split('.').length < 3) return false; // never "*.com"
  const first = target.indexOf('.');
  return first > 0 && target.slice(first) === suffix;
}
