import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import type { LiveStatus } from '../core/live';
import { socketErrorWords } from '../dns/socket-error';
import { DeadlineExceeded } from './deadline';

/** Why a connection attempt ended without an answer, as a status and words. */
export class ProbeEnded extends Error {
  override name = 'ProbeEnded';
  constructor(
    readonly status: Exclude<LiveStatus, 'answering'>,
    message: string,
    /** Whether the server itself is out of reach (refused, silent): every domain behind it gets the same. */
    readonly serverDown = false,
  ) {
    super(message);
  }
}

/**
 * Opens a TCP connection to an IP address: the live checks' one way out, injected so that tests
 * can prove which addresses are never tried. Rejects on failure; the caller owns the socket.
 */
export type ConnectFunction = (address: string, port: number, signal: AbortSignal) => Promise<Socket>;

/** The server said no: nothing listens there. */
const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET']);
/** Our side cannot get there (no IPv6 route, say): that says nothing about the server, so it stays unknown. */
const UNREACHABLE_FROM_HERE = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']);

/** A failed TCP connect in the statuses a person reads. */
export function connectFailure(error: unknown): ProbeEnded {
  if (error instanceof ProbeEnded) return error;
  const code = (error as { code?: string }).code ?? '';
  if (REFUSED.has(code)) return new ProbeEnded('refused', 'connection refused', true);
  if (UNREACHABLE_FROM_HERE.has(code)) {
    return new ProbeEnded('timeout', 'not reachable from this network; the server may still answer', true);
  }
  return new ProbeEnded('refused', `connection failed: ${socketErrorWords(error)}`, true);
}

/**
 * The default {@link ConnectFunction}: a plain TCP connect to the address as given. It refuses a
 * host name outright, so nothing here can resolve a name a second time (DNS rebinding).
 */
export const tcpConnectTo: ConnectFunction = (address, port, signal) =>
  new Promise((resolve, reject) => {
    if (isIP(address) === 0) {
      reject(new ProbeEnded('blocked', `${address} is not an IP address`));
      return;
    }
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const socket = tcpConnect({ host: address, port });
    const onAbort = (): void => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      // Later errors reach whoever reads the socket; this keeps one from ever being unhandled.
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    });
  });

/** The signal's end as a probe's outcome: a time-out, or the caller's own cancellation passed on. */
export function endedBy(signal: AbortSignal, what: string): unknown {
  return signal.reason instanceof DeadlineExceeded ? new ProbeEnded('timeout', what, true) : signal.reason;
}

/** Opens the probe's connection, every failure as the outcome a person reads (both probes start so). */
export async function openWithin(options: {
  address: string;
  port: number;
  signal: AbortSignal;
  connect: ConnectFunction;
}): Promise<Socket> {
  try {
    return await options.connect(options.address, options.port, options.signal);
  } catch (error) {
    if (options.signal.aborted) throw endedBy(options.signal, 'no connection within the time allowed');
    throw connectFailure(error);
  }
}
