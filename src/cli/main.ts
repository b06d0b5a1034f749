import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { DomainVerdict } from '../core/verdict';
import { systemClock } from '../async/clock';
import { DohClient, type FetchLike } from '../dns/doh-client';
import { createNodeFetch } from '../dns/node-fetch';
import { failureKind } from '../dns/errors';
import { EntraDiscovery } from '../entra/discovery-client';
import { FederationLookup } from '../engine/federation-lookup';
import type { DnsQuerier } from '../dns/querier';
import { UdpDnsClient } from '../dns/udp-client';
import { HELP, parseCommandLine, type CheckCommand } from './args';
import { InputError, UsageError } from './errors';
import { csvCells, csvHeader, csvStart, formatCsv } from './format-csv';
import { csvRow } from '../core/csv';
import { formatJson } from './format-json';
import { formatCohorts, formatSummary, formatTable } from './format-table';
import { fileSink, resumeResults, stdoutSink } from './results-file';
import { shardOf } from './shard';
import { RunTally } from './tally';
import { countingMatrix } from '../core/count-matrix';
import { InputReader } from './input';
import { runSummary } from './summary-command';
import type { NormalisedDomain } from '../core/address';
import { RecordCache } from '../dns/record-cache';
import { ProgressBar } from './progress';
import { AddressPolicy } from '../live/address-policy';
import { LiveChecker } from '../live/live-checker';
import { pendingFile, pendingFilePath } from './pending-file';
import { failureHints } from './failure-hints';
import { byDomainName, type ReportedDomain } from '../core/report';
import { ShareQueue, type ShareFetch } from '../share/share-queue';

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
  /** HTTP for `--share`; Node's global fetch by default. */
  shareFetch?: ShareFetch;
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

/** Past this many domains, one JSON document is the wrong shape: say that ndjson streams. */
const LARGE_JSON_RUN = 100_000;

/** Lines skipped are each said on stderr up to this many; past it, only counted at the end. */
const MOST_INVALID_SAID = 100;

/** Domains under way at once per question in flight: enough that the answer queue never runs dry. */
const WINDOW_PER_QUESTION = 8;

