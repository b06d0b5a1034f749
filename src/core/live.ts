import type { ProbeId } from './probes';
import type { RecordResult } from './records';
import type { TriState } from './verdict';

/**
 * What happened when a server behind a record was contacted:
 * - `answering`: it spoke (TLS handshake completed; XMPP stream header and features received);
 * - `tls-failed`: it accepted the connection but the TLS handshake failed;
 * - `refused`: nothing listens (connection refused, host or network unreachable), or it closed without a greeting;
 * - `timeout`: no answer within the time allowed;
 * - `unresolved`: the target host has no address (or, with `lookupFailed`, its lookup failed);
 * - `blocked`: not contacted, because the address or port is not one a public server of this kind
 *   uses (loopback, private, link-local, multicast, another port…): counts like `unresolved`;
 * - `skipped`: not contacted, because the domain has more targets than a check contacts, or its
 *   time budget ran out: unknown.
 *
 * A server that answers, but not for this domain (an XMPP `host-unknown` stream error, a TLS
 * `unrecognized_name` alert), is `refused`: it does not serve the domain.
 */
export type LiveStatus =
  'answering' | 'tls-failed' | 'refused' | 'timeout' | 'unresolved' | 'blocked' | 'skipped';

/**
 * Bounds on the work one domain's records can cause: an SRV answer can hold thousands of targets,
 * and every one would be a DNS look-up and a connection.
 */
export const MAX_LIVE_TARGETS_PER_RECORD = 10;
export const MAX_LIVE_TARGETS_PER_DOMAIN = 20;

/** The certificate a TLS server presented, as facts a person can check. */
export interface TlsFacts {
  subject: string;
  altNames: string[];
  issuer: string;
  /** ISO 8601; null when the certificate's date could not be read (`detail` says so). */
  validTo: string | null;
  /** Whether a name in the certificate covers the target host or the domain the record belongs to. */
  nameMatches: boolean;
}

export interface LiveResult {
  status: LiveStatus;
  /** How long the check took, in milliseconds. */
  ms: number;
  /** The address that was contacted. */
  address?: string;
  tls?: TlsFacts;
  /** XMPP only: whether the stream features offered STARTTLS (absent when no features arrived). */
  starttls?: boolean;
  /** Why, in words, when not answering. */
  detail?: string;
  /** `unresolved` because the address lookup failed (unknown), not because there is no address. */
  lookupFailed?: boolean;
}

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
export function liveState(results: readonly (RecordResult | undefined)[]): TriState {
  const checks = results
    .filter((r): r is RecordResult => r?.status === 'found')
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
