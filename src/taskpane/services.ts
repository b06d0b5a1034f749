import type { Client } from '@microsoft/microsoft-graph-client';
import type { TokenProvider } from '../auth/token-provider';
import type { PaneConfig } from '../config';
import type { Cloud } from '../core/cloud';
import type { FederationLookup } from '../engine/federation-lookup';
import type { ContactsFile } from '../sources/contacts-file';
import type { MessageItem } from '../sources/message-people';
import type { DirectoryFetch } from '../share/directory-lookup';
import type { PendingStore, ShareFetch } from '../share/share-queue';
import { download } from './export';
import { localSettings, NO_ENTRA_SETTING, roamingSettings, type SettingsStore } from './settings';

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
  /**
   * The user's own Microsoft 365 cloud, as the cross-cloud rule assumes it: from their mailbox
   * domain's Entra ID discovery document (`known`), else commercial.
   */
  ownCloud(): Promise<{ cloud: Cloud; known: boolean }>;
  readContactsFile(fileName: string, text: string): Promise<ContactsFile>;
  /** The network, for sharing and the community directory (no cookies: they send `credentials: 'omit'`). */
  fetch: ShareFetch & DirectoryFetch;
  /** Where domains waiting to be shared are kept, so a closed pane loses none. */
  pendingShares: PendingStore;
  /** Saves a file the person exports (the browser's download). */
  save(fileName: string, text: string): void;
}

const PENDING_SHARES_KEY = 'wcf.share.pending';

/** Local storage as the share queue's pending store. */
function pendingStore(storage: Storage): PendingStore {
  return {
    read: () => storage.getItem(PENDING_SHARES_KEY),
    write: (text) => storage.setItem(PENDING_SHARES_KEY, text),
    remove: () => storage.removeItem(PENDING_SHARES_KEY),
  };
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
  const settingsStore = inOffice
    ? roamingSettings(Office.context.roamingSettings)
    : localSettings(window.localStorage);
  const loaded = once(async () => {
    const module = await import(/* webpackChunkName: "lookup" */ './browser-lookup.js');
    const entraOff = (): boolean => settingsStore.read(NO_ENTRA_SETTING) === true;
    return { module, entraOff, ...module.createBrowserLookup(config, entraOff) };
  });
  const ownCloud = once(async () => {
    const { module, entra, entraOff } = await loaded();
    const address = inOffice ? Office.context.mailbox?.userProfile?.emailAddress : undefined;
    const domain = address?.includes('@') ? address.slice(address.lastIndexOf('@') + 1) : undefined;
    return module.ownCloud(entraOff() ? undefined : entra, domain);
  });
  const lookup = once(async () => {
    const [{ lookup: federation }, own] = await Promise.all([loaded(), ownCloud()]);
    federation.fromCloud = own.cloud;
    return federation;
  });
  const item = inOffice
    ? (Office.context.mailbox?.item as unknown as MessageItem | undefined | null)
    : undefined;
  return {
    inOffice,
    messageItem: item ?? undefined,
    config,
    settings: settingsStore,
    tokens,
    graph,
    lookup,
    ownCloud,
    fetch: (url, init) => window.fetch(url, init),
    pendingShares: pendingStore(window.localStorage),
    save: (fileName, text) => download(fileName, text),
    readContactsFile: async (fileName, text) => {
      const { parseContactsFile } = await import(
        /* webpackChunkName: "import" */ '../sources/contacts-file.js'
      );
      return parseContactsFile(fileName, text);
    },
  };
}
