import { journalEntries, mergeJournal, type JournalRow } from '../../src/collector/store/journal';
import type { ReportBatch } from '../../src/collector/store/store';

const batch = (entries: ReportBatch['entries']): ReportBatch => ({
  day: '2026-12-07',
  entries,
  keys: ['k'],
  decoys: 16,
});

describe('the intake journal', () => {
  it('stores a batch shuffled, without its keys, and merges rows back into per-day batches', () => {
    const entries = Array.from({ length: 40 }, (_, i) => ({
      domain: `d${i}.example`,
      reports: 1,
      newReporters: 1,
    }));
    const stored = journalEntries(batch(entries));
    expect(stored).not.toContain('"k"');
    const order = (JSON.parse(stored) as [string][]).map(([domain]) => domain);
    expect(order).not.toEqual(entries.map((entry) => entry.domain));
    expect([...order].sort()).toEqual(entries.map((entry) => entry.domain).sort());

    const rows: JournalRow[] = [
      {
        id: 1,
        day: '2026-12-07',
        entries: journalEntries(batch([{ domain: 'a.example', reports: 2, newReporters: 1 }])),
      },
      {
        id: 2,
        day: '2026-12-06',
        entries: journalEntries(batch([{ domain: 'a.example', reports: 1, newReporters: 1 }])),
      },
      {
        id: 3,
        day: '2026-12-07',
        entries: journalEntries(
          batch([
            { domain: 'a.example', reports: 3, newReporters: 2 },
            { domain: 'b.example', reports: 1, newReporters: 0 },
          ]),
        ),
      },
    ];
    expect(mergeJournal(rows, { maxDomains: 100, decoys: 16 })).toEqual({
      ids: [1, 2, 3],
      domains: 3,
      batches: [
        {
          day: '2026-12-06',
          entries: [{ domain: 'a.example', reports: 1, newReporters: 1 }],
          keys: [],
          decoys: 16,
        },
        {
          day: '2026-12-07',
          entries: [
            { domain: 'a.example', reports: 5, newReporters: 3 },
            { domain: 'b.example', reports: 1, newReporters: 0 },
          ],
          keys: [],
          decoys: 0,
        },
      ],
    });
  });

  it("keeps every reporter mark of a shared store's batches, each once", () => {
    const marked = (marks: string[]): JournalRow['entries'] =>
      journalEntries(
        batch([
          { domain: 'a.example', reports: marks.length, newReporters: marks.length, reporterMarks: marks },
        ]),
      );
    const merged = mergeJournal(
      [
        { id: '7', day: '2026-12-07', entries: marked(['m1', 'm2']) },
        { id: '8', day: '2026-12-07', entries: marked(['m3']) },
        // Another instance counted m2's reporter too: one mark, one reporter.
        { id: '9', day: '2026-12-07', entries: marked(['m2']) },
      ],
      { maxDomains: 100, decoys: 0 },
    );
    expect(merged.batches[0]?.entries).toEqual([
      { domain: 'a.example', reports: 4, newReporters: 4, reporterMarks: ['m1', 'm2', 'm3'] },
    ]);
  });

  it('stops at its domain budget, after at least one row', () => {
    const row = (id: number, domains: string[]): JournalRow => ({
      id,
      day: '2026-12-07',
      entries: journalEntries(batch(domains.map((domain) => ({ domain, reports: 1, newReporters: 1 })))),
    });
    const rows = [
      row(1, ['a.example', 'b.example', 'c.example']),
      row(2, ['d.example']),
      row(3, ['e.example']),
    ];
    expect(mergeJournal(rows, { maxDomains: 1, decoys: 0 })).toMatchObject({ ids: [1], domains: 3 });
    expect(mergeJournal(rows, { maxDomains: 4, decoys: 0 })).toMatchObject({ ids: [1, 2], domains: 4 });
    expect(mergeJournal([], { maxDomains: 4, decoys: 0 })).toEqual({ ids: [], domains: 0, batches: [] });
  });
});
