import type { Socket } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { certificateNameCovers, type TlsFacts } from '../core/live';
import { isUnrecognizedName, socketErrorWords } from '../dns/socket-error';
import { endedBy, openWithin, ProbeEnded, type ConnectFunction } from './connect';

/** A certificate's facts before they are compared with a domain, and what could not be read. */
export type Certificate = Omit<TlsFacts, 'nameMatches'> & { unreadable?: string };

function distinguishedName(name: Record<string, string | string[]> | undefined): string {
  if (!name || typeof name !== 'object') return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/** The DNS names a certificate is for: its subjectAltName, or its CN when it has none (RFC 6125 §6.4.4). */
function dnsNames(certificate: PeerCertificate): string[] {
  const alt = (typeof certificate.subjectaltname === 'string' ? certificate.subjectaltname : '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
  if (alt.length > 0) return alt;
  const cn = certificate.subject?.CN;
  return cn ? [Array.isArray(cn) ? (cn[0] ?? '') : String(cn)] : [];
}

/** A certificate date as ISO 8601, or null when it cannot be read (a server can send any bytes). */
export function certificateDate(text: unknown): string | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  const time = Date.parse(text);
  if (!Number.isFinite(time)) return null;
  const date = new Date(time);
  return Number.isFinite(date.getTime()) ? date.toISOString() : null;
}

/** What a person should know of a certificate. Never throws, whatever the certificate holds. */
export function certificateFacts(certificate: PeerCertificate): Certificate {
  const validTo = certificateDate(certificate.valid_to);
  return {
    subject: distinguishedName(certificate.subject as unknown as Record<string, string>),
    altNames: dnsNames(certificate),
    issuer: distinguishedName(certificate.issuer as unknown as Record<string, string>),
    validTo,
    ...(validTo === null ? { unreadable: "the certificate's expiry date could not be read" } : {}),
  };
}

/** Whether the certificate covers any of the names (the target host, the SIP or XMPP domain). */
export function withNameMatch(certificate: Certificate, names: readonly string[]): TlsFacts {
  const facts: Omit<TlsFacts, 'nameMatches'> = {
    subject: certificate.subject,
    altNames: certificate.altNames,
    issuer: certificate.issuer,
    validTo: certificate.validTo,
  };
  return {
    ...facts,
    nameMatches: facts.altNames.some((pattern) => names.some((name) => certificateNameCovers(pattern, name))),
  };
}

/**
 * Connects and completes a TLS handshake with SNI (and ALPN when given), then hangs up: nothing is
 * sent beyond the ClientHello. The certificate is read, not judged (an expired or mismatched one
 * still means the server answers); its facts say what a person should know. A server that answers
 * `unrecognized_name` does not serve the name asked for: `refused`.
 */
export async function tlsHandshake(options: {
  address: string;
  port: number;
  servername: string;
  alpn?: string;
  signal: AbortSignal;
  connect: ConnectFunction;
}): Promise<Certificate> {
  const tcp: Socket = await openWithin(options);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      socket: tcp,
      servername: options.servername,
      ALPNProtocols: options.alpn ? [options.alpn] : undefined,
      rejectUnauthorized: false,
    });
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      try {
        outcome(); // reads the certificate first, while the socket still holds it
      } finally {
        socket.destroy();
        tcp.destroy();
      }
    };
    const onAbort = (): void =>
      finish(() => reject(endedBy(options.signal, 'no TLS handshake within the time allowed')));
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      finish(() => {
        try {
          const certificate = socket.getPeerCertificate();
          if (!certificate || Object.keys(certificate).length === 0) {
            reject(new ProbeEnded('tls-failed', 'the server sent no certificate'));
          } else {
            resolve(certificateFacts(certificate));
          }
        } catch (error) {
          reject(
            new ProbeEnded('tls-failed', `the certificate could not be read: ${socketErrorWords(error)}`),
          );
        }
      });
    });
    socket.on('error', (error) =>
      finish(() =>
        reject(
          isUnrecognizedName(error)
            ? new ProbeEnded(
                'refused',
                `the server does not serve ${options.servername} (TLS unrecognized_name)`,
              )
            : new ProbeEnded('tls-failed', `TLS handshake failed: ${socketErrorWords(error)}`),
        ),
      ),
    );
    socket.once('close', () =>
      finish(() =>
        reject(new ProbeEnded('tls-failed', 'the server closed the connection during the TLS handshake')),
      ),
    );
  });
}
