import { storeKinds, type TestStore } from '../support/collector-stores';

describe.each(storeKinds())("$name store's ledger of per-address counts", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await kind.create();
  });
  afterEach(async () => {
    await t.dispose();
  });

  test('a daily allowance taken by many requests at once is never passed', async () => {
    const ledger = t.store.ledger();
    expect(ledger.shared).toBe(kind.name === 'postgres');
    const takes = await Promise.all(
      Array.from({ length: 25 }, () => ledger.takeDaily('2026-12-07', 'reporter-a', 1, 10)),
    );
    expect(takes.filter((take) => take.taken)).toHaveLength(10);
    const refused = takes.find((take) => !take.taken);
    expect(refused?.used).toBe(10);
    // Another reporter, and the next day, start afresh; what is given back can be taken again.
    expect(await ledger.takeDaily('2026-12-07', 'reporter-b', 10, 10)).toEqual({ taken: true, used: 0 });
    expect(await ledger.takeDaily('2026-12-08', 'reporter-a', 3, 10)).toEqual({ taken: true, used: 0 });
    await ledger.giveBackDaily('2026-12-07', 'reporter-b', 4);
    expect(await ledger.takeDaily('2026-12-07', 'reporter-b', 4, 10)).toEqual({ taken: true, used: 6 });
    // More than the whole allowance is refused outright.
    expect(await ledger.takeDaily('2026-12-07', 'reporter-c', 11, 10)).toEqual({ taken: false, used: 0 });
  });

  // (SQLite serves one process, whose batcher counts reporters in memory: report-batcher.test.ts.)
  const sharedOnly = kind.name === 'postgres' ? test : test.skip;
  sharedOnly('a reporter counts once toward K for a domain, however many batches name it', async () => {
    const batch = (marks: string[]) => ({
      day: '2026-12-07',
      entries: [{ domain: 'k.test', reports: 1, newReporters: marks.length, reporterMarks: marks }],
      keys: [],
      decoys: 0,
    });
    await t.store.addBatch(batch(['mark-1']));
    await t.store.addBatch(batch(['mark-1', 'mark-2']));
    await Promise.all([t.store.addBatch(batch(['mark-3'])), t.store.addBatch(batch(['mark-3']))]);
    expect(await t.store.describe('k.test')).toMatchObject({ reports: 4, reporters: 3 });
    // Marks are kept two days (as report keys are), then forgotten.
    await t.store.maintain('2026-12-08');
    await t.store.addBatch(batch(['mark-1']));
    expect(await t.store.describe('k.test')).toMatchObject({ reports: 5, reporters: 4 });
  });

  sharedOnly(
    'a reporter counts once toward K when its batches are journaled and folded together',
    async () => {
      const batch = (marks: string[]) => ({
        day: '2026-12-07',
        entries: [{ domain: 'k.test', reports: 1, newReporters: marks.length, reporterMarks: marks }],
        keys: [],
        decoys: 0,
      });
      const second = await t.reopen();
      // Two instances carry the same reporter's mark (each counted it once); one fold takes both.
      await t.store.journal(batch(['mark-1']));
      await second.journal(batch(['mark-1', 'mark-2']));
      await second.journal(batch([]));
      await t.store.foldJournal({ decoys: 0, maxDomains: 100 });
      expect(await t.store.describe('k.test')).toMatchObject({ reports: 3, reporters: 2 });
      // A later fold does not count a mark written today again.
      await t.store.journal(batch(['mark-2', 'mark-3']));
      await second.foldJournal({ decoys: 0, maxDomains: 100 });
      expect(await t.store.describe('k.test')).toMatchObject({ reports: 4, reporters: 3 });
    },
  );

  sharedOnly('request windows: instances never let more than the limit through together', async () => {
    const Store = t.store.ledger().rateLimitStore;
    if (!Store) throw new Error('a shared ledger has a rate-limit store');
    // Two instances' stores for one route (a child each, as the plugin makes them).
    const route = { routeInfo: { method: 'POST', url: '/v1/reports' } };
    const [a, b] = [new Store({}).child(route as never), new Store({}).child(route as never)];
    const incr = (store: typeof a, key: string, max: number) =>
      new Promise<{ current: number; ttl: number }>((resolve, reject) =>
        store.incr(key, (error, result) => (error || !result ? reject(error) : resolve(result)), 60_000, max),
      );
    const limit = 100;
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => incr(i % 2 === 0 ? a : b, 'address-1', limit)),
    );
    const passed = results.filter((r) => r.current <= limit).length;
    // Each number is handed out once; numbers an instance took and did not use are lost.
    expect(new Set(results.map((r) => r.current)).size).toBe(results.length);
    expect(passed).toBeLessThanOrEqual(limit);
    expect(passed).toBeGreaterThanOrEqual(limit - 2 * 8);
    expect(results.every((r) => r.ttl > 0 && r.ttl <= 60_000)).toBe(true);
    // Another address has its own window; a window that ran out starts again.
    expect((await incr(a, 'address-2', limit)).current).toBe(1);
    const short = await Promise.all([incr(a, 'address-3', 3), incr(b, 'address-3', 3)]);
    expect(short.map((r) => r.current).sort()).toEqual([1, 2]);
  });
});
