import freeEmailDomains from 'free-email-domains';
import type { ProbeId } from './probes';

let consumerDomains: ReadonlySet<string> | undefined;

/**
 * Whether a domain is a consumer mail provider (per the maintained `free-email-domains` list, which
 * also lists ISP and disposable-mail domains). For these, federation depends on each person's own
 * account, not on the domain, so they are flagged and kept out of the research counts.
 */
export function isConsumerDomain(domain: string): boolean {
  consumerDomains ??= new Set(freeEmailDomains.map((d) => d.toLowerCase()));
  return consumerDomains.has(domain);
}

/** A record that is published but known not to mean what it says. */
export interface FalsePositive {
  domains: readonly string[];
  probes: readonly ProbeId[];
  note: string;
}

/**
 * Records known to outlive the service they announce. Google ended XMPP federation in 2017, but its
 * XMPP SRV records are still published for Gmail's domains.
 */
export const KNOWN_FALSE_POSITIVES: readonly FalsePositive[] = [
  {
    domains: ['gmail.com', 'googlemail.com', 'google.com'],
    probes: ['_xmpp-server._tcp', '_xmpps-server._tcp', '_xmpp-client._tcp', '_xmpps-client._tcp'],
    note: 'Google ended XMPP federation in 2017; its XMPP SRV records are not counted',
  },
];

/** The false-positive entry that covers this domain and probe, if any. */
export function knownFalsePositive(domain: string, probe: ProbeId): FalsePositive | undefined {
  return KNOWN_FALSE_POSITIVES.find(
    (entry) => entry.domains.includes(domain) && entry.probes.includes(probe),
  );
}
