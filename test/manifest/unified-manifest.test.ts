import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ADDIN } from '../../src/manifest/addin-facts';
import { unifiedManifest, UNIFIED_MANIFEST_VERSION } from '../../src/manifest/unified-manifest';
import { readPng } from '../support/png';
import { validateUnifiedManifest } from '../support/validate-unified-manifest';

const ROOT = join(__dirname, '..', '..');

/** Every string in a JSON value, with its path, for checks over the whole manifest. */
function strings(value: unknown, at = ''): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => strings(item, `${at}.${key}`));
  return [];
}

interface Ribbon {
  contexts: string[];
  tabs: { builtInTabId: string; groups: { controls: { label: string; actionId: string }[] }[] }[];
}
interface Runtime {
  code: { page: string };
  actions: { id: string; type: string }[];
}
interface Extension {
  requirements: { scopes: string[] };
  runtimes: Runtime[];
  ribbons: Ribbon[];
}

describe('appPackage/manifest.json (the unified manifest for Microsoft 365)', () => {
  let manifest: Record<string, unknown>;
  beforeAll(async () => {
    manifest = JSON.parse(await readFile(join(ROOT, 'appPackage', 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
  });

  it(`validates offline against the official v${UNIFIED_MANIFEST_VERSION} schema from @microsoft/app-manifest`, async () => {
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${UNIFIED_MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    );
    expect(manifest.manifestVersion).toBe(UNIFIED_MANIFEST_VERSION);
    expect(Number(UNIFIED_MANIFEST_VERSION.split('.')[1])).toBeGreaterThanOrEqual(17);
    expect(await validateUnifiedManifest(manifest)).toEqual([]);
  });

  it('is rejected by the same validation when broken (the check can fail)', async () => {
    const longName = { ...manifest, name: { short: 'W'.repeat(31) } };
    expect((await validateUnifiedManifest(longName)).join('\n')).toMatch(/\/name\/short/);
    // (the schema lets http:// through; 'names https pages only' below holds us to https)
    const bigIcon = JSON.parse(JSON.stringify(manifest).replace('"size":80', '"size":128')) as Record<
      string,
      unknown
    >;
    expect((await validateUnifiedManifest(bigIcon)).join('\n')).toMatch(/icons\/2\/size/);
    const noId = { ...manifest };
    delete noId.id;
    expect((await validateUnifiedManifest(noId)).join('\n')).toMatch(/id/);
    expect(await validateUnifiedManifest({ ...manifest, $schema: 'https://example.org/x.json' })).not.toEqual(
      [],
    );
  });

  it("asks only MailboxItem.Read.User (the XML's ReadItem)", () => {
    expect(manifest.authorization).toEqual({
      permissions: { resourceSpecific: [{ name: 'MailboxItem.Read.User', type: 'Delegated' }] },
    });
  });

  it('names https pages only', () => {
    const urls = strings(manifest).filter(([, text]) => /^[a-z]+:\/\//i.test(text));
    expect(urls.length).toBeGreaterThan(10);
    for (const [at, url] of urls) expect(`${at} ${url}`).toMatch(/ https:\/\//);
  });

  it('puts a "Who Can Federate" button that opens the task pane in read and compose windows', () => {
    const [extension] = manifest.extensions as Extension[];
    expect(extension?.requirements.scopes).toEqual(['mail']);
    const [ribbon] = extension?.ribbons ?? [];
    expect(ribbon?.contexts).toEqual(['mailRead', 'mailCompose']);
    const control = ribbon?.tabs[0]?.groups[0]?.controls[0];
    expect(control?.label).toBe('Who Can Federate');
    const runtime = extension?.runtimes.find((r) => r.actions.some((a) => a.id === control?.actionId));
    expect(runtime?.actions.find((a) => a.id === control?.actionId)?.type).toBe('openPage');
    expect(runtime?.code.page).toBe('https://localhost:3000/taskpane.html');
  });

  it('ships a 192×192 colour icon and a 32×32 outline icon: white on transparent', async () => {
    const icons = manifest.icons as { color: string; outline: string };
    const color = await readPng(join(ROOT, 'appPackage', icons.color));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = await readPng(join(ROOT, 'appPackage', icons.outline));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let drawn = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      if (a === 0) continue;
      drawn += 1;
      expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(drawn).toBeGreaterThan(32 * 32 * 0.1);
    expect(drawn).toBeLessThan(32 * 32 * 0.6);
  });

  it('gives a production URL everywhere the development one was, and nothing else changes', () => {
    const production = JSON.stringify(unifiedManifest('https://addin.example.org/wcf/'));
    expect(production).not.toContain('localhost');
    expect(production.replace(/https:\/\/addin\.example\.org\/wcf\//g, 'https://localhost:3000/')).toBe(
      JSON.stringify(manifest),
    );
    expect(production).toContain(`"id":"${ADDIN.id}"`);
  });
});
