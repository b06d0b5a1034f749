import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ManifestInfo } from 'office-addin-manifest';

/**
 * A manifest (XML or unified JSON) as Microsoft's own reader, office-addin-manifest's
 * `OfficeAddinManifest.readManifestFile`, sees it. It runs in a child Node process: the package requires
 * an ES module (strip-bom), which Node loads and Jest's module system does not.
 */
export async function readManifestInfo(file: string): Promise<ManifestInfo> {
  const script = `require('office-addin-manifest').OfficeAddinManifest.readManifestFile(process.argv[1])
    .then((info) => process.stdout.write(JSON.stringify(info)))`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, file]);
  return JSON.parse(stdout) as ManifestInfo;
}
