import type { ParseArgsConfig } from 'node:util';
import { CLOUDS } from '../core/cloud';
import { PROBES } from '../core/probes';
import { PROFILES } from '../core/question-plan';
import { PUBLIC_DOH_ENDPOINTS } from '../dns/doh-client';
import { DEFAULT_CONCURRENCY } from '../engine/federation-lookup';
import { DEFAULT_ENTRA_URL } from '../entra/discovery-client';

/**
 * One option of `who-can-federate check`: the one place it is written. The parser's options
 * (`parseArgs`), `--help`, and the test that the README's synopsis lists every flag all come from
 * {@link CHECK_FLAGS}, so they cannot drift apart.
 */
export interface Flag {
  name: string;
  short?: string;
  /** What the option takes, as the help names it (`URL`, `N`, `FILE`); a switch when absent. */
  value?: string;
  /** Can be given more than once. */
  multiple?: boolean;
  /** The environment variable it falls back to, where there is one (named in `help` too). */
  env?: string;
  /** What it does and its default, in one paragraph: the help wraps it. */
  help: string;
}

/**
 * The CLI's record cache: one run asks each question once (duplicates are merged before asking),
 * so its cache only serves names asked again within the TTL; a small one keeps a run over millions
 * of domains in flat memory.
 */
export const DEFAULT_CLI_CACHE_ENTRIES = 10_000;

/** Every option of `check`, in the order `--help` lists them. */
export const CHECK_FLAGS = [
  {
    name: 'doh',
    value: 'URL',
    multiple: true,
    env: 'WCF_DOH_URLS',
    help: `DNS-over-HTTPS resolver (RFC 8484); repeat for failover. Default: $WCF_DOH_URLS (comma-separated), else ${PUBLIC_DOH_ENDPOINTS.join(', ')}`,
  },
  {
    name: 'dns',
    value: 'HOST[:PORT]',
    multiple: true,
    help: 'ask this classic DNS resolver over UDP (TCP when an answer is truncated) instead of DNS-over-HTTPS: a local Unbound answers many thousands of questions a second; repeat for failover. Concurrency defaults to 256 with it',
  },
  {
    name: 'format',
    value: 'FORMAT',
    help: 'table | csv | json | ndjson (default: table on a terminal, json otherwise). ndjson and csv stream: a line as each domain is answered (ndjson ends with a {"summary": ...} line); use them for large lists',
  },
  { name: 'output', value: 'FILE', help: 'write the results to FILE instead of standard output' },
  {
    name: 'resume',
    help: 'with --output (ndjson or csv): skip the domains FILE already has, and append the rest; for a run that was interrupted',
  },
  {
    name: 'shard',
    value: 'I/N',
    help: 'check only shard I of N (1 ≤ I ≤ N), chosen by a hash of the domain: N machines split one list, no coordination needed',
  },
  {
    name: 'summary',
    help: 'add the research table (Lync, XMPP, both, Microsoft 365 vs on-premises, tenants by cloud); one row per input file (cohort) and a total',
  },
  {
    name: 'cohort',
    value: 'NAME=FILE',
    multiple: true,
    help: 'an input file whose rows are named NAME in the summary',
  },
  {
    name: 'concurrency',
    value: 'N',
    help: `questions in flight at once (default ${DEFAULT_CONCURRENCY})`,
  },
  { name: 'rate', value: 'N', help: 'at most N questions a second (for resolvers that limit clients)' },
  { name: 'timeout', value: 'MS', help: 'time limit per question, in milliseconds (default 4000)' },
  {
    name: 'records',
    value: 'LIST',
    help: `comma-separated records to ask (default: all): ${PROBES.map((p) => p.id).join(', ')}`,
  },
  {
    name: 'profile',
    value: 'NAME',
    help: `${PROFILES.join(' | ')}. quick: only what decides each answer (SIP federation and MX, then XMPP where still open, and Microsoft's sign-in service where the answer is "no" or "unknown"; 2-4 questions a domain); standard (default): every record, the Microsoft 365 evidence only where it can change an answer; thorough: every record of every domain, evidence included`,
  },
  {
    name: 'entra-url',
    value: 'URL',
    env: 'WCF_ENTRA_URL',
    help: `Microsoft's sign-in service, asked whether a domain whose DNS shows no Microsoft 365 (no SIP federation record, no Microsoft MX) is in a Microsoft 365 tenant all the same (mail behind another filter): GET URL/DOMAIN/v2.0/.well-known/openid-configuration, 8 at a time, once a domain. Default: $WCF_ENTRA_URL, else ${DEFAULT_ENTRA_URL}`,
  },
  { name: 'no-entra', help: 'do not ask the sign-in service: DNS evidence only' },
  {
    name: 'from-cloud',
    value: 'NAME',
    env: 'WCF_FROM_CLOUD',
    help: `your own Microsoft 365 cloud: ${CLOUDS.join(' | ')} (default: $WCF_FROM_CLOUD, else commercial). Teams reaches a tenant in another cloud only where both organisations publish a SIP federation record: such tenants without one answer "no"`,
  },
  {
    name: 'count',
    value: 'matrix',
    help: 'count Matrix federation in "can federate" (default: shown but not counted: Matrix is a network of its own, which Teams and XMPP users cannot reach through it)',
  },
  {
    name: 'cache-size',
    value: 'N',
    help: `answers kept in memory, the oldest dropped first (default ${DEFAULT_CLI_CACHE_ENTRIES.toLocaleString('en')}; 0 keeps none)`,
  },
  { name: 'quiet', help: 'no progress bar' },
  {
    name: 'live',
    help: "also contact the server behind every record found, to see whether it answers: a TLS handshake with SIP edges (and direct-TLS XMPP), the opening stream header with XMPP servers, and the Matrix delegation of each domain (https://DOMAIN/.well-known/matrix/server, a bounded GET with the certificate checked); nothing more is sent. Off by default, because it opens connections to other organisations' servers. Only public addresses on the services' own ports are contacted (SIP 5061, 443; XMPP 5222, 5223, 5269, 5270, 443); at most 10 servers per record and 20 per domain.",
  },
  {
    name: 'live-ports',
    value: 'LIST',
    env: 'WCF_LIVE_PORTS',
    help: 'other ports to allow, e.g. "sip=5061,443;xmpp=5222,5269" (default: $WCF_LIVE_PORTS, else the ports above)',
  },
  {
    name: 'live-allow-private',
    env: 'WCF_LIVE_ALLOW_PRIVATE',
    help: 'also contact loopback, private and other special-purpose addresses (also WCF_LIVE_ALLOW_PRIVATE=true): for tests and private networks only, never for domains you do not control.',
  },
  {
    name: 'share',
    help: 'after the results, share the domains found with federation records, anonymously, with the community directory: only domain names and record names are sent (never addresses, names or who you are); consumer mail providers never. Off unless given. What cannot be sent now is kept and sent with your next --share run.',
  },
  { name: 'share-preview', help: 'print exactly what --share would send, and send nothing' },
  {
    name: 'collector',
    value: 'URL',
    env: 'WCF_COLLECTOR_URL',
    help: 'the directory to share with (default: $WCF_COLLECTOR_URL)',
  },
  { name: 'help', short: 'h', help: 'this help' },
  { name: 'version', short: 'v', help: 'the version' },
] as const satisfies readonly Flag[];

