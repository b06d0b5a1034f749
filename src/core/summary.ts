import { CLOUDS } from './cloud';
import type { Cloud, DomainVerdict } from './types';

/**
 * The research table the original study published (e.g. "of 15,255 Lync-federated domains, 1,201
 * also federate over XMPP"). Consumer mail providers are counted apart and left out of every other
 * count: their records say nothing about the people who use them.
 */
export interface Summary {
  /** Every domain checked, consumer providers included. */
  domains: number;
  lyncFederation: number;
  xmppFederation: number;
  /** Lync-federated domains that also federate over XMPP. */
  lyncAndXmpp: number;
  xmppClientAccess: number;
  /** Lync-federated domains whose federation edge is Microsoft 365's. */
  microsoft365: number;
  /** Lync-federated domains with their own (on-premises) edge. */
  onPremises: number;
  /** Domains whose `canFederate` is unknown because a lookup failed. */
  unknown: number;
  /** Consumer mail providers (not in the counts above). */
  consumer: number;
  /** Microsoft 365 tenants by any evidence (MX, autodiscover, lyncdiscover, DKIM, TXT): "likely via Teams". */
  microsoft365Tenants: number;
  /** Of those, the tenants whose MX is not Microsoft's (a third-party filter or a gateway). */
  tenantsBehindOtherMx: number;
  /** Of those, the tenants only Entra ID discovery found: no Microsoft record in their DNS at all. */
  tenantsOnlyInEntra: number;
  /** Tenants by cloud, where it is known (Entra ID tells GCC from commercial; DNS cannot). */
  tenantsByCloud: Record<Cloud, number>;
  /** Tenants in another cloud than the checking user's, without SIP federation records: "no". */
  tenantsCrossCloud: number;
  /** Google Workspace mail (its chat federates with neither Teams nor XMPP). */
  googleWorkspace: number;
  /** Matrix federation (a network of its own: not in "can federate" unless asked). */
  matrixFederation: number;
  /** Cisco Expressway edges (Jabber / Webex). */
  ciscoEdge: number;
}

/** A research table with nothing counted yet. */
export function emptySummary(): Summary {
  return {
    domains: 0,
    lyncFederation: 0,
    xmppFederation: 0,
    lyncAndXmpp: 0,
    xmppClientAccess: 0,
    microsoft365: 0,
    onPremises: 0,
    unknown: 0,
    consumer: 0,
    microsoft365Tenants: 0,
    tenantsBehindOtherMx: 0,
    tenantsOnlyInEntra: 0,
    tenantsByCloud: Object.fromEntries(CLOUDS.map((cloud) => [cloud, 0])) as Record<Cloud, number>,
    tenantsCrossCloud: 0,
    googleWorkspace: 0,
    matrixFederation: 0,
    ciscoEdge: 0,
  };
}

/** Counts one verdict into a table: a run of millions of domains keeps counts, not verdicts. */
export function countInto(summary: Summary, verdict: DomainVerdict): void {
  summary.domains += 1;
  if (verdict.consumer) {
    summary.consumer += 1;
    return;
  }
  const lync = verdict.lync.federation === true;
  const xmpp = verdict.xmpp.federation === true;
  if (lync) summary.lyncFederation += 1;
  if (xmpp) summary.xmppFederation += 1;
  if (lync && xmpp) summary.lyncAndXmpp += 1;
  if (verdict.xmpp.clientAccess === true) summary.xmppClientAccess += 1;
  if (verdict.lync.hosting === 'microsoft-365') summary.microsoft365 += 1;
  if (verdict.lync.hosting === 'on-premises') summary.onPremises += 1;
  if (verdict.canFederate === null) summary.unknown += 1;
  const m365 = verdict.microsoft365;
  if (m365.tenant === true) {
    summary.microsoft365Tenants += 1;
    // An ndjson line of an older run has no evidence list: its tenants were found by their MX.
    if (m365.evidence && !m365.evidence.some((e) => e.signal === 'mx')) summary.tenantsBehindOtherMx += 1;
    if (m365.evidence?.length && m365.evidence.every((e) => e.signal === 'entra'))
      summary.tenantsOnlyInEntra += 1;
    if (m365.cloud) summary.tenantsByCloud[m365.cloud] = (summary.tenantsByCloud[m365.cloud] ?? 0) + 1;
    if (m365.crossCloud && !lync) summary.tenantsCrossCloud += 1;
  }
  if (verdict.google?.workspace === true) summary.googleWorkspace += 1;
  if (verdict.matrix?.federation === true) summary.matrixFederation += 1;
  if (verdict.cisco?.edge === true) summary.ciscoEdge += 1;
}

/** Counts a set of verdicts into the research table. */
export function summarise(verdicts: Iterable<DomainVerdict>): Summary {
  const summary = emptySummary();
  for (const verdict of verdicts) countInto(summary, verdict);
  return summary;
}

/** `part` as a percentage of `whole`, one decimal, for people; 0 when there is nothing to divide. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}
