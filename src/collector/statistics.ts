import { percent } from '../core/summary';
import type { CollectorContext } from './context';
import type { StatsCounts } from './store/store';

/** `GET /v1/stats`: the research table over published domains, as the CLI's `--summary` names it. */
export interface PublishedStats extends Omit<StatsCounts, 'asOf'> {
  /** When the newest counted check was made (ISO 8601), or null when nothing is published yet. */
  asOf: string | null;
  /**
   * Shares a person reads: XMPP, hosting and answering Lync edges among Lync-federated domains,
   * answering XMPP servers among XMPP-federated ones, the rest of all domains.
   */
  percent: Record<Exclude<keyof StatsCounts, 'domains' | 'asOf' | 'tenantsByCloud'>, number>;
  /** K: the number of different reporters a domain must have been reported by to be counted. */
  threshold: number;
}

export function publishedStats(counts: StatsCounts, threshold: number): PublishedStats {
  return {
    ...counts,
    asOf: counts.asOf === null ? null : new Date(counts.asOf).toISOString(),
    percent: {
      lyncFederation: percent(counts.lyncFederation, counts.domains),
      xmppFederation: percent(counts.xmppFederation, counts.domains),
      lyncAndXmpp: percent(counts.lyncAndXmpp, counts.lyncFederation),
      xmppClientAccess: percent(counts.xmppClientAccess, counts.domains),
      microsoft365: percent(counts.microsoft365, counts.lyncFederation),
      onPremises: percent(counts.onPremises, counts.lyncFederation),
      lyncEdgeAnswering: percent(counts.lyncEdgeAnswering, counts.lyncFederation),
      xmppEdgeAnswering: percent(counts.xmppEdgeAnswering, counts.xmppFederation),
      verified: percent(counts.verified, counts.domains),
      microsoft365Tenants: percent(counts.microsoft365Tenants, counts.domains),
      tenantsOnlyInEntra: percent(counts.tenantsOnlyInEntra, counts.microsoft365Tenants),
      matrixFederation: percent(counts.matrixFederation, counts.domains),
      ciscoEdge: percent(counts.ciscoEdge, counts.domains),
    },
    threshold,
  };
}

/**
 * Counts once per interval however many people read the page: the aggregate is a full scan, and
 * it changes slowly.
 */
export class StatsCache {
  private cached: { at: number; value: Promise<PublishedStats> } | undefined;

  constructor(private readonly context: CollectorContext) {}

  get(): Promise<PublishedStats> {
    const now = this.context.clock.now();
    if (this.cached && now - this.cached.at < this.context.statsCacheMs) return this.cached.value;
    const value = this.context.store
      .stats(this.context.threshold)
      .then((counts) => publishedStats(counts, this.context.threshold));
    this.cached = { at: now, value };
    value.catch(() => {
      if (this.cached?.value === value) this.cached = undefined;
    });
    return value;
  }
}
