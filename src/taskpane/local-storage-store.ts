import type { CacheStore } from '../dns/record-cache';

/**
 * The pane's DNS cache store: `localStorage`, so reopening the pane answers from cache. Storage that is
 * full or forbidden (private mode, policy) degrades to no caching, never to a failed check.
 */
export class LocalStorageStore implements CacheStore {
  constructor(private readonly storage: Storage | undefined = globalThis.localStorage) {}
  get(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }
  set(key: string, value: string): void {
    try {
      this.storage?.setItem(key, value);
    } catch {
      // Quota exceeded or storage forbidden: answers still arrive, just uncached.
    }
  }
  delete(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      // as above
    }
  }
}
