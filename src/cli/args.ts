import { httpUrl, msRange, onOff, SettingError, urlList, type MsRange } from '../settings/values';
import { parseArgs } from 'node:util';
import { CLOUDS, parseCloud, type Cloud } from '../core/cloud';
import { selectProbes, UnknownProbeError, type Probe, PROBES } from '../core/probes';
import { DEFAULT_ENTRA_URL } from '../entra/discovery-client';
import { PROFILES, type Profile } from '../core/question-plan';
import { DEFAULT_CONCURRENCY } from '../engine/federation-lookup';
import { PUBLIC_DOH_ENDPOINTS } from '../dns/doh-client';
import { LivePortsError, parseLivePorts, type AddressPolicyOptions } from '../live/address-policy';
import { parseDnsServer, type DnsServer } from '../dns/udp-client';
import { UsageError } from './errors';
import {
  CHECK_FLAGS,
  SUMMARY_FLAGS,
  DEFAULT_CLI_CACHE_ENTRIES,
  optionsHelp,
  parseArgsOptions,
  type Flag,
  type FlagValues,
} from './flags';

export type OutputFormat = 'table' | 'csv' | 'json' | 'ndjson';

export interface CheckCommand {
  command: 'check';
  inputs: string[];
  endpoints: string[];
  /** At most this many questions a second (`--rate`). */
  rate?: number;
  /** Classic DNS resolvers to ask over UDP (TCP on truncation) instead of DoH (`--dns`). */
  dnsServers?: DnsServer[];
  format: OutputFormat;
  summary: boolean;
  concurrency: number;
  timeoutMs: number;
  probes: Probe[];
  /** `--profile`: `quick` asks only what decides each answer; `standard` (default) every record. */
  profile: Profile;
  /** At most this many answers kept in the record cache (`--cache-size`). */
  cacheSize: number;
  /** `--count matrix`: Matrix federation counts in `canFederate`. */
  countMatrix: boolean;
  quiet: boolean;
  /** Contact the servers behind the records found (`--live`). */
  live: boolean;
  /** Where `--live` may connect: `--live-allow-private`, `--live-ports` (or their environment variables). */
  livePolicy: AddressPolicyOptions;
  /** Write the results here instead of standard output (`--output`). */
  output?: string;
  /** Skip the domains already in `output` and append to it (`--resume`). */
  resume: boolean;
  /** Keep only the domains of shard `index` of `count` (`--shard I/N`, I from 1). */
  shard?: { index: number; count: number };
  /** Named inputs (`--cohort NAME=FILE`); plain inputs are cohorts named by their file. */
  cohorts: { name: string; file: string }[];
  /** `--share`: where to, whether only to preview, and the random wait before sending (`WCF_SHARE_DELAY_MS`). */
  share?: { collectorUrl: string; previewOnly: boolean; delay: MsRange };
  /** Entra ID discovery's base URL (`--entra-url`, `WCF_ENTRA_URL`); undefined with `--no-entra`. */
  entraUrl?: string;
  /** The checking user's cloud (`--from-cloud`, `WCF_FROM_CLOUD`): a tenant in another is not "likely via Teams". */
  fromCloud: Cloud;
}

/** `who-can-federate summary FILE...`: the research table of results files written by `check`. */
export interface SummaryCommand {
  command: 'summary';
  files: string[];
  format: 'table' | 'csv' | 'json';
  output?: string;
}

export type Command = CheckCommand | SummaryCommand | { command: 'help' } | { command: 'version' };

export const HELP = `Usage: who-can-federate check [FILE|-]... [options]

Checks which domains can federate over Lync / Skype for Business / Teams (SIP) or XMPP,
from their DNS SRV records, asked over DNS-over-HTTPS.

Input: one entry a line (an email address, "Name <address>", or a bare domain);
blank lines and lines starting with # are skipped. Reads standard input when no
FILE is given or FILE is "-".

Options:
${optionsHelp(CHECK_FLAGS)}

Exit status: 0 when the run completed (failed lookups show as "error"/"unknown"),
1 when an input cannot be read, 2 for a usage error, 3 when not a single lookup
succeeded (the resolvers could not be reached).

Usage: who-can-federate summary FILE... [options]

Prints the research table of results files written by check (--format ndjson, or
json): the shards of one study (--shard I/N), merged as one unsharded run would
count them, by cohort. A domain in two files counts once; a line cut off by an
interrupted run is said on stderr and skipped.

Options:
${optionsHelp(SUMMARY_FLAGS)}

Exit status: 0 when every file was read, 1 when one cannot be read (or is not
results of check), 2 for a usage error.`;

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new UsageError(`${flag} takes a whole number of 1 or more, not "${value}"`);
  }
  return number;
}

