import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { summarise } from '../core/summary';
import type { DomainVerdict } from '../core/verdict';
import { DohClient, type FetchLike } from '../dns/doh-client';
import { createNodeFetch } from '../dns/node-fetch';
import { FederationLookup } from '../dns/lookup';
import { HELP, parseCommandLine, type CheckCommand } from './args';
import { InputError, UsageError } from './errors';
import { formatCsv } from './format-csv';
import { formatJson } from './format-json';
import { formatSummary, formatTable } from './format-table';
import { readEntries } from './input';
import { ProgressBar } from './progress';

/** The streams and settings the CLI touches, injected so tests run it in-process. */
export interface CliIo {
  stdin: Readable;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
  /** Aborts the run (Ctrl-C). */
  signal?: AbortSignal;
  /** HTTP for the resolvers; `createNodeFetch()` by default. */
  fetch?: FetchLike;
}

/** The installed package's version, found by walking up from this file (src/ in tests, build/src/ when compiled). */
function packageVersion(): string {
  let dir = __dirname;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'who-can-federate' && pkg.version) return pkg.version;
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

async function check(command: CheckCommand, io: CliIo): Promise<number> {
  const input = await readEntries(command.inputs, io.stdin);
  for (const bad of input.invalid) {
    io.stderr.write(`${bad.file}:${bad.line}: skipped "${bad.input}": ${bad.reason}\n`);
  }
  if (input.entries === 0) io.stderr.write('No usable address or domain in the input.\n');

  const client = new DohClient({
    endpoints: command.endpoints,
    timeoutMs: command.timeoutMs,
    fetch: io.fetch ?? createNodeFetch({ maxSockets: command.concurrency }),
  });
  const lookup = new FederationLookup({ client, probes: command.probes, concurrency: command.concurrency });
  const bar = !command.quiet && io.stderr.isTTY ? new ProgressBar(io.stderr) : undefined;
  let verdicts;
  try {
    verdicts = await lookup.checkDomains(input.domains, {
      signal: io.signal,
      onProgress: bar ? (progress) => bar.update(progress) : undefined,
    });
  } finally {
    bar?.clear();
  }
  reportFailures(verdicts, io);
  const summary = summarise(verdicts);
  if (command.format === 'json') {
    io.stdout.write(formatJson(verdicts, input.invalid, summary));
  } else if (command.format === 'csv') {
    io.stdout.write(formatCsv(verdicts, command.probes));
    if (command.summary) io.stderr.write(formatSummary(summary));
  } else {
    io.stdout.write(formatTable(verdicts));
    if (command.summary) io.stdout.write(`\n${formatSummary(summary)}`);
  }
  return 0;
}

/** Says on stderr how many lookups failed and why, since those domains show as "unknown", not "no". */
function reportFailures(verdicts: readonly DomainVerdict[], io: CliIo): void {
  let asked = 0;
  const failures: string[] = [];
  for (const verdict of verdicts) {
    for (const record of Object.values(verdict.records)) {
      asked += 1;
      if (record.status === 'error') failures.push(record.error ?? 'unknown failure');
    }
  }
  if (failures.length === 0) return;
  const reasons = [...new Set(failures)]
    .slice(0, 3)
    .map((reason) => `  - ${reason}\n`)
    .join('');
  io.stderr.write(
    `who-can-federate: ${failures.length} of ${asked} lookups failed; their domains show as "unknown" (not "no"):\n${reasons}`,
  );
}

/** Runs the command line; resolves with the exit status (0 done, 1 unreadable input, 2 usage error). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseCommandLine(argv, io.env, io.stdout.isTTY === true);
    if (command.command === 'help') {
      io.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (command.command === 'version') {
      io.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (command.inputs.includes('-') && (io.stdin as { isTTY?: boolean }).isTTY) {
      throw new UsageError(
        'no input: give a FILE, or pipe a list of addresses or domains into standard input',
      );
    }
    return await check(command, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`who-can-federate: ${error.message}\nRun "who-can-federate --help" for usage.\n`);
      return error.exitCode;
    }
    if (error instanceof InputError) {
      io.stderr.write(`who-can-federate: ${error.message}\n`);
      return error.exitCode;
    }
    if (io.signal?.aborted) {
      io.stderr.write('who-can-federate: interrupted; no results were written.\n');
      return 130;
    }
    throw error;
  }
}

/** Entry point of the `who-can-federate` binary. */
export function run(): void {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `who-can-federate: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
