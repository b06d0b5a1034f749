import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parseEntry, type NormalisedDomain } from '../core/address';
import { InputError } from './errors';

/** A line that could not be used, with where it was and why, so the list can be fixed. */
export interface InvalidLine {
  file: string;
  line: number;
  input: string;
  reason: string;
}

export interface ReadEntries {
  /** Every usable entry's domain, in input order (duplicates kept; the lookup asks each once). */
  domains: NormalisedDomain[];
  /** Each input's cohort name → the (ASCII) domains it lists: a domain in two inputs is in both. */
  cohorts: Map<string, Set<string>>;
  /** How many usable lines there were. */
  entries: number;
  invalid: InvalidLine[];
}

async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses the text of one input: one entry a line, `#` comments and blank lines skipped. */
export function parseLines(text: string, file: string, into: ReadEntries, cohort = file): void {
  let members = into.cohorts.get(cohort);
  if (!members) into.cohorts.set(cohort, (members = new Set()));
  const cohortDomains = members;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const input = raw.trim();
    if (input === '' || input.startsWith('#')) return;
    const parsed = parseEntry(input);
    if (parsed.ok) {
      into.domains.push({ domain: parsed.domain, displayDomain: parsed.displayDomain });
      cohortDomains.add(parsed.domain);
      into.entries += 1;
    } else {
      into.invalid.push({ file, line: index + 1, input, reason: parsed.reason });
    }
  });
}

/** One input and the cohort its rows count under in the summary. */
export interface NamedInput {
  file: string;
  cohort: string;
}

/** Reads every input (`-` is standard input); throws {@link InputError} naming the file that cannot be read. */
export async function readEntries(
  inputs: readonly (string | NamedInput)[],
  stdin: Readable,
): Promise<ReadEntries> {
  const result: ReadEntries = { domains: [], entries: 0, invalid: [], cohorts: new Map() };
  for (const named of inputs) {
    const input = typeof named === 'string' ? named : named.file;
    let text: string;
    if (input === '-') {
      text = await readStream(stdin);
    } else {
      try {
        text = await readFile(input, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const hint =
          code === 'ENOENT'
            ? 'no such file: check the path'
            : code === 'EISDIR'
              ? 'it is a folder, not a file'
              : code === 'EACCES'
                ? 'permission denied'
                : (error as Error).message;
        throw new InputError(`cannot read ${input}: ${hint}`);
      }
    }
    const file = input === '-' ? '<stdin>' : input;
    parseLines(text, file, result, typeof named === 'string' ? file : named.cohort);
  }
  return result;
}
