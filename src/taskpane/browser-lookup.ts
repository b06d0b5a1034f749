import type { PaneConfig } from '../config';
import { DohClient, PUBLIC_DOH_ENDPOINTS } from '../dns/doh-client';
import { FederationLookup } from '../dns/lookup';
import { RecordCache } from '../dns/record-cache';
import { GroupedStorageStore } from './grouped-storage-store';

/**
 * The lookup as the pane runs it: the browser's fetch (which negotiates HTTP/2 by itself), the
 * configured resolvers, answers cached in localStorage (grouped per domain) for their TTL, at most a
 * day, so that reopening the pane is instant; "Refresh" asks again regardless.
 */
export function createBrowserLookup(config: PaneConfig): FederationLookup {
  const client = new DohClient({
    endpoints: config.dohUrls.length > 0 ? config.dohUrls : PUBLIC_DOH_ENDPOINTS,
    bypassHttpCache: true,
  });
  const store = new GroupedStorageStore();
  // Whatever is still waiting to be written goes out when the pane is hidden or closed.
  globalThis.addEventListener?.('pagehide', () => store.flush());
  globalThis.document?.addEventListener('visibilitychange', () => store.flush());
  // Informational records (client access, Matrix, Cisco) wait for a person's details, an export or
  // "Thorough check": the answers need none of them.
  return new FederationLookup({
    client,
    cache: new RecordCache({ store, maxTtlSeconds: 86_400 }),
    informational: false,
  });
}
