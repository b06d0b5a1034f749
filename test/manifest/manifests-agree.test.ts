import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestFiles } from '../../scripts/manifests';
import { readManifestInfo } from '../support/read-manifest-info';

const ROOT = join(__dirname, '..', '..');

/** The texts of every string attribute or element in the XML manifest's resources, by id. */
function xmlResources(xml: string): Map<string, string> {
  const found = [...xml.matchAll(/<bt:(?:String|Url|Image) id="([^"]+)" DefaultValue="([^"]*)"\/>/g)];
  return new Map(found.map((m) => [m[1] ?? '', (m[2] ?? '').replace(/&quot;/g, '"').replace(/&amp;/g, '&')]));
}

describe('manifest.xml and appPackage/manifest.json', () => {
  it('are exactly what `npm run manifests` writes from src/manifest/addin-facts.ts (no hand edits)', async () => {
    for (const { path, text } of manifestFiles()) {
      const committed = await readFile(path, 'utf8');
      if (committed !== text) {
        throw new Error(
          `${path} differs from what \`npm run manifests\` writes: run it, or change addin-facts.ts`,
        );
      }
    }
  });

  it("agree on what they share, as Microsoft's own manifest reader (office-addin-manifest) reads them", async () => {
    const xml = await readManifestInfo(join(ROOT, 'manifest.xml'));
    const json = await readManifestInfo(join(ROOT, 'appPackage', 'manifest.json'));
    expect(xml.manifestType).toBe('xml');
    expect(json.manifestType).toBe('json');
    expect(json.id).toBe(xml.id);
    expect(`${json.version}.0`).toBe(xml.version);
    expect(json.displayName).toBe(xml.displayName);
    expect(json.providerName).toBe(xml.providerName);
    expect(json.supportUrl).toBe(xml.supportUrl);
    expect(json.defaultLocale?.toLowerCase()).toBe(xml.defaultLocale?.toLowerCase());
    expect(json.appDomains).toEqual(xml.appDomains?.map((domain) => new URL(domain).host));
    // The same permission in each manifest's words (Microsoft Learn, "Understanding Outlook add-in permissions").
    expect([xml.permissions, json.permissions]).toEqual(['ReadItem', 'MailboxItem.Read.User']);
  });

  it('agree on the ribbon, the pages, the words and the icons', async () => {
    const xml = await readFile(join(ROOT, 'manifest.xml'), 'utf8');
    const json = JSON.parse(await readFile(join(ROOT, 'appPackage', 'manifest.json'), 'utf8')) as {
      description: { full: string };
      developer: { privacyUrl: string };
      extensions: {
        runtimes: { code: { page: string } }[];
        ribbons: {
          contexts: string[];
          tabs: {
            groups: {
              label: string;
              icons: { size: number; url: string }[];
              controls: { label: string; supertip: { title: string; description: string } }[];
            }[];
          }[];
        }[];
        alternates: { alternateIcons: { icon: { url: string }; highResolutionIcon: { url: string } } }[];
      }[];
    };
    const resources = xmlResources(xml);
    const [extension] = json.extensions;
    const group = extension?.ribbons[0]?.tabs[0]?.groups[0];
    const control = group?.controls[0];
    expect(group?.label).toBe(resources.get('Group.Label'));
    expect(control?.label).toBe(resources.get('TaskpaneButton.Label'));
    expect(control?.supertip).toEqual({
      title: resources.get('TaskpaneButton.Label'),
      description: resources.get('TaskpaneButton.Tooltip'),
    });
    expect(extension?.runtimes[0]?.code.page).toBe(resources.get('Taskpane.Url'));
    for (const { size, url } of group?.icons ?? []) expect(resources.get(`Icon.${size}x${size}`)).toBe(url);
    expect(group?.icons.map((icon) => icon.size)).toEqual([16, 32, 80]);
    // Read and compose windows, in both.
    expect(extension?.ribbons[0]?.contexts).toEqual(['mailRead', 'mailCompose']);
    expect(xml).toContain('xsi:type="MessageReadCommandSurface"');
    expect(xml).toContain('xsi:type="MessageComposeCommandSurface"');
    expect(xml).toContain(`<Description DefaultValue="${json.description.full}"/>`);
    const icons = extension?.alternates[0]?.alternateIcons;
    expect(xml).toContain(`<IconUrl DefaultValue="${icons?.icon.url}"/>`);
    expect(xml).toContain(`<HighResolutionIconUrl DefaultValue="${icons?.highResolutionIcon.url}"/>`);
    expect(json.developer.privacyUrl).toBe('https://localhost:3000/privacy.html');
  });
});
