import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Pool } from 'pg';
import type { DailyTake, LimitLedger } from '../limit-ledger';

/**
 * Hands out `$4` more requests of a key's window (a lease); a window that has run out starts again
 * with them. The row counts requests handed out to every instance, so no two get the same number.
 */
const LEASE_SQL = `
  INSERT INTO rate_windows (key, started_at, hits) VALUES ($1, $2, $4)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN rate_windows.started_at + $3 <= $2 THEN $4 ELSE rate_windows.hits + $4 END,
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

/** The request numbers of a window this instance holds: `next` … `last`, until `windowEnds`. */
interface Lease {
  next: number;
  last: number;
  windowEnds: number;
}

/** Most request numbers taken at once, and the share of what is left of the window that may be. */
const MAX_LEASE = 64;
const LEASE_SHARE = 8;

/**
 * A `@fastify/rate-limit` store over the `rate_windows` table: fixed windows per key, as the
 * plugin's own memory store keeps them, numbered across every instance. An instance takes request
 * numbers a few at a time (an eighth of what is left of the window, at most 64; one at a time near
 * the limit), so a busy address costs the database a statement every few requests, not each one,
 * and no two instances ever give out the same number: together they never let more than the limit
 * through (numbers one instance took and did not use are lost for the window, so near the limit an
 * address may be stopped a little early). Each route gets a child whose keys start with its method
 * and URL, so the routes' windows stay apart as they do in memory.
 */
function rateLimitStoreOn(pool: Pool): FastifyRateLimitStoreCtor {
  class PostgresRateLimitStore implements FastifyRateLimitStore {
    private readonly leases = new Map<string, Lease>();
    private readonly leasing = new Map<string, Promise<void>>();

    constructor(
      _options?: unknown,
      private readonly prefix = '',
    ) {}

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
      max: number,
    ): void {
      this.take(this.prefix + key, timeWindow, max).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    }

    private async take(key: string, window: number, max: number): Promise<{ current: number; ttl: number }> {
      for (;;) {
        const now = Date.now();
        const lease = this.leases.get(key);
        if (lease && now < lease.windowEnds && lease.next <= lease.last) {
          return { current: lease.next++, ttl: lease.windowEnds - now };
        }
        let asked = this.leasing.get(key);
        if (!asked) {
          const known = lease && now < lease.windowEnds ? lease.last : 0;
          const size = Math.max(1, Math.min(MAX_LEASE, Math.floor((max - known) / LEASE_SHARE)));
          asked = this.lease(key, window, size).finally(() => this.leasing.delete(key));
          this.leasing.set(key, asked);
        }
        await asked;
      }
    }

    private async lease(key: string, window: number, size: number): Promise<void> {
      const now = Date.now();
      const { rows } = await pool.query<{ hits: number; started_at: string }>(LEASE_SQL, [
        key,
        now,
        window,
        size,
      ]);
      const hits = rows[0]?.hits ?? size;
      const windowEnds = Number(rows[0]?.started_at ?? now) + window;
      if (this.leases.size > 10_000) {
        for (const [known, held] of this.leases) if (held.windowEnds <= now) this.leases.delete(known);
      }
      this.leases.set(key, { next: hits - size + 1, last: hits, windowEnds });
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
