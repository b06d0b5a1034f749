import type { Cloud } from './types';

/**
 * Microsoft's DNS conventions that show a Microsoft 365 tenant (and its cloud), one row each, with the
 * page it comes from and since when it is true. Microsoft changes these (new MX hosts under
 * `mx.microsoft`, DKIM under `dkim.mail.microsoft`): a new convention is a new row here, with its
 * source and the source's own example, which `test/core/microsoft-conventions.test.ts` checks.
 *
 * Checked 2026-12 with the sources named; what could not be confirmed is said in the row's `note`.
 */
export interface HostConvention {
  /** What the row shows, as the evidence names it. */
  signal: 'mx' | 'sip-federation' | 'autodiscover' | 'lyncdiscover' | 'dkim';
  /** The record of the domain that names the host. */
  record: 'MX' | '_sipfederationtls._tcp' | 'autodiscover' | 'lyncdiscover' | 'selector1._domainkey';
  /** `.suffix` matches any host below it; a name without the leading dot matches itself and below. */
  host: string;
  cloud: Cloud;
  source: Source;
  /**
   * When it became true (year-month), as the source tells it; `≤` where only a date by which it was
   * true is known (a page's revision date, a retirement notice of what came before).
   */
  since: string;
  /** The source's own example: the domain and the value its record shows. */
  example: { domain: string; value: string; tenantDomain?: string };
  note?: string;
}

export interface Source {
  title: string;
  url: string;
}

const EXTERNAL_DNS: Source = {
  title: 'Microsoft Learn, "External Domain Name System records for Office 365"',
  url: 'https://learn.microsoft.com/microsoft-365/enterprise/external-domain-name-system-records',
};
const GCC_HIGH_DNS: Source = {
  title: 'Microsoft Learn, "DNS records for Office 365 GCC High"',
  url: 'https://learn.microsoft.com/microsoft-365/enterprise/dns-records-for-office-365-gcc-high',
};
const DOD_DNS: Source = {
  title: 'Microsoft Learn, "DNS records for Office 365 DoD"',
  url: 'https://learn.microsoft.com/microsoft-365/enterprise/dns-records-for-office-365-dod',
};
const VIANET_DNS: Source = {
  title: 'Microsoft Learn, "Microsoft 365 operated by 21Vianet: DNS records"',
  url: 'https://learn.microsoft.com/microsoft-365/admin/services-in-china/services-in-china',
};
const DANE_BLOG: Source = {
  title:
    'Exchange Team Blog, "Implementing Inbound SMTP DANE with DNSSEC for Exchange Online Mail Flow" (2023-09-27, updated 2024-07-17), and message center, 2025-04-04: "all A records for new Accepted Domains will be provisioned into the new subdomains under mx.microsoft"',
  url: 'https://techcommunity.microsoft.com/t5/exchange-team-blog/implementing-inbound-smtp-dane-with-dnssec-for-exchange-online/ba-p/3939694',
};
const DKIM_PAGE: Source = {
  title: 'Microsoft Learn, "Set up DKIM to sign mail from your Microsoft 365 domain"',
  url: 'https://learn.microsoft.com/defender-office-365/email-authentication-dkim-configure',
};

