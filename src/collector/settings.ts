/**
 * Every setting of the collector, once: its environment variable, default, bounds and help. The
 * environment reader (`config.ts`), the app's defaults and the settings table in docs/collector.md
 * (written by `npm run docs:settings`, checked by a test) all come from here. Imports nothing, so
 * reading a default does not load the app.
 */

/** One setting: a whole number with a lower bound, or a value whose reader lives in `config.ts`. */
export interface SettingRow {
  /** Its environment variable. */
  readonly env: string;
  /** The default, as the docs show it. */
  readonly shown: string;
  /** What it does, for an operator. */
  readonly help: string;
  /** For a whole number: its default and least value. */
  readonly number?: { readonly fallback: number; readonly min: number };
}

/**
 * `WCF_FOLD_EVERY_MS` on PostgreSQL. A fold there costs the database every instance shares a new row
 * version per domain it counts, and under load the same popular domains come back in every fold:
 * folding once a second instead of four times writes each of them a quarter as often (intake
 * +13–21 % under load in `bench:collector`'s conditions). SQLite's folds are cheap and on a thread of
 * their own, and a short one keeps its writer's pauses short: 250 ms there.
 */
export const POSTGRES_FOLD_EVERY_MS = 1000;

/** K: the different reporters a domain needs before it is counted and listed. */
export const DEFAULT_THRESHOLD = 3;

const whole = (env: string, fallback: number, min: number, help: string, shown = String(fallback)) =>
  ({ env, shown, help, number: { fallback, min } }) as const;

/** The collector's settings, in the order the docs list them. */
export const COLLECTOR_SETTINGS = [
  whole('PORT', 8787, 0, 'the port it listens on'),
  { env: 'HOST', shown: '127.0.0.1', help: 'the address it listens on (`0.0.0.0` to serve others)' },
  {
    env: 'WCF_COLLECTOR_DB',
    shown: 'data/collector.sqlite',
    help: 'the SQLite file (relative to the working folder)',
  },
  {
    env: 'DATABASE_URL',
    shown: '(empty: SQLite)',
    help: 'a PostgreSQL connection string: several collectors can share it',
  },
  {
    env: 'WCF_DOH_URLS',
    shown: 'Cloudflare, Google',
    help: 'comma-separated DNS-over-HTTPS resolvers the collector checks with, tried in order',
  },
  { env: 'WCF_ENTRA', shown: 'on', help: "`off`: never ask Microsoft's sign-in service (DNS evidence only)" },
  {
    env: 'WCF_ENTRA_URL',
    shown: 'https://login.microsoftonline.com',
    help: 'the sign-in service asked whether a domain is in a Microsoft 365 tenant',
  },
  whole(
    'WCF_PUBLISH_THRESHOLD',
    DEFAULT_THRESHOLD,
    1,
    'K: different reporters a domain must be reported by before it is published',
  ),
  whole('WCF_VERIFY_PER_MINUTE', 600, 1, 'most domains checked per minute'),
  whole('WCF_RECHECK_DAYS', 7, 1, 'how often known domains are checked again'),
  whole('WCF_REPORTS_PER_MINUTE', 30, 1, 'reports accepted per minute from one address'),
  whole('WCF_LOOKUPS_PER_MINUTE', 60, 1, '`POST /v1/lookup` requests per minute from one address'),
  {
    env: 'WCF_ADDRESS_KEY_SECRET',
    shown: '(empty: a random key a day, per instance)',
    help: 'at least 32 characters, the same on every instance sharing a PostgreSQL database: per-address limits and K then count across instances (keep it secret; it is never stored)',
  },
  {
    env: 'WCF_TRUST_PROXY',
    shown: 'false',
    help: 'behind proxies: their number (`1`) or addresses/CIDRs; `true` is refused',
  },
  whole('WCF_REQUEST_TIMEOUT_MS', 15_000, 100, 'time allowed for a whole request'),
  whole('WCF_HEADERS_TIMEOUT_MS', 10_000, 100, "time allowed for a request's headers"),
  whole('WCF_KEEPALIVE_TIMEOUT_MS', 5_000, 100, 'how long an idle connection stays open'),
  whole('WCF_MAX_CONNECTIONS', 1024, 1, 'connections at once, in all', 'below the open-file limit'),
  whole(
    'WCF_MAX_CONNECTIONS_PER_ADDRESS',
    32,
    1,
    'connections at once from one address (not applied behind a proxy)',
  ),
  whole('WCF_MAX_NEW_PER_REPORT', 200, 1, 'domains new to the collector in one report'),
  whole(
    'WCF_MAX_NEW_PER_ADDRESS_PER_DAY',
    1000,
    1,
    'domains new to the collector from one address in one UTC day',
  ),
  whole('WCF_MAX_PENDING', 20_000, 1, 'domains waiting for their first check, in all (past it: 503)'),
  whole('WCF_ABSENT_EXPIRY_CHECKS', 3, 1, 'checks in a row without records before a domain is deleted'),
  whole(
    'WCF_FOLD_EVERY_MS',
    250,
    1,
    'under load, how long an acknowledged batch of reports waits in the intake journal before it is counted (longer: less work, batches kept longer)',
    `250 (SQLite), ${POSTGRES_FOLD_EVERY_MS} (PostgreSQL)`,
  ),
  whole(
    'WCF_SHUTDOWN_GRACE_MS',
    5_000,
    0,
    'after SIGTERM, time for requests in progress before connections are closed',
  ),
  {
    env: 'WCF_METRICS_PORT',
    shown: '(empty: off)',
    help: 'serve Prometheus metrics at `/metrics` on this port, a listener of its own (never the public port)',
  },
  { env: 'WCF_METRICS_HOST', shown: '127.0.0.1', help: 'the address the metrics listener binds to' },
  { env: 'WCF_LOG_LEVEL', shown: 'info', help: '`fatal`, `error`, `warn`, `info`, `debug` or `silent`' },
  {
    env: 'WCF_LIVE_CHECKS',
    shown: 'on',
    help: 'contact the servers behind verified records (`off`: DNS only)',
  },
  {
    env: 'WCF_LIVE_PORTS',
    shown: "the services' ports",
    help: 'port allow-lists for live checks, `sip=5061,443;xmpp=5222,5269` (`*`: any)',
  },
  {
    env: 'WCF_LIVE_ALLOW_PRIVATE',
    shown: 'off',
    help: '`on` lets live checks contact loopback and private addresses: tests only',
  },
] as const satisfies readonly SettingRow[];

/** The name of a whole-number setting. */
export type WholeNumberSetting = Extract<(typeof COLLECTOR_SETTINGS)[number], { number: object }>['env'];

/** A default as the docs show it: code where it is a value, words where it describes one. */
const shownDefault = (shown: string): string =>
  /^[(A-Z]|\s/.test(shown) && !shown.startsWith('http') ? shown : `\`${shown}\``;

/** The docs' settings table, a row of Markdown cells a setting, made from {@link COLLECTOR_SETTINGS}. */
export function settingsTableCells(): string[][] {
  return [
    ['variable', 'default', 'meaning'],
    ...COLLECTOR_SETTINGS.map((row) => [`\`${row.env}\``, shownDefault(row.shown), row.help]),
  ];
}

/** The docs' settings table as Markdown (Prettier aligns it afterwards). */
export function settingsTable(): string {
  const [head, ...rows] = settingsTableCells();
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head as string[]), line((head as string[]).map(() => '---')), ...rows.map(line)].join('\n');
}
