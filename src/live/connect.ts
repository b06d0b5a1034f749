import { connect as tcpConnect, type Socket } from 'node:net';
import type { LiveStatus } from '../core/live';

/** Why a connection attempt ended without an answer, as a status and words. */
export class ProbeEnded extends Error {
  override name = 'ProbeEnded';
  constructor(
    readonly status: Exclude<LiveStatus, 'answering'>,
    message: string,
  ) {
    super(message);
  }
}

/** The server said no: nothing listens there. */
const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET']);
/** Our side cannot get there (no IPv6 route, say): that says nothing about the server, so it stays unknown. */
const UNREACHABLE_FROM_HERE = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']);

/** A failed TCP connect in the statuses a person reads. */
function connectFailure(error: unknown): ProbeEnded {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  if (REFUSED.has(code)) return new ProbeEnded('refused', `connection refused (${code})`);
  if (UNREACHABLE_FROM_HERE.has(code)) {
    return new ProbeEnded(
      'timeout',
      `not reachable from this network (${code}); the server may still answer`,
    );
  }
  return new ProbeEnded('refused', message);
}

/**
 * Opens a TCP connection within the deadline. Rejects with `refused` or `timeout`; the caller owns
 * the socket on success and must destroy it.
 */
export function openTcp(address: string, port: number, deadline: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: address, port });
    const onAbort = (): void => {
      socket.destroy();
      reject(new ProbeEnded('timeout', 'no connection within the time allowed'));
    };
    if (deadline.aborted) return onAbort();
    deadline.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      deadline.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (error) => {
      deadline.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(connectFailure(error));
    });
  });
}
