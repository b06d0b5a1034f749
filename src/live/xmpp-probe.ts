import { openTcp, ProbeEnded } from './connect';

/** What an XMPP server's greeting showed. */
export interface XmppGreeting {
  starttls: boolean;
  /** A stream error instead of features (e.g. `host-unknown`): the server answers, but not for this domain. */
  streamError?: string;
}

const MAX_GREETING_BYTES = 16 * 1024;

/**
 * Opens the stream as a peer server (`jabber:server`) or client (`jabber:client`) would for the
 * domain, reads the stream features and hangs up. Only the opening stream header is sent
 * (RFC 6120 §4.2): no authentication, no STARTTLS negotiation.
 */
export async function xmppGreeting(options: {
  address: string;
  port: number;
  domain: string;
  namespace: 'jabber:server' | 'jabber:client';
  deadline: AbortSignal;
}): Promise<XmppGreeting> {
  const socket = await openTcp(options.address, options.port, options.deadline);
  return new Promise((resolve, reject) => {
    let received = '';
    const finish = (): void => {
      options.deadline.removeEventListener('abort', onAbort);
      socket.destroy();
    };
    const onAbort = (): void => {
      finish();
      reject(
        new ProbeEnded(
          'timeout',
          received === ''
            ? 'connected, but the server never spoke'
            : 'no stream features within the time allowed',
        ),
      );
    };
    if (options.deadline.aborted) return onAbort();
    options.deadline.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const error = /<stream:error>\s*<([a-z-]+)/.exec(received);
      if (error) {
        finish();
        resolve({ starttls: false, streamError: error[1] });
        return;
      }
      const features = /<stream:features\s*\/>|<stream:features[\s>][\s\S]*?<\/stream:features>/.exec(
        received,
      );
      if (features) {
        finish();
        resolve({ starttls: /<starttls[\s/>]/.test(features[0]) });
      } else if (received.length > MAX_GREETING_BYTES) {
        finish();
        reject(new ProbeEnded('refused', 'the server did not answer with an XMPP stream'));
      }
    });
    socket.once('error', (error) => {
      finish();
      reject(new ProbeEnded('refused', `connection failed: ${error.message}`));
    });
    socket.once('close', () => {
      finish();
      reject(new ProbeEnded('refused', 'the server closed the connection without an XMPP stream'));
    });
    socket.write(
      `<?xml version='1.0'?><stream:stream to='${options.domain}' version='1.0' xml:lang='en' ` +
        `xmlns='${options.namespace}' xmlns:stream='http://etherx.jabber.org/streams'>`,
    );
  });
}
