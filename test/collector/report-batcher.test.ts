import { ReportBatcher } from '../../src/collector/report-batcher';
import type { CollectorStore } from '../../src/collector/store/store';

/** A store that records the batches it is asked to write (the batcher uses only these two calls). */
function recordingStore(): { store: CollectorStore; batches: { domains: string[]; keys: string[] }[] } {
  const batches: { domains: string[]; keys: string[] }[] = [];
  const store = {
    addBatch: async (batch: { entries: { domain: string }[]; keys: string[] }) => {
      batches.push({ domains: batch.entries.map((e) => e.domain), keys: batch.keys });
    },
    seen: async () => false,
  } as unknown as CollectorStore; // only addBatch and seen are called by the batcher
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
      addBatch: async (batch: { entries: Entry[] }) => {
        written.push(batch.entries);
      },
      seen: async () => false,
    } as unknown as CollectorStore; // only addBatch and seen are called by the batcher
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
});
