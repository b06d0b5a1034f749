import { DEFAULT_ENTRA_URL } from '../entra/discovery-client';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { PUBLIC_DOH_ENDPOINTS } from '../dns/doh-client';
import { LivePortsError, parseLivePorts, type AddressPolicyOptions } from '../live/address-policy';
import { DEFAULT_THRESHOLD } from './defaults';

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
  /** Whose X-Forwarded-For to believe: a hop count or a list of proxy addresses/CIDRs; false: nobody's. */
  trustProxy: false | number | string[];
  limits: ConnectionLimits;
  queue: QueueLimits;
  /** `POST /v1/lookup` requests per minute from one address. */
  lookupsPerMinute: number;
  /** Contact the servers behind verified records (`WCF_LIVE_CHECKS`, on unless "false"). */
  liveChecks: boolean;
  /** Where live checks may connect (`WCF_LIVE_ALLOW_PRIVATE`, `WCF_LIVE_PORTS`). */
  livePolicy: AddressPolicyOptions;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
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

function integer(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be a whole number of at least ${min}, not "${raw}"`);
  }
  return value;
}

export function readConfig(env: Record<string, string | undefined>, cwd = process.cwd()): CollectorConfig {
  const dohUrls = (env.WCF_DOH_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  for (const url of dohUrls) {
    if (!/^https?:\/\//.test(url)) throw new ConfigError(`WCF_DOH_URLS: "${url}" is not an http(s) URL`);
  }
  const logLevel = (env.WCF_LOG_LEVEL ?? 'info').trim();
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      `WCF_LOG_LEVEL must be fatal, error, warn, info, debug or silent, not "${logLevel}"`,
    );
  }
  const trustProxy = readTrustProxy(env.WCF_TRUST_PROXY);
  let livePorts: AddressPolicyOptions['ports'];
  try {
    livePorts = env.WCF_LIVE_PORTS === undefined ? undefined : parseLivePorts(env.WCF_LIVE_PORTS);
  } catch (error) {
    if (error instanceof LivePortsError) throw new ConfigError(`WCF_LIVE_PORTS: ${error.message}`);
    throw error;
  }
  return {
    port: integer(env, 'PORT', 8787, 0),
    host: env.HOST?.trim() || '127.0.0.1',
    sqliteFile: resolve(cwd, env.WCF_COLLECTOR_DB?.trim() || 'data/collector.sqlite'),
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    dohUrls: dohUrls.length > 0 ? dohUrls : [...PUBLIC_DOH_ENDPOINTS],
    entraUrl: entraUrlOf(env),
    threshold: integer(env, 'WCF_PUBLISH_THRESHOLD', DEFAULT_THRESHOLD, 1),
    verifyPerMinute: integer(env, 'WCF_VERIFY_PER_MINUTE', 600, 1),
    recheckDays: integer(env, 'WCF_RECHECK_DAYS', 7, 1),
    reportsPerMinute: integer(env, 'WCF_REPORTS_PER_MINUTE', 30, 1),
    trustProxy,
    lookupsPerMinute: integer(env, 'WCF_LOOKUPS_PER_MINUTE', 60, 1),
    limits: {
      requestTimeoutMs: integer(env, 'WCF_REQUEST_TIMEOUT_MS', 15_000, 100),
      headersTimeoutMs: integer(env, 'WCF_HEADERS_TIMEOUT_MS', 10_000, 100),
      keepAliveTimeoutMs: integer(env, 'WCF_KEEPALIVE_TIMEOUT_MS', 5_000, 100),
      maxConnections: integer(env, 'WCF_MAX_CONNECTIONS', defaultMaxConnections(), 1),
      maxConnectionsPerAddress: integer(env, 'WCF_MAX_CONNECTIONS_PER_ADDRESS', 32, 1),
      shutdownGraceMs: integer(env, 'WCF_SHUTDOWN_GRACE_MS', 5_000, 0),
    },
    queue: {
      maxNewPerReport: integer(env, 'WCF_MAX_NEW_PER_REPORT', 200, 1),
      maxNewPerAddressPerDay: integer(env, 'WCF_MAX_NEW_PER_ADDRESS_PER_DAY', 1000, 1),
      maxPending: integer(env, 'WCF_MAX_PENDING', 20_000, 1),
      absentExpiryChecks: integer(env, 'WCF_ABSENT_EXPIRY_CHECKS', 3, 1),
    },
    logLevel: logLevel as CollectorConfig['logLevel'],
    liveChecks: (env.WCF_LIVE_CHECKS ?? '').trim().toLowerCase() !== 'false',
    livePolicy: {
      allowPrivate: (env.WCF_LIVE_ALLOW_PRIVATE ?? '').trim().toLowerCase() === 'true',
      ports: livePorts,
    },
  };
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

/** `WCF_ENTRA=off` switches discovery off; `WCF_ENTRA_URL` points it elsewhere (a stand-in in tests). */
function entraUrlOf(env: Record<string, string | undefined>): string | undefined {
  const switch_ = (env.WCF_ENTRA ?? 'on').trim().toLowerCase();
  if (switch_ === 'off' || switch_ === 'false') return undefined;
  if (switch_ !== 'on' && switch_ !== 'true')
    throw new ConfigError(`WCF_ENTRA must be on or off, not "${env.WCF_ENTRA}"`);
  const url = env.WCF_ENTRA_URL?.trim() || DEFAULT_ENTRA_URL;
  if (!/^https?:\/\//.test(url)) throw new ConfigError(`WCF_ENTRA_URL: "${url}" is not an http(s) URL`);
  return url;
}
