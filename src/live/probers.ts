import type { LiveKind } from '../core/live';
import type { LiveService } from './address-policy';
import type { ConnectFunction, ProbeEnded } from './connect';
import { tlsHandshake, type Certificate } from './tls-probe';
import { xmppGreeting, type XmppGreeting } from './xmpp-probe';

/** Which port allow-list a kind of check falls under. */
export const SERVICE_OF: Readonly<Record<LiveKind, LiveService>> = {
  tls: 'sip',
  'xmpp-server': 'xmpp',
  'xmpp-client': 'xmpp',
  'xmpps-server': 'xmpp',
  'xmpps-client': 'xmpp',
};

/** What one connection to one server showed. */
export type Outcome =
  | { kind: 'tls'; certificate: Certificate }
  | { kind: 'xmpp'; greeting: XmppGreeting }
  | { kind: 'ended'; ended: ProbeEnded };

/** One server to contact: the policy-checked address, its port, and the name to greet it with. */
export interface ServerToProbe {
  kind: LiveKind;
  address: string;
  port: number;
  /** SNI for TLS; the stream's `to` for XMPP. */
  name: string;
}

/**
 * Contacts one server the way its kind says, and no further than its greeting: a TLS handshake (SIP
 * edges; direct-TLS XMPP with ALPN, XEP-0368) or an XMPP stream header (RFC 6120). Rejects with a
 * {@link ProbeEnded} when the server did not answer.
 */
export async function probeServer(
  server: ServerToProbe,
  signal: AbortSignal,
  connect: ConnectFunction,
): Promise<Outcome> {
  const { kind, address, port, name } = server;
  switch (kind) {
    case 'tls':
    case 'xmpps-server':
    case 'xmpps-client': {
      const alpn = kind === 'tls' ? undefined : kind === 'xmpps-server' ? 'xmpp-server' : 'xmpp-client';
      const certificate = await tlsHandshake({ address, port, servername: name, alpn, signal, connect });
      return { kind: 'tls', certificate };
    }
    case 'xmpp-server':
    case 'xmpp-client': {
      const namespace = kind === 'xmpp-server' ? 'jabber:server' : 'jabber:client';
      const greeting = await xmppGreeting({ address, port, domain: name, namespace, signal, connect });
      return { kind: 'xmpp', greeting };
    }
  }
}
