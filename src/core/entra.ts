import { DISCOVERY_CONVENTIONS } from './microsoft-conventions';
import type { Cloud, EntraFinding } from './types';
export type { EntraFinding } from './types';

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
