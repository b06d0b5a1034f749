import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TestCertificate } from './certificates';

export interface FixtureContact {
  id: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
  emailAddresses?: { name?: string; address: string }[];
}

export interface FixtureFolder {
  id: string;
  displayName: string;
  contacts: FixtureContact[];
  childFolders?: FixtureFolder[];
}

/** A mailbox: the default Contacts folder's contacts, and the folders under it. */
export interface FixtureMailbox {
  contacts: FixtureContact[];
  folders: FixtureFolder[];
}

export interface GraphServerOptions {
  mailbox: FixtureMailbox;
  certificate: TestCertificate;
  /** The bearer token every request must carry. */
  token: string;
  /** The largest page the server sends whatever `$top` asks, to force `@odata.nextLink` paging. */
  maxPageSize?: number;
  /** Latency per request, in ms. */
  latencyMs?: number;
}

/** A failure the server will answer with, for requests whose path matches. */
export interface InjectedFailure {
  path: RegExp;
  status: number;
  retryAfter?: string;
  /** How many times; Infinity until removed. */
  times: number;
}

export interface GraphServer {
  /** The base URL with version, as WCF_GRAPH_BASE_URL takes it. */
  baseUrl: string;
  /** The options it serves from; change `mailbox` to serve another mailbox. */
  options: GraphServerOptions;
  /** Every request: method, path with query, and whether it carried the right token. */
  requests: { method: string; url: string; authorized: boolean; at: number }[];
  failures: InjectedFailure[];
  close(): Promise<void>;
}

function findFolder(folders: readonly FixtureFolder[], id: string): FixtureFolder | undefined {
  for (const folder of folders) {
    if (folder.id === id) return folder;
    const child = findFolder(folder.childFolders ?? [], id);
    if (child) return child;
  }
  return undefined;
}

/**
 * A Microsoft Graph-shaped contacts server on 127.0.0.1 over HTTPS (the Graph SDK only sends the
 * token to https URLs): `/v1.0/me/contacts`, `/v1.0/me/contactFolders[/{id}/contacts|/childFolders]`,
 * `$top`/`$skip` paging with absolute `@odata.nextLink`s, `$select`, bearer-token check, CORS as a
 * browser needs it, and injectable failures (429 with `Retry-After`, 5xx, 403).
 */
export async function startGraphServer(options: GraphServerOptions): Promise<GraphServer> {
  const requests: GraphServer['requests'] = [];
  const failures: InjectedFailure[] = [];
  let origin = '';

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    response.setHeader('access-control-allow-origin', '*');
    if (request.method === 'OPTIONS') {
      response.setHeader('access-control-allow-methods', 'GET');
      response.setHeader(
        'access-control-allow-headers',
        request.headers['access-control-request-headers'] ?? '*',
      );
      response.setHeader('access-control-max-age', '600');
      response.writeHead(204).end();
      return;
    }
    const url = new URL(request.url ?? '/', origin);
    const authorized = request.headers.authorization === `Bearer ${options.token}`;
    requests.push({
      method: request.method ?? '',
      url: `${url.pathname}${url.search}`,
      authorized,
      at: Date.now(),
    });
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      response
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify(body));
    };
    if (!authorized) {
      json(401, {
        error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' },
      });
      return;
    }
    const failure = failures.find((f) => f.path.test(url.pathname) && f.times > 0);
    if (failure) {
      failure.times -= 1;
      json(
        failure.status,
        {
          error: {
            code: failure.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
            message: 'Injected failure',
          },
        },
        failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter },
      );
      return;
    }
    const path = url.pathname.replace(/^\/v1\.0/, '');
    let items: unknown[] | undefined;
    const folderMatch = /^\/me\/contactFolders\/([^/]+)\/(contacts|childFolders)$/.exec(path);
    if (path === '/me/contacts') items = options.mailbox.contacts;
    else if (path === '/me/contactFolders') items = options.mailbox.folders;
    else if (folderMatch) {
      const folder = findFolder(options.mailbox.folders, decodeURIComponent(folderMatch[1] ?? ''));
      if (!folder) {
        json(404, {
          error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' },
        });
        return;
      }
      items = folderMatch[2] === 'contacts' ? folder.contacts : (folder.childFolders ?? []);
    }
    if (!items) {
      json(400, { error: { code: 'BadRequest', message: `Unsupported path ${path}` } });
      return;
    }
    const top = Math.min(Number(url.searchParams.get('$top') ?? 10), options.maxPageSize ?? 1000);
    const skip = Number(url.searchParams.get('$skip') ?? 0);
    const select = url.searchParams.get('$select')?.split(',');
    const page = items.slice(skip, skip + top).map((item) => {
      const record = { ...(item as Record<string, unknown>) };
      delete record.contacts;
      delete record.childFolders;
      if (!select) return record;
      return Object.fromEntries(Object.entries(record).filter(([key]) => select.includes(key)));
    });
    const body: Record<string, unknown> = { value: page };
    if (skip + top < items.length) {
      const next = new URL(url);
      next.searchParams.set('$skip', String(skip + top));
      next.searchParams.set('$top', String(top));
      body['@odata.nextLink'] = next.toString();
    }
    json(200, body);
  };

  const server = createServer(
    { cert: options.certificate.cert, key: options.certificate.key },
    (request, response) => {
      handle(request, response).catch((error: unknown) => response.writeHead(500).end(String(error)));
    },
  );
  const sockets = new Set<Socket>();
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/v1.0`,
    options,
    requests,
    failures,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
