import { readFile } from 'node:fs/promises';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * Validates a unified manifest against the official JSON schema of the version its `$schema` names, from
 * the copy Microsoft ships in `@microsoft/app-manifest` (v1.0 … v1.30), offline. The schemas are JSON
 * Schema draft-04; they are checked as that package's own `AppManifestUtils.validateAgainstSchema` does
 * (Ajv for draft-04, all errors, formats uri/email/regex), which Jest cannot load itself (it requires an
 * ES module). Resolves with the schema's complaints, "<path> <message>"; none means valid.
 */
export async function validateUnifiedManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const schemaUrl = String(manifest.$schema ?? '');
  const version = /\/json-schemas\/teams\/(v[\w.]+)\/MicrosoftTeams\.schema\.json$/.exec(schemaUrl)?.[1];
  if (!version) return [`$schema is not a unified manifest schema: ${schemaUrl || '(none)'}`];
  const file = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/${version}/MicrosoftTeams.schema.json`,
  );
  const schema = JSON.parse(await readFile(file, 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}
