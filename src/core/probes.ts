/** The DNS record types the probes ask for. */
export type ProbeRecordType = 'SRV' | 'MX';

/** Stable identifiers of the probes; they are the keys of `records` in every output. */
export type ProbeId =
  | '_sipfederationtls._tcp'
  | '_sip._tls'
  | '_xmpp-server._tcp'
  | '_xmpp-client._tcp'
  | '_xmpps-server._tcp'
  | '_xmpps-client._tcp'
  | 'MX';

/** The capability a probe's record feeds (see `verdict.ts`). */
export type Capability =
  'lync.federation' | 'lync.publicFacing' | 'xmpp.federation' | 'xmpp.clientAccess' | 'microsoft365.tenant';

/** One question asked of every domain, and what its answer means. */
export interface Probe {
  id: ProbeId;
  type: ProbeRecordType;
  /** Prepended to the domain to form the question name; empty for records of the domain itself. */
  prefix: string;
  capability: Capability;
  /** What a found record means, in words a person reads in the pane, the CLI table and the directory. */
  meaning: string;
  /** Whether the record decides `canFederate`; such probes are asked for every domain before the rest. */
  decidesCanFederate: boolean;
}

/**
 * The catalogue. Meanings follow the original study's definitions, with what is known now: Teams
 * tenants in the same cloud federate without `_sipfederationtls` (so absent ⇏ cannot federate),
 * and a lone `.` SRV target means "decidedly not available" (RFC 2782).
 */
export const PROBES: readonly Probe[] = [
  {
    id: '_sipfederationtls._tcp',
    type: 'SRV',
    prefix: '_sipfederationtls._tcp',
    capability: 'lync.federation',
    meaning: 'Lync / Skype for Business / Teams SIP federation (federated to UC partners)',
    decidesCanFederate: true,
  },
  {
    id: '_xmpp-server._tcp',
    type: 'SRV',
    prefix: '_xmpp-server._tcp',
    capability: 'xmpp.federation',
    meaning: 'XMPP server-to-server federation (RFC 6120)',
    decidesCanFederate: true,
  },
  {
    id: '_xmpps-server._tcp',
    type: 'SRV',
    prefix: '_xmpps-server._tcp',
    capability: 'xmpp.federation',
    meaning: 'XMPP federation over direct TLS (XEP-0368)',
    decidesCanFederate: true,
  },
  {
    id: '_sip._tls',
    type: 'SRV',
    prefix: '_sip._tls',
    capability: 'lync.publicFacing',
    meaning: 'Public-facing Lync / Skype for Business deployment (client sign-in from the internet)',
    decidesCanFederate: false,
  },
  {
    id: '_xmpp-client._tcp',
    type: 'SRV',
    prefix: '_xmpp-client._tcp',
    capability: 'xmpp.clientAccess',
    meaning: 'XMPP external client access',
    decidesCanFederate: false,
  },
  {
    id: '_xmpps-client._tcp',
    type: 'SRV',
    prefix: '_xmpps-client._tcp',
    capability: 'xmpp.clientAccess',
    meaning: 'XMPP client access over direct TLS (XEP-0368)',
    decidesCanFederate: false,
  },
  {
    id: 'MX',
    type: 'MX',
    prefix: '',
    capability: 'microsoft365.tenant',
    meaning: 'Mail exchangers; *.mail.protection.outlook.com means a Microsoft 365 tenant',
    decidesCanFederate: false,
  },
];

export const PROBE_IDS: readonly ProbeId[] = PROBES.map((probe) => probe.id);

/** The DNS name a probe asks about for a domain (ASCII). */
export function questionName(probe: Probe, domain: string): string {
  return probe.prefix === '' ? domain : `${probe.prefix}.${domain}`;
}

/** Thrown when a `--records` list names a record the catalogue does not have. */
export class UnknownProbeError extends Error {
  override name = 'UnknownProbeError';
  constructor(readonly unknown: string[]) {
    super(
      `Unknown record ${unknown.map((u) => JSON.stringify(u)).join(', ')}; choose from: ${PROBE_IDS.join(', ')}`,
    );
  }
}

/**
 * Chooses probes by id, keeping catalogue order. Accepts ids with or without the leading underscore
 * and in any case, since people type `mx` and `sipfederationtls._tcp`.
 */
export function selectProbes(ids: readonly string[]): Probe[] {
  const wanted = new Set<ProbeId>();
  const unknown: string[] = [];
  for (const raw of ids) {
    const text = raw.trim().toLowerCase();
    if (text === '') continue;
    const match = PROBES.find((probe) => {
      const id = probe.id.toLowerCase();
      return id === text || id === `_${text}`;
    });
    if (match) wanted.add(match.id);
    else unknown.push(raw.trim());
  }
  if (unknown.length > 0) throw new UnknownProbeError(unknown);
  return PROBES.filter((probe) => wanted.has(probe.id));
}
