import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { projectRoot } from './project-root';

const SCHEMA_DIR = join(projectRoot(), 'test', 'fixtures', 'outlook-manifest');
const MAIN_SCHEMA = 'OfficeAppManifestV1_1.xsd';

/**
 * Validates a manifest against the official Outlook manifest schemas, offline (libxml2 compiled to
 * WebAssembly, so no Debian package is needed). Resolves with libxml2's errors; none means valid.
 */
export async function validateManifest(xml: string): Promise<string[]> {
  const files = (await readdir(SCHEMA_DIR)).filter((f) => f.endsWith('.xsd'));
  const read = (name: string) => readFile(join(SCHEMA_DIR, name), 'utf8');
  const result = await validateXML({
    xml: [{ fileName: 'manifest.xml', contents: xml }],
    schema: [{ fileName: MAIN_SCHEMA, contents: await read(MAIN_SCHEMA) }],
    preload: await Promise.all(
      files
        .filter((f) => f !== MAIN_SCHEMA)
        .map(async (fileName) => ({ fileName, contents: await read(fileName) })),
    ),
  });
  return result.errors.map((e) => e.message);
}
