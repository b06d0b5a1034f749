/**
 * The core's data types, in one module that imports nothing: a domain, its records and their live
 * findings, the signals and the verdict. Every layer above builds on them (the evidence rules, the
 * verdict, the answer, the words), and the modules that once defined them re-export them.
 */

/** A domain ready to be asked about: the A-label form for DNS, the Unicode form for people. */
export interface NormalisedDomain {
  /** ASCII (A-label), lower case, no trailing dot: the form DNS is asked and results are keyed by. */
  domain: string;
  /** The Unicode (U-label) form shown to people; equal to `domain` for plain ASCII names. */
  displayDomain: string;
}

/**
 * Microsoft 365's clouds. Teams external access between two tenants of one cloud needs no DNS record;
 * between clouds it goes through the Skype interop edge, and both organisations need their SIP
 * federation record (`_sipfederationtls._tcp`). Sources: Microsoft Learn, "External Domain Name
 * System records for Office 365" (the SRV row: "Teams and Skype for Business cross-cloud (e.g.,
 * between Office 365 … and Office 365 operated by 21Vianet … or US government clouds)", since
 * MicrosoftDocs/microsoft-365-docs PR 10010, Oct 2022) and "Manage external meetings and chat"
 * (MicrosoftDocs/OfficeDocs-SkypeForBusiness issue 9621 and PR 9634, Jan 2023: "In cross-cloud
 * federation, sipfederationtls DNS records are required for routing of federated chats").
 *
 * GCC runs in the commercial cloud (same hosts, same Entra ID instance, `tenant_region_sub_scope`
 * `GCC`), so commercial and GCC are one realm; GCC High and DoD are clouds of their own.
 */
export type Cloud = 'commercial' | 'gcc' | 'gcc-high' | 'dod' | '21vianet';

/** The DNS record types the probes ask for. */
export type ProbeRecordType = 'SRV' | 'MX' | 'TXT' | 'CNAME';

/** Stable identifiers of the probes; they are the keys of `records` in every output. */
export type ProbeId =
  | '_sipfederationtls._tcp'
  | '_sip._tls'
  | '_xmpp-server._tcp'
  | '_xmpp-client._tcp'
  | '_xmpps-server._tcp'
  | '_xmpps-client._tcp'
  | 'MX'
  | 'TXT'
  | 'autodiscover'
  | 'selector1._domainkey'
  | 'lyncdiscover'
  | '_matrix-fed._tcp'
  | '_matrix._tcp'
  | '_collab-edge._tls';

/** The capability a probe's record feeds (see `verdict.ts`). */
export type Capability =
  | 'lync.federation'
  | 'lync.publicFacing'
  | 'xmpp.federation'
  | 'xmpp.clientAccess'
  | 'microsoft365.tenant'
  | 'tenant.evidence'
  | 'matrix.federation'
  | 'cisco.edge';

/** `true` yes, `false` no, `null` unknown (a lookup failed or was not asked): never collapse null into no. */
export type TriState = boolean | null;

export type LyncHosting = 'microsoft-365' | 'on-premises' | null;

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

/**
 * What Entra ID's OpenID discovery document says of a domain: the one public, definitive test of
 * whether a domain is verified in a Microsoft 365 (Entra ID) tenant, whatever its DNS says (mail
 * behind a third-party filter, no autodiscover, no DKIM).
 * - `tenant`: 200 with a discovery document; its `issuer` holds the tenant id;
 * - `none`: 400 `invalid_tenant` (AADSTS90002): the domain is in no tenant;
 * - `error`: anything else (5xx, a time-out, a body that is not the document): not known, never "no";
 * - `unreachable`: no HTTP answer could be read at all (offline, blocked, or a browser refusing an
 *   answer without CORS headers, which we could not confirm Microsoft sends on its 400s): the
 *   verdict then stands on the DNS evidence alone, as if discovery had not been asked.
 */
export type EntraFinding =
  | { status: 'tenant'; tenantId: string; cloud: Cloud }
  | { status: 'none' }
  | { status: 'error'; error: string }
  | { status: 'unreachable'; error: string };

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

/** A target as a verdict shows it after a live check: the DNS target, with what answered behind it. */
export interface CheckedTarget extends Target {
  live?: LiveResult;
}

/** A record as a verdict shows it: its DNS result, each target with its live finding (if checked). */
export interface CheckedRecord extends RecordResult {
  targets: CheckedTarget[];
}

/** What a live check found behind one record's target, by {@link liveKey}. */
export type LiveFindings = ReadonlyMap<string, LiveResult>;

/**
 * What a live check gives a domain's verdict (core writes its notes from it, see `buildVerdict`): the
 * findings keyed by target, how many targets were beyond the bounds, and the Matrix delegation.
 */
export interface LiveInputs {
  findings: LiveFindings;
  /** Targets not contacted because a check contacts at most so many per record and per domain. */
  skipped: number;
  /** `.well-known/matrix/server`: the server it names, or why it was not fetched. */
  matrix?: { server: string } | { blocked: string };
}

