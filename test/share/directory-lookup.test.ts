import { createHash } from 'node:crypto';
import { UNCHECKED } from '../../src/collector/verification';
import { directoryWords, lookUpInDirectory, webCryptoSha256 } from '../../src/share/directory-lookup';
import { startTestCollector, type ObservedRequest, type TestCollector } from '../support/collector-app';
import { storeKinds, type TestStore } from '../support/collector-stores';

let t: TestStore;
let collector: TestCollector;
const seen: ObservedRequest[] = [];

beforeAll(async () => {
  t = await (storeKinds()[0] as ReturnType<typeof storeKinds>[0]).create();
  for (const day of ['2026-11-27', '2026-11-28', '2026-11-29'])
    await t.store.addReport(['edge.test', 'gone.test'], day);
  const base = {
    ...UNCHECKED,
    status: 'present' as const,
    lyncFederation: true,
    checkedAt: Date.UTC(2026, 10, 29),
  };
  await t.store.saveCheck('edge.test', { ...base, lyncLive: true, verified: true }, 1);
  await t.store.saveCheck('gone.test', { ...base, lyncLive: false, verified: false }, 1);
  collector = await startTestCollector(t.store, { observe: (request) => seen.push(request) });
});
afterAll(async () => {
  await collector.close();
  await t.dispose();
});

test('Web Crypto hashes as Node does', async () => {
  expect(await webCryptoSha256('edge.test')).toBe(createHash('sha256').update('edge.test').digest('hex'));
});

test('finds what the directory knows, sending only 5-character prefixes', async () => {
  const domains = ['edge.test', 'gone.test', 'unknown.test', 'edge.test'];
  const result = await lookUpInDirectory(domains, {
    collectorUrl: collector.url,
    fetch: (url, init) => fetch(url, init),
  });
  expect(result.failedBuckets).toBe(0);
  expect([...result.findings.keys()].sort()).toEqual(['edge.test', 'gone.test']);
  expect(directoryWords(result.findings.get('edge.test') as never)).toBe(
    'edge answering (checked 2026-11-29)',
  );
  expect(directoryWords(result.findings.get('gone.test') as never)).toBe(
    'edge not answering (checked 2026-11-29)',
  );
  const posts = seen.filter((request) => request.method === 'POST');
  expect(posts).toHaveLength(1);
  for (const request of posts) {
    expect(request.url).toBe('/v1/lookup');
    expect(request.body).toEqual({
      prefixes: expect.arrayContaining([expect.stringMatching(/^[0-9a-f]{5}$/)]),
    });
    expect(JSON.stringify(request.body)).not.toMatch(/edge|gone|unknown/);
    expect(request.headers.cookie).toBeUndefined();
  }
});

test('an unreachable directory is counted, not thrown', async () => {
  const result = await lookUpInDirectory(['edge.test'], {
    collectorUrl: 'http://127.0.0.1:9',
    fetch: (url, init) => fetch(url, init),
  });
  expect(result).toEqual({ findings: new Map(), failedBuckets: 1 });
});

test('1,500 domains: a few batched requests; a 429 is waited out as Retry-After says, DNS results untouched', async () => {
  const domains = Array.from({ length: 1500 }, (_, i) => `d${i}.example`);
  const waits: number[] = [];
  let refused = 0;
  const result = await lookUpInDirectory(domains, {
    collectorUrl: collector.url,
    fetch: async (url, init) => {
      if (refused < 2) {
        refused += 1;
        return {
          ok: false,
          status: 429,
          headers: new Headers({ 'retry-after': '7' }),
          json: async () => ({}),
        };
      }
      return fetch(url, init);
    },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  expect(waits).toEqual([7000, 7000]);
  expect(result.failedBuckets).toBe(0);
  const posts = seen.filter((request) => request.method === 'POST' && request.url === '/v1/lookup');
  expect(posts.length).toBeLessThanOrEqual(1 + Math.ceil(1500 / 256));
});
