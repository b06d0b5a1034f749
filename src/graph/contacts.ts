import type { Client } from '@microsoft/microsoft-graph-client';
import type { Contact } from '../contacts/contact';

/** Only what the pane shows: a name and the addresses. */
const CONTACT_FIELDS = '$select=id,displayName,givenName,surname,emailAddresses';
const FOLDER_FIELDS = '$select=id,displayName';
/** Outlook's largest page for contacts and folders. */
export const GRAPH_PAGE_SIZE = 1000;
const DEFAULT_FOLDER = 'Contacts';

interface GraphContact {
  id: string;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  emailAddresses?: { name?: string | null; address?: string | null }[] | null;
}

interface GraphFolder {
  id: string;
  displayName?: string | null;
}

interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

interface PendingPage {
  kind: 'contacts' | 'folders';
  /** A path under the base URL, or an `@odata.nextLink` followed as it is (opaque). */
  url: string;
  /** The folder path people see ("Contacts/Suppliers"). */
  folder: string;
}

export interface ContactsProgress {
  contacts: number;
  folders: number;
}

/** Why contacts could not (all) be read, in words a person can act on; what loaded so far stays loaded. */
export class ContactsLoadError extends Error {
  override name = 'ContactsLoadError';
  constructor(
    message: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function describe(error: unknown): ContactsLoadError {
  if (error instanceof ContactsLoadError) return error;
  const status =
    typeof error === 'object' && error !== null && 'statusCode' in error
      ? Number(error.statusCode)
      : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  if (status === 401)
    return new ContactsLoadError('Your sign-in has expired. Sign in again, then retry.', status, {
      cause: error,
    });
  if (status === 403) {
    return new ContactsLoadError(
      'Outlook would not share your contacts (permission Contacts.Read was not granted). Ask your administrator to consent, or check the people on this message or an imported file instead.',
      status,
      { cause: error },
    );
  }
  if (status === 429 || status === 503 || status === 504) {
    return new ContactsLoadError(
      'Outlook is busy and asked us to slow down. Wait a minute, then retry.',
      status,
      { cause: error },
    );
  }
  if (status === undefined || status === -1 || Number.isNaN(status)) {
    return new ContactsLoadError(
      `Could not reach Microsoft Graph (${detail}). Check your connection, then retry.`,
      undefined,
      {
        cause: error,
      },
    );
  }
  return new ContactsLoadError(`Microsoft Graph answered ${status}: ${detail}. Retry in a moment.`, status, {
    cause: error,
  });
}

/**
 * Reads every contact of the mailbox: the default Contacts folder, and every contact folder and child
 * folder under it, following each `@odata.nextLink`. Pages are fetched one after another (Outlook
 * allows 4 concurrent requests per mailbox, and other add-ins share them). A failure part-way keeps
 * what loaded, and {@link ContactsLoad.run} again continues with the page that failed.
 */
export class ContactsLoad {
  readonly contacts: Contact[] = [];
  private readonly seen = new Set<string>();
  private readonly queue: PendingPage[] = [
    {
      kind: 'contacts',
      url: `/me/contacts?${CONTACT_FIELDS}&$top=${GRAPH_PAGE_SIZE}`,
      folder: DEFAULT_FOLDER,
    },
    {
      kind: 'folders',
      url: `/me/contactFolders?${FOLDER_FIELDS}&$top=${GRAPH_PAGE_SIZE}`,
      folder: DEFAULT_FOLDER,
    },
  ];
  private folders = 1;

  constructor(
    private readonly client: Client,
    private readonly onProgress?: (progress: ContactsProgress) => void,
  ) {}

  /** Whether every page has been read. */
  get complete(): boolean {
    return this.queue.length === 0;
  }

  get progress(): ContactsProgress {
    return { contacts: this.contacts.length, folders: this.folders };
  }

  /** Reads the pages still to read; rejects with a {@link ContactsLoadError}, keeping the failed page for the next run. */
  async run(signal?: AbortSignal): Promise<Contact[]> {
    while (this.queue.length > 0) {
      if (signal?.aborted) throw signal.reason;
      const page = this.queue[0] as PendingPage;
      let body: GraphPage<GraphContact | GraphFolder>;
      try {
        body = (await this.client.api(page.url).get()) as GraphPage<GraphContact | GraphFolder>;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw describe(error);
      }
      this.queue.shift();
      const next = body['@odata.nextLink'];
      if (next) this.queue.unshift({ ...page, url: next });
      if (page.kind === 'contacts') this.addContacts(body.value as GraphContact[], page.folder);
      else this.addFolders(body.value as GraphFolder[], page.folder);
      this.onProgress?.(this.progress);
    }
    return this.contacts;
  }

  private addContacts(values: readonly GraphContact[], folder: string): void {
    for (const value of values) {
      if (this.seen.has(value.id)) continue;
      this.seen.add(value.id);
      const name =
        value.displayName?.trim() ||
        [value.givenName, value.surname].filter(Boolean).join(' ').trim() ||
        '(no name)';
      const addresses = (value.emailAddresses ?? [])
        .map((e) => e.address ?? '')
        .filter((a) => a.trim() !== '');
      this.contacts.push({ id: value.id, name, addresses, source: 'graph', origin: folder });
    }
  }

  private addFolders(values: readonly GraphFolder[], parent: string): void {
    for (const folder of values) {
      const path = `${parent}/${folder.displayName ?? folder.id}`;
      const id = encodeURIComponent(folder.id);
      this.folders += 1;
      this.queue.push(
        {
          kind: 'contacts',
          url: `/me/contactFolders/${id}/contacts?${CONTACT_FIELDS}&$top=${GRAPH_PAGE_SIZE}`,
          folder: path,
        },
        {
          kind: 'folders',
          url: `/me/contactFolders/${id}/childFolders?${FOLDER_FIELDS}&$top=${GRAPH_PAGE_SIZE}`,
          folder: path,
        },
      );
    }
  }
}
