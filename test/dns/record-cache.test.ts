import type { Clock } from '../../src/async/clock';
import { MemoryStore, RecordCache } from '../../src/dns/record-cache';

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return { now: () => now, sleep: () => Promise.resolve(), advance: (ms) => (now += ms) };
}

describe('RecordCache', () => {
  const found = {
    status: 'found' as const,
    targets: [{ target: 'x.test', port: 1, priority: 0, weight: 0 }],
  };

  it('returns an answer until its TTL runs out, then forgets it', () => {
    const clock = manualClock();
    const store = new MemoryStore();
    const cache = new RecordCache({ clock, store });
    cache.set('_x._tcp.a.test', 'SRV', found, 60);
    clock.advance(59_999);
    expect(cache.get('_x._tcp.a.test', 'SRV')).toEqual(found);
    clock.advance(1);
    expect(cache.get('_x._tcp.a.test', 'SRV')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('caches negative answers, never errors, never zero TTLs, and caps long TTLs', () => {
    const clock = manualClock();
    const cache = new RecordCache({ clock, maxTtlSeconds: 100 });
    cache.set('a', 'SRV', { status: 'none', targets: [] }, 30);
    cache.set('b', 'SRV', { status: 'error', targets: [], error: 'x' }, 30);
    cache.set('c', 'SRV', found, 0);
    cache.set('d', 'SRV', found, 1_000_000);
    expect(cache.get('a', 'SRV')?.status).toBe('none');
    expect(cache.get('b', 'SRV')).toBeUndefined();
    expect(cache.get('c', 'SRV')).toBeUndefined();
    clock.advance(100_000);
    expect(cache.get('d', 'SRV')).toBeUndefined();
  });

  it('survives a corrupt entry in its store', () => {
    const store = new MemoryStore();
    store.set('wcf:rr:SRV:a', '{not json');
    const cache = new RecordCache({ store });
    expect(cache.get('a', 'SRV')).toBeUndefined();
    expect(store.get('wcf:rr:SRV:a')).toBeUndefined();
  });
});

describe('RecordCache in memory', () => {
  const none = { status: 'none' as const, targets: [] };

  it('keeps at most maxEntries answers, dropping the least recently used', () => {
    const cache = new RecordCache({ maxEntries: 2 });
    cache.set('a', 'SRV', none, 60);
    cache.set('b', 'SRV', none, 60);
    expect(cache.get('a', 'SRV')).toEqual(none); // a is now the most recently used
    cache.set('c', 'SRV', none, 60);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 'SRV')).toBeUndefined();
    expect(cache.get('a', 'SRV')).toEqual(none);
    expect(cache.get('c', 'SRV')).toEqual(none);
  });

  it('keeps nothing with maxEntries 0, and refuses a negative size', () => {
    const cache = new RecordCache({ maxEntries: 0 });
    cache.set('a', 'SRV', none, 60);
    expect(cache.get('a', 'SRV')).toBeUndefined();
    expect(() => new RecordCache({ maxEntries: -1 })).toThrow(RangeError);
  });
});
