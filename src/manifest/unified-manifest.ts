/**
 * The unified manifest for Microsoft 365 (JSON), written from the add-in's facts: what the Microsoft 365
 * admin center's Integrated apps, new Outlook on Windows, Outlook on the web and classic Outlook on
 * Windows 2304+ install directly (Microsoft Learn, "Office Add-ins with the unified app manifest for
 * Microsoft 365", 2026-03-23). `npm run manifests` writes appPackage/manifest.json with the development
 * server's URL; `npm run build` writes dist/manifest.json and the app package with the production URL.
 */
import { ADDIN, DEV_BASE_URL, hostedUrl, type AddinFacts } from './addin-facts';

/** The schema version written; its official copy ships in `@microsoft/app-manifest` (tests validate offline). */
export const UNIFIED_MANIFEST_VERSION = '1.24';

/** The app package's two icons, at its root beside manifest.json (files in appPackage/). */
export const APP_PACKAGE_ICONS = { color: 'color.png', outline: 'outline.png' } as const;

const CONTEXT = { read: 'mailRead', compose: 'mailCompose' } as const;

/** The action the ribbon button runs: open the task pane. */
const OPEN_PANE_ACTION = 'openWhoCanFederate';

/** The manifest as a plain object, for the add-in hosted at `baseUrl` (ending with a slash). */
export function unifiedManifest(
  baseUrl: string = DEV_BASE_URL,
  facts: AddinFacts = ADDIN,
): Record<string, unknown> {
  const url = (path: string): string => hostedUrl(baseUrl, path);
  const icons = facts.commandIcons.map(({ size, path }) => ({ size, url: url(path) }));
  const capability = (minVersion: string) => [{ name: 'Mailbox', minVersion }];
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${UNIFIED_MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: UNIFIED_MANIFEST_VERSION,
    id: facts.id,
    version: facts.version,
    name: { short: facts.name, full: facts.name },
    description: { short: facts.shortDescription, full: facts.description },
    developer: {
      name: facts.provider,
      websiteUrl: url(facts.pages.support),
      privacyUrl: url(facts.pages.privacy),
      termsOfUseUrl: url(facts.pages.terms),
    },
    icons: { ...APP_PACKAGE_ICONS },
    accentColor: facts.accentColor,
    localizationInfo: { defaultLanguageTag: facts.locale.toLowerCase() },
    // The XML's AppDomains: pages the pane may open inside itself (host names, no scheme).
    validDomains: facts.appDomains.map((domain) => new URL(domain).host),
    authorization: {
      permissions: { resourceSpecific: [{ name: facts.permission.unified, type: 'Delegated' }] },
    },
    extensions: [
      {
        requirements: { scopes: ['mail'], capabilities: capability(facts.mailbox.commands) },
        runtimes: [
          {
            requirements: { capabilities: capability(facts.mailbox.commands) },
            id: 'taskPaneRuntime',
            type: 'general',
            code: { page: url(facts.pages.taskpane) },
            lifetime: 'short',
            actions: [{ id: OPEN_PANE_ACTION, type: 'openPage', pinnable: false }],
          },
        ],
        ribbons: [
          {
            contexts: facts.ribbon.windows.map((window) => CONTEXT[window]),
            tabs: [
              {
                builtInTabId: 'TabDefault',
                groups: [
                  {
                    id: `${facts.ribbon.idStem}Group`,
                    label: facts.ribbon.groupLabel,
                    icons,
                    controls: [
                      {
                        id: `${facts.ribbon.idStem}OpenPaneButton`,
                        type: 'button',
                        label: facts.ribbon.buttonLabel,
                        icons,
                        supertip: { title: facts.ribbon.buttonLabel, description: facts.ribbon.tooltip },
                        actionId: OPEN_PANE_ACTION,
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
        // The XML's IconUrl and HighResolutionIconUrl. Both are given at 64: the schema allows sizes up
        // to 80, and Microsoft's own sample gives the 128-pixel file as a size-64 high-resolution icon
        // (Microsoft Learn, "Office Add-ins with the unified app manifest for Microsoft 365", "Sample
        // unified manifest"). With them, the admin center can make an XML manifest for older Outlooks.
        alternates: [
          {
            alternateIcons: {
              icon: { size: facts.listingIcon.size, url: url(facts.listingIcon.path) },
              highResolutionIcon: { size: facts.listingIcon.size, url: url(facts.highResolutionIcon.path) },
            },
          },
        ],
      },
    ],
  };
}

/** appPackage/manifest.json's text (two-space JSON and a final newline, as Prettier leaves it). */
export function unifiedManifestText(baseUrl: string = DEV_BASE_URL, facts: AddinFacts = ADDIN): string {
  return `${JSON.stringify(unifiedManifest(baseUrl, facts), null, 2)}\n`;
}
