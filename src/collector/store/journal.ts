import { shuffled } from './rows';
import type { FoldOptions, ReportBatch } from './store';

/**
 * The intake journal: how a batch of reports is made durable cheaply and counted later.
 *
 * Writing a batch straight into the domains table rewrites one page per domain it names, and a
 * report is acknowledged only once that write is durable: under load the collector spent its time
 * rewriting the same pages batch after batch. Instead a batch is appended to the journal as one
 * row (a few pages, one commit) and acknowledged; a fold then counts every journaled batch into
 * the domains in one transaction, each domain written once however many batches named it, and
 * deletes the rows. A batch is folded at once when the collector is idle, and within a fraction
 * of a second under load; one left by a crash is folded when the collector starts again.
 */

/** One journaled batch as its row holds it. */
export interface JournalRow {
  id: number | string;
  day: string;
  /** {@link journalEntries}' JSON. */
  entries: string;
}

/** An entry as the journal stores it: domain, reports, new reporters, and the reporter marks if any. */
type StoredEntry = [string, number, number] | [string, number, number, string[]];

/**
 * A batch's entries as its journal row stores them, in random order (the batch lists them report by
 * report); its keys are written beside it, its decoys at the fold.
 */
export function journalEntries(batch: ReportBatch): string {
  return JSON.stringify(
    shuffled(batch.entries).map((entry): StoredEntry =>
      entry.reporterMarks
        ? [entry.domain, entry.reports, entry.newReporters, entry.reporterMarks]
        : [entry.domain, entry.reports, entry.newReporters],
    ),
  );
}

/** Journaled batches merged for one fold. */
export interface MergedJournal {
  /** The rows merged (every one of them is to be deleted in the fold's transaction). */
  ids: (number | string)[];
  /** One batch per UTC day, oldest day first, each domain once with its counts added up; the first carries the decoys. */
  batches: ReportBatch[];
  /** Domains in all (a domain reported on two days counts twice). */
  domains: number;
}

/**
 * Merges journal rows, oldest first, until they name `maxDomains` domains: a fold's work is bounded
 * so that it never holds the writer for long (the rest waits for the next fold). The first row is
 * always taken, so a fold always makes progress. The fold's decoys go with its first batch.
 */
export function mergeJournal(rows: Iterable<JournalRow>, { decoys, maxDomains }: FoldOptions): MergedJournal {
  const days = new Map<string, Map<string, ReportBatch['entries'][number]>>();
  const ids: (number | string)[] = [];
  let domains = 0;
  for (const row of rows) {
    if (ids.length > 0 && domains >= maxDomains) break;
    ids.push(row.id);
    let day = days.get(row.day);
    if (!day) days.set(row.day, (day = new Map()));
    for (const [domain, reports, newReporters, marks] of JSON.parse(row.entries) as StoredEntry[]) {
      const entry = day.get(domain);
      if (!entry) {
        day.set(domain, { domain, reports, newReporters, ...(marks ? { reporterMarks: [...marks] } : {}) });
        domains += 1;
        continue;
      }
      entry.reports += reports;
      entry.newReporters += newReporters;
      // Two instances may each carry a reporter's mark for a domain: it counts once.
      if (marks) {
        const merged = (entry.reporterMarks ??= []);
        for (const mark of marks) if (!merged.includes(mark)) merged.push(mark);
      }
    }
  }
  const batches = [...days]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, entries], index) => ({
      day,
      entries: [...entries.values()],
      keys: [],
      decoys: index === 0 ? decoys : 0,
    }));
  return { ids, batches, domains };
}

/** A fold counts at most this many domains in one transaction (about 50 ms of SQLite's time). */
export const FOLD_MAX_DOMAINS = 8192;
