import * as dnsPacket from 'dns-packet';
import type { Answer, Packet, RecordType } from 'dns-packet';

export type { Answer, Packet, RecordType };

/** `application/dns-message`, the RFC 8484 media type for both directions. */
export const DNS_MESSAGE = 'application/dns-message';

/**
 * Encodes one recursive question with ID 0, as RFC 8484 §4.1 recommends so that identical GETs are
 * cacheable by HTTP caches.
 */
export function encodeQuery(name: string, type: RecordType): Uint8Array<ArrayBuffer> {
  const wire = dnsPacket.encode({
    type: 'query',
    id: 0,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
  });
  return new Uint8Array(wire); // a copy on its own ArrayBuffer, as fetch bodies need
}

/** Base64url without padding (RFC 8484 §4.1), with `btoa` so it runs in browsers and Node alike. */
export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes a DNS message; throws on anything dns-packet cannot read. */
export function decodeMessage(bytes: Uint8Array): Packet & { rcode?: string } {
  return dnsPacket.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as Packet & {
    rcode?: string;
  };
}

/** DNS names compare case-insensitively, with or without the root dot. */
export function sameDnsName(a: string, b: string): boolean {
  return a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');
}
