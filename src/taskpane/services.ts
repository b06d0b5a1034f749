import type { Client } from '@microsoft/microsoft-graph-client';
import { createTokenProvider } from '../auth/msal';
import type { TokenProvider } from '../auth/token-provider';
import type { PaneConfig } from '../config';
import { DohClient, PUBLIC_DOH_ENDPOINTS } from '../dns/doh-client';
import { FederationLookup } from '../dns/lookup';
import { RecordCache } from '../dns/record-cache';
import { createGraphClient } from '../graph/graph-client';
import type { MessageItem } from '../sources/message-people';
import { LocalStorageStore } from './local-storage-store';

/** Everything the pane talks to, made once at start-up; components get it, never `fetch` itself. */
export interface PaneServices {
  /** Whether the pane runs inside Outlook (Office.onReady reported a host). */
  inOffice: boolean;
  tokens: TokenProvider;
  graph: () => Client;
  lookup: FederationLookup;
  /** The open message, when there is one. */
  messageItem: MessageItem | undefined;
}

export function createServices(config: PaneConfig, host: Office.HostType | null | undefined): PaneServices {
  const inOffice = host !== null && host !== undefined;
  const tokens = createTokenProvider(config, inOffice);
  let graph: Client | undefined;
  const client = new DohClient({
    endpoints: config.dohUrls.length > 0 ? config.dohUrls : PUBLIC_DOH_ENDPOINTS,
  });
  const lookup = new FederationLookup({ client, cache: new RecordCache({ store: new LocalStorageStore() }) });
  const item = inOffice ? (Office.context.mailbox?.item as unknown as MessageItem | undefined) : undefined;
  return {
    inOffice,
    tokens,
    graph: () =>
      (graph ??= createGraphClient({
        baseUrl: config.graphBaseUrl,
        getAccessToken: () => tokens.getAccessToken(),
      })),
    lookup,
    messageItem: item ?? undefined,
  };
}
