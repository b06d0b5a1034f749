import type { Cloud } from './cloud';
import { DISCOVERY_CONVENTIONS } from './microsoft-conventions';

/**
 * What Entra ID's OpenID discovery document says of a domain: the one public, definitive test of
 * whether a domain is verified in a Microsoft 365 (Entra ID) tenant, whatever its DNS says (mail
 * behind a third-party filter, no autodiscover, no DKIM).
 * - `tenant`: 200 with a discovery document; its `issuer` holds the tenant id;
 * - `none`: 400 `invalid_tenant` (AADSTS90002): the domain is in no tenant;
 * - `error`: anything else (5xx, a time-out, a body that is not the document): not known, never "no";
 * - `unreachable`: no HTTP answer could be read at all (offline, blocked, or a browser refusing an
 *   answer without CORS headers, which we could not confirm Microsoft sends on its 400s): the
 *   verdict then stands on the DNS evidence alone, as if discovery had not been asked.
 */
export type EntraFinding =
  | { status: 'tenant'; tenantId: string; cloud: Cloud }
  | { status: 'none' }
  | { status: 'error'; error: string }
  | { status: 'unreachable'; error: string };

/** A discovery document is a few kB; anything much larger is not one. */
export const MOST_DISCOVERY_BYTES = 64 * 1024;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The cloud a discovery document names, by `cloud_instance_name` and `tenant_region_sub_scope`. */
export function cloudOfDiscovery(document: { instance: string; subScope?: string }): Cloud | undefined {
  const instance = document.instance.toLowerCase();
  const subScope = document.subScope?.toUpperCase();
  return DISCOVERY_CONVENTIONS.find(
    (row) => row.instance === instance && (row.subScope === undefined || row.subScope === subScope),
  )?.cloud;
}

function field(document: Record<string, unknown>, name: string): string | undefined {
  const value = document[name];
  return typeof value === 'string' && value.length <= 512 ? value : undefined;
}

/**
 * Reads the answer to `GET <base>/<domain>/v2.0/.well-known/openid-configuration`. The body is
 * whoever answered's: it is checked, not trusted (a tenant id must be a GUID in an `issuer` of the
 * expected shape, the cloud one this table knows).
 */
export function interpretDiscovery(status: number, body: string): EntraFinding {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return {
      status: 'error',
      error: `Microsoft's sign-in service answered HTTP ${status} without a document`,
    };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return {
      status: 'error',
      error: `Microsoft's sign-in service answered HTTP ${status} without a document`,
    };
  }
  const fields = document as Record<string, unknown>;
  if (status === 400) {
    const codes = Array.isArray(fields.error_codes) ? fields.error_codes : [];
    const description = field(fields, 'error_description') ?? '';
    if (
      field(fields, 'error') === 'invalid_tenant' &&
      (codes.includes(90002) || description.startsWith('AADSTS90002'))
    ) {
      return { status: 'none' };
    }
    return {
      status: 'error',
      error:
        `Microsoft's sign-in service refused the question (HTTP 400 ${field(fields, 'error') ?? ''})`.trim(),
    };
  }
  if (status !== 200) {
    return { status: 'error', error: `Microsoft's sign-in service answered HTTP ${status}` };
  }
  const issuer = field(fields, 'issuer') ?? '';
  const match = /^https:\/\/[^/]+\/([^/]+)\/v2\.0\/?$/.exec(issuer);
  const tenantId = match?.[1];
  if (!tenantId || !GUID.test(tenantId)) {
    return { status: 'error', error: "Microsoft's sign-in service sent a document without a tenant id" };
  }
  const instance = field(fields, 'cloud_instance_name');
  const cloud = instance
    ? cloudOfDiscovery({ instance, subScope: field(fields, 'tenant_region_sub_scope') })
    : undefined;
  if (!cloud) {
    return {
      status: 'error',
      error: `Microsoft's sign-in service named a cloud we do not know (${instance ?? 'none'})`,
    };
  }
  return { status: 'tenant', tenantId: tenantId.toLowerCase(), cloud };
}
