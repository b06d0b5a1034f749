import type { Capability, ProbeId, ProbeRecordType } from './types';
export type { ProbeRecordType, ProbeId, Capability } from './types';

/**
 * When a probe is asked (see `question-plan.ts`):
 * 1. the records that decide the answer, for every domain first;
 * 2. tenant evidence, only where it can still change the answer (no federation record, no Microsoft
 *    365 MX), stopping at the first strong signal;
 * 3. informational records, last (in the pane only when a person's details are open, for an export,
 *    or with "Thorough check" on).
 */
export type Tier = 1 | 2 | 3;

/** One question asked of a domain, and what its answer means. */
export interface Probe {
  id: ProbeId;
  type: ProbeRecordType;
  /** Prepended to the domain to form the question name; empty for records of the domain itself. */
  prefix: string;
  capability: Capability;
  /** What a found record means, in words a person reads in the pane, the CLI table and the directory. */
  meaning: string;
  tier: Tier;
}

// Sources of the meanings:
// - Microsoft Learn, "External Domain Name System records for Office 365"
//   (https://learn.microsoft.com/microsoft-365/enterprise/external-domain-name-system-records):
//   `_sipfederationtls._tcp` → sipfed.online.lync.com, `_sip._tls` → sipdir.online.lync.com,
//   `lyncdiscover` → webdir.online.lync.com, `autodiscover` → autodiscover.outlook.com, the MX
//   `*.mail.protection.outlook.com` and SPF `include:spf.protection.outlook.com`; and the GCC High/DoD
//   and 21Vianet pages beside it for `office365.us`, `skypeforbusiness.us` and `partner.outlook.cn`.
// - Microsoft Learn, "Add DNS records to connect your domain": the `MS=ms…` verification TXT record.
// - Every Microsoft host and text that shows a tenant, with its source and date: microsoft-conventions.ts.
// - Skype for Business Server, "DNS requirements" (edge): `_sipfederationtls._tcp` on 5061 for federation.
// - RFC 6120 §3.2.1 and XEP-0368 for the XMPP records; RFC 2782 for a lone `.` target.
// - The Matrix specification, server-server API §2.1 "Resolving server names" (v1.8+): `_matrix-fed._tcp`,
//   and `_matrix._tcp`, deprecated; the `.well-known/matrix/server` delegation beside them.
// - Cisco, "Mobile and Remote Access Through Cisco Expressway Deployment Guide": `_collab-edge._tls`
//   on 8443 announces an Expressway-E, the edge of a Jabber/Webex on-premises deployment.

/**
 * The catalogue, in the order every output lists the records. Meanings follow the original study's
 * definitions, with what is known now: Teams tenants federate without `_sipfederationtls` (so absent ⇏
 * cannot federate), and a lone `.` SRV target means "decidedly not available" (RFC 2782).
 */
export const PROBES: readonly Probe[] = [
  {
    id: '_sipfederationtls._tcp',
    type: 'SRV',
    prefix: '_sipfederationtls._tcp',
    capability: 'lync.federation',
    meaning: 'Lync / Skype for Business / Teams SIP federation (federated to UC partners)',
    tier: 1,
  },
  {
    id: '_xmpp-server._tcp',
    type: 'SRV',
    prefix: '_xmpp-server._tcp',
    capability: 'xmpp.federation',
    meaning: 'XMPP server-to-server federation (RFC 6120)',
    tier: 1,
  },
  {
    id: '_xmpps-server._tcp',
    type: 'SRV',
    prefix: '_xmpps-server._tcp',
    capability: 'xmpp.federation',
    meaning: 'XMPP federation over direct TLS (XEP-0368)',
    tier: 1,
  },
  {
    id: '_sip._tls',
    type: 'SRV',
    prefix: '_sip._tls',
    capability: 'lync.publicFacing',
    meaning: 'Public-facing Lync / Skype for Business deployment (client sign-in from the internet)',
    tier: 3,
  },
  {
    id: '_xmpp-client._tcp',
    type: 'SRV',
    prefix: '_xmpp-client._tcp',
    capability: 'xmpp.clientAccess',
    meaning: 'XMPP external client access',
    tier: 3,
  },
  {
    id: '_xmpps-client._tcp',
    type: 'SRV',
    prefix: '_xmpps-client._tcp',
    capability: 'xmpp.clientAccess',
    meaning: 'XMPP client access over direct TLS (XEP-0368)',
    tier: 3,
  },
  {
    id: 'MX',
    type: 'MX',
    prefix: '',
    capability: 'microsoft365.tenant',
    meaning: 'Mail exchangers; *.mail.protection.outlook.com or *.mx.microsoft means a Microsoft 365 tenant',
    tier: 1,
  },
  {
    id: 'TXT',
    type: 'TXT',
    prefix: '',
    capability: 'tenant.evidence',
    meaning:
      'Domain verification and SPF: MS=ms… or include:spf.protection.outlook.com shows a Microsoft 365 tenant; google-site-verification or _spf.google.com Google Workspace',
    tier: 2,
  },
  {
    id: 'autodiscover',
    type: 'CNAME',
    prefix: 'autodiscover',
    capability: 'tenant.evidence',
    meaning: 'Outlook autodiscover; → autodiscover.outlook.com means Exchange Online (Microsoft 365)',
    tier: 2,
  },
  {
    id: 'selector1._domainkey',
    type: 'CNAME',
    prefix: 'selector1._domainkey',
    capability: 'tenant.evidence',
    meaning:
      "DKIM for Microsoft 365; → …onmicrosoft.com or …dkim.mail.microsoft names the tenant's initial domain",
    tier: 2,
  },
  {
    id: 'lyncdiscover',
    type: 'CNAME',
    prefix: 'lyncdiscover',
    capability: 'tenant.evidence',
    meaning: 'Skype for Business / Teams client discovery; → webdir.online.lync.com means Microsoft 365',
    tier: 2,
  },
  {
    id: '_matrix-fed._tcp',
    type: 'SRV',
    prefix: '_matrix-fed._tcp',
    capability: 'matrix.federation',
    meaning: 'Matrix federation (spec v1.8+): a different network from Lync/Teams and XMPP',
    tier: 3,
  },
  {
    id: '_matrix._tcp',
    type: 'SRV',
    prefix: '_matrix._tcp',
    capability: 'matrix.federation',
    meaning: 'Matrix federation (the deprecated record, still widely published)',
    tier: 3,
  },
  {
    id: '_collab-edge._tls',
    type: 'SRV',
    prefix: '_collab-edge._tls',
    capability: 'cisco.edge',
    meaning: 'Cisco Expressway (Jabber / Webex mobile and remote access edge)',
    tier: 3,
  },
];

/** The records the original tool and study asked: what `--records` meant before the new signals. */
export const CLASSIC_PROBE_IDS: readonly ProbeId[] = [
  '_sipfederationtls._tcp',
  '_xmpp-server._tcp',
  '_xmpps-server._tcp',
  '_sip._tls',
  '_xmpp-client._tcp',
  '_xmpps-client._tcp',
  'MX',
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
