/**
 * What the add-in's two manifests say alike, said once: the XML ("add-in only") manifest.xml, which every
 * Outlook accepts, and the unified manifest for Microsoft 365 (appPackage/manifest.json), which admins
 * deploy through the Microsoft 365 admin center. Both are written from this table (xml-manifest.ts,
 * unified-manifest.ts), so an id, a label or a page cannot differ between them. Pure data: no I/O.
 */

/** A page or file of the add-in, relative to where it is hosted (the dev server or WCF_PRODUCTION_URL). */
export type HostedPath = string;

/** The facts both manifests carry. */
export interface AddinFacts {
  /** The add-in's id: the XML's <Id> and the unified manifest's "id" (one app, two descriptions of it). */
  readonly id: string;
  /** major.minor.patch: the unified manifest's "version"; the XML's <Version> adds ".0". */
  readonly version: string;
  /** Who publishes it: the XML's <ProviderName>, the unified manifest's developer.name (≤ 32 characters). */
  readonly provider: string;
  /** The name on the ribbon, in the add-in lists and at the top of the pane (≤ 30 characters). */
  readonly name: string;
  /** One line for lists (≤ 80 characters: the unified manifest's description.short). */
  readonly shortDescription: string;
  /** The XML's <Description> and the unified manifest's description.full (≤ 250 characters, the XML's limit). */
  readonly description: string;
  readonly locale: string;
  /** The unified manifest's accentColor: the blue of the icons. */
  readonly accentColor: string;
  readonly pages: {
    readonly taskpane: HostedPath;
    readonly commands: HostedPath;
    readonly support: HostedPath;
    readonly privacy: HostedPath;
    readonly terms: HostedPath;
  };
  /**
   * The ribbon: one group with one button that opens the task pane, in the windows listed. Ids grow
   * from `idStem`: wcfGroup / wcfOpenPaneButton in the unified manifest (one ribbon for both windows),
   * wcfReadGroup / wcfComposeOpenPaneButton … in the XML (one extension point a window).
   */
  readonly ribbon: {
    readonly idStem: string;
    readonly windows: readonly ('read' | 'compose')[];
    readonly groupLabel: string;
    readonly buttonLabel: string;
    readonly tooltip: string;
  };
  /** Ribbon icons (16, 32 and 80 px, as both schemas ask), then the listing icons the XML names. */
  readonly commandIcons: readonly { readonly size: 16 | 32 | 80; readonly path: HostedPath }[];
  readonly listingIcon: { readonly size: 64; readonly path: HostedPath };
  readonly highResolutionIcon: { readonly size: 128; readonly path: HostedPath };
  /** Where the pane may navigate inside itself (MSAL's sign-in pages). */
  readonly appDomains: readonly string[];
  /**
   * Least privilege, in each manifest's words: reading the open message's sender and recipients.
   * The XML's ReadItem is the unified manifest's MailboxItem.Read.User (Microsoft Learn, "Understanding
   * Outlook add-in permissions").
   */
  readonly permission: { readonly xml: 'ReadItem'; readonly unified: 'MailboxItem.Read.User' };
  /** Mailbox requirement sets: any Outlook may load the pane (1.1); the ribbon button needs 1.3. */
  readonly mailbox: { readonly minimum: string; readonly commands: string };
  /** The pane's height in read windows of clients without add-in commands (XML only). */
  readonly requestedHeight: number;
}

/** Who Can Federate's facts. */
export const ADDIN: AddinFacts = {
  id: '3b165609-94ff-4854-9f22-06a684669920',
  version: '1.0.0',
  provider: 'Who Can Federate',
  name: 'Who Can Federate',
  shortDescription: 'See which of your contacts you can reach over Teams, Skype or XMPP federation.',
  description:
    "Which of your contacts can you reach over Lync, Skype for Business or Teams federation, or XMPP? Checks each contact's domain in public DNS.",
  locale: 'en-US',
  accentColor: '#0F6CBD',
  pages: {
    taskpane: 'taskpane.html',
    commands: 'commands.html',
    support: 'support.html',
    privacy: 'privacy.html',
    terms: 'support.html#terms',
  },
  ribbon: {
    idStem: 'wcf',
    windows: ['read', 'compose'],
    groupLabel: 'Federation',
    buttonLabel: 'Who Can Federate',
    tooltip:
      'See which of your contacts you can reach over Lync, Skype for Business, Teams or XMPP federation.',
  },
  commandIcons: [
    { size: 16, path: 'assets/icon-16.png' },
    { size: 32, path: 'assets/icon-32.png' },
    { size: 80, path: 'assets/icon-80.png' },
  ],
  listingIcon: { size: 64, path: 'assets/icon-64.png' },
  highResolutionIcon: { size: 128, path: 'assets/icon-128.png' },
  appDomains: ['https://login.microsoftonline.com'],
  permission: { xml: 'ReadItem', unified: 'MailboxItem.Read.User' },
  mailbox: { minimum: '1.1', commands: '1.3' },
  requestedHeight: 450,
};

/** The development server's address, which the committed manifests name (a build swaps in production's). */
export const DEV_BASE_URL = 'https://localhost:3000/';

/** `path` under `baseUrl` (which ends with a slash). */
export function hostedUrl(baseUrl: string, path: HostedPath): string {
  return `${baseUrl}${path}`;
}