function countOf(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (value.trim().toLowerCase() === 'matrix') return true;
  throw new UsageError(`--count takes "matrix" (count Matrix federation in "can federate"), not "${value}"`);
}

function profileOf(value: string | undefined): Profile {
  if (value === undefined) return 'standard';
  const profile = PROFILES.find((p) => p === value.trim().toLowerCase());
  if (!profile) throw new UsageError(`--profile takes ${PROFILES.join(' or ')}, not "${value}"`);
  return profile;
}

/** `--share`'s random wait before sending, unless `WCF_SHARE_DELAY_MS` says otherwise: 1–5 s. */
const CLI_SHARE_DELAY: MsRange = { minMs: 1000, maxMs: 5000 };

/** An http(s) URL for a flag or variable, or a usage error naming it (and an example, where one helps). */
function validUrl(url: string, name: string, example?: string): string {
  return asUsage(() => httpUrl(name, url, example));
}

/** A setting's reader, its {@link SettingError} said as the CLI's {@link UsageError}. */
function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SettingError) throw new UsageError(error.message);
    throw error;
  }
}

/** Turns argv (without node and the script) into a command; throws {@link UsageError} on mistakes. */
export function parseCommandLine(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  stdoutIsTerminal: boolean,
): Command {
  // The command word first (options with values are known, so their values are not taken for it);
  // then each command's own options, strictly.
  const word = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: false,
    options: parseArgsOptions(CHECK_FLAGS),
  }).positionals[0];
  if (word === 'summary') return parseSummary(argv, stdoutIsTerminal);
  const { positionals, values } = parseStrictly(argv, CHECK_FLAGS);
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, ...inputs] = positionals;
  if (command === undefined) throw new UsageError('no command given: use "who-can-federate check FILE"');
  if (command !== 'check') {
    throw new UsageError(`unknown command "${command}": the commands are "check" and "summary"`);
  }

  const format = values.format ?? (stdoutIsTerminal ? 'table' : 'json');
  if (format !== 'table' && format !== 'csv' && format !== 'json' && format !== 'ndjson') {
    throw new UsageError(`--format must be table, csv, json or ndjson, not "${format}"`);
  }
  if (values.resume && values.output === undefined) {
    throw new UsageError('--resume needs --output FILE: the file to resume');
  }
  if (values.resume && format !== 'ndjson' && format !== 'csv') {
    throw new UsageError('--resume works with --format ndjson or csv (they are written a line at a time)');
  }
  const cohorts = (values.cohort ?? []).map((spec) => {
    const at = spec.indexOf('=');
    if (at <= 0 || at === spec.length - 1) {
      throw new UsageError(`--cohort takes NAME=FILE (e.g. "Fortune 500=f500.txt"), not "${spec}"`);
    }
    return { name: spec.slice(0, at).trim(), file: spec.slice(at + 1) };
  });
  const endpoints =
    values.doh && values.doh.length > 0
      ? values.doh.map((url) => validUrl(url, '--doh', 'https://cloudflare-dns.com/dns-query'))
      : asUsage(() => urlList('WCF_DOH_URLS', env.WCF_DOH_URLS, PUBLIC_DOH_ENDPOINTS));
  let dnsServers: DnsServer[] | undefined;
  if (values.dns && values.dns.length > 0) {
    if (values.doh && values.doh.length > 0) {
      throw new UsageError('--dns and --doh cannot be used together: choose one way to ask');
    }
    dnsServers = values.dns.map((spec) => {
      try {
        return parseDnsServer(spec);
      } catch (error) {
        throw new UsageError(`--dns: ${(error as Error).message}`);
      }
    });
  }
  let probes: Probe[] = [...PROBES];
  if (values.records !== undefined) {
    try {
      probes = selectProbes(values.records.split(','));
    } catch (error) {
      if (error instanceof UnknownProbeError) throw new UsageError(`--records: ${error.message}`);
      throw error;
    }
    if (probes.length === 0) throw new UsageError('--records names no record');
  }
  let share: CheckCommand['share'];
  if (values.share || values['share-preview']) {
    const collectorUrl = (values.collector ?? env.WCF_COLLECTOR_URL ?? '').trim();
    if (collectorUrl === '') {
      throw new UsageError(
        '--share needs the directory to share with: --collector URL, or set WCF_COLLECTOR_URL',
      );
    }
    validUrl(collectorUrl, '--collector');
    share = {
      collectorUrl,
      previewOnly: values['share-preview'] ?? false,
      delay: asUsage(() => msRange('WCF_SHARE_DELAY_MS', env.WCF_SHARE_DELAY_MS, CLI_SHARE_DELAY)),
    };
  } else if (values.collector !== undefined) {
    throw new UsageError('--collector is only used with --share or --share-preview');
  }
  const livePolicy = livePolicyOf(values['live-allow-private'] ?? false, values['live-ports'], env);
  if (!values.live && (values['live-allow-private'] || values['live-ports'] !== undefined)) {
    throw new UsageError('--live-allow-private and --live-ports are only used with --live');
  }
  if (values['no-entra'] && values['entra-url'] !== undefined) {
    throw new UsageError('--entra-url and --no-entra cannot be used together');
  }
  const entraUrl = values['no-entra']
    ? undefined
    : validUrl(
        values['entra-url'] ?? env.WCF_ENTRA_URL?.trim() ?? DEFAULT_ENTRA_URL,
        values['entra-url'] === undefined && env.WCF_ENTRA_URL ? 'WCF_ENTRA_URL' : '--entra-url',
      );
  const cloudText = values['from-cloud'] ?? env.WCF_FROM_CLOUD ?? 'commercial';
  const fromCloud = parseCloud(cloudText);
  if (!fromCloud) {
    throw new UsageError(
      `${values['from-cloud'] === undefined ? 'WCF_FROM_CLOUD' : '--from-cloud'} takes ${CLOUDS.join(', ')}, not "${cloudText}"`,
    );
  }
  return {
    command: 'check',
    entraUrl,
    fromCloud,
    share,
    livePolicy,
    inputs: inputs.length === 0 && cohorts.length === 0 ? ['-'] : inputs,
    cohorts,
    output: values.output,
    resume: values.resume ?? false,
    shard: values.shard === undefined ? undefined : parseShard(values.shard),
    endpoints,
    dnsServers,
    format,
    summary: values.summary ?? false,
    // A local resolver takes far more in flight than a public DoH service tolerates.
    concurrency: positiveInteger('--concurrency', values.concurrency, dnsServers ? 256 : DEFAULT_CONCURRENCY),
    timeoutMs: positiveInteger('--timeout', values.timeout, 4000),
    rate: values.rate === undefined ? undefined : positiveInteger('--rate', values.rate, 1),
    profile: profileOf(values.profile),
    countMatrix: countOf(values.count),
    cacheSize:
      values['cache-size'] === '0'
        ? 0
        : positiveInteger('--cache-size', values['cache-size'], DEFAULT_CLI_CACHE_ENTRIES),
    probes,
    quiet: values.quiet ?? false,
    live: values.live ?? false,
  };
}

