import type { RecordResult } from '../core/records';
import { systemClock, type Clock } from './clock';

/**
 * Where cached answers live: a Map in Node, `localStorage` in the pane (so reopening it is instant).
 * Strings only, because that is what `localStorage` holds.
 */
export interface CacheStore {
  get(key: string): string | null | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
}

/**
 * Keeps nothing: for a long-running service (the collector) that always wants fresh answers and
 * must not grow a cache with every domain it ever checked.
 */
export const NO_STORE: CacheStore = {
  get: () => undefined,
  set: () => undefined,
  delete: () => undefined,
};

/** A process-lifetime store. */
export class MemoryStore implements CacheStore {
  private readonly map = new Map<string, string>();
  get(key: string): string | undefined {
    return this.map.get(key);
  }
  set(key: string, value: string): void {
    this.map.set(key, value);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  get size(): number {
    return this.map.size;
  }
}

export interface RecordCacheOptions {
  store?: CacheStore;
  clock?: Clock;
  /** Upper bound on any lifetime, whatever TTL a zone publishes. */
  maxTtlSeconds?: number;
  /** Prefix of every key, so the pane's cache can share `localStorage` with other data. */
  namespace?: string;
}

interface Entry {
  expires: number;
  result: RecordResult;
}

/**
 * A TTL cache of record results, positive and negative. An answer lives no longer than the smallest
 * TTL of the records it came from (or the SOA minimum when negative); failures are never cached.
 */
export class RecordCache {
  private readonly store: CacheStore;
  private readonly clock: Clock;
  private readonly maxTtlSeconds: number;
  private readonly namespace: string;

  constructor(options: RecordCacheOptions = {}) {
    this.store = options.store ?? new MemoryStore();
    this.clock = options.clock ?? systemClock;
    this.maxTtlSeconds = options.maxTtlSeconds ?? 86_400;
    this.namespace = options.namespace ?? 'wcf:rr:';
  }

  private key(name: string, type: string): string {
    return `${this.namespace}${type}:${name}`;
  }

  /** The cached result, or undefined when absent, expired or unreadable (which also evicts it). */
  get(name: string, type: string): RecordResult | undefined {
    const key = this.key(name, type);
    const raw = this.store.get(key);
    if (raw === null || raw === undefined) return undefined;
    let entry: Entry;
    try {
      entry = JSON.parse(raw) as Entry;
    } catch {
      this.store.delete(key);
      return undefined;
    }
    if (typeof entry.expires !== 'number' || entry.expires <= this.clock.now()) {
      this.store.delete(key);
      return undefined;
    }
    return entry.result;
  }

  /** Stores a result for `ttlSeconds` (capped); a zero TTL, or an `error` result, is not stored. */
  set(name: string, type: string, result: RecordResult, ttlSeconds: number): void {
    const ttl = Math.min(ttlSeconds, this.maxTtlSeconds);
    if (result.status === 'error' || !(ttl > 0)) return;
    const entry: Entry = { expires: this.clock.now() + ttl * 1000, result };
    this.store.set(this.key(name, type), JSON.stringify(entry));
  }
}
