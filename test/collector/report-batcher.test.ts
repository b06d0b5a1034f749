import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportBatcher } from '../../src/collector/report-batcher';
import { SqliteStore } from '../../src/collector/store/sqlite';
import type { CollectorStore } from '../../src/collector/store/store';

/** A store that records the batches it is asked to journal (the batcher uses only these three calls). */
function recordingStore(): { store: CollectorStore; batches: { domains: string[]; keys: string[] }[] } {
  const batches: { domains: string[]; keys: string[] }[] = [];
  const store = {
    journal: async (batch: { entries: { domain: string }[]; keys: string[] }) => {
      batches.push({ domains: batch.entries.map((e) => e.domain), keys: batch.keys });
    },
    foldJournal: async () => ({ folded: 0, remaining: false }),
    seen: async () => false,
  } as unknown as CollectorStore; // only journal, foldJournal and seen are called by the batcher
  return { store, batches };
}

describe('the report batcher', () => {
  it('writes a full batch at once (group commit), and the rest when the window ends', async () => {
    const { store, batches } = recordingStore();
    const batcher = new ReportBatcher({ store, windowMs: 60_000, fullAt: 4, day: () => '2026-12-07' });
    const started = Date.now();
    const first = Array.from({ length: 8 }, (_, i) => batcher.submit([`d${i}.example`], `r${i}`, `k${i}`));
    await Promise.all(first);
    expect(Date.now() - started).toBeLessThan(1000); // not the 60 s window
    expect(batches.map((b) => b.domains.length)).toEqual([4, 4]);
    const late = batcher.submit(['late.example'], 'r9', 'k9');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toHaveLength(2); // one report waits for company (or the window)
    await batcher.close();
    await late;
    expect(batches[2]?.domains).toEqual(['late.example']);
  });

  it('counts a retry racing its original once', async () => {
    const { store, batches } = recordingStore();
    const batcher = new ReportBatcher({ store, windowMs: 5, day: () => '2026-12-07' });
    const [original, retry] = await Promise.all([
      batcher.submit(['a.example'], 'r1', 'same'),
      batcher.submit(['a.example'], 'r1', 'same'),
    ]);
    expect([original, retry]).toEqual([true, false]);
    expect(batches).toHaveLength(1);
  });

  it('marks each reporter counted only for a store instances share', async () => {
    type Entry = { domain: string; newReporters: number; reporterMarks?: string[] };
    const written: Entry[][] = [];
    const store = {
      journal: async (batch: { entries: Entry[] }) => {
        written.push(batch.entries);
      },
      foldJournal: async () => ({ folded: 0, remaining: false }),
      seen: async () => false,
    } as unknown as CollectorStore; // only journal, foldJournal and seen are called by the batcher
    for (const markReporters of [false, true]) {
      const batcher = new ReportBatcher({ store, windowMs: 5, day: () => '2026-12-07', markReporters });
      await Promise.all([
        batcher.submit(['a.example'], 'r1'),
        batcher.submit(['a.example'], 'r2'),
        batcher.submit(['a.example'], 'r1'),
      ]);
    }
    const [alone, shared] = written.map((entries) => entries[0]);
    expect(alone).toEqual({ domain: 'a.example', reports: 3, newReporters: 2 });
    expect(shared?.newReporters).toBe(2);
    expect(shared?.reporterMarks).toHaveLength(2);
    expect(new Set(shared?.reporterMarks).size).toBe(2);
    expect(shared?.reporterMarks?.join(' ')).not.toMatch(/r1|r2|a\.example/);
  });

  describe('with a real SQLite store', () => {
    let dir: string;
    let store: SqliteStore;
    let folds: number[];
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'wcf-batcher-'));
      store = new SqliteStore(join(dir, 'collector.sqlite'));
      folds = [];
      const foldJournal = store.foldJournal.bind(store);
      store.foldJournal = async (options) => {
        const result = await foldJournal(options);
        folds.push(result.folded);
        return result;
      };
    });
    afterEach(async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('counts a report of a quiet moment before acknowledging it', async () => {
      const batcher = new ReportBatcher({ store, windowMs: 5, day: () => '2026-12-07' });
      await batcher.submit(['a.example', 'b.example'], 'r1');
      expect(await store.describe('a.example')).toMatchObject({ reports: 1, reporters: 1 });
      await batcher.submit(['a.example'], 'r2');
      expect(await store.describe('a.example')).toMatchObject({ reports: 2, reporters: 2 });
      expect(folds).toEqual([1, 1]);
      await batcher.close();
    });

    it('under load acknowledges once journaled, and folds many batches at a time within foldEveryMs', async () => {
      const batcher = new ReportBatcher({
        store,
        windowMs: 60_000,
        fullAt: 4,
        foldEveryMs: 200,
        day: () => '2026-12-07',
      });
      // 40 reports at once: full batches of 4, each written while the next waits.
      const started = performance.now();
      await Promise.all(Array.from({ length: 40 }, (_, i) => batcher.submit([`d${i % 7}.example`], `r${i}`)));
      expect(performance.now() - started).toBeLessThan(200);
      // The last batch found nothing waiting and no fold lately: counted before its acknowledgement.
      const counted = async () => {
        let total = 0;
        for (let i = 0; i < 7; i += 1) total += (await store.describe(`d${i}.example`))?.reports ?? 0;
        return total;
      };
      expect(await counted()).toBe(40);
      expect(folds.reduce((a, b) => a + b, 0)).toBe(10);
      expect(folds.length).toBeLessThan(10);
      // More under load: acknowledged before the fold, counted within foldEveryMs.
      folds.length = 0;
      await Promise.all(Array.from({ length: 40 }, (_, i) => batcher.submit([`d${i % 7}.example`], `s${i}`)));
      expect(folds).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(folds).toEqual([10]);
      expect(await counted()).toBe(80);
      await batcher.close();
    });

    it('leaves batches journaled when a fold fails, says why, and counts them when the store answers again', async () => {
      const errors: unknown[] = [];
      const fold = store.foldJournal;
      store.foldJournal = () => Promise.reject(new Error('database is locked'));
      const batcher = new ReportBatcher({
        store,
        windowMs: 5,
        foldEveryMs: 50,
        day: () => '2026-12-07',
        onFoldError: (error) => errors.push(error),
      });
      await expect(batcher.submit(['a.example'], 'r1')).resolves.toBe(true);
      expect(String(errors[0])).toContain('database is locked');
      expect(await store.describe('a.example')).toBeUndefined();
      store.foldJournal = fold;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await store.describe('a.example')).toMatchObject({ reports: 1 });
      await batcher.close();
    });
  });
});
