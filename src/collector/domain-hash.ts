import { createHash } from 'node:crypto';
import { bucketOf } from '../core/bucket';

/** SHA-256 of an ASCII domain, lower-case hex: what private look-ups match on. */
export function domainHash(domain: string): string {
  return createHash('sha256').update(domain, 'utf8').digest('hex');
}

/** The look-up bucket a domain falls in. */
export function domainBucket(domain: string): string {
  return bucketOf(domainHash(domain));
}
