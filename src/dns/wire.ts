import * as dnsPacket from 'dns-packet';
import type { Answer, Packet, RecordType } from 'dns-packet';

export type { Answer, Packet, RecordType };

/** `application/dns-message`, the RFC 8484 media type for both directions. */
export const DNS_MESSAGE = 'application/dns-message';

/** EDNS(0) UDP payload size: the DNS Flag Day 2020 value, which avoids fragmentation. */
export const EDNS_UDP_SIZE = 1232;
/** Queries are padded to a multiple of this (RFC 8467's recommended block length for queries). */
export const PADDING_BLOCK = 128;

/**
 * Encodes one recursive question with ID 0 by default, as RFC 8484 §4.1 recommends so that
 * identical GETs are cacheable by HTTP caches (over UDP, a random ID matches answer to question), with an EDNS(0) OPT record (UDP size 1232, DO bit off) so resolvers
 * may send Extended DNS Errors (RFC 8914), padded to a multiple of 128 bytes (RFC 7830, RFC 8467)
 * so the length of an encrypted query says nothing about the name asked.
 */
export function encodeQuery(name: string, type: RecordType, id = 0): Uint8Array {
  // Header 12 + question (name in wire form + type and class 4) + OPT RR 11 + padding option header 4.
  const wireName = name.replace(/\.$/, '').length + 2;
  const unpadded = 12 + wireName + 4 + 11 + 4;
  const padding = (PADDING_BLOCK - (unpadded % PADDING_BLOCK)) % PADDING_BLOCK;
  const wire = dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: EDNS_UDP_SIZE,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        options: [{ code: 'PADDING', length: padding }],
      } as unknown as Answer, // dns-packet's OPT record type is not in its Answer union's typings
    ],
  });
  // A view on dns-packet's buffer, not a copy: a GET only turns it into base64url; a POST copies it
  // into a body of its own (see {@link ownBytes}).
  return new Uint8Array(wire.buffer, wire.byteOffset, wire.byteLength);
}

/** The bytes on an ArrayBuffer of their own, as a fetch body must be (a view may share a pooled buffer). */
export function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** RFC 8914 info codes, in the words the registry gives them. */
const EDE_WORDS: readonly string[] = [
  'other error',
  'unsupported DNSKEY algorithm',
  'unsupported DS digest type',
  'stale answer',
  'forged answer',
  'DNSSEC indeterminate',
  'DNSSEC bogus',
  'signature expired',
  'signature not yet valid',
  'DNSKEY missing',
  'RRSIGs missing',
  'no zone key bit set',
  'NSEC missing',
  'cached error',
  'not ready',
  'blocked',
  'censored',
  'filtered',
  'prohibited',
  'stale NXDOMAIN answer',
  'not authoritative',
  'not supported',
  'no reachable authority',
  'network error',
  'invalid data',
];

/** The Extended DNS Errors (RFC 8914, option 15) of an answer, in words: "DNSSEC bogus (EDE 6)". */
export function extendedErrors(packet: Packet): string[] {
  const found: string[] = [];
  for (const record of packet.additionals ?? []) {
    if ((record as { type: string }).type !== 'OPT') continue;
    for (const option of (record as { options?: { code: number; data?: Uint8Array }[] }).options ?? []) {
      if (option.code !== 15 || !option.data || option.data.length < 2) continue;
      const code = (option.data[0] as number) * 256 + (option.data[1] as number);
      const text = new TextDecoder()
        .decode(option.data.subarray(2))
        .replace(/[^\x20-\x7e]/g, '')
        .slice(0, 120);
      found.push(`${EDE_WORDS[code] ?? 'extended error'} (EDE ${code}${text ? `: ${text}` : ''})`);
    }
  }
  return found;
}

/** Node's Buffer encodes base64url natively; the browser's `buffer` package does not (it gets `btoa`). */
const NATIVE_BASE64URL = typeof Buffer === 'function' && Buffer.isEncoding('base64url');

/** Base64url without padding (RFC 8484 §4.1): Node's own encoder where there is one, else `btoa`. */
export function base64Url(bytes: Uint8Array): string {
  if (NATIVE_BASE64URL) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
  }
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
