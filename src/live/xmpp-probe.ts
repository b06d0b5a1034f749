import type { Socket } from 'node:net';
import { socketErrorWords } from '../dns/socket-error';
import { endedBy, openWithin, ProbeEnded, type ConnectFunction } from './connect';

/** What an XMPP server's greeting showed: its stream features. */
export interface XmppGreeting {
  starttls: boolean;
}

const MAX_GREETING_BYTES = 16 * 1024;

/** XML-escapes a domain for an attribute value (a normalised domain has nothing to escape; defence in depth). */
function attribute(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Opens the stream as a peer server (`jabber:server`) or client (`jabber:client`) would for the
 * domain, reads the stream features and hangs up. Only the opening stream header is sent
 * (RFC 6120 §4.2): no authentication, no STARTTLS negotiation. A stream error instead of features
 * (`host-unknown`, `host-gone`, …) is a server that does not serve this domain: `refused`, with
 * the error in words.
 */
export async function xmppGreeting(options: {
  address: string;
  port: number;
  domain: string;
  namespace: 'jabber:server' | 'jabber:client';
  signal: AbortSignal;
  connect: ConnectFunction;
}): Promise<XmppGreeting> {
  const socket: Socket = await openWithin(options);
  return new Promise((resolve, reject) => {
    let received = '';
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      outcome();
    };
    const onAbort = (): void =>
      finish(() => {
        const reason = endedBy(
          options.signal,
          received === ''
            ? 'connected, but the server never spoke'
            : 'no stream features within the time allowed',
        );
        // A server that never spoke is down for every domain behind it; one that spoke may only be slow for this one.
        reject(
          reason instanceof ProbeEnded && received !== ''
            ? new ProbeEnded('timeout', reason.message)
            : reason,
        );
      });
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const error = /<stream:error>\s*<([a-z-]+)/.exec(received);
      if (error) {
        finish(() =>
          reject(
            new ProbeEnded(
              'refused',
              `the server does not serve ${options.domain} (stream error: ${error[1]})`,
            ),
          ),
        );
        return;
      }
      const features = /<stream:features\s*\/>|<stream:features[\s>][\s\S]*?<\/stream:features>/.exec(
        received,
      );
      if (features) {
        finish(() => resolve({ starttls: /<starttls[\s/>]/.test(features[0]) }));
      } else if (received.length > MAX_GREETING_BYTES) {
        finish(() => reject(new ProbeEnded('refused', 'the server did not answer with an XMPP stream')));
      }
    });
    socket.on('error', (error) =>
      finish(() => reject(new ProbeEnded('refused', `connection failed: ${socketErrorWords(error)}`))),
    );
    socket.once('close', () =>
      finish(() =>
        reject(
          new ProbeEnded(
            'refused',
            received === ''
              ? 'the server closed the connection without an XMPP stream'
              : 'the server closed the stream without sending its features',
          ),
        ),
      ),
    );
    socket.write(
      `<?xml version='1.0'?><stream:stream to='${attribute(options.domain)}' version='1.0' xml:lang='en' ` +
        `xmlns='${options.namespace}' xmlns:stream='http://etherx.jabber.org/streams'>`,
    );
  });
}
