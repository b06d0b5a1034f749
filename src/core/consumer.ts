import freeEmailDomains from 'free-email-domains';

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
