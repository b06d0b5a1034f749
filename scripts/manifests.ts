/**
 * `npm run manifests`: writes manifest.xml and appPackage/manifest.json from src/manifest/addin-facts.ts
 * (the development server's URLs). A test fails while the committed files differ from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unifiedManifestText } from '../src/manifest/unified-manifest';
import { xmlManifest } from '../src/manifest/xml-manifest';

/** The project's root, from build/scripts/ (compiled) or scripts/ (ts-jest). */
const ROOT = join(__dirname, __dirname.includes(`${join('build', 'scripts')}`) ? '../..' : '..');

/** Where each manifest lives in the project, and its text. */
export function manifestFiles(): { path: string; text: string }[] {
  return [
    { path: join(ROOT, 'manifest.xml'), text: xmlManifest() },
    { path: join(ROOT, 'appPackage', 'manifest.json'), text: unifiedManifestText() },
  ];
}

if (require.main === module) {
  for (const { path, text } of manifestFiles()) {
    writeFileSync(path, text);
    console.log(`Wrote ${path}`);
  }
}
