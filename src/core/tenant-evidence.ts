import { sameRealm } from './cloud';
import { HOST_CONVENTIONS, matchesHost, TEXT_CONVENTIONS, tenantDomainOfDkim } from './microsoft-conventions';
import type {
  Cloud,
  Evidence,
  GoogleSignals,
  Microsoft365Signals,
  ProbeId,
  RecordResult,
  TenantInputs,
  TriState,
} from './types';
export type { Evidence, Microsoft365Signals, GoogleSignals, TenantInputs } from './types';

export type { Cloud } from './cloud';

/** The records that are only asked as evidence: when one failed, "no tenant" cannot be said. */
const EVIDENCE_RECORDS: readonly ProbeId[] = ['TXT', 'autodiscover', 'selector1._domainkey', 'lyncdiscover'];

/** The records whose hosts {@link HOST_CONVENTIONS} reads, in catalogue order. */
const HOST_RECORDS = [...new Set(HOST_CONVENTIONS.map((row) => row.record))] as const;

/**
 * The Microsoft 365 cloud a host named by one of a domain's records points into (an MX exchange, a
 * SIP federation target, an autodiscover/lyncdiscover/DKIM alias), or undefined for any other host.
 */
export function cloudOf(record: ProbeId, host: string): Cloud | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  return HOST_CONVENTIONS.find((row) => row.record === record && matchesHost(name, row.host))?.cloud;
}

function spfOf(text: string): string[] {
  return /^v=spf1\b/i.test(text) ? text.toLowerCase().split(/\s+/) : [];
}

/**
 * Everything the records (and Entra ID) say about a Microsoft 365 tenant, each signal listed with
 * its record. A conflicting set (say, a commercial MX and a GCC High lyncdiscover) is listed whole;
 * the cloud is Entra ID's where it answered, else that of the first signal in catalogue order, DoD
 * before GCC High (they share the same MX).
 */
export function microsoft365Of(
  records: Partial<Record<ProbeId, RecordResult>>,
  inputs: TenantInputs = {},
): Microsoft365Signals {
  const evidence: Evidence[] = [];
  const clouds: Cloud[] = [];
  let tenantDomain: string | undefined;
  for (const record of HOST_RECORDS) {
    const result = records[record];
    if (result?.status !== 'found') continue;
    for (const target of result.targets) {
      const host = target.target.toLowerCase().replace(/\.$/, '');
      const row = HOST_CONVENTIONS.find((r) => r.record === record && matchesHost(host, r.host));
      if (!row) continue;
      evidence.push({ signal: row.signal, record, value: host });
      clouds.push(row.cloud);
      if (row.signal === 'dkim') tenantDomain ??= tenantDomainOfDkim(host);
      break;
    }
  }
  for (const text of records.TXT?.status === 'found' ? (records.TXT.texts ?? []) : []) {
    const spf = spfOf(text);
    for (const row of TEXT_CONVENTIONS) {
      const matched =
        'pattern' in row.match ? row.match.pattern.test(text) : spf.includes(row.match.spfInclude);
      if (!matched) continue;
      const value = 'spfInclude' in row.match ? row.match.spfInclude : text;
      evidence.push({ signal: row.signal, record: 'TXT', value });
      if (row.cloud) clouds.push(row.cloud);
    }
  }
  // Unreachable: no answer at all, so the DNS evidence decides, as without discovery (see entra.ts).
  const entra = inputs.entra?.status === 'unreachable' ? undefined : inputs.entra;
  if (entra?.status === 'tenant') {
    evidence.push({ signal: 'entra', record: 'entra-id', value: entra.tenantId });
  }
  const dnsCloud = clouds.includes('dod') ? 'dod' : (clouds[0] ?? null);
  const cloud = entra?.status === 'tenant' ? entra.cloud : dnsCloud;
  let tenant: TriState;
  if (evidence.length > 0) tenant = true;
  else if (entra?.status === 'none') tenant = false;
  else if (entra?.status === 'error') tenant = null;
  else if (records.MX === undefined || records.MX.status === 'error') tenant = null;
  else if (EVIDENCE_RECORDS.some((id) => records[id]?.status === 'error')) tenant = null;
  else tenant = false;
  const crossCloud =
    tenant === true &&
    cloud !== null &&
    inputs.fromCloud !== undefined &&
    !sameRealm(cloud, inputs.fromCloud);
  return {
    tenant,
    teamsLikely: tenant === true && !crossCloud,
    cloud,
    ...(tenantDomain ? { tenantDomain } : {}),
    ...(entra?.status === 'tenant' ? { tenantId: entra.tenantId } : {}),
    ...(crossCloud ? { crossCloud } : {}),
    evidence,
  };
}

/** Google Workspace from its MX (`*.google.com`, `*.googlemail.com`) or SPF; site verification is listed, not counted. */
export function googleOf(records: Partial<Record<ProbeId, RecordResult>>): GoogleSignals {
  const evidence: Evidence[] = [];
  const mx = records.MX;
  if (mx?.status === 'found') {
    const google = mx.targets.find((t) => /(^|\.)(google|googlemail)\.com\.?$/i.test(t.target));
    if (google) evidence.push({ signal: 'google-mx', record: 'MX', value: google.target });
  }
  for (const text of records.TXT?.status === 'found' ? (records.TXT.texts ?? []) : []) {
    if (spfOf(text).includes('include:_spf.google.com'))
      evidence.push({ signal: 'google-spf', record: 'TXT', value: 'include:_spf.google.com' });
    if (/^google-site-verification=/i.test(text))
      evidence.push({ signal: 'google-site-verification', record: 'TXT', value: text });
  }
  const strong = evidence.some((e) => e.signal !== 'google-site-verification');
  const workspace: TriState = strong ? true : mx === undefined || mx.status === 'error' ? null : false;
  return { workspace, evidence };
}

/**
 * Whether a `_sipfederationtls._tcp` target is one of Microsoft 365's federation edges, in any cloud:
 * commercial (`sipfed.online.lync.com`), GCC High (`sipfed.online.gov.skypeforbusiness.us`), DoD
 * (`sipfed.online.dod.skypeforbusiness.us`) or 21Vianet (`*.online.partner.lync.cn`); the suffixes
 * are the tenant evidence's (`tenant-evidence.ts`). Any other target is an organisation's own
 * (on-premises) Edge.
 */
export function isMicrosoftSipTarget(host: string): boolean {
  return cloudOf('_sipfederationtls._tcp', host) !== undefined;
}
