import type { PaneConfig } from '../config';
import { DohClient, PUBLIC_DOH_ENDPOINTS } from '../dns/doh-client';
import type { Cloud } from '../core/cloud';
import type { EntraFinding } from '../core/entra';
import { FederationLookup } from '../engine/federation-lookup';
import { EntraDiscovery } from '../entra/discovery-client';
import { RecordCache } from '../dns/record-cache';
import { GroupedStorageStore } from './grouped-storage-store';

const TURNED_OFF: EntraFinding = {
  status: 'unreachable',
  error: "Asking Microsoft's sign-in service is turned off in Settings",
};

/**
 * The lookup as the pane runs it: the browser's fetch (which negotiates HTTP/2 by itself), the
 * configured resolvers, answers cached in localStorage (grouped per domain) for their TTL, at most a
 * day, so that reopening the pane is instant; "Refresh" asks again regardless. With Entra ID
 * discovery where the build has a sign-in service URL and the person has not turned it off
 * (`entraOff`, read at each question, so the setting applies to the next check).
 */
export function createBrowserLookup(
  config: PaneConfig,
  entraOff: () => boolean = () => false,
): { lookup: FederationLookup; entra: EntraDiscovery | undefined } {
  const discovery = config.entraUrl ? new EntraDiscovery({ baseUrl: config.entraUrl }) : undefined;
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
  const lookup = new FederationLookup({
    client,
    cache: new RecordCache({ store, maxTtlSeconds: 86_400 }),
    informational: false,
    entra: discovery && {
      discover: (domain, signal) =>
        entraOff() ? Promise.resolve(TURNED_OFF) : discovery.discover(domain, signal),
    },
    // Until the user's own tenant is read (ownCloud below): the cloud most people are in.
    fromCloud: 'commercial',
  });
  return { lookup, entra: discovery };
}

/**
 * The signed-in user's own cloud, from their mailbox domain's discovery document: what the
 * cross-cloud rule compares with. Commercial when it cannot be told (discovery off or failing).
 */
export async function ownCloud(
  entra: EntraDiscovery | undefined,
  mailboxDomain: string | undefined,
): Promise<{ cloud: Cloud; known: boolean }> {
  if (!entra || !mailboxDomain) return { cloud: 'commercial', known: false };
  const finding = await entra.discover(mailboxDomain.toLowerCase());
  return finding.status === 'tenant'
    ? { cloud: finding.cloud, known: true }
    : { cloud: 'commercial', known: false };
}
