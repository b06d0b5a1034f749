import type { Client } from '@microsoft/microsoft-graph-client';
import type { TokenProvider } from '../auth/token-provider';
import type { PaneConfig } from '../config';
import type { FederationLookup } from '../dns/lookup';
import type { ContactsFile } from '../sources/contacts-file';
import type { MessageItem } from '../sources/message-people';
import { localSettings, roamingSettings, type SettingsStore } from './settings';

/**
 * Everything the pane talks to. Components get this and never call `fetch` themselves. The heavy
 * parts (MSAL, the Graph SDK, the DNS client with its consumer-domain list, the file parsers) are
 * loaded on first use, after the pane is already interactive, so the first paint needs little JS.
 */
export interface PaneServices {
  /** Whether the pane runs inside Outlook (Office.onReady reported a host). */
  inOffice: boolean;
  /** The open message, when there is one. */
  messageItem: MessageItem | undefined;
  config: PaneConfig;
  /** Where choices (like sharing) are remembered. */
  settings: SettingsStore;
  tokens(): Promise<TokenProvider>;
  graph(): Promise<Client>;
  lookup(): Promise<FederationLookup>;
  readContactsFile(fileName: string, text: string): Promise<ContactsFile>;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined; // a failed chunk load (offline) can be retried
      throw error;
    });
    return pending;
  };
}

export function createServices(config: PaneConfig, host: Office.HostType | null | undefined): PaneServices {
  const inOffice = host !== null && host !== undefined;
  const tokens = once(async () => {
    const { createTokenProvider } = await import(/* webpackChunkName: "auth" */ '../auth/msal.js');
    return createTokenProvider(config, inOffice);
  });
  const graph = once(async () => {
    const [{ createGraphClient }, provider] = await Promise.all([
      import(/* webpackChunkName: "graph" */ '../graph/graph-client.js'),
      tokens(),
    ]);
    return createGraphClient({
      baseUrl: config.graphBaseUrl,
      getAccessToken: () => provider.getAccessToken(),
    });
  });
  const lookup = once(async () => {
    const { createBrowserLookup } = await import(/* webpackChunkName: "lookup" */ './browser-lookup.js');
    return createBrowserLookup(config);
  });
  const item = inOffice
    ? (Office.context.mailbox?.item as unknown as MessageItem | undefined | null)
    : undefined;
  const roaming = inOffice ? Office.context.roamingSettings : undefined;
  return {
    inOffice,
    messageItem: item ?? undefined,
    config,
    settings: roaming ? roamingSettings(roaming) : localSettings(window.localStorage),
    tokens,
    graph,
    lookup,
    readContactsFile: async (fileName, text) => {
      const { parseContactsFile } = await import(
        /* webpackChunkName: "import" */ '../sources/contacts-file.js'
      );
      return parseContactsFile(fileName, text);
    },
  };
}
