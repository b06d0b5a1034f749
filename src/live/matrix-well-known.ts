import { request } from 'node:http';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { interpretAddresses } from '../dns/answer';
import type { DnsQuerier } from '../dns/querier';
import { socketErrorWords } from '../dns/socket-error';
import type { AddressPolicy } from './address-policy';
import { tcpConnectTo, type ConnectFunction } from './connect';
import { Deadline } from './deadline';

/** What `https://<domain>/.well-known/matrix/server` said (Matrix spec, server-server API §2.1). */
export type MatrixDelegation =
  | { status: 'found'; server: string }
  | { status: 'none'; detail: string }
  | { status: 'blocked' | 'error'; detail: string };

export interface MatrixWellKnownOptions {
  resolver: DnsQuerier;
  /** The live checks' address policy: only the addresses it allows are contacted. */
  policy: AddressPolicy;
  connect?: ConnectFunction;
  /** For the whole fetch, look-up included (5 s by default). */
  timeoutMs?: number;
  /** A larger document is not read (16 kB by default; a delegation is a few dozen bytes). */
  maxBytes?: number;
  /** TLS settings beside the defaults (tests pass their own `ca`); the certificate is always checked. */
  tls?: Pick<ConnectionOptions, 'ca'>;
  /** 443 in the world; a test server's port in tests. */
  port?: number;
}

/** A delegated server name: a host name or IP literal, with an optional port (spec: "server name"). */
const SERVER_NAME =
  /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*)(?::\d{1,5})?$/i;

/** Reads the delegation's `m.server`, refusing anything that is not a plain server name. */
function delegationOf(body: string): MatrixDelegation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 'error', detail: 'the .well-known document is not JSON' };
  }
  const server = (parsed as { 'm.server'?: unknown } | null)?.['m.server'];
  if (typeof server !== 'string')
    return { status: 'none', detail: 'the .well-known document names no m.server' };
  const port = Number(/:(\d+)$/.exec(server)?.[1] ?? 8448);
  if (server.length > 255 || !SERVER_NAME.test(server) || port < 1 || port > 65_535) {
    return { status: 'error', detail: 'the .well-known m.server is not a server name' };
  }
  return { status: 'found', server: server.toLowerCase() };
}

/**
 * Fetches a domain's Matrix delegation under the live checks' rules: the domain's addresses come
 * from the same resolvers, only an address the policy allows is contacted, the connection goes to
 * that very address (TLS with the domain as SNI, its certificate checked), and the answer is bounded
 * in size and time. Browsers cannot read other sites' `.well-known` (no CORS), so only the CLI
 * (`--live`) and the collector do this.
 */
export async function matrixWellKnown(
  domain: string,
  options: MatrixWellKnownOptions,
  signal?: AbortSignal,
): Promise<MatrixDelegation> {
  const deadline = new Deadline(options.timeoutMs ?? 5000, signal);
  const maxBytes = options.maxBytes ?? 16 * 1024;
  try {
    const addresses: string[] = [];
    for (const type of ['A', 'AAAA'] as const) {
      const answer = interpretAddresses(
        await options.resolver.query(domain, type, deadline.signal),
        domain,
        type,
      );
      addresses.push(...answer.addresses);
    }
    if (addresses.length === 0) return { status: 'none', detail: `${domain} has no address` };
    const allowed = addresses.find((address) => options.policy.checkAddress(address).allowed);
    if (!allowed) {
      const verdict = options.policy.checkAddress(addresses[0] as string);
      return { status: 'blocked', detail: verdict.allowed ? 'not allowed' : verdict.reason };
    }
    const socket = await (options.connect ?? tcpConnectTo)(allowed, options.port ?? 443, deadline.signal);
    const secure = tlsConnect({ socket, servername: domain, ALPNProtocols: ['http/1.1'], ...options.tls });
    return await new Promise<MatrixDelegation>((resolve) => {
      const stop = (): void => {
        secure.destroy();
        resolve({ status: 'error', detail: `no answer within ${deadline.ms} ms` });
      };
      deadline.signal.addEventListener('abort', stop, { once: true });
      const done = (result: MatrixDelegation): void => {
        deadline.signal.removeEventListener('abort', stop);
        secure.destroy();
        resolve(result);
      };
      const get = request(
        {
          host: domain,
          path: '/.well-known/matrix/server',
          headers: { accept: 'application/json', 'user-agent': 'who-can-federate' },
          createConnection: () => secure,
        },
        (response) => {
          if (response.statusCode !== 200) {
            response.resume();
            done({ status: 'none', detail: `the web server answered ${response.statusCode ?? '?'}` });
            return;
          }
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
            if (body.length > maxBytes)
              done({ status: 'error', detail: `the .well-known document is over ${maxBytes} bytes` });
          });
          response.on('end', () => done(delegationOf(body)));
          response.on('error', (error) => done({ status: 'error', detail: socketErrorWords(error) }));
        },
      );
      get.on('error', (error) => done({ status: 'error', detail: socketErrorWords(error) }));
      get.end();
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    return {
      status: 'error',
      detail: deadline.expired ? `no answer within ${deadline.ms} ms` : socketErrorWords(error),
    };
  } finally {
    deadline.dispose();
  }
}
