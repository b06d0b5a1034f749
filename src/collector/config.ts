import { DEFAULT_ENTRA_URL } from '../entra/discovery-client';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { PUBLIC_DOH_ENDPOINTS } from '../dns/doh-client';
import { LivePortsError, parseLivePorts, type AddressPolicyOptions } from '../live/address-policy';
import { httpUrl, oneOf, onOff, SettingError, urlList, wholeNumber } from '../settings/values';
import { COLLECTOR_SETTINGS, POSTGRES_FOLD_EVERY_MS, type WholeNumberSetting } from './settings';

/** The collector's settings, all from environment variables (documented in docs/collector.md). */
export interface CollectorConfig {
  port: number;
  host: string;
  /** SQLite file, used unless `databaseUrl` is set. */
  sqliteFile: string;
  /** PostgreSQL connection string (`DATABASE_URL`). */
  databaseUrl?: string;
  dohUrls: string[];
  /**
   * Entra ID discovery's base URL (`WCF_ENTRA_URL`, default Microsoft's sign-in service), asked of
   * domains whose records show no Microsoft 365; undefined with `WCF_ENTRA=off` (DNS evidence only).
   */
  entraUrl?: string;
  threshold: number;
  verifyPerMinute: number;
  recheckDays: number;
  reportsPerMinute: number;
  /**
   * The secret every instance derives the day's address key from (`WCF_ADDRESS_KEY_SECRET`), so their
   * per-address limits and K add up; undefined: a random key a day, in this process only.
   */
  addressKeySecret?: string;
  /** Whose X-Forwarded-For to believe: a hop count or a list of proxy addresses/CIDRs; false: nobody's. */
  trustProxy: false | number | string[];
  limits: ConnectionLimits;
  queue: QueueLimits;
  /** `POST /v1/lookup` requests per minute from one address. */
  lookupsPerMinute: number;
  /** Under load, how long a journaled batch waits before it is counted (`WCF_FOLD_EVERY_MS`). */
  foldEveryMs: number;
  /** Contact the servers behind verified records (`WCF_LIVE_CHECKS`, on unless "false"). */
  liveChecks: boolean;
  /** Where live checks may connect (`WCF_LIVE_ALLOW_PRIVATE`, `WCF_LIVE_PORTS`). */
  livePolicy: AddressPolicyOptions;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Prometheus metrics on a listener of their own (`WCF_METRICS_PORT`, `WCF_METRICS_HOST`); off when unset. */
  metrics?: { host: string; port: number };
}

/** What one client can hold of the server: slow clients are cut, floods are capped. */
export interface ConnectionLimits {
  /** Time allowed to receive a whole request, headers and body (`WCF_REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs: number;
  /** Time allowed to receive the headers (`WCF_HEADERS_TIMEOUT_MS`). */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (`WCF_KEEPALIVE_TIMEOUT_MS`). */
  keepAliveTimeoutMs: number;
  /** Connections at once in all (`WCF_MAX_CONNECTIONS`); by default below the process's file limit. */
  maxConnections: number;
  /** Connections at once from one address (`WCF_MAX_CONNECTIONS_PER_ADDRESS`); not applied behind a proxy. */
  maxConnectionsPerAddress: number;
  /** After SIGTERM, how long requests in progress may take before their connections are closed (`WCF_SHUTDOWN_GRACE_MS`). */
  shutdownGraceMs: number;
}

/** How much checking work reports can queue. */
export interface QueueLimits {
  /** Domains new to the collector in one report (`WCF_MAX_NEW_PER_REPORT`). */
  maxNewPerReport: number;
  /** Domains new to the collector from one address in one UTC day (`WCF_MAX_NEW_PER_ADDRESS_PER_DAY`). */
  maxNewPerAddressPerDay: number;
  /** Domains waiting for their first check, in all (`WCF_MAX_PENDING`): past it, reports get 503. */
  maxPending: number;
  /** Checks in a row that found no record before a domain is deleted (`WCF_ABSENT_EXPIRY_CHECKS`). */
  absentExpiryChecks: number;
}

/** A setting that cannot be used: the message names the variable and what it takes. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The reader of every setting, turning a {@link SettingError} into the collector's {@link ConfigError}. */
function reading<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SettingError) throw new ConfigError(error.message);
    throw error;
  }
}

