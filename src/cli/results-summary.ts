import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { DomainSet } from '../core/domain-set';
import { countInto, emptySummary, type Summary } from '../core/summary';
import type { DomainVerdict } from '../core/verdict';
import { InputError } from './errors';
import { resultLine, type SummaryLine } from './results-file';
import type { CohortSummary } from './tally';

/** The research table of results files: in total, and per cohort where the run had several. */
export interface MergedSummary {
  total: Summary;
  cohorts: CohortSummary[];
  /** Verdicts counted, and met again (overlapping files, a shard run twice) and not counted. */
  counted: number;
  repeated: number;
}

/**
 * Counts results files written by `check` (ndjson, or the json document) as one unsharded run over
 * the same inputs would: each domain once, into the cohorts its line names. Streams: a million lines
 * in flat memory (the domains seen are kept as 12-byte fingerprints). A line cut off at the end of a
 * file (an interrupted shard) is said through `warn` and skipped; anything else that is not a result
 * of `check` is an {@link InputError} naming the file and line.
 */
export async function summariseResults(
  files: readonly string[],
  warn: (message: string) => void,
): Promise<MergedSummary> {
  const seen = new DomainSet();
  const total = emptySummary();
  const byCohort = new Map<string, CohortSummary>();
  /** Cohort names in the run's order, as the summary lines list them, then as first met. */
  const declared: string[] = [];
  const met: string[] = [];
  let counted = 0;
  let repeated = 0;
  const countVerdict = (verdict: DomainVerdict): void => {
    if (!seen.add(verdict.domain)) {
      repeated += 1;
      return;
    }
    counted += 1;
    countInto(total, verdict);
    for (const cohort of verdict.cohorts ?? []) {
      let row = byCohort.get(cohort);
      if (!row) {
        row = { cohort, ...emptySummary() };
        byCohort.set(cohort, row);
        met.push(cohort);
      }
      countInto(row, verdict);
    }
  };
  const declare = (summary: SummaryLine): void => {
    for (const row of summary.cohorts ?? []) {
      if (typeof row.cohort === 'string' && !declared.includes(row.cohort)) declared.push(row.cohort);
    }
  };

  for (const file of files) {
    const kind = await kindOf(file);
    if (kind === 'csv') {
      throw new InputError(
        `${file} is a CSV: its rows do not carry the records the table is counted from; summarise the ndjson or json results (check --format ndjson --output FILE)`,
      );
    }
    if (kind === 'json') {
      const document = await readJsonDocument(file);
      for (const verdict of document.domains) countVerdict(verdict);
      declare(document.summary ?? {});
      continue;
    }
    let lineNumber = 0;
    let unreadable: number | undefined;
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        lineNumber += 1;
        if (line.trim() === '') continue;
        if (unreadable !== undefined) throw notResults(file, unreadable);
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          // Only the last line may be cut off (the run was interrupted while writing it).
          unreadable = lineNumber;
          continue;
        }
        const result = resultLine(parsed);
        if (result.kind === 'verdict') countVerdict(result.verdict);
        else if (result.kind === 'summary') declare(result.summary);
        else throw notResults(file, lineNumber);
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
    } finally {
      lines.close();
    }
    if (unreadable !== undefined) {
      warn(`${file}:${unreadable}: cut off (an interrupted run?): skipped; the rest of the file counts`);
    }
  }
  const order = [
    ...declared.filter((name) => byCohort.has(name)),
    ...met.filter((name) => !declared.includes(name)),
  ];
  return {
    total,
    cohorts: order.map((name) => byCohort.get(name) as CohortSummary),
    counted,
    repeated,
  };
}

function notResults(file: string, line: number): InputError {
  return new InputError(`${file}:${line} is not a result of who-can-federate check (ndjson or json)`);
}

/** What a results file is, from its first bytes: check's json document, ndjson lines, or a CSV. */
async function kindOf(file: string): Promise<'json' | 'ndjson' | 'csv'> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file: check the path' : (error as Error).message}`,
    );
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    const start = buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    if (start.startsWith('{\n') || start.startsWith('{\r\n')) return 'json';
    if (start.startsWith('{') || start.trim() === '') return 'ndjson';
    return 'csv';
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}

/** `check --format json`'s one document (at most a few hundred thousand domains: read whole). */
async function readJsonDocument(file: string): Promise<{ domains: DomainVerdict[]; summary?: SummaryLine }> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InputError(
      `${file} is not a whole JSON document (${(error as Error).message}): was its run interrupted? Summarise ndjson results for runs that may be`,
    );
  }
  const domains = (document as { domains?: unknown }).domains;
  if (!Array.isArray(domains)) throw notResults(file, 1);
  return document as { domains: DomainVerdict[]; summary?: SummaryLine };
}
