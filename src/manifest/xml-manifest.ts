/**
 * The XML ("add-in only") manifest, written from the add-in's facts: the form every Outlook accepts
 * (Mac, mobile, perpetual Office, sideloading from a file). `npm run manifests` writes it to manifest.xml
 * with the development server's URL; `npm run build` writes dist/manifest.xml with the production URL.
 */
import { ADDIN, DEV_BASE_URL, hostedUrl, type AddinFacts } from './addin-facts';

/** Text made safe inside a double-quoted attribute or an element. */
function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const SURFACE = {
  read: { extensionPoint: 'MessageReadCommandSurface', word: 'Read' },
  compose: { extensionPoint: 'MessageComposeCommandSurface', word: 'Compose' },
} as const;

function extensionPoint(facts: AddinFacts, window: 'read' | 'compose'): string[] {
  const { extensionPoint: type, word } = SURFACE[window];
  const stem = facts.ribbon.idStem;
  return [
    `            <ExtensionPoint xsi:type="${type}">`,
    '              <OfficeTab id="TabDefault">',
    `                <Group id="${stem}${word}Group">`,
    '                  <Label resid="Group.Label"/>',
    `                  <Control xsi:type="Button" id="${stem}${word}OpenPaneButton">`,
    '                    <Label resid="TaskpaneButton.Label"/>',
    '                    <Supertip>',
    '                      <Title resid="TaskpaneButton.Label"/>',
    '                      <Description resid="TaskpaneButton.Tooltip"/>',
    '                    </Supertip>',
    '                    <Icon>',
    ...facts.commandIcons.map(
      ({ size }) => `                      <bt:Image size="${size}" resid="Icon.${size}x${size}"/>`,
    ),
    '                    </Icon>',
    '                    <Action xsi:type="ShowTaskpane">',
    '                      <SourceLocation resid="Taskpane.Url"/>',
    '                    </Action>',
    '                  </Control>',
    '                </Group>',
    '              </OfficeTab>',
    '            </ExtensionPoint>',
  ];
}

/** manifest.xml's text for the add-in hosted at `baseUrl` (ending with a slash). */
export function xmlManifest(baseUrl: string = DEV_BASE_URL, facts: AddinFacts = ADDIN): string {
  const url = (path: string): string => escapeXml(hostedUrl(baseUrl, path));
  const text = escapeXml;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!--',
    '  Who Can Federate: Outlook add-in manifest (XML, the form every Outlook client accepts for sideloading).',
    '  Written by `npm run manifests` from src/manifest/addin-facts.ts, which appPackage/manifest.json (the',
    '  unified manifest) is written from too: change that file, not this one. URLs point at the development',
    '  server; `npm run build` writes dist/manifest.xml with WCF_PRODUCTION_URL. Validate offline with',
    '  `npm test`, online with `npm run validate`.',
    '-->',
    '<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1"',
    '           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    '           xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0"',
    '           xmlns:mailappor="http://schemas.microsoft.com/office/mailappversionoverrides/1.0"',
    '           xsi:type="MailApp">',
    `  <Id>${facts.id}</Id>`,
    `  <Version>${facts.version}.0</Version>`,
    `  <ProviderName>${text(facts.provider)}</ProviderName>`,
    `  <DefaultLocale>${facts.locale}</DefaultLocale>`,
    `  <DisplayName DefaultValue="${text(facts.name)}"/>`,
    `  <Description DefaultValue="${text(facts.description)}"/>`,
    `  <IconUrl DefaultValue="${url(facts.listingIcon.path)}"/>`,
    `  <HighResolutionIconUrl DefaultValue="${url(facts.highResolutionIcon.path)}"/>`,
    `  <SupportUrl DefaultValue="${url(facts.pages.support)}"/>`,
    '  <AppDomains>',
    ...facts.appDomains.map((domain) => `    <AppDomain>${text(domain)}</AppDomain>`),
    '  </AppDomains>',
    '  <Hosts>',
    '    <Host Name="Mailbox"/>',
    '  </Hosts>',
    '  <Requirements>',
    '    <Sets>',
    `      <Set Name="Mailbox" MinVersion="${facts.mailbox.minimum}"/>`,
    '    </Sets>',
    '  </Requirements>',
    '  <FormSettings>',
    '    <Form xsi:type="ItemRead">',
    '      <DesktopSettings>',
    `        <SourceLocation DefaultValue="${url(facts.pages.taskpane)}"/>`,
    `        <RequestedHeight>${facts.requestedHeight}</RequestedHeight>`,
    '      </DesktopSettings>',
    '    </Form>',
    '    <Form xsi:type="ItemEdit">',
    '      <DesktopSettings>',
    `        <SourceLocation DefaultValue="${url(facts.pages.taskpane)}"/>`,
    '      </DesktopSettings>',
    '    </Form>',
    '  </FormSettings>',
    `  <!-- Least privilege: ${facts.permission.xml} lets the pane read the open message's sender and recipients; contacts come from Graph. -->`,
    `  <Permissions>${facts.permission.xml}</Permissions>`,
    '  <Rule xsi:type="RuleCollection" Mode="Or">',
    '    <Rule xsi:type="ItemIs" ItemType="Message" FormType="Read"/>',
    '    <Rule xsi:type="ItemIs" ItemType="Message" FormType="Edit"/>',
    '  </Rule>',
    '  <DisableEntityHighlighting>false</DisableEntityHighlighting>',
    '  <VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides" xsi:type="VersionOverridesV1_0">',
    '    <VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides/1.1" xsi:type="VersionOverridesV1_1">',
    '      <Requirements>',
    `        <bt:Sets DefaultMinVersion="${facts.mailbox.commands}">`,
    '          <bt:Set Name="Mailbox"/>',
    '        </bt:Sets>',
    '      </Requirements>',
    '      <Hosts>',
    '        <Host xsi:type="MailHost">',
    '          <DesktopFormFactor>',
    '            <FunctionFile resid="Commands.Url"/>',
    ...facts.ribbon.windows.flatMap((window) => extensionPoint(facts, window)),
    '          </DesktopFormFactor>',
    '        </Host>',
    '      </Hosts>',
    '      <Resources>',
    '        <bt:Images>',
    ...facts.commandIcons.map(
      ({ size, path }) => `          <bt:Image id="Icon.${size}x${size}" DefaultValue="${url(path)}"/>`,
    ),
    '        </bt:Images>',
    '        <bt:Urls>',
    `          <bt:Url id="Commands.Url" DefaultValue="${url(facts.pages.commands)}"/>`,
    `          <bt:Url id="Taskpane.Url" DefaultValue="${url(facts.pages.taskpane)}"/>`,
    '        </bt:Urls>',
    '        <bt:ShortStrings>',
    `          <bt:String id="Group.Label" DefaultValue="${text(facts.ribbon.groupLabel)}"/>`,
    `          <bt:String id="TaskpaneButton.Label" DefaultValue="${text(facts.ribbon.buttonLabel)}"/>`,
    '        </bt:ShortStrings>',
    '        <bt:LongStrings>',
    `          <bt:String id="TaskpaneButton.Tooltip" DefaultValue="${text(facts.ribbon.tooltip)}"/>`,
    '        </bt:LongStrings>',
    '      </Resources>',
    '    </VersionOverrides>',
    '  </VersionOverrides>',
    '</OfficeApp>',
    '',
  ];
  return lines.join('\n');
}
