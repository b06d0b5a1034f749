import type { Cloud } from './types';
export type { Cloud } from './types';

export const CLOUDS: readonly Cloud[] = ['commercial', 'gcc', 'gcc-high', 'dod', '21vianet'];

/** The clouds between which Teams federates without DNS: commercial and GCC are one. */
export type Realm = 'commercial' | 'gcc-high' | 'dod' | '21vianet';

export function realmOf(cloud: Cloud): Realm {
  return cloud === 'gcc' ? 'commercial' : cloud;
}

/** Whether Teams reaches from one cloud to the other without SIP federation records. */
export function sameRealm(a: Cloud, b: Cloud): boolean {
  return realmOf(a) === realmOf(b);
}

/** Each cloud's service as a person names it ("Why we think they use …"). */
export const CLOUD_NAMES: Record<Cloud, string> = {
  commercial: 'Microsoft 365',
  gcc: 'Microsoft 365 US Government (GCC)',
  'gcc-high': 'Microsoft 365 US Government (GCC High)',
  dod: 'Microsoft 365 US Government (DoD)',
  '21vianet': 'Microsoft 365 operated by 21Vianet (China)',
};

/** Each cloud in a sentence: "contoso.us is in Microsoft's GCC High cloud". */
export const CLOUD_SHORT_NAMES: Record<Cloud, string> = {
  commercial: 'commercial',
  gcc: 'GCC',
  'gcc-high': 'GCC High',
  dod: 'DoD',
  '21vianet': '21Vianet (China)',
};

/** Reads a cloud's name as typed (`--from-cloud`, `WCF_FROM_CLOUD`); undefined for anything else. */
export function parseCloud(text: string): Cloud | undefined {
  const name = text.trim().toLowerCase();
  return (CLOUDS as readonly string[]).includes(name) ? (name as Cloud) : undefined;
}

/**
 * Why a tenant in another cloud is not "likely via Teams", in words (a verdict's note): Teams reaches
 * across clouds only where both organisations publish a SIP federation record.
 */
export function crossCloudNote(
  displayDomain: string,
  signals: { crossCloud?: boolean; cloud: Cloud | null },
): string | undefined {
  if (!signals.crossCloud || !signals.cloud) return undefined;
  return `${displayDomain} is in Microsoft's ${CLOUD_SHORT_NAMES[signals.cloud]} cloud: Teams reaches across clouds only where both organisations publish a federation record`;
}
