import type { ProbeId } from './probes';
import type { RecordResult } from './records';
import type { TriState } from './verdict';

/**
 * What happened when a server behind a record was contacted:
 * - `answering`: it spoke (TLS handshake completed; XMPP stream header and features received);
 * - `tls-failed`: it accepted the connection but the TLS handshake failed;
 * - `refused`: nothing listens (connection refused, host or network unreachable), or it closed without a greeting;
 * - `timeout`: no answer within the time allowed;
 * - `unresolved`: the target host has no address (or, with `lookupFailed`, its lookup failed).
 */
export type LiveStatus = 'answering' | 'tls-failed' | 'refused' | 'timeout' | 'unresolved';

/** The certificate a TLS server presented, as facts a person can check. */
export interface TlsFacts {
  subject: string;
  altNames: string[];
  issuer: string;
  /** ISO 8601. */
  validTo: string;
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
  /** XMPP only: whether the stream features offered STARTTLS. */
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

/**
 * A capability's edge, from its records' targets: any answering → true; every one refused or
 * without an address → false; otherwise (time-outs, TLS failures, lookups that failed) unknown.
 * Null too when there is no found target to contact.
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
  if (live.every((c) => c.status === 'refused' || (c.status === 'unresolved' && !c.lookupFailed)))
    return false;
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
