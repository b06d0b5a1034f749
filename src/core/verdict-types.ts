import type { NormalisedDomain } from './address';
import type { Cloud } from './cloud';
import type { EntraFinding } from './entra';
import type { ProbeId } from './probes';
import type { CheckedRecord } from './live';
import type { GoogleSignals, Microsoft365Signals } from './tenant-evidence';
import type { LyncHosting, TriState } from './words';

/**
 * The verdict's data types, apart from the code that builds it (verdict.ts) and the answer's rules
 * (answer.ts), which both read them: so neither imports the other back.
 */

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
}
