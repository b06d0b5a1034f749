import { DnsError, DnsMalformedError } from './errors';
import { decodeMessage, sameDnsName, type Packet, type RecordType } from './wire';

/** The TC (truncated) bit of a DNS header's flags. */
const TRUNCATED = 0x0200;

/**
 * Decodes a resolver's message and checks that it answers the question asked, whatever carried it
 * (DoH or UDP/TCP): anything else is a malformed answer from `endpoint`, never a result.
 */
export function decodeAnswerTo(
  endpoint: string,
  bytes: Uint8Array,
  name: string,
  type: RecordType,
): Packet & { rcode?: string } {
  let packet: Packet & { rcode?: string };
  try {
    packet = decodeMessage(bytes);
  } catch (error) {
    throw new DnsMalformedError(endpoint, error instanceof Error ? error.message : 'undecodable DNS message');
  }
  const question = packet.questions?.[0];
  if (
    packet.type !== 'response' ||
    !question ||
    question.type !== type ||
    !sameDnsName(question.name, name)
  ) {
    throw new DnsMalformedError(endpoint, `the answer is not for ${name} ${type}`);
  }
  return packet;
}

/** Whether the answer was cut short (TC): never a partial result. */
export function isTruncated(packet: Packet): boolean {
  return ((packet.flags ?? 0) & TRUNCATED) !== 0;
}

/** A resolver that will not answer us (policy or capability: REFUSED, NOTIMP, FORMERR): another may. */
export function refuseUnanswered(endpoint: string, packet: Packet & { rcode?: string }): void {
  if (packet.rcode === 'REFUSED' || packet.rcode === 'NOTIMP' || packet.rcode === 'FORMERR') {
    throw new DnsError(`${endpoint} would not answer the question (${packet.rcode})`, { retryable: false });
  }
}
