import { createHash } from 'node:crypto';
import { domainBucket, domainHash } from '../../src/collector/domain-hash';

describe('domain hashes and buckets', () => {
  it('hash the ASCII domain with SHA-256, and bucket it by its first five hex characters, remembered or not', () => {
    expect(domainHash('contoso.test')).toBe(createHash('sha256').update('contoso.test').digest('hex'));
    // More domains than are remembered, twice over, then the first ones again: always the same bucket.
    const domains = Array.from({ length: 70_000 }, (_, i) => `d${i}.example`);
    for (const round of [1, 2]) {
      for (const domain of round === 1 ? domains : [...domains].reverse()) {
        expect(domainBucket(domain)).toBe(domainHash(domain).slice(0, 5));
      }
    }
  });
});
