import { SHARED_RECORDS } from '../core/report';
import { failedLookups, type DomainVerdict, type TriState } from '../core/verdict';
import type { DomainFacts } from './store/store';

/** How often the collector looks again. */
export interface CheckSchedule {
  /** After a check that answered every question: the regular re-verification. */
  recheckMs: number;
  /** After a check with a failed lookup: sooner, to settle what is still unknown. */
  retryMs: number;
}

export const DEFAULT_SCHEDULE: CheckSchedule = {
  recheckMs: 7 * 24 * 60 * 60 * 1000,
  retryMs: 60 * 60 * 1000,
};

/** Facts of a domain never checked yet. */
export const UNCHECKED: DomainFacts = {
  status: 'pending',
  lyncFederation: null,
  lyncPublicFacing: null,
  xmppFederation: null,
  xmppClientAccess: null,
  microsoft365Tenant: null,
  microsoft365Cloud: null,
  microsoft365Source: null,
  hosting: null,
  records: [],
  checkedAt: null,
  lyncLive: null,
  xmppLive: null,
  verified: null,
};

const known = (fresh: TriState, previous: TriState): TriState => (fresh === null ? previous : fresh);

/**
 * Folds the collector's own check into what it knew. What this check settled replaces the old
 * facts; what a failed lookup left unknown keeps its old value, so a resolver outage never
 * unpublishes a domain (unknown is never "no"). A domain is `present` while any federation or
 * client record is known found, `absent` once all are known missing.
 */
export function foldCheck(previous: DomainFacts, verdict: DomainVerdict, now: number): DomainFacts {
  const lyncFederation = known(verdict.lync.federation, previous.lyncFederation);
  const lyncPublicFacing = known(verdict.lync.publicFacing, previous.lyncPublicFacing);
  const xmppFederation = known(verdict.xmpp.federation, previous.xmppFederation);
  const xmppClientAccess = known(verdict.xmpp.clientAccess, previous.xmppClientAccess);
  const capabilities = [lyncFederation, lyncPublicFacing, xmppFederation, xmppClientAccess];
  const status = capabilities.some((value) => value === true)
    ? 'present'
    : capabilities.every((value) => value === false)
      ? 'absent'
      : previous.status;
  const records = SHARED_RECORDS.filter((id) => {
    const result = verdict.records[id];
    return result?.status === 'found' || (result?.status === 'error' && previous.records.includes(id));
  });
  const answered = Object.values(verdict.records).some((record) => record.status !== 'error');
  return {
    status,
    lyncFederation,
    lyncPublicFacing,
    xmppFederation,
    xmppClientAccess,
    microsoft365Tenant: known(verdict.microsoft365.tenant, previous.microsoft365Tenant),
    ...tenantOrigin(verdict, previous),
    hosting: verdict.lync.federation === null ? previous.hosting : verdict.lync.hosting,
    records,
    checkedAt: answered ? now : previous.checkedAt,
    // Live checks: an edge that did not answer this time keeps what was known; no record, no edge.
    lyncLive: lyncFederation === true ? known(verdict.lync.live ?? null, previous.lyncLive) : null,
    xmppLive: xmppFederation === true ? known(verdict.xmpp.live ?? null, previous.xmppLive) : null,
    verified:
      lyncFederation === false && xmppFederation === false
        ? false
        : known(verdict.verified ?? null, previous.verified),
  };
}

/** The tenant's cloud and how it was found; an unknown tenant keeps what was known. */
function tenantOrigin(
  verdict: DomainVerdict,
  previous: DomainFacts,
): Pick<DomainFacts, 'microsoft365Cloud' | 'microsoft365Source'> {
  const m365 = verdict.microsoft365;
  if (m365.tenant === null) {
    return { microsoft365Cloud: previous.microsoft365Cloud, microsoft365Source: previous.microsoft365Source };
  }
  if (m365.tenant === false) return { microsoft365Cloud: null, microsoft365Source: null };
  const onlyEntra = m365.evidence.length > 0 && m365.evidence.every((e) => e.signal === 'entra');
  return { microsoft365Cloud: m365.cloud, microsoft365Source: onlyEntra ? 'entra' : 'dns' };
}

/** When to check a domain again after this verdict. */
export function nextCheckAt(verdict: DomainVerdict, now: number, schedule: CheckSchedule): number {
  return now + (failedLookups(verdict) > 0 ? schedule.retryMs : schedule.recheckMs);
}