async function check(command: CheckCommand, io: CliIo): Promise<number> {
  const inputs = [
    ...command.inputs.map((file) => ({ file, cohort: file === '-' ? '<stdin>' : basename(file) })),
    ...command.cohorts.map(({ name, file }) => ({ file, cohort: name })),
  ];
  const input = new InputReader(inputs, io.stdin, (bad) => {
    if (input.invalidCount <= MOST_INVALID_SAID)
      io.stderr.write(`${bad.file}:${bad.line}: skipped "${bad.input}": ${bad.reason}\n`);
  });
  const { shard } = command;
  await input.prepare(shard ? (domain) => shardOf(domain, shard.count) === shard.index : undefined);

  const { format, probes } = command;
  // ndjson and csv are written a line as each domain is answered; after --live, at the end.
  const streaming = (format === 'ndjson' || format === 'csv') && !command.live;
  const headerLine = csvRow(csvHeader(probes, false)).replace(/\r\n$/, '');
  // The summary counts the whole file: what an interrupted run wrote, then this run's.
  const tally = new RunTally(
    input.cohortNames,
    (domain) => input.cohortsOf(domain),
    command.share !== undefined,
  );
  const resumed =
    command.resume && command.output && (format === 'ndjson' || format === 'csv')
      ? resumeResults(command.output, format, headerLine, (verdict) => tally.add(verdict))
      : undefined;
  if (resumed && resumed.done.size > 0) {
    io.stderr.write(
      `Resuming ${command.output}: ${resumed.done.size} domains already there are not asked again.\n`,
    );
  }
  const done = resumed && resumed.done.size > 0 ? resumed.done : undefined;
  async function* domains(): AsyncGenerator<NormalisedDomain> {
    for await (const domain of input.domains()) {
      if (done?.has(domain.domain)) continue;
      if (shard && shardOf(domain.domain, shard.count) !== shard.index) continue;
      yield domain;
    }
  }
  const sayLargeJson = (): void => {
    io.stderr.write(
      `Note: more than ${LARGE_JSON_RUN.toLocaleString('en')} domains: --format ndjson streams them a line at a time (and --output FILE --resume picks up after an interruption); json holds them all until the end.\n`,
    );
  };
  let largeJsonSaid = false;
  if (format === 'json' && (input.total ?? 0) > LARGE_JSON_RUN) {
    sayLargeJson();
    largeJsonSaid = true;
  }

  const client: DnsQuerier = command.dnsServers
    ? new UdpDnsClient({ servers: command.dnsServers, timeoutMs: command.timeoutMs })
    : new DohClient({
        endpoints: command.endpoints,
        timeoutMs: command.timeoutMs,
        fetch: io.fetch ?? createNodeFetch({ maxSockets: command.concurrency }),
      });
  const lookup = new FederationLookup({
    client,
    probes,
    profile: command.profile,
    concurrency: command.concurrency,
    ratePerSecond: command.rate,
    cache: new RecordCache({ maxEntries: command.cacheSize }),
    entra: command.entraUrl ? new EntraDiscovery({ baseUrl: command.entraUrl }) : undefined,
    fromCloud: command.fromCloud,
  });
  const sink = command.output ? fileSink(command.output, command.resume) : stdoutSink(io.stdout);
  try {
    if (streaming && format === 'csv' && !(resumed && !resumed.empty)) sink.write(csvStart(probes, false));
    // With several cohorts, each verdict says which listed its domain: shards then merge right
    // (`who-can-federate summary`), and a resumed run counts what it reads back by it.
    const several = input.cohortNames.length > 1;
    const counted = (verdict: DomainVerdict): DomainVerdict => {
      const shown = command.countMatrix ? countingMatrix(verdict) : verdict;
      if (!several) return shown;
      const bits = input.cohortsOf(verdict.domain);
      return { ...shown, cohorts: input.cohortNames.filter((_, i) => (bits & (2 ** i)) !== 0) };
    };
    const emit = (found: DomainVerdict): void => {
      const verdict = counted(found);
      tally.add(verdict);
      sink.write(
        format === 'ndjson' ? `${JSON.stringify(verdict)}\n` : csvRow(csvCells(verdict, probes, false)),
      );
    };
    const bar = !command.quiet && io.stderr.isTTY ? new ProgressBar(io.stderr) : undefined;
    let verdicts: DomainVerdict[];
    try {
      verdicts = await lookup.checkDomains(domains(), {
        signal: io.signal,
        onProgress: bar ? (progress) => bar.update(progress) : undefined,
        onVerdict: streaming ? emit : undefined,
        keep: !streaming,
        window: command.concurrency * WINDOW_PER_QUESTION,
        total: input.total === undefined ? undefined : Math.max(0, input.total - (done?.size ?? 0)),
      });
    } finally {
      bar?.clear();
    }
    if (!streaming) {
      if (command.live) verdicts = await liveCheck(command, client, verdicts, io);
      verdicts = verdicts.map(counted);
      for (const verdict of verdicts) tally.add(verdict);
      if (format === 'json' && verdicts.length > LARGE_JSON_RUN && !largeJsonSaid) sayLargeJson();
      if (format === 'json') sink.write(formatJson(verdicts, input.invalid, tally.summary()));
      else if (format === 'csv') sink.write(formatCsv(verdicts, probes));
      else if (format === 'ndjson')
        for (const verdict of verdicts) sink.write(`${JSON.stringify(verdict)}\n`);
      else sink.write(formatTable(verdicts));
    }
    if (format === 'ndjson') sink.write(`${JSON.stringify({ summary: tally.summary() })}\n`);
    if (command.summary && format !== 'json' && format !== 'ndjson') {
      const table =
        tally.cohorts.length > 1 ? formatCohorts(tally.cohorts, tally.total) : formatSummary(tally.total);
      // The table goes beside a CSV (stderr), after a readable table (stdout).
      if (format === 'csv' || command.output) io.stderr.write(table);
      else sink.write(`\n${table}`);
    }
  } finally {
    sink.close();
    if (client instanceof UdpDnsClient) client.close();
  }
  if (input.invalidCount > MOST_INVALID_SAID) {
    io.stderr.write(
      `${input.invalidCount} lines skipped in all (the first ${MOST_INVALID_SAID} are listed above).\n`,
    );
  }
  if (input.entries === 0) io.stderr.write('No usable address or domain in the input.\n');
  const nothingAnswered = reportFailures(tally, io);
  if (command.share) await share(command.share, tally.reported, io);
  if (nothingAnswered) {
    // A script must be able to tell a resolver it cannot reach from a run that found nothing.
    io.stderr.write(
      `who-can-federate: no lookup succeeded: check the network and the ${command.dnsServers ? '--dns' : '--doh'} resolvers.\n`,
    );
    return 3;
  }
  return 0;
}