/** Parses argv against one command's flag table, strictly: an unknown option is a usage error. */
function parseStrictly<F extends readonly Flag[]>(
  argv: readonly string[],
  flags: F,
): { positionals: string[]; values: FlagValues<F> } {
  try {
    const parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: parseArgsOptions(flags),
    });
    // The options were built from the table, so the values have its shapes (see FlagValues).
    return { positionals: parsed.positionals, values: parsed.values as FlagValues<F> };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** `summary FILE... [--format table|csv|json] [--output FILE]`. */
function parseSummary(argv: readonly string[], stdoutIsTerminal: boolean): Command {
  const parsed = parseStrictly(argv, SUMMARY_FLAGS);
  const { values } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const files = parsed.positionals.slice(1);
  if (files.length === 0) {
    throw new UsageError(
      'summary needs the results files to count (written by check --format ndjson --output FILE)',
    );
  }
  const format = values.format ?? (stdoutIsTerminal ? 'table' : 'json');
  if (format !== 'table' && format !== 'csv' && format !== 'json') {
    throw new UsageError(`summary --format must be table, csv or json, not "${format}"`);
  }
  return { command: 'summary', files, format, ...(values.output ? { output: values.output } : {}) };
}

/** `--shard I/N`: shard I (from 1) of N. */
function parseShard(spec: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard takes I/N with 1 ≤ I ≤ N (e.g. 2/8), not "${spec}"`);
  }
  return { index, count };
}

/** The live checks' address policy from the flags, else `WCF_LIVE_ALLOW_PRIVATE` and `WCF_LIVE_PORTS`. */
function livePolicyOf(
  allowPrivateFlag: boolean,
  portsFlag: string | undefined,
  env: Record<string, string | undefined>,
): AddressPolicyOptions {
  const ports = portsFlag ?? env.WCF_LIVE_PORTS;
  try {
    return {
      allowPrivate:
        allowPrivateFlag || asUsage(() => onOff('WCF_LIVE_ALLOW_PRIVATE', env.WCF_LIVE_ALLOW_PRIVATE, false)),
      ports: ports === undefined ? undefined : parseLivePorts(ports),
    };
  } catch (error) {
    if (error instanceof LivePortsError) {
      throw new UsageError(
        `${portsFlag === undefined ? 'WCF_LIVE_PORTS' : '--live-ports'}: ${error.message}`,
      );
    }
    throw error;
  }
}
