import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Cloud } from '../../src/core/cloud';

/**
 * A stand-in for Microsoft's sign-in service, which no real server does on demand: answers
 * `GET /<domain>/v2.0/.well-known/openid-configuration` as Microsoft documents it. A tenant's document
 * carries its `issuer` (tenant id) and the cloud fields (`cloud_instance_name`, `tenant_region_scope`,
 * `tenant_region_sub_scope`, as Microsoft's own tools read them); a domain in no tenant gets 400
 * `invalid_tenant` with AADSTS90002, the body quoted in public bug reports. CORS headers as MSAL.js
 * relies on, so the pane can read it too.
 */
export type EntraFixture =
  | { tenant: Cloud; tenantId?: string }
  | { status: number; body?: string }
  | { hang: true }
  | { delayMs: number; then: EntraFixture }
  | { huge: true }
  /** Drops the connection: no HTTP answer at all (the client's `unreachable`: the DNS evidence decides). */
  | { reset: true };

export interface EntraStandIn {
  url: string;
  /** Domains asked, in order. */
  asked: string[];
  /** Requests at once, at most, seen so far. */
  mostInFlight: number;
  set(domain: string, fixture: EntraFixture): void;
  close(): Promise<void>;
}

const CLOUD_FIELDS: Record<Cloud, Record<string, string>> = {
  commercial: { cloud_instance_name: 'microsoftonline.com', tenant_region_scope: 'NA' },
  gcc: {
    cloud_instance_name: 'microsoftonline.com',
    tenant_region_scope: 'NA',
    tenant_region_sub_scope: 'GCC',
  },
  'gcc-high': {
    cloud_instance_name: 'microsoftonline.us',
    tenant_region_scope: 'NA',
    tenant_region_sub_scope: 'DODCON',
  },
  dod: {
    cloud_instance_name: 'microsoftonline.us',
    tenant_region_scope: 'NA',
    tenant_region_sub_scope: 'DOD',
  },
  '21vianet': { cloud_instance_name: 'partner.microsoftonline.cn', tenant_region_scope: 'AS' },
};

/** A stable, made-up tenant id for a domain. */
export function tenantIdOf(domain: string): string {
  let hash = 0;
  for (const char of domain) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const hex = hash.toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}0000`;
}

function discoveryDocument(host: string, tenantId: string, cloud: Cloud): Record<string, unknown> {
  const login = `https://${host}/${tenantId}`;
  return {
    token_endpoint: `${login}/oauth2/v2.0/token`,
    jwks_uri: `https://${host}/${tenantId}/discovery/v2.0/keys`,
    issuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
    authorization_endpoint: `${login}/oauth2/v2.0/authorize`,
    ...CLOUD_FIELDS[cloud],
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: cloud === 'gcc-high' || cloud === 'dod' ? 'graph.microsoft.us' : 'graph.microsoft.com',
  };
}

function notFound(domain: string): string {
  return JSON.stringify({
    error: 'invalid_tenant',
    error_description: `AADSTS90002: Tenant '${domain}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    error_codes: [90002],
    timestamp: '2026-12-06 10:00:00Z',
    trace_id: '00000000-0000-0000-0000-000000000000',
    correlation_id: '00000000-0000-0000-0000-000000000000',
    error_uri: 'https://login.microsoftonline.com/error?code=90002',
  });
}

/** Starts the stand-in on 127.0.0.1. Domains not set are in no tenant (400 AADSTS90002). */
export async function startEntraStandIn(
  fixtures: Record<string, EntraFixture> = {},
  /** What domains not listed get; by default, "in no tenant" (400 AADSTS90002). */
  otherwise?: EntraFixture,
): Promise<EntraStandIn> {
  const table = new Map(Object.entries(fixtures));
  const sockets = new Set<Socket>();
  let inFlight = 0;
  const standIn: EntraStandIn = {
    url: '',
    asked: [],
    mostInFlight: 0,
    set: (domain, fixture) => table.set(domain, fixture),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const send = (response: ServerResponse, status: number, body: string): void => {
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'access-control-allow-origin': '*',
      'cache-control': 'max-age=86400, private',
    });
    response.end(body);
  };
  const answer = async (
    response: ServerResponse,
    domain: string,
    host: string,
    fixture: EntraFixture | undefined,
  ): Promise<void> => {
    if (!fixture)
      return otherwise ? answer(response, domain, host, otherwise) : send(response, 400, notFound(domain));
    if ('reset' in fixture) {
      response.socket?.destroy();
      return;
    }
    if ('hang' in fixture) return; // never answers: the client's time limit must end it
    if ('delayMs' in fixture) {
      await new Promise((resolve) => setTimeout(resolve, fixture.delayMs));
      return answer(response, domain, host, fixture.then);
    }
    if ('huge' in fixture) {
      response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      const chunk = `{"padding":"${'x'.repeat(60_000)}`;
      response.write(chunk);
      response.write(chunk);
      response.end('"}');
      return;
    }
    if ('status' in fixture)
      return send(response, fixture.status, fixture.body ?? '{"error":"temporarily_unavailable"}');
    return send(
      response,
      200,
      JSON.stringify(discoveryDocument(host, fixture.tenantId ?? tenantIdOf(domain), fixture.tenant)),
    );
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const match = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(request.url ?? '');
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' });
      response.end();
      return;
    }
    if (!match || request.method !== 'GET') {
      send(response, 404, '{"error":"not_found"}');
      return;
    }
    const domain = decodeURIComponent(match[1] as string).toLowerCase();
    standIn.asked.push(domain);
    inFlight += 1;
    standIn.mostInFlight = Math.max(standIn.mostInFlight, inFlight);
    response.on('close', () => {
      inFlight -= 1;
    });
    void answer(response, domain, request.headers.host ?? 'login.microsoftonline.com', table.get(domain));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}
