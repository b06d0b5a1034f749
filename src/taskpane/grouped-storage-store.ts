import { PROBES } from '../core/probes';
import type { CacheStore } from '../dns/record-cache';

const PREFIXES = PROBES.map((p) => p.prefix).filter((p) => p !== '');

/** The domain a cache key's question is about: `wcf:rr:SRV:_sip._tls.example.com` → `example.com`. */
export function domainOfKey(key: string): string {
  const name = key.slice(key.indexOf(':', key.indexOf(':', key.indexOf(':') + 1) + 1) + 1);
  const prefix = PREFIXES.find((p) => name.startsWith(`${p}.`));
  return prefix ? name.slice(prefix.length + 1) : name;
}

/**
 * The pane's answer cache: entries grouped per domain into one `localStorage` item each
 * (`<groupPrefix><domain>`), read once per domain and written behind, in batches. A check of 2,000
 * domains so makes ~2,000 storage writes instead of ~14,000, off the path of each answer. Storage that
 * is full or forbidden degrades to no caching, never to a failed check.
 */
export class GroupedStorageStore implements CacheStore {
  private readonly groups = new Map<string, Map<string, string>>();
  private readonly dirty = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly storage: Storage | undefined = globalThis.localStorage,
    private readonly groupPrefix = 'wcf:domain:',
    private readonly flushMs = 1000,
  ) {}

  private group(domain: string): Map<string, string> {
    let group = this.groups.get(domain);
    if (!group) {
      group = new Map();
      try {
        const raw = this.storage?.getItem(this.groupPrefix + domain);
        if (raw)
          for (const [key, value] of Object.entries(JSON.parse(raw) as Record<string, string>))
            group.set(key, value);
      } catch {
        // unreadable or corrupt: start the group afresh
      }
      this.groups.set(domain, group);
    }
    return group;
  }

  get(key: string): string | undefined {
    return this.group(domainOfKey(key)).get(key);
  }

  set(key: string, value: string): void {
    const domain = domainOfKey(key);
    this.group(domain).set(key, value);
    this.markDirty(domain);
  }

  delete(key: string): void {
    const domain = domainOfKey(key);
    if (this.group(domain).delete(key)) this.markDirty(domain);
  }

  private markDirty(domain: string): void {
    this.dirty.add(domain);
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Writes every changed domain now (also called on a timer, and when the pane is hidden). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const domain of this.dirty) {
      const group = this.groups.get(domain);
      try {
        if (!group || group.size === 0) this.storage?.removeItem(this.groupPrefix + domain);
        else this.storage?.setItem(this.groupPrefix + domain, JSON.stringify(Object.fromEntries(group)));
      } catch {
        // Quota exceeded or storage forbidden: answers still arrive, just uncached.
      }
    }
    this.dirty.clear();
  }
}
