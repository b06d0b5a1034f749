import type { RecordResult } from '../core/records';
import { systemClock, type Clock } from '../async/clock';

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
  /**
   * Where answers are kept as strings (the pane's `localStorage`). Without one they are kept as
   * objects in memory, at most `maxEntries` of them.
   */
  store?: CacheStore;
  clock?: Clock;
  /** Upper bound on any lifetime, whatever TTL a zone publishes. */
  maxTtlSeconds?: number;
  /** Prefix of every key, so the pane's cache can share `localStorage` with other data. */
  namespace?: string;
  /**
   * Most answers kept in memory (without a `store`): the least recently used go first, so a run
   * over millions of domains keeps a flat footprint.
   */
  maxEntries?: number;
}

/** Answers kept in memory by default: ~100 MB at the very most, far less for ordinary answers. */
export const DEFAULT_MAX_CACHE_ENTRIES = 200_000;

interface Entry {
  expires: number;
  result: RecordResult;
}

/**
 * A TTL cache of record results, positive and negative. An answer lives no longer than the smallest
 * TTL of the records it came from (or the SOA minimum when negative); failures are never cached.
 */
export class RecordCache {
  private readonly store: CacheStore | undefined;
  /** Without a store: entries as objects, oldest use first (a Map keeps insertion order). */
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly maxTtlSeconds: number;
  private readonly namespace: string;
  private readonly maxEntries: number;

  constructor(options: RecordCacheOptions = {}) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.maxTtlSeconds = options.maxTtlSeconds ?? 86_400;
    this.namespace = options.namespace ?? 'wcf:rr:';
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_CACHE_ENTRIES;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 0) {
      throw new RangeError(`the cache size must be a whole number ≥ 0, not ${this.maxEntries}`);
    }
  }

  /** Answers held in memory (0 with a store). */
  get size(): number {
    return this.entries.size;
  }

  private key(name: string, type: string): string {
    return `${this.namespace}${type}:${name}`;
  }

  /** The cached result, or undefined when absent, expired or unreadable (which also evicts it). */
  get(name: string, type: string): RecordResult | undefined {
    const key = this.key(name, type);
    const entry = this.store ? this.readStored(key) : this.entries.get(key);
    if (!entry) return undefined;
    if (typeof entry.expires !== 'number' || entry.expires <= this.clock.now()) {
      this.delete(key);
      return undefined;
    }
    if (!this.store) {
      // Recently used: to the back of the eviction order.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry.result;
  }

  /** Stores a result for `ttlSeconds` (capped); a zero TTL, or an `error` result, is not stored. */
  set(name: string, type: string, result: RecordResult, ttlSeconds: number): void {
    const ttl = Math.min(ttlSeconds, this.maxTtlSeconds);
    if (result.status === 'error' || !(ttl > 0)) return;
    const entry: Entry = { expires: this.clock.now() + ttl * 1000, result };
    const key = this.key(name, type);
    if (this.store) {
      this.store.set(key, JSON.stringify(entry));
      return;
    }
    if (this.maxEntries === 0) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  private readStored(key: string): Entry | undefined {
    const raw = (this.store as CacheStore).get(key);
    if (raw === null || raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as Entry;
    } catch {
      this.delete(key);
      return undefined;
    }
  }

  private delete(key: string): void {
    if (this.store) this.store.delete(key);
    else this.entries.delete(key);
  }
}
