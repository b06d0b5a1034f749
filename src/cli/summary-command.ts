import { csvDocument } from '../core/csv';
import type { SummaryCommand } from './args';
import { cohortRows, formatCohorts, formatSummary } from './format-table';
import { fileSink, stdoutSink } from './results-file';
import { summariseResults } from './results-summary';

/** What `summary` needs of the process. */
export interface SummaryIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * `who-can-federate summary FILE...`: the research table of results files, by cohort, as one
 * unsharded `check --summary` over the same inputs prints it (table), or its `{"summary": …}` (json),
 * or the table's rows (csv). Says on stderr how many domains it counted and how many it met twice.
 */
export async function runSummary(command: SummaryCommand, io: SummaryIo): Promise<number> {
  const merged = await summariseResults(command.files, (message) =>
    io.stderr.write(`who-can-federate: ${message}\n`),
  );
  const several = merged.cohorts.length > 1;
  const text =
    command.format === 'json'
      ? `${JSON.stringify({ summary: several ? { ...merged.total, cohorts: merged.cohorts } : { ...merged.total } })}\n`
      : command.format === 'csv'
        ? csvDocument(...headerAndRows(cohortRows(merged.cohorts, merged.total)))
        : several
          ? formatCohorts(merged.cohorts, merged.total)
          : formatSummary(merged.total);
  const sink = command.output ? fileSink(command.output, false) : stdoutSink(io.stdout);
  try {
    sink.write(text);
  } finally {
    sink.close();
  }
  const files = command.files.length;
  io.stderr.write(
    `Counted ${merged.counted.toLocaleString('en')} domains from ${files} file${files === 1 ? '' : 's'}` +
      (merged.repeated > 0
        ? `; ${merged.repeated.toLocaleString('en')} met again (overlapping files or a shard run twice) counted once.\n`
        : '.\n'),
  );
  return 0;
}

function headerAndRows(rows: string[][]): [string[], string[][]] {
  const [header = [], ...rest] = rows;
  return [header, rest];
}
