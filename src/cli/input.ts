import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseEntry, type NormalisedDomain } from '../core/address';
import { DomainSet } from '../core/domain-set';
import { InputError, UsageError } from './errors';

/** A line that could not be used, with where it was and why, so the list can be fixed. */
export interface InvalidLine {
  file: string;
  line: number;
  input: string;
  reason: string;
}

/** One input and the cohort its rows count under in the summary; `-` is standard input. */
export interface NamedInput {
  file: string;
  cohort: string;
}

/** A cohort's membership is one bit of a 32-bit word per domain (see {@link DomainSet}). */
const MOST_COHORTS = 32;

/** Lines kept for the JSON document's `invalid` list; past this they are only counted. */
const MOST_INVALID_KEPT = 10_000;

function cannotRead(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOENT'
      ? 'no such file: check the path'
      : code === 'EISDIR'
        ? 'it is a folder, not a file'
        : code === 'EACCES'
          ? 'permission denied'
          : (error as Error).message;
  return new InputError(`cannot read ${file}: ${hint}`);
}

/** The lines of a stream, numbered from 1, a byte-order mark dropped; `\n`, `\r\n` and `\r` all end a line. */
async function* numberedLines(stream: Readable): AsyncGenerator<{ number: number; text: string }> {
  let number = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    number += 1;
    yield { number, text: number === 1 ? text.replace(/^\uFEFF/, '') : text };
  }
}

/**
 * The entries of the inputs, read as streams so that a list of millions of domains is never held
 * whole. With several inputs (cohorts), a first pass records which cohorts list each domain in a
 * compact set; a second pass yields the domains. Files are read twice for that; standard input,
 * which cannot be, is then kept in memory (alone, it is read once).
 */
export class InputReader {
  /** Usable lines read so far (duplicates included). */
  entries = 0;
  /** Lines skipped so far, and the first {@link MOST_INVALID_KEPT} of them. */
  invalidCount = 0;
  readonly invalid: InvalidLine[] = [];
  /**
   * Distinct domains in all inputs (those `counted`, e.g. of one shard), once {@link prepare} has
   * counted them; undefined for standard input alone.
   */
  total: number | undefined;
  readonly cohortNames: string[];
  private membership: DomainSet | undefined;
  private stdinText: string | undefined;

  constructor(
    private readonly inputs: readonly NamedInput[],
    private readonly stdin: Readable,
    /** Told of every line skipped, as it is read. */
    private readonly onInvalid: (line: InvalidLine) => void = () => undefined,
  ) {
    this.cohortNames = [...new Set(inputs.map((input) => input.cohort))];
    if (this.cohortNames.length > MOST_COHORTS) {
      throw new UsageError(`at most ${MOST_COHORTS} cohorts in one run, not ${this.cohortNames.length}`);
    }
  }

  /**
   * The first pass, unless the only input is standard input: counts the distinct domains (for the
   * progress bar's ETA) and, with several cohorts, notes which cohorts list each one. Throws
   * {@link InputError} naming a file that cannot be read, before anything is asked.
   */
  async prepare(counted: (domain: string) => boolean = () => true): Promise<void> {
    if (this.inputs.length === 1 && this.inputs[0]?.file === '-') return;
    const seen = new DomainSet();
    const several = this.cohortNames.length > 1;
    let total = 0;
    for (const input of this.inputs) {
      const bit = 2 ** this.cohortNames.indexOf(input.cohort);
      for await (const { text } of this.lines(input.file, true)) {
        const entry = text.trim();
        if (entry === '' || entry.startsWith('#')) continue;
        const parsed = parseEntry(entry);
        if (!parsed.ok) continue;
        const before = seen.size;
        seen.addBits(parsed.domain, several ? bit : 1);
        if (seen.size > before && counted(parsed.domain)) total += 1;
      }
    }
    this.total = total;
    if (several) this.membership = seen;
  }

  /** Bit i is set when cohort i (of {@link cohortNames}) lists the domain. */
  cohortsOf(domain: string): number {
    return this.membership ? (this.membership.get(domain) ?? 0) : 1;
  }

  /** Every usable entry's domain, in input order (duplicates kept: the lookup asks each once). */
  async *domains(): AsyncGenerator<NormalisedDomain> {
    for (const input of this.inputs) {
      const file = input.file === '-' ? '<stdin>' : input.file;
      for await (const { number, text } of this.lines(input.file, false)) {
        const entry = text.trim();
        if (entry === '' || entry.startsWith('#')) continue;
        const parsed = parseEntry(entry);
        if (parsed.ok) {
          this.entries += 1;
          yield { domain: parsed.domain, displayDomain: parsed.displayDomain };
        } else {
          const bad = { file, line: number, input: entry, reason: parsed.reason };
          this.invalidCount += 1;
          if (this.invalid.length < MOST_INVALID_KEPT) this.invalid.push(bad);
          this.onInvalid(bad);
        }
      }
    }
  }

  private async *lines(file: string, firstPass: boolean): AsyncGenerator<{ number: number; text: string }> {
    if (file === '-') {
      const keepText = firstPass || this.stdinText !== undefined;
      if (!keepText) {
        yield* numberedLines(this.stdin);
        return;
      }
      if (this.stdinText === undefined) {
        const chunks: Buffer[] = [];
        for await (const chunk of this.stdin)
          chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
        this.stdinText = Buffer.concat(chunks).toString('utf8');
      }
      let number = 0;
      for (const text of this.stdinText.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)) {
        number += 1;
        yield { number, text };
      }
      return;
    }
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      throw cannotRead(file, error);
    }
    const stream = handle.createReadStream({ encoding: 'utf8', highWaterMark: 1 << 16 });
    try {
      yield* numberedLines(stream);
    } catch (error) {
      throw cannotRead(file, error);
    } finally {
      stream.destroy();
      await handle.close().catch(() => undefined);
    }
  }
}
