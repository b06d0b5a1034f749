import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { appPackage } from '../../src/manifest/app-package';
import { unifiedManifestText } from '../../src/manifest/unified-manifest';

const ROOT = join(__dirname, '..', '..');

describe('the app package (a zip for the Microsoft 365 admin center)', () => {
  it('holds manifest.json and both icons at its root, byte for byte, and nothing else', async () => {
    const manifest = unifiedManifestText('https://addin.example.org/wcf/');
    const color = await readFile(join(ROOT, 'appPackage', 'color.png'));
    const outline = await readFile(join(ROOT, 'appPackage', 'outline.png'));
    const zip = appPackage({ manifest, color, outline });
    // A zip file: local header signature, and an end-of-central-directory record.
    expect(Buffer.from(zip.subarray(0, 4)).toString('hex')).toBe('504b0304');
    expect(Buffer.from(zip).includes(Buffer.from('504b0506', 'hex'))).toBe(true);
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(strFromU8(entries['manifest.json'] ?? new Uint8Array())).toBe(manifest);
    expect(Buffer.from(entries['color.png'] ?? []).equals(color)).toBe(true);
    expect(Buffer.from(entries['outline.png'] ?? []).equals(outline)).toBe(true);
  });

  it('is the same bytes each time it is built from the same parts (a reproducible build)', async () => {
    const parts = {
      manifest: unifiedManifestText(),
      color: await readFile(join(ROOT, 'appPackage', 'color.png')),
      outline: await readFile(join(ROOT, 'appPackage', 'outline.png')),
    };
    expect(Buffer.from(appPackage(parts)).equals(Buffer.from(appPackage(parts)))).toBe(true);
  });
});
