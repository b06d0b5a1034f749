import { createHash } from 'node:crypto';

/**
 * Which of `count` shards a domain belongs to (1-based), from the first 4 bytes of its SHA-256:
 * the same on every machine and in every run, so N machines given the same list split it exactly.
 */
export function shardOf(domain: string, count: number): number {
  const digest = createHash('sha256').update(domain, 'utf8').digest();
  return (digest.readUInt32BE(0) % count) + 1;
}
