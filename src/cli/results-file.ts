import { closeSync, existsSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { DomainSet } from '../core/domain-set';
import type { DomainVerdict } from '../core/verdict';
import { InputError } from './errors';

/** Where results go: standard output, or a file written a line at a time (so an interruption keeps whole lines). */
export interface ResultsSink {
  write(text: string): void;
  close(): void;
}

export function stdoutSink(stdout: { write(text: string): unknown }): ResultsSink {
  return { write: (text) => void stdout.write(text), close: () => undefined };
}

/** A file opened for writing (or, resuming, appending); every write goes to the disk at once. */
export function fileSink(path: string, append: boolean): ResultsSink {
  let fd: number;
  try {
    fd = openSync(path, append ? 'a' : 'w');
  } catch (error) {
    throw new InputError(`cannot write ${path}: ${(error as Error).message}`);
  }
  return {
    write: (text) => {
      writeSync(fd, text);
    },
    close: () => closeSync(fd),
  };
}

/** The closing line of an ndjson run: `{"summary": …}`, with the cohorts in the run's order. */
export interface SummaryLine {
  cohorts?: { cohort?: unknown }[];
}

/**
 * What one parsed line of `check`'s ndjson is: a domain's verdict, the run's closing summary, or
 * something this tool did not write. The one reading of it, for resuming a file and for `summary`.
 */
export function resultLine(
  parsed: unknown,
):
  | { kind: 'verdict'; verdict: DomainVerdict }
  | { kind: 'summary'; summary: SummaryLine }
  | { kind: 'other' } {
  const entry = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<DomainVerdict> & {
    summary?: unknown;
  };
  if (typeof entry.domain === 'string' && typeof entry.records === 'object' && entry.records !== null) {
    return { kind: 'verdict', verdict: entry as DomainVerdict };
  }
  if (typeof entry.summary === 'object' && entry.summary !== null) {
    return { kind: 'summary', summary: entry.summary as SummaryLine };
  }
  return { kind: 'other' };
}

/** What an earlier, interrupted run left in its results file. */
export interface Resumed {
  /** Domains (ASCII) already answered: not asked again. Compact: a resumed run may have millions. */
  done: DomainSet;
  /** Whether the file holds nothing yet (a header is still to be written). */
  empty: boolean;
}

/** Read this much of a results file at a time: a file of millions of lines is never held whole. */
const CHUNK_BYTES = 1 << 20;

/**
 * Reads a results file to resume it: every complete line counts; a line cut off by the interruption
 * and an ndjson run's closing `{"summary": …}` line are cut from the file, so appending carries on
 * cleanly. A CSV whose header differs (other `--records`, or `--live`) is refused. The verdicts of an
 * ndjson file go to `onVerdict` as they are read (a CSV row cannot be read back into one).
 */
export function resumeResults(
  path: string,
  format: 'ndjson' | 'csv',
  csvHeaderLine: string,
  onVerdict: (verdict: DomainVerdict) => void = () => undefined,
): Resumed {
  if (!existsSync(path)) return { done: new DomainSet(), empty: true };
  const done = new DomainSet();
  let keep = 0; // bytes of the file that stay
  let lineNumber = 0;
  const takeLine = (line: string, endsAt: number): void => {
    lineNumber += 1;
    if (format === 'ndjson') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new InputError(`cannot resume ${path}: line ${lineNumber} is not JSON`);
      }
      const result = resultLine(parsed);
      if (result.kind === 'verdict') {
        done.add(result.verdict.domain);
        onVerdict(result.verdict);
        keep = endsAt;
      } else if (result.kind === 'other') {
        throw new InputError(`cannot resume ${path}: line ${lineNumber} is not a result of this tool`);
      }
    } else if (lineNumber === 1) {
      if (line.replace(/^\uFEFF/, '') !== csvHeaderLine) {
        throw new InputError(
          `cannot resume ${path}: its columns differ from this run's (other --records or --live?)`,
        );
      }
      keep = endsAt;
    } else {
      const domain = line.slice(0, line.indexOf(','));
      if (domain !== '') done.add(domain);
      keep = endsAt;
    }
  };
  const fd = openSync(path, 'r+');
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let carry = Buffer.alloc(0); // the start of a line that goes on in the next chunk
    let position = 0; // file offset of carry's first byte
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, position + carry.length);
      if (read === 0) break; // what is left in carry has no newline: a partial last line, dropped
      const buffer =
        carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let start = 0;
      for (let end = buffer.indexOf(10, start); end >= 0; end = buffer.indexOf(10, start)) {
        takeLine(buffer.toString('utf8', start, end).replace(/\r$/, ''), position + end + 1);
        start = end + 1;
      }
      position += start;
      carry = Buffer.from(buffer.subarray(start));
    }
    ftruncateSync(fd, keep);
  } finally {
    closeSync(fd);
  }
  return { done, empty: keep === 0 };
}
