/**
 * Private directory look-ups (k-anonymity, as "Have I Been Pwned" does for passwords): a client
 * sends only the first hex characters of a domain's SHA-256 and matches the full hashes it gets
 * back itself. Five characters make 1,048,576 buckets. The hash is of the ASCII (A-label), lower-case
 * domain, as UTF-8, in lower-case hex; the collector hashes with Node's crypto, the pane with Web Crypto.
 */
export const BUCKET_LENGTH = 5;

/** A bucket prefix as the look-up endpoint accepts it. */
export const BUCKET_PATTERN = /^[0-9a-f]{5}$/;

/** The bucket of a full hex hash. */
export function bucketOf(hash: string): string {
  return hash.slice(0, BUCKET_LENGTH).toLowerCase();
}
