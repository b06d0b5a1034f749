/**
 * Microsoft's SIP federation edges, in every cloud: commercial (`sipfed.online.lync.com`), GCC High
 * (`sipfed.online.gov.skypeforbusiness.us`), DoD (`sipfed.online.dod.skypeforbusiness.us`) and
 * 21Vianet (`*.online.partner.lync.cn`). Any other target is an organisation's own (on-premises) Edge.
 */
const MICROSOFT_SIP_SUFFIXES = [
  '.online.lync.com',
  '.online.gov.skypeforbusiness.us',
  '.online.dod.skypeforbusiness.us',
  '.online.partner.lync.cn',
];

/**
 * Exchange Online Protection's inbound hosts: a domain whose MX points here is a Microsoft 365 tenant
 * (commercial, GCC High/DoD `office365.us`, 21Vianet `partner.outlook.cn`).
 */
const MICROSOFT_365_MX_SUFFIXES = [
  '.mail.protection.outlook.com',
  '.mail.protection.office365.us',
  '.mail.protection.partner.outlook.cn',
];

function hasSuffix(host: string, suffixes: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return suffixes.some((suffix) => name.endsWith(suffix));
}

/** Whether a `_sipfederationtls._tcp` target is one of Microsoft 365's federation edges. */
export function isMicrosoftSipTarget(host: string): boolean {
  return hasSuffix(host, MICROSOFT_SIP_SUFFIXES);
}

/** Whether an MX exchange is Exchange Online Protection, i.e. the domain is a Microsoft 365 tenant. */
export function isMicrosoft365MailExchanger(host: string): boolean {
  return hasSuffix(host, MICROSOFT_365_MX_SUFFIXES);
}