/** Hosts named by a domain's records (MX exchanges, SRV targets, CNAME targets) that show a tenant. */
export const HOST_CONVENTIONS: readonly HostConvention[] = [
  {
    signal: 'mx',
    record: 'MX',
    host: '.mail.protection.outlook.com',
    cloud: 'commercial',
    source: EXTERNAL_DNS,
    since: '≤2018-05',
    example: { domain: 'contoso.com', value: 'contoso-com.mail.protection.outlook.com' },
    note: 'The only Exchange Online MX form since 25 May 2018 (older mail.eo.outlook.com and mail.messaging.microsoft.com retired); in use for years before. Domains added before the mx.microsoft change keep it.',
  },
  {
    signal: 'mx',
    record: 'MX',
    host: '.mx.microsoft',
    cloud: 'commercial',
    source: DANE_BLOG,
    since: '2024-10',
    example: { domain: 'contoso.com', value: 'contoso-com.j-v1.mx.microsoft' },
    note: 'Domains that turn on inbound DNSSEC/SMTP DANE (general availability Oct 2024) move here; new accepted domains are provisioned here from July 2025 (announced 2025-04-04, rolled out by July 2026). The partition label (j-v1, o-v1, r-v1…) is assigned by Microsoft. Not confirmed: whether GCC High, DoD or 21Vianet use mx.microsoft; they are read as commercial (GCC shares it).',
  },
  {
    signal: 'mx',
    record: 'MX',
    host: '.mail.protection.office365.us',
    cloud: 'gcc-high',
    source: GCC_HIGH_DNS,
    since: '≤2020-05',
    example: { domain: 'contoso.us', value: 'contoso-us.mail.protection.office365.us' },
    note: 'DoD tenants use the same MX: the cloud is told apart by their other records or Entra ID.',
  },
  {
    signal: 'mx',
    record: 'MX',
    host: '.mail.protection.partner.outlook.cn',
    cloud: '21vianet',
    source: VIANET_DNS,
    since: '≤2014-04',
    example: { domain: 'contoso.cn', value: 'contoso-cn.mail.protection.partner.outlook.cn' },
  },
  {
    signal: 'sip-federation',
    record: '_sipfederationtls._tcp',
    host: '.online.lync.com',
    cloud: 'commercial',
    source: EXTERNAL_DNS,
    since: '≤2014-01',
    example: { domain: 'contoso.com', value: 'sipfed.online.lync.com' },
  },
  {
    signal: 'sip-federation',
    record: '_sipfederationtls._tcp',
    host: '.online.gov.skypeforbusiness.us',
    cloud: 'gcc-high',
    source: GCC_HIGH_DNS,
    since: '≤2020-05',
    example: { domain: 'contoso.us', value: 'sipfed.online.gov.skypeforbusiness.us' },
  },
  {
    signal: 'sip-federation',
    record: '_sipfederationtls._tcp',
    host: '.online.dod.skypeforbusiness.us',
    cloud: 'dod',
    source: DOD_DNS,
    since: '≤2020-05',
    example: { domain: 'contoso.mil', value: 'sipfed.online.dod.skypeforbusiness.us' },
  },
  {
    signal: 'sip-federation',
    record: '_sipfederationtls._tcp',
    host: '.online.partner.lync.cn',
    cloud: '21vianet',
    source: VIANET_DNS,
    since: '≤2014-04',
    example: { domain: 'contoso.cn', value: 'sipfed.online.partner.lync.cn' },
  },
  {
    signal: 'autodiscover',
    record: 'autodiscover',
    host: 'autodiscover.outlook.com',
    cloud: 'commercial',
    source: EXTERNAL_DNS,
    since: '≤2014-01',
    example: { domain: 'contoso.com', value: 'autodiscover.outlook.com' },
  },
  {
    signal: 'autodiscover',
    record: 'autodiscover',
    host: 'autodiscover.office365.us',
    cloud: 'gcc-high',
    source: GCC_HIGH_DNS,
    since: '≤2020-05',
    example: { domain: 'contoso.us', value: 'autodiscover.office365.us' },
  },
  {
    signal: 'autodiscover',
    record: 'autodiscover',
    host: 'autodiscover-s.office365.us',
    cloud: 'gcc-high',
    source: GCC_HIGH_DNS,
    since: '≤2019-01',
    example: { domain: 'contoso.us', value: 'autodiscover-s.office365.us' },
    note: 'The form of earlier revisions of the page; still published by older GCC High tenants.',
  },
  {
    signal: 'autodiscover',
    record: 'autodiscover',
    host: 'autodiscover.partner.outlook.cn',
    cloud: '21vianet',
    source: VIANET_DNS,
    since: '≤2014-04',
    example: { domain: 'contoso.cn', value: 'autodiscover.partner.outlook.cn' },
  },
  {
    signal: 'lyncdiscover',
    record: 'lyncdiscover',
    host: 'webdir.online.lync.com',
    cloud: 'commercial',
    source: EXTERNAL_DNS,
    since: '≤2014-01',
    example: { domain: 'contoso.com', value: 'webdir.online.lync.com' },
  },
  {
    signal: 'lyncdiscover',
    record: 'lyncdiscover',
    host: 'webdir.online.gov.skypeforbusiness.us',
    cloud: 'gcc-high',
    source: GCC_HIGH_DNS,
    since: '≤2020-05',
    example: { domain: 'contoso.us', value: 'webdir.online.gov.skypeforbusiness.us' },
  },
  {
    signal: 'lyncdiscover',
    record: 'lyncdiscover',
    host: 'webdir.online.dod.skypeforbusiness.us',
    cloud: 'dod',
    source: DOD_DNS,
    since: '≤2020-05',
    example: { domain: 'contoso.mil', value: 'webdir.online.dod.skypeforbusiness.us' },
  },
  {
    signal: 'lyncdiscover',
    record: 'lyncdiscover',
    host: 'webdir.online.partner.lync.cn',
    cloud: '21vianet',
    source: VIANET_DNS,
    since: '≤2014-04',
    example: { domain: 'contoso.cn', value: 'webdir.online.partner.lync.cn' },
  },
  {
    signal: 'dkim',
    record: 'selector1._domainkey',
    host: '.onmicrosoft.com',
    cloud: 'commercial',
    source: DKIM_PAGE,
    since: '≤2015-06',
    example: {
      domain: 'contoso.com',
      value: 'selector1-contoso-com._domainkey.contoso.onmicrosoft.com',
      tenantDomain: 'contoso.onmicrosoft.com',
    },
    note: 'The old form: "Existing custom domains and initial domains continue to use the old DKIM format".',
  },
  {
    signal: 'dkim',
    record: 'selector1._domainkey',
    host: '.dkim.mail.microsoft',
    cloud: 'commercial',
    source: DKIM_PAGE,
    since: '2025-05',
    example: {
      domain: 'cohovineyard.com',
      value: 'selector1-cohovineyard-com._domainkey.cohovineyardandwinery.n-v1.dkim.mail.microsoft',
      tenantDomain: 'cohovineyardandwinery.onmicrosoft.com',
    },
    note: '"selector1-<CustomDomainWithDashes>._domainkey.<InitialDomainPrefix>.<DynamicPartitionCharacter>-v1.dkim.mail.microsoft", "introduced in May 2025" for new custom domains; selector2 uses the same -v1 label (not -v2). Not confirmed for GCC High, DoD or 21Vianet.',
  },
  {
    signal: 'dkim',
    record: 'selector1._domainkey',
    host: '.onmicrosoft.us',
    cloud: 'gcc-high',
    source: GCC_HIGH_DNS,
    since: '≤2020-05',
    example: {
      domain: 'contoso.us',
      value: 'selector1-contoso-us._domainkey.contoso.onmicrosoft.us',
      tenantDomain: 'contoso.onmicrosoft.us',
    },
  },
  {
    signal: 'dkim',
    record: 'selector1._domainkey',
    host: '.partner.onmschina.cn',
    cloud: '21vianet',
    source: VIANET_DNS,
    since: '≤2014-04',
    example: {
      domain: 'contoso.cn',
      value: 'selector1-contoso-cn._domainkey.contoso.partner.onmschina.cn',
      tenantDomain: 'contoso.partner.onmschina.cn',
    },
  },
];

