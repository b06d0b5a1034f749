import type { Socket } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { certificateNameCovers, type TlsFacts } from '../core/live';
import { openTcp, ProbeEnded } from './connect';

/** A certificate's facts before they are compared with a domain. */
export type Certificate = Omit<TlsFacts, 'nameMatches'>;

function distinguishedName(name: Record<string, string | string[]> | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

/** The DNS names a certificate is for: its subjectAltName, or its CN when it has none (RFC 6125 §6.4.4). */
function dnsNames(certificate: PeerCertificate): string[] {
  const alt = (certificate.subjectaltname ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
  if (alt.length > 0) return alt;
  const cn = certificate.subject?.CN;
  return cn ? [Array.isArray(cn) ? (cn[0] ?? '') : cn] : [];
}

export function certificateFacts(certificate: PeerCertificate): Certificate {
  return {
    subject: distinguishedName(certificate.subject as unknown as Record<string, string>),
    altNames: dnsNames(certificate),
    issuer: distinguishedName(certificate.issuer as unknown as Record<string, string>),
    validTo: new Date(certificate.valid_to).toISOString(),
  };
}

/** Whether the certificate covers any of the names (the target host, the SIP or XMPP domain). */
export function withNameMatch(certificate: Certificate, names: readonly string[]): TlsFacts {
  return {
    ...certificate,
    nameMatches: certificate.altNames.some((pattern) =>
      names.some((name) => certificateNameCovers(pattern, name)),
    ),
  };
}

/**
 * Connects and completes a TLS handshake with SNI (and ALPN when given), then hangs up: nothing is
 * sent beyond the ClientHello. The certificate is read, not judged (an expired or mismatched one
 * still means the server answers); its facts say what a person should know.
 */
export async function tlsHandshake(options: {
  address: string;
  port: number;
  servername: string;
  alpn?: string;
  deadline: AbortSignal;
}): Promise<Certificate> {
  const tcp: Socket = await openTcp(options.address, options.port, options.deadline);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      socket: tcp,
      servername: options.servername,
      ALPNProtocols: options.alpn ? [options.alpn] : undefined,
      rejectUnauthorized: false,
    });
    const finish = (): void => {
      options.deadline.removeEventListener('abort', onAbort);
      socket.destroy();
      tcp.destroy();
    };
    const onAbort = (): void => {
      finish();
      reject(new ProbeEnded('timeout', 'no TLS handshake within the time allowed'));
    };
    if (options.deadline.aborted) return onAbort();
    options.deadline.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      finish();
      if (!certificate || Object.keys(certificate).length === 0) {
        reject(new ProbeEnded('tls-failed', 'the server sent no certificate'));
      } else {
        resolve(certificateFacts(certificate));
      }
    });
    socket.once('error', (error) => {
      finish();
      reject(new ProbeEnded('tls-failed', `TLS handshake failed: ${error.message}`));
    });
    socket.once('close', () => {
      finish();
      reject(new ProbeEnded('tls-failed', 'the server closed the connection during the TLS handshake'));
    });
  });
}
