import { cloudOf } from './tenant-evidence';

/**
 * Whether a `_sipfederationtls._tcp` target is one of Microsoft 365's federation edges, in any cloud:
 * commercial (`sipfed.online.lync.com`), GCC High (`sipfed.online.gov.skypeforbusiness.us`), DoD
 * (`sipfed.online.dod.skypeforbusiness.us`) or 21Vianet (`*.online.partner.lync.cn`); the suffixes
 * are the tenant evidence's (`tenant-evidence.ts`). Any other target is an organisation's own
 * (on-premises) Edge.
 */
export function isMicrosoftSipTarget(host: string): boolean {
  return cloudOf('_sipfederationtls._tcp', host) !== undefined;
}