/** A whole-number setting, its default and least value from the settings table. */
function whole(env: Record<string, string | undefined>, name: WholeNumberSetting, fallback?: number): number {
  const row = COLLECTOR_SETTINGS.find((setting) => setting.env === name);
  const bounds = row && 'number' in row ? row.number : undefined;
  if (!bounds) throw new Error(`${name} is not a whole-number setting`);
  return wholeNumber(name, env[name], fallback ?? bounds.fallback, bounds.min);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

/** A shared secret long enough not to be guessed (32 characters: e.g. `openssl rand -base64 32`). */
function readAddressKeySecret(text: string | undefined): { addressKeySecret?: string } {
  const secret = text?.trim();
  if (!secret) return {};
  if (secret.length < 32) {
    throw new SettingError(
      `WCF_ADDRESS_KEY_SECRET is ${secret.length} characters long; give at least 32 (for example the output of \`openssl rand -base64 32\`), the same on every instance`,
    );
  }
  return { addressKeySecret: secret };
}

/** The collector's configuration from its environment; a {@link ConfigError} names a setting it cannot use. */
export function readConfig(env: Record<string, string | undefined>, cwd = process.cwd()): CollectorConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  return reading(() => ({
    port: whole(env, 'PORT'),
    host: env.HOST?.trim() || '127.0.0.1',
    sqliteFile: resolve(cwd, env.WCF_COLLECTOR_DB?.trim() || 'data/collector.sqlite'),
    databaseUrl,
    dohUrls: urlList('WCF_DOH_URLS', env.WCF_DOH_URLS, PUBLIC_DOH_ENDPOINTS),
    entraUrl: onOff('WCF_ENTRA', env.WCF_ENTRA, true)
      ? httpUrl('WCF_ENTRA_URL', env.WCF_ENTRA_URL?.trim() || DEFAULT_ENTRA_URL)
      : undefined,
    threshold: whole(env, 'WCF_PUBLISH_THRESHOLD'),
    verifyPerMinute: whole(env, 'WCF_VERIFY_PER_MINUTE'),
    recheckDays: whole(env, 'WCF_RECHECK_DAYS'),
    reportsPerMinute: whole(env, 'WCF_REPORTS_PER_MINUTE'),
    trustProxy: readTrustProxy(env.WCF_TRUST_PROXY),
    ...readAddressKeySecret(env.WCF_ADDRESS_KEY_SECRET),
    lookupsPerMinute: whole(env, 'WCF_LOOKUPS_PER_MINUTE'),
    foldEveryMs: whole(env, 'WCF_FOLD_EVERY_MS', databaseUrl ? POSTGRES_FOLD_EVERY_MS : undefined),
    limits: {
      requestTimeoutMs: whole(env, 'WCF_REQUEST_TIMEOUT_MS'),
      headersTimeoutMs: whole(env, 'WCF_HEADERS_TIMEOUT_MS'),
      keepAliveTimeoutMs: whole(env, 'WCF_KEEPALIVE_TIMEOUT_MS'),
      maxConnections: whole(env, 'WCF_MAX_CONNECTIONS', defaultMaxConnections()),
      maxConnectionsPerAddress: whole(env, 'WCF_MAX_CONNECTIONS_PER_ADDRESS'),
      shutdownGraceMs: whole(env, 'WCF_SHUTDOWN_GRACE_MS'),
    },
    queue: {
      maxNewPerReport: whole(env, 'WCF_MAX_NEW_PER_REPORT'),
      maxNewPerAddressPerDay: whole(env, 'WCF_MAX_NEW_PER_ADDRESS_PER_DAY'),
      maxPending: whole(env, 'WCF_MAX_PENDING'),
      absentExpiryChecks: whole(env, 'WCF_ABSENT_EXPIRY_CHECKS'),
    },
    logLevel: oneOf('WCF_LOG_LEVEL', env.WCF_LOG_LEVEL, LOG_LEVELS, 'info'),
    ...(env.WCF_METRICS_PORT?.trim()
      ? {
          metrics: {
            port: wholeNumber('WCF_METRICS_PORT', env.WCF_METRICS_PORT, 0, 0),
            host: env.WCF_METRICS_HOST?.trim() || '127.0.0.1',
          },
        }
      : {}),
    liveChecks: onOff('WCF_LIVE_CHECKS', env.WCF_LIVE_CHECKS, true),
    livePolicy: {
      allowPrivate: onOff('WCF_LIVE_ALLOW_PRIVATE', env.WCF_LIVE_ALLOW_PRIVATE, false),
      ports: env.WCF_LIVE_PORTS === undefined ? undefined : parseLivePortsNamed(env.WCF_LIVE_PORTS),
    },
  }));
}

/** `WCF_LIVE_PORTS`, its errors named for the variable. */
function parseLivePortsNamed(raw: string): AddressPolicyOptions['ports'] {
  try {
    return parseLivePorts(raw);
  } catch (error) {
    if (error instanceof LivePortsError) throw new ConfigError(`WCF_LIVE_PORTS: ${error.message}`);
    throw error;
  }
}

/**
 * `WCF_TRUST_PROXY`: a hop count (`1`: one load balancer in front, whose address it appends) or a
 * comma-separated list of proxy addresses/CIDRs. `true` (believe any X-Forwarded-For) is refused:
 * it would let every client pick the address its rate limits are counted under.
 */
export function readTrustProxy(raw: string | undefined): false | number | string[] {
  const text = raw?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') {
    throw new ConfigError(
      'WCF_TRUST_PROXY=true would believe any X-Forwarded-For header, so anyone could pick their own address: ' +
        'set the number of proxies in front (e.g. 1) or their addresses (e.g. 10.0.0.5,10.1.0.0/16)',
    );
  }
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const validAddress = address !== undefined && isIP(address) !== 0;
    const validPrefix =
      prefix === undefined ||
      (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (isIP(address ?? '') === 6 ? 128 : 32));
    if (!validAddress || !validPrefix || extra !== undefined) {
      throw new ConfigError(
        `WCF_TRUST_PROXY: "${entry}" is not an IP address or CIDR (e.g. 10.0.0.5 or 10.1.0.0/16)`,
      );
    }
  }
  return entries;
}

/**
 * Connections at once by default: below the process's open-file limit (Linux: /proc/self/limits),
 * keeping room for the database and the resolvers, so a flood of connections meets a refusal of
 * new ones rather than an "EMFILE" that stops the database too.
 */
function defaultMaxConnections(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1]);
    if (Number.isFinite(soft) && soft > 0) return Math.max(16, Math.min(4096, soft - 64));
  } catch {
    // not Linux: the fallback below
  }
  return 1024;
}
