import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
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

/** What an earlier, interrupted run left in its results file. */
export interface Resumed {
  /** Domains (ASCII) already answered: not asked again. */
  done: Set<string>;
  /** Their verdicts, from an ndjson file (a CSV row cannot be read back into one). */
  verdicts: DomainVerdict[];
  /** Whether the file holds nothing yet (a header is still to be written). */
  empty: boolean;
}

/**
 * Reads a results file to resume it: every complete line counts; a line cut off by the interruption
 * and an ndjson run's closing `{"summary": …}` line are cut from the file, so appending carries on
 * cleanly. A CSV whose header differs (other `--records`, or `--live`) is refused.
 */
export function resumeResults(path: string, format: 'ndjson' | 'csv', csvHeaderLine: string): Resumed {
  if (!existsSync(path)) return { done: new Set(), verdicts: [], empty: true };
  const text = readFileSync(path, 'utf8');
  const done = new Set<string>();
  const verdicts: DomainVerdict[] = [];
  let keep = 0; // bytes of the file that stay
  let offset = 0;
  let lineNumber = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    if (end < 0) break; // a partial last line: dropped
    const line = text.slice(offset, end).replace(/\r$/, '');
    lineNumber += 1;
    if (format === 'ndjson') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new InputError(`cannot resume ${path}: line ${lineNumber} is not JSON`);
      }
      const verdict = parsed as Partial<DomainVerdict> & { summary?: unknown };
      if (typeof verdict.domain === 'string' && verdict.records) {
        done.add(verdict.domain);
        verdicts.push(verdict as DomainVerdict);
        keep = Buffer.byteLength(text.slice(0, end + 1));
      } else if (verdict.summary === undefined) {
        throw new InputError(`cannot resume ${path}: line ${lineNumber} is not a result of this tool`);
      }
    } else if (lineNumber === 1) {
      if (line.replace(/^\uFEFF/, '') !== csvHeaderLine) {
        throw new InputError(
          `cannot resume ${path}: its columns differ from this run's (other --records or --live?)`,
        );
      }
      keep = Buffer.byteLength(text.slice(0, end + 1));
    } else {
      const domain = line.slice(0, line.indexOf(','));
      if (domain !== '') done.add(domain);
      keep = Buffer.byteLength(text.slice(0, end + 1));
    }
    offset = end + 1;
  }
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, keep);
  } finally {
    closeSync(fd);
  }
  return { done, verdicts, empty: keep === 0 };
}
