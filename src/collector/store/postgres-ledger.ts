import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Pool } from 'pg';
import type { DailyTake, LimitLedger } from '../limit-ledger';

/** One request more in a key's window; a window that has run out starts again at this request. */
const COUNT_REQUEST_SQL = `
  INSERT INTO rate_windows (key, started_at, hits) VALUES ($1, $2, 1)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN rate_windows.started_at + $3 <= $2 THEN 1 ELSE rate_windows.hits + 1 END,
    started_at = CASE WHEN rate_windows.started_at + $3 <= $2 THEN $2 ELSE rate_windows.started_at END
  RETURNING hits, started_at`;

/** Takes `fresh` from the day's allowance only while the total stays within it (one statement: atomic). */
const TAKE_DAILY_SQL = `
  INSERT INTO intake_daily (day, reporter, used) VALUES ($1, $2, $3)
  ON CONFLICT (day, reporter) DO UPDATE SET used = intake_daily.used + EXCLUDED.used
    WHERE intake_daily.used + EXCLUDED.used <= $4
  RETURNING used`;

/**
 * Per-address counts in PostgreSQL, so that every collector instance on one database counts against
 * the same allowance: the daily allowance of new domains and `@fastify/rate-limit`'s per-minute
 * windows. Each is one atomic statement per request. The keys are only as shared as the instances'
 * address keys: give every instance the same `WCF_ADDRESS_KEY_SECRET`.
 */
export class PostgresLedger implements LimitLedger {
  readonly shared = true;
  readonly rateLimitStore: FastifyRateLimitStoreCtor;

  constructor(private readonly pool: Pool) {
    this.rateLimitStore = rateLimitStoreOn(pool);
  }

  async takeDaily(day: string, reporter: string, fresh: number, max: number): Promise<DailyTake> {
    if (fresh > max) return { taken: false, used: await this.usedOn(day, reporter) };
    const { rows } = await this.pool.query<{ used: number }>(TAKE_DAILY_SQL, [day, reporter, fresh, max]);
    const after = rows[0]?.used;
    if (after === undefined) return { taken: false, used: await this.usedOn(day, reporter) };
    return { taken: true, used: after - fresh };
  }

  async giveBackDaily(day: string, reporter: string, fresh: number): Promise<void> {
    await this.pool.query(
      'UPDATE intake_daily SET used = GREATEST(0, used - $3) WHERE day = $1 AND reporter = $2',
      [day, reporter, fresh],
    );
  }

  private async usedOn(day: string, reporter: string): Promise<number> {
    const { rows } = await this.pool.query<{ used: number }>(
      'SELECT used FROM intake_daily WHERE day = $1 AND reporter = $2',
      [day, reporter],
    );
    return rows[0]?.used ?? 0;
  }
}

/**
 * A `@fastify/rate-limit` store over the `rate_windows` table: fixed windows per key, as the
 * plugin's own memory store keeps them. Each route gets a child whose keys start with its method
 * and URL, so the routes' windows stay apart as they do in memory.
 */
function rateLimitStoreOn(pool: Pool): FastifyRateLimitStoreCtor {
  class PostgresRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _options?: unknown,
      private readonly prefix = '',
    ) {}

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const now = Date.now();
      pool
        .query<{ hits: number; started_at: string }>(COUNT_REQUEST_SQL, [this.prefix + key, now, timeWindow])
        .then(
          ({ rows }) => {
            const row = rows[0];
            const started = Number(row?.started_at ?? now);
            callback(null, { current: row?.hits ?? 1, ttl: Math.max(0, started + timeWindow - now) });
          },
          (error: Error) => callback(error),
        );
    }

    child(routeOptions: unknown): FastifyRateLimitStore {
      // The plugin passes the route's merged options with `routeInfo` (the route's own options).
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new PostgresRateLimitStore(
        undefined,
        `${String(route?.method ?? '')} ${String(route?.url ?? '')} `,
      );
    }
  }
  return PostgresRateLimitStore;
}