/** `--live`: contacts the servers behind the records found, under the address policy. */
async function liveCheck(
  command: CheckCommand,
  client: DnsQuerier,
  verdicts: DomainVerdict[],
  io: CliIo,
): Promise<DomainVerdict[]> {
  if (command.livePolicy.allowPrivate) {
    io.stderr.write(
      'Warning: live checks may contact loopback and private addresses (--live-allow-private / WCF_LIVE_ALLOW_PRIVATE).\n',
    );
  }
  const checker = new LiveChecker({
    resolver: client,
    policy: new AddressPolicy(command.livePolicy),
    concurrency: Math.min(16, command.concurrency),
    matrix: true,
  });
  const servers =
    !command.quiet && io.stderr.isTTY ? new ProgressBar(io.stderr, Date.now, 100, 'servers') : undefined;
  try {
    return await checker.check(verdicts, {
      signal: io.signal,
      onProgress: servers
        ? (p) =>
            servers.update({
              domainsDone: p.done,
              domainsTotal: p.total,
              questionsDone: p.done,
              questionsTotal: p.total,
            })
        : undefined,
    });
  } finally {
    servers?.clear();
  }
}

/**
 * `--share`: after the results are written (so sharing never holds them up), sends the domains
 * found with records after a random delay, with whatever earlier runs could not send. A failure
 * is said on stderr and keeps the domains for the next run; it never changes the exit status.
 */
async function share(
  options: NonNullable<CheckCommand['share']>,
  reported: readonly ReportedDomain[],
  io: CliIo,
): Promise<void> {
  const file = pendingFilePath(io.env);
  const queue = new ShareQueue({
    collectorUrl: options.collectorUrl,
    fetch: io.shareFetch ?? ((url, init) => fetch(url, init)),
    store: options.previewOnly
      ? { read: () => undefined, write: () => undefined, remove: () => undefined }
      : pendingFile(file),
    delay: options.delay,
    // The CLI waits for its one send itself; nothing is left scheduled when it exits.
    timers: { set: () => undefined, clear: () => undefined },
  });
  const found = [...reported].sort(byDomainName);
  if (options.previewOnly) {
    const bodies = queue.previewBodies(found);
    io.stderr.write(
      bodies.length === 0
        ? 'Nothing would be shared: no domain has a federation record (consumer providers are never shared).\n'
        : `--share would POST ${bodies.length === 1 ? 'this body' : `these ${bodies.length} bodies`} to ${options.collectorUrl}/v1/reports (nothing else; no cookies, no credentials):\n${bodies.join('\n')}\n`,
    );
    return;
  }
  queue.add(found);
  const count = queue.pending().length;
  if (count === 0) {
    io.stderr.write(
      'Nothing to share: no domain has a federation record (consumer providers are never shared).\n',
    );
    return;
  }
  io.stderr.write(
    `Sharing ${count} domain${count === 1 ? '' : 's'} anonymously with ${options.collectorUrl} (domain and record names only)…\n`,
  );
  let state;
  try {
    await systemClock.sleep(queue.nextDelayMs(), io.signal);
    state = await queue.sendNow(io.signal);
  } catch (error) {
    if (!io.signal?.aborted) throw error;
    io.stderr.write(
      `Sharing interrupted; the domains are kept in ${file} and sent with your next --share run.\n`,
    );
    return;
  }
  if (io.signal?.aborted) {
    io.stderr.write(`Sharing interrupted; what was not sent is kept in ${file}.\n`);
    return;
  }
  if (state.kind === 'sent') {
    io.stderr.write(`Shared ${state.domains} domain${state.domains === 1 ? '' : 's'}. Thank you.\n`);
  } else if (state.kind === 'failed') {
    const kept = queue.pending().length;
    io.stderr.write(
      `Could not share: ${state.message}.${kept > 0 ? ` ${kept} domain${kept === 1 ? ' is' : 's are'} kept in ${file} and sent with your next --share run.` : ''}\n`,
    );
  }
}

/**
 * Says on stderr how many lookups failed, why, and what to do, since those domains show as
 * "unknown", not "no"; returns whether every single lookup failed.
 */
function reportFailures(tally: RunTally, io: CliIo): boolean {
  if (tally.failed === 0) return false;
  // The reason that explains the rest (every resolver unreachable) first.
  const distinct = [...tally.reasons].sort(
    (a, b) => Number(failureKind(b) === 'blocked') - Number(failureKind(a) === 'blocked'),
  );
  const reasons = distinct
    .slice(0, 3)
    .map((reason) => `  - ${reason}\n`)
    .join('');
  const hints = failureHints(distinct)
    .map((hint) => `  → ${hint}\n`)
    .join('');
  io.stderr.write(
    `who-can-federate: ${tally.failed} of ${tally.asked} lookups failed; their domains show as "unknown" (not "no"):\n${reasons}${hints}`,
  );
  return tally.failed === tally.asked;
}

/** Runs the command line; resolves with the exit status (0 done, 1 unreadable input, 2 usage error, 3 no lookup succeeded). */
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
    if (command.command === 'summary') return await runSummary(command, io);
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
