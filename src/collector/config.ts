import { resolve } from 'node:path';
import { PUBLIC_DOH_ENDPOINTS } from '../dns/doh-client';
import { LivePortsError, parseLivePorts, type AddressPolicyOptions } from '../live/address-policy';
import { DEFAULT_THRESHOLD } from './app';

/** The collector's settings, all from environment variables (documented in the README). */
export interface CollectorConfig {
  port: number;
  host: string;
  /** SQLite file, used unless `databaseUrl` is set. */
  sqliteFile: string;
  /** PostgreSQL connection string (`DATABASE_URL`). */
  databaseUrl?: string;
  dohUrls: string[];
  threshold: number;
  verifyPerMinute: number;
  recheckDays: number;
  reportsPerMinute: number;
  trustProxy: boolean | string;
  /** Contact the servers behind verified records (`WCF_LIVE_CHECKS`, on unless "false"). */
  liveChecks: boolean;
  /** Where live checks may connect (`WCF_LIVE_ALLOW_PRIVATE`, `WCF_LIVE_PORTS`). */
  livePolicy: AddressPolicyOptions;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
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
  const trust = env.WCF_TRUST_PROXY?.trim();
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
    threshold: integer(env, 'WCF_PUBLISH_THRESHOLD', DEFAULT_THRESHOLD, 1),
    verifyPerMinute: integer(env, 'WCF_VERIFY_PER_MINUTE', 600, 1),
    recheckDays: integer(env, 'WCF_RECHECK_DAYS', 7, 1),
    reportsPerMinute: integer(env, 'WCF_REPORTS_PER_MINUTE', 30, 1),
    trustProxy:
      trust === undefined || trust === '' || trust === 'false' ? false : trust === 'true' ? true : trust,
    logLevel: logLevel as CollectorConfig['logLevel'],
    liveChecks: (env.WCF_LIVE_CHECKS ?? '').trim().toLowerCase() !== 'false',
    livePolicy: {
      allowPrivate: (env.WCF_LIVE_ALLOW_PRIVATE ?? '').trim().toLowerCase() === 'true',
      ports: livePorts,
    },
  };
}