/** SPF includes and TXT records that show a tenant. */
export interface TextConvention {
  signal: 'spf' | 'ms-verification';
  /** An SPF mechanism (`include:…`), or a pattern the whole TXT string matches. */
  match: { spfInclude: string } | { pattern: RegExp };
  cloud: Cloud | null;
  source: Source;
  since: string;
  example: { domain: string; value: string };
}

export const TEXT_CONVENTIONS: readonly TextConvention[] = [
  {
    signal: 'ms-verification',
    match: { pattern: /^MS=ms\d+$/i },
    cloud: null,
    source: {
      title: 'Microsoft Learn, "Add DNS records to connect your domain"',
      url: 'https://learn.microsoft.com/microsoft-365/admin/get-help-with-domains/create-dns-records-at-any-dns-hosting-provider',
    },
    since: '≤2014-01',
    example: { domain: 'contoso.com', value: 'MS=ms12345678' },
  },
  {
    signal: 'spf',
    match: { spfInclude: 'include:spf.protection.outlook.com' },
    cloud: 'commercial',
    source: EXTERNAL_DNS,
    since: '≤2014-01',
    example: { domain: 'contoso.com', value: 'v=spf1 include:spf.protection.outlook.com -all' },
  },
  {
    signal: 'spf',
    match: { spfInclude: 'include:spf.protection.office365.us' },
    cloud: 'gcc-high',
    source: GCC_HIGH_DNS,
    since: '≤2020-05',
    example: { domain: 'contoso.us', value: 'v=spf1 include:spf.protection.office365.us -all' },
  },
  {
    signal: 'spf',
    match: { spfInclude: 'include:spf.protection.partner.outlook.cn' },
    cloud: '21vianet',
    source: VIANET_DNS,
    since: '≤2014-04',
    example: { domain: 'contoso.cn', value: 'v=spf1 include:spf.protection.partner.outlook.cn -all' },
  },
];

