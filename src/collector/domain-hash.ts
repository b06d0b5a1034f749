import { createHash } from 'node:crypto';
import { bucketOf } from '../core/bucket';

/** SHA-256 of an ASCII domain, lower-case hex: what private look-ups match on. */
export function domainHash(domain: string): string {
  return createHash('sha256').update(domain, 'utf8').digest('hex');
}

/** Buckets remembered (a few megabytes): PostgreSQL's folds send one for every domain they count. */
const REMEMBERED = 65_536;
const buckets = new Map<string, string>();

/** The look-up bucket a domain falls in. */
export function domainBucket(domain: string): string {
  let bucket = buckets.get(domain);
  if (bucket === undefined) {
    bucket = bucketOf(domainHash(domain));
    // Forgotten all at once when full: the domains reported most come back first.
    if (buckets.size >= REMEMBERED) buckets.clear();
    buckets.set(domain, bucket);
  }
  return bucket;
}