/** Every option of `summary`, in the order `--help` lists them (each also an option of `check`). */
export const SUMMARY_FLAGS = [
  {
    name: 'format',
    value: 'FORMAT',
    help: 'table | csv | json (default: table on a terminal, json otherwise); json is {"summary": ...}, shaped as check\'s',
  },
  { name: 'output', value: 'FILE', help: 'write the table to FILE instead of standard output' },
  { name: 'help', short: 'h', help: 'this help' },
  { name: 'version', short: 'v', help: 'the version' },
] as const satisfies readonly Flag[];

/**
 * What `parseArgs` gives for a table of flags, typed from the table itself: a string (or strings,
 * for `multiple`) for an option that takes a value, a boolean for a switch.
 */
export type FlagValues<F extends readonly Flag[]> = {
  [K in F[number] as K['name']]?: K extends { value: string }
    ? K extends { multiple: true }
      ? string[]
      : string
    : boolean;
};

/** The options `parseArgs` takes, from the table: switches default to false. */
export function parseArgsOptions(flags: readonly Flag[]): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    flags.map((flag) => [
      flag.name,
      flag.value === undefined
        ? { type: 'boolean' as const, default: false, ...(flag.short ? { short: flag.short } : {}) }
        : {
            type: 'string' as const,
            ...(flag.multiple ? { multiple: true } : {}),
            ...(flag.short ? { short: flag.short } : {}),
          },
    ]),
  );
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The "Options:" lines of `--help`: each flag, its value, and its help wrapped beside it at 80 columns. */
export function optionsHelp(flags: readonly Flag[]): string {
  const column = 21;
  const width = 80 - column;
  return flags
    .map((flag) => {
      const name = `  ${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
      const [first = '', ...rest] = wrap(flag.help, width);
      const pad = ' '.repeat(column);
      const head = name.length < column ? `${name.padEnd(column)}${first}` : `${name}\n${pad}${first}`;
      return [head, ...rest.map((line) => `${pad}${line}`)].join('\n');
    })
    .join('\n');
}
