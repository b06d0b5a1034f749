import type { Clock } from '../../src/async/clock';
import { RecordCache } from '../../src/dns/record-cache';
import { domainOfKey, GroupedStorageStore } from '../../src/taskpane/grouped-storage-store';

/** A Storage with the Web Storage API's surface, counting writes. */
class CountingStorage implements Storage {
  private readonly map = new Map<string, string>();
  writes = 0;
  failWrites = false;
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    if (this.failWrites) throw new DOMException('full', 'QuotaExceededError');
    this.writes += 1;
    this.map.set(key, value);
  }
}

const found = { status: 'found' as const, targets: [{ target: 'x.test', port: 1, priority: 0, weight: 0 }] };

describe('GroupedStorageStore', () => {
  it('knows the domain of every probe key', () => {
    expect(domainOfKey('wcf:rr:SRV:_sipfederationtls._tcp.contoso.test')).toBe('contoso.test');
    expect(domainOfKey('wcf:rr:SRV:_xmpps-client._tcp.a.b.test')).toBe('a.b.test');
    expect(domainOfKey('wcf:rr:MX:contoso.test')).toBe('contoso.test');
  });

  it('writes one item per domain, in a batch, and a fresh pane reads it back until the TTL ends', () => {
    let now = 1_000_000;
    const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };
    const storage = new CountingStorage();
    const store = new GroupedStorageStore(storage, 'wcf:domain:', 60_000);
    const cache = new RecordCache({ store, clock });
    for (const name of [
      '_sipfederationtls._tcp.contoso.test',
      '_sip._tls.contoso.test',
      '_xmpp-server._tcp.contoso.test',
    ]) {
      cache.set(name, 'SRV', found, 300);
    }
    cache.set('contoso.test', 'MX', { status: 'none', targets: [] }, 60);
    cache.set('_sip._tls.fabrikam.test', 'SRV', found, 300);
    expect(storage.writes).toBe(0);
    store.flush();
    expect(storage.writes).toBe(2);
    expect(Object.keys(JSON.parse(storage.getItem('wcf:domain:contoso.test') ?? '{}'))).toHaveLength(4);

    // Reopening the pane: a new store over the same storage answers from it.
    const reopened = new RecordCache({ store: new GroupedStorageStore(storage), clock });
    expect(reopened.get('_sip._tls.contoso.test', 'SRV')).toEqual(found);
    expect(reopened.get('contoso.test', 'MX')?.status).toBe('none');
    now += 61_000;
    expect(reopened.get('contoso.test', 'MX')).toBeUndefined();
    expect(reopened.get('_sip._tls.contoso.test', 'SRV')).toEqual(found);
  });

  it('survives full storage and corrupt items', () => {
    const storage = new CountingStorage();
    storage.setItem('wcf:domain:broken.test', '{not json');
    const store = new GroupedStorageStore(storage);
    expect(store.get('wcf:rr:SRV:_sip._tls.broken.test')).toBeUndefined();
    storage.failWrites = true;
    store.set('wcf:rr:SRV:_sip._tls.broken.test', 'x');
    expect(() => store.flush()).not.toThrow();
    expect(store.get('wcf:rr:SRV:_sip._tls.broken.test')).toBe('x');
  });
});
