import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readPng } from '../support/png';
import { validateManifest } from '../support/validate-manifest';

const ROOT = join(__dirname, '..', '..');

describe('manifest.xml (the XML manifest)', () => {
  let xml: string;
  beforeAll(async () => {
    xml = await readFile(join(ROOT, 'manifest.xml'), 'utf8');
  });

  it('validates against the official Outlook manifest schemas, offline', async () => {
    expect(await validateManifest(xml)).toEqual([]);
  });

  it('is rejected by the same validation when broken (the check can fail)', async () => {
    const broken = xml.replace(/<Id>[^<]+<\/Id>/, '<Id>not-a-guid</Id>');
    expect((await validateManifest(broken)).join('\n')).toMatch(/Id/);
    const misplaced = xml.replace(
      '<Permissions>ReadItem</Permissions>',
      '<Permissions>Everything</Permissions>',
    );
    expect(await validateManifest(misplaced)).not.toEqual([]);
  });

  it('keeps a stable Id and asks for no more than ReadItem', () => {
    expect(xml).toContain('<Id>3b165609-94ff-4854-9f22-06a684669920</Id>');
    expect(xml).toMatch(/<Permissions>ReadItem<\/Permissions>/);
  });

  it('puts a "Who Can Federate" button that opens the task pane on the read and compose surfaces', () => {
    expect(xml).toMatch(/<bt:String id="TaskpaneButton.Label" DefaultValue="Who Can Federate"\/>/);
    for (const surface of ['MessageReadCommandSurface', 'MessageComposeCommandSurface']) {
      const start = xml.indexOf(`xsi:type="${surface}"`);
      expect(start).toBeGreaterThan(0);
      const block = xml.slice(start, xml.indexOf('</ExtensionPoint>', start));
      expect(block).toMatch(/<Label resid="TaskpaneButton.Label"\/>/);
      expect(block).toMatch(/<Action xsi:type="ShowTaskpane">\s*<SourceLocation resid="Taskpane.Url"\/>/);
    }
    expect(xml).toMatch(
      /<bt:Url id="Taskpane.Url" DefaultValue="https:\/\/localhost:3000\/taskpane.html"\/>/,
    );
    expect(xml).toMatch(/<SupportUrl DefaultValue="https:\/\/localhost:3000\/support.html"\/>/);
  });

  it('names icons that exist in assets/ in the sizes it declares', async () => {
    const icons = [...xml.matchAll(/https:\/\/localhost:3000\/assets\/icon-(\d+)\.png/g)].map((m) =>
      Number(m[1]),
    );
    expect(new Set(icons)).toEqual(new Set([16, 32, 64, 80, 128]));
    for (const size of new Set(icons)) {
      const { width, height } = await readPng(join(ROOT, 'assets', `icon-${size}.png`));
      expect([width, height]).toEqual([size, size]);
    }
  });
});