/** A named piece of evidence, with the record that shows it (or `entra-id`) and the value it showed. */
export interface Evidence {
  signal:
    | 'mx'
    | 'sip-federation'
    | 'autodiscover'
    | 'lyncdiscover'
    | 'dkim'
    | 'ms-verification'
    | 'spf'
    | 'entra'
    | 'google-mx'
    | 'google-spf'
    | 'google-site-verification';
  record: ProbeId | 'entra-id';
  value: string;
}

export interface Microsoft365Signals {
  /**
   * A Microsoft 365 tenant: any signal (DNS or Entra ID); no when Entra ID says so, or the MX says
   * otherwise and nothing else does; unknown when a lookup that could have shown one failed.
   */
  tenant: TriState;
  /**
   * "Likely via Teams": a tenant Teams external access reaches by default, which needs no DNS record
   * within one cloud; across clouds (see {@link crossCloud}) it needs SIP federation records.
   */
  teamsLikely: boolean;
  cloud: Cloud | null;
  /** The tenant's initial domain, e.g. `contoso.onmicrosoft.com`, where its DKIM record names it. */
  tenantDomain?: string;
  /** The tenant's id, where Entra ID's discovery document named it. */
  tenantId?: string;
  /** A tenant in another cloud than the checking user's (`--from-cloud`): not reached without SIP records. */
  crossCloud?: boolean;
  evidence: Evidence[];
}

export interface GoogleSignals {
  /** Google Workspace mail (MX or SPF). Google Chat federates with neither Teams nor XMPP. */
  workspace: TriState;
  evidence: Evidence[];
}

/** What a verdict takes beside the DNS records: Entra ID's answer and the checking user's own cloud. */
export interface TenantInputs {
  /** Entra ID discovery for the domain, where it was asked. */
  entra?: EntraFinding;
  /** The cloud of whoever reads the answer; without it, no cross-cloud rule applies (the collector). */
  fromCloud?: Cloud;
}

/**
 * The one answer a person reads for a domain, the same in the pane, the CLI table and both CSVs:
 * - `yes`: a federation record (Lync/Skype for Business/Teams SIP, or XMPP) is published;
 * - `likely`: a Microsoft 365 tenant with no SIP federation record, which Teams external access
 *   reaches by default (the usual way to reach another organisation today);
 * - `depends`: a consumer mail provider: it depends on the person's own account;
 * - `no`: every record asked says no, or the only way there is Teams across clouds without the
 *   SIP federation records that needs (a tenant in another cloud than the user's);
 * - `unknown`: a lookup failed, so the records cannot say (never reported as "no").
 */
export type Answer = 'yes' | 'likely' | 'depends' | 'no' | 'unknown';

/** Everything known about one domain's federation, derived from its records alone. */
export interface DomainVerdict extends NormalisedDomain {
  /** The records asked, each target with its live finding after a live check. */
  records: Partial<Record<ProbeId, CheckedRecord>>;
  /** `live` (only after a live check): whether a federation edge answers (see `liveState`). */
  lync: { federation: TriState; publicFacing: TriState; hosting: LyncHosting; live?: TriState };
  xmpp: { federation: TriState; clientAccess: TriState; live?: TriState };
  /**
   * From the MX and the tenant evidence (autodiscover, lyncdiscover, DKIM, TXT). Teams tenants in
   * the same cloud federate by default even without `_sipfederationtls`, so a tenant is shown as
   * "likely via Teams": a signal, not part of `canFederate`.
   */
  microsoft365: Microsoft365Signals;
  /** Google Workspace mail: its chat federates with neither Teams nor XMPP (shown, never counted). */
  google: GoogleSignals;
  /**
   * Matrix federation (`_matrix-fed._tcp`, `_matrix._tcp`, and in the CLI and the collector the
   * `.well-known/matrix/server` delegation): a different network from Lync/Teams and XMPP, so it
   * counts in `canFederate` only when asked to (`--count matrix`).
   */
  matrix: { federation: TriState; server?: string; via?: 'well-known' };
  /** A Cisco Expressway edge (Jabber / Webex): shown as a signal. */
  cisco: { edge: TriState };
  /** A consumer mail provider: federation depends on each person's account, not on the domain. */
  consumer: boolean;
  canFederate: TriState;
  /** The one answer a person reads (see `answerOf`): yes, likely (via Teams), depends, no, unknown. */
  answer: Answer;
  /**
   * Only after a live check: a federation record is present *and* an edge behind it answers (true);
   * no federation, or every edge behind the records found is gone (false); otherwise unknown.
   */
  verified?: TriState;
  /** Caveats a person should read beside the verdict (known false positives, a tenant in another cloud). */
  notes: string[];
  /** What Entra ID discovery said, where it was asked: an input of the verdict, kept so it can be rebuilt. */
  entra?: EntraFinding;
  /** The checking user's cloud the answer was given for (`--from-cloud`), where one was. */
  fromCloud?: Cloud;
  /** In a multi-cohort CLI run's output: the cohorts (inputs) that listed the domain, so shards merge right. */
  cohorts?: string[];
}
