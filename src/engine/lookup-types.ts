import type { Cloud } from '../core/cloud';
import type { EntraFinding } from '../core/entra';
import type { Probe, ProbeId } from '../core/probes';
import type { Profile, QuestionPlan } from '../core/question-plan';
import type { DomainVerdict } from '../core/verdict';
import type { DnsQuerier } from '../dns/querier';
import type { RecordCache } from '../dns/record-cache';

/** What the lookup needs of Entra ID discovery: the {@link EntraDiscovery} (entra/discovery-client.ts). */
export interface EntraSource {
  /** Never rejects for the service's trouble (an `error` finding); only when `signal` aborts. */
  discover(domain: string, signal?: AbortSignal): Promise<EntraFinding>;
}

export interface FederationLookupOptions {
  client: DnsQuerier;
  /**
   * Entra ID discovery, asked where a domain's answer is still open (no SIP federation record, no
   * Microsoft 365 MX, not a consumer provider); without it, the DNS evidence alone decides.
   */
  entra?: EntraSource;
  /**
   * The checking user's Microsoft 365 cloud: a tenant in another cloud is not "likely via Teams"
   * (see core/cloud.ts). Without it (the collector), no cross-cloud rule applies.
   */
  fromCloud?: Cloud;
  /** Which records to ask; the whole catalogue by default. */
  probes?: readonly Probe[];
  /** Questions in flight at once across all domains. */
  concurrency?: number;
  cache?: RecordCache;
  /** At most this many questions a second (`--rate`): for resolvers that limit each client. */
  ratePerSecond?: number;
  /** How much to ask (see `question-plan.ts`): `standard` (everything chosen) by default. */
  profile?: Profile;
  /** Whether the details include the informational records (true by default; the pane says false). */
  informational?: boolean;
}

export interface LookupProgress {
  /** Domains whose every planned record is in. */
  domainsDone: number;
  /** Domains with their answer (the answer phase done); details may still be coming. */
  domainsAnswered?: number;
  /** Domains to check: the source's length once read (or `CheckOptions.total` while it streams). */
  domainsTotal: number;
  questionsDone: number;
  /** Questions planned so far: it grows as answers decide what else to ask. */
  questionsTotal: number;
  /** Questions that got no answer (time-out, unreachable, SERVFAIL…): what shows as "unknown". */
  questionsFailed?: number;
  /**
   * Every resolver was found unreachable (nothing answered while many questions timed out): the
   * questions left fail at once. A screen says so at once, not when the check ends.
   */
  resolverUnreachable?: boolean;
  /** Entra ID discovery asked (of domains whose answer it could change) and answered so far. */
  discoveriesTotal?: number;
  discoveriesDone?: number;
}

export interface CheckOptions {
  signal?: AbortSignal;
  /**
   * Called once a domain's answer records are in (the plan's answer phase), before its other records
   * are: lets a screen show the answer early. `pending` lists the records still asked (empty when only
   * Entra ID discovery is); tenant evidence, Entra ID's first, may still turn a "no" into "likely via Teams".
   */
  onPartial?: (verdict: DomainVerdict, pending: ProbeId[]) => void;
  /** Called with each complete verdict, as it completes. */
  onVerdict?: (verdict: DomainVerdict) => void;
  onProgress?: (progress: LookupProgress) => void;
  /** Ask every question again, ignoring (and then refreshing) cached answers: the pane's "Refresh". */
  refresh?: boolean;
  /**
   * Keep the verdicts to resolve with (the default). A streaming run (`onVerdict` writes each one)
   * says false, so that finished domains are not held in memory: it then resolves with `[]`.
   */
  keep?: boolean;
  /**
   * At most this many domains under way at once, read from the source as others finish: what keeps
   * a run over millions of domains (read from a stream) in flat memory. Unbounded by default, so a
   * pane's few thousand domains all get their answers before any detail is asked.
   */
  window?: number;
  /** How many domains the source holds, when known before it is read (a streamed input): for progress. */
  total?: number;
  /** Another plan for this check. */
  plan?: QuestionPlan;
  /**
   * Ask the informational records too, whatever the lookup's default: all of them (a person's
   * details opened), or only these (an export's client-access column). What is cached is not asked again.
   */
  informational?: boolean | readonly ProbeId[];
}
