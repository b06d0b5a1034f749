import type { ProbeId } from './probes';
import type { RecordResult } from './records';
import type { TriState } from './words';

/** Which Microsoft 365 cloud a tenant lives in: Teams federates by default only within one. */
export type Cloud = 'commercial' | 'gcc-high' | 'dod' | '21vianet';

/** A named piece of evidence, with the record that shows it and the value it showed. */
export interface Evidence {
  signal:
    | 'mx'
    | 'sip-federation'
    | 'autodiscover'
    | 'lyncdiscover'
    | 'dkim'
    | 'ms-verification'
    | 'spf'
    | 'google-mx'
    | 'google-spf'
    | 'google-site-verification';
  record: ProbeId;
  value: string;
}

export interface Microsoft365Signals {
  /** A Microsoft 365 tenant: any strong signal; no when the MX says otherwise and nothing else does. */
  tenant: TriState;
  /** "Likely via Teams": a tenant, which Teams external access reaches by default. */
  teamsLikely: boolean;
  cloud: Cloud | null;
  /** The tenant's initial domain, e.g. `contoso.onmicrosoft.com`, where its DKIM record names it. */
  tenantDomain?: string;
  evidence: Evidence[];
}

export interface GoogleSignals {
  /** Google Workspace mail (MX or SPF). Google Chat federates with neither Teams nor XMPP. */
  workspace: TriState;
  evidence: Evidence[];
}

type Rule = { signal: Evidence['signal']; suffixes: readonly [string, Cloud][] };

/** Hosts (CNAME targets, MX exchanges, SRV targets) that show a tenant, by record, with their cloud. */
const HOST_RULES: Partial<Record<ProbeId, Rule>> = {
  MX: {
    signal: 'mx',
    suffixes: [
      ['.mail.protection.outlook.com', 'commercial'],
      ['.mail.protection.office365.us', 'gcc-high'],
      ['.mail.protection.partner.outlook.cn', '21vianet'],
    ],
  },
  '_sipfederationtls._tcp': {
    signal: 'sip-federation',
    suffixes: [
      ['.online.lync.com', 'commercial'],
      ['.online.gov.skypeforbusiness.us', 'gcc-high'],
      ['.online.dod.skypeforbusiness.us', 'dod'],
      ['.online.partner.lync.cn', '21vianet'],
    ],
  },
  autodiscover: {
    signal: 'autodiscover',
    suffixes: [
      ['autodiscover.outlook.com', 'commercial'],
      ['autodiscover-s.office365.us', 'gcc-high'],
      ['autodiscover.partner.outlook.cn', '21vianet'],
    ],
  },
  lyncdiscover: {
    signal: 'lyncdiscover',
    suffixes: [
      ['webdir.online.lync.com', 'commercial'],
      ['webdir.online.gov.skypeforbusiness.us', 'gcc-high'],
      ['webdir.online.dod.skypeforbusiness.us', 'dod'],
      ['webdir.online.partner.lync.cn', '21vianet'],
    ],
  },
  'selector1._domainkey': {
    signal: 'dkim',
    suffixes: [
      ['.onmicrosoft.com', 'commercial'],
      ['.onmicrosoft.us', 'gcc-high'],
      ['.partner.onmschina.cn', '21vianet'],
    ],
  },
};

const SPF_CLOUDS: readonly [string, Cloud][] = [
  ['include:spf.protection.outlook.com', 'commercial'],
  ['include:spf.protection.office365.us', 'gcc-high'],
  ['include:spf.protection.partner.outlook.cn', '21vianet'],
];

/** The records that are only asked as evidence: when one failed, "no tenant" cannot be said. */
const EVIDENCE_RECORDS: readonly ProbeId[] = ['TXT', 'autodiscover', 'selector1._domainkey', 'lyncdiscover'];

function matchesHost(host: string, suffix: string): boolean {
  return suffix.startsWith('.') ? host.endsWith(suffix) : host === suffix || host.endsWith(`.${suffix}`);
}

/**
 * The Microsoft 365 cloud a host named by one of a domain's records points into (an MX exchange, a
 * SIP federation target, an autodiscover/lyncdiscover/DKIM alias), or undefined for any other host.
 */
export function cloudOf(record: ProbeId, host: string): Cloud | undefined {
  const rule = HOST_RULES[record];
  const name = host.toLowerCase().replace(/\.$/, '');
  return rule?.suffixes.find(([suffix]) => matchesHost(name, suffix))?.[1];
}

function spfOf(text: string): string[] {
  return /^v=spf1\b/i.test(text) ? text.toLowerCase().split(/\s+/) : [];
}

/**
 * Everything the records say about a Microsoft 365 tenant, each signal listed with its record. A
 * conflicting set (say, a commercial MX and a GCC High lyncdiscover) is listed whole; the cloud is
 * that of the first signal in catalogue order, DoD before GCC High (they share the same MX).
 */
export function microsoft365Of(records: Partial<Record<ProbeId, RecordResult>>): Microsoft365Signals {
  const evidence: Evidence[] = [];
  const clouds: Cloud[] = [];
  let tenantDomain: string | undefined;
  for (const [record, rule] of Object.entries(HOST_RULES) as [ProbeId, Rule][]) {
    const result = records[record];
    if (result?.status !== 'found') continue;
    for (const target of result.targets) {
      const host = target.target.toLowerCase().replace(/\.$/, '');
      const cloud = cloudOf(record, host);
      if (!cloud) continue;
      evidence.push({ signal: rule.signal, record, value: host });
      clouds.push(cloud);
      if (rule.signal === 'dkim') {
        // selector1-contoso-com._domainkey.contoso.onmicrosoft.com → contoso.onmicrosoft.com
        const at = host.indexOf('._domainkey.');
        if (at >= 0) tenantDomain ??= host.slice(at + '._domainkey.'.length);
      }
      break;
    }
  }
  for (const text of records.TXT?.status === 'found' ? (records.TXT.texts ?? []) : []) {
    if (/^MS=ms\d+$/i.test(text)) evidence.push({ signal: 'ms-verification', record: 'TXT', value: text });
    const spf = spfOf(text);
    const cloud = SPF_CLOUDS.find(([include]) => spf.includes(include));
    if (cloud) {
      evidence.push({ signal: 'spf', record: 'TXT', value: cloud[0] });
      clouds.push(cloud[1]);
    }
  }
  const cloud = clouds.includes('dod') ? 'dod' : (clouds[0] ?? null);
  let tenant: TriState;
  if (evidence.length > 0) tenant = true;
  else if (records.MX === undefined || records.MX.status === 'error') tenant = null;
  else if (EVIDENCE_RECORDS.some((id) => records[id]?.status === 'error')) tenant = null;
  else tenant = false;
  return {
    tenant,
    teamsLikely: tenant === true,
    cloud: evidence.length > 0 ? cloud : null,
    ...(tenantDomain ? { tenantDomain } : {}),
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
