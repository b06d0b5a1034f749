/**
 * The live checks' findings about one server, as data: a module that imports nothing, at the bottom
 * of the core's layers, so that the records (records.ts) and the live rules (live.ts) both build on
 * it without importing each other.
 */
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