/** How Entra ID's OpenID discovery document for a domain tells its cloud. */
export interface DiscoveryConvention {
  /** `cloud_instance_name` of the document. */
  instance: string;
  /** `tenant_region_sub_scope`, where it tells clouds of one instance apart; undefined: any other. */
  subScope?: string;
  cloud: Cloud;
  source: Source;
  since: string;
}

const DISCOVERY: Source = {
  title:
    'Microsoft Learn, "OpenID Connect on the Microsoft identity platform" (the discovery document; cloud_instance_name) and "National clouds" (microsoftonline.us, partner.microsoftonline.cn); tenant_region_sub_scope GCC / DODCON / DOD as Microsoft\'s own tools read it',
  url: 'https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc',
};

/** In order: the first row whose instance (and sub-scope, when it names one) matches is the cloud. */
export const DISCOVERY_CONVENTIONS: readonly DiscoveryConvention[] = [
  { instance: 'microsoftonline.com', subScope: 'GCC', cloud: 'gcc', source: DISCOVERY, since: '≤2019-01' },
  { instance: 'microsoftonline.com', cloud: 'commercial', source: DISCOVERY, since: '≤2017-01' },
  { instance: 'microsoftonline.us', subScope: 'DOD', cloud: 'dod', source: DISCOVERY, since: '≤2019-01' },
  { instance: 'microsoftonline.us', cloud: 'gcc-high', source: DISCOVERY, since: '≤2019-01' },
  { instance: 'partner.microsoftonline.cn', cloud: '21vianet', source: DISCOVERY, since: '≤2017-01' },
];

/** Whether `host` (lower case, no trailing dot) is the convention's host or below it. */
export function matchesHost(host: string, pattern: string): boolean {
  return pattern.startsWith('.') ? host.endsWith(pattern) : host === pattern || host.endsWith(`.${pattern}`);
}

/**
 * The tenant's initial domain named by a DKIM target, in either form: `….<tenant>.onmicrosoft.com`
 * (and the sovereign forms) as it is, and `….<prefix>.<partition>-v1.dkim.mail.microsoft` as
 * `<prefix>.onmicrosoft.com` (the page: "InitialDomainPrefix: the custom part of the
 * *.onmicrosoft.com you used to enroll").
 */
export function tenantDomainOfDkim(host: string): string | undefined {
  const at = host.indexOf('._domainkey.');
  if (at < 0) return undefined;
  const rest = host.slice(at + '._domainkey.'.length);
  const modern = /^([a-z0-9-]+)\.[a-z0-9]+-v\d+\.dkim\.mail\.microsoft$/.exec(rest);
  if (modern) return `${modern[1]}.onmicrosoft.com`;
  if (rest === 'dkim.mail.microsoft' || rest.endsWith('.dkim.mail.microsoft')) return undefined;
  return rest.includes('.') ? rest : undefined;
}
