import type { ProbeRecordType } from '../core/probes';
import {
  errorResult,
  MOST_TEXT_LENGTH,
  MOST_TEXTS,
  sortTargets,
  type RecordResult,
  type Target,
} from '../core/records';
import { extendedErrors, sameDnsName, type Answer, type Packet } from './wire';

/** How long an answer may be reused; `null` when it must not be cached (errors). */
export interface InterpretedAnswer {
  result: RecordResult;
  ttlSeconds: number | null;
}

/** Used when a negative answer carries no SOA to take the negative TTL from (RFC 2308 §5 suggests ~1–3 h). */
export const DEFAULT_NEGATIVE_TTL_SECONDS = 300;
const MAX_CNAME_HOPS = 16;

/** Walks the CNAME chain in the answer section from the question name to the name that owns the records. */
function followCnames(
  answers: readonly Answer[],
  qname: string,
): { owner: string; cnameTtls: number[] } | null {
  let owner = qname;
  const cnameTtls: number[] = [];
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop += 1) {
    const cname = answers.find((a) => a.type === 'CNAME' && sameDnsName(a.name, owner));
    if (!cname || cname.type !== 'CNAME') return { owner, cnameTtls };
    owner = cname.data;
    cnameTtls.push(cname.ttl ?? 0);
  }
  return null; // a loop, or a chain longer than any sane zone has
}

/** The negative-caching TTL of RFC 2308 §5: the smaller of the SOA's own TTL and its MINIMUM field. */
function negativeTtl(packet: Packet): number {
  const soa = (packet.authorities ?? []).find((a) => a.type === 'SOA');
  if (!soa || soa.type !== 'SOA') return DEFAULT_NEGATIVE_TTL_SECONDS;
  return Math.min(soa.ttl ?? DEFAULT_NEGATIVE_TTL_SECONDS, soa.data.minimum ?? DEFAULT_NEGATIVE_TTL_SECONDS);
}

function targetsOf(records: readonly Answer[]): Target[] {
  const targets: Target[] = [];
  for (const record of records) {
    if (record.type === 'SRV') {
      const { target, port, priority, weight } = record.data;
      targets.push({
        target: target.replace(/\.$/, '').toLowerCase(),
        port,
        priority: priority ?? 0,
        weight: weight ?? 0,
      });
    } else if (record.type === 'CNAME') {
      targets.push({ target: record.data.replace(/\.$/, '').toLowerCase(), port: 0, priority: 0, weight: 0 });
    } else if (record.type === 'MX') {
      targets.push({
        target: record.data.exchange.replace(/\.$/, '').toLowerCase(),
        port: 25,
        priority: record.data.preference ?? 0,
        weight: 0,
      });
    }
  }
  return targets;
}

/** TXT texts that can be evidence of a service: Microsoft 365 and Google verification, and SPF. */
const EVIDENCE_TEXT = /^(?:ms=|v=spf1\b|google-site-verification=)/i;

/** A TXT record's strings joined (RFC 7208 §3.3), as text; bytes that are not UTF-8 are replaced. */
function textOf(record: Answer): string {
  if (record.type !== 'TXT') return '';
  const data = record.data as unknown as Buffer | string | (Buffer | string)[];
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((part) => (typeof part === 'string' ? part : part.toString('utf8'))).join('');
}

/** The records a response holds for the question, CNAMEs followed; or why it holds none. */
type OwnedRecords =
  | { kind: 'nxdomain' }
  | { kind: 'error'; error: string }
  | { kind: 'records'; records: Answer[]; cnameTtls: number[] };

/**
 * What every interpretation starts with: the rcode, then the CNAME chain, then the owner's records
 * of `type`. A CNAME question is about the alias itself: its chain is not followed.
 */
function ownedRecords(packet: Packet & { rcode?: string }, qname: string, type: string): OwnedRecords {
  const rcode = packet.rcode ?? 'NOERROR';
  if (rcode === 'NXDOMAIN') return { kind: 'nxdomain' };
  if (rcode !== 'NOERROR') {
    const extended = extendedErrors(packet);
    return {
      kind: 'error',
      error: `the resolver answered ${rcode}${extended.length > 0 ? `: ${extended.join('; ')}` : ''}`,
    };
  }
  const answers = packet.answers ?? [];
  if (type === 'CNAME') {
    const records = answers.filter((a) => a.type === 'CNAME' && sameDnsName(a.name, qname)).slice(0, 1);
    return { kind: 'records', records, cnameTtls: [] };
  }
  const chain = followCnames(answers, qname);
  if (!chain) return { kind: 'error', error: 'CNAME loop or chain too long' };
  const records = answers.filter((a) => a.type === type && sameDnsName(a.name, chain.owner));
  return { kind: 'records', records, cnameTtls: chain.cnameTtls };
}

/**
 * Turns a resolver's answer to `qname`/`type` into a record state: CNAMEs followed, targets sorted,
 * a lone `.` target (RFC 2782; RFC 7505 null MX) as `refused`, NXDOMAIN or NODATA as `none`,
 * SERVFAIL and other failures as `error`. Cache lifetime: the smallest TTL of the records used, or
 * the SOA minimum for negative answers.
 */
export function interpretAnswer(
  packet: Packet & { rcode?: string },
  qname: string,
  type: ProbeRecordType,
): InterpretedAnswer {
  const owned = ownedRecords(packet, qname, type);
  if (owned.kind === 'error') return { result: errorResult(owned.error), ttlSeconds: null };
  if (owned.kind === 'nxdomain' || owned.records.length === 0) {
    return { result: { status: 'none', targets: [] }, ttlSeconds: negativeTtl(packet) };
  }
  const { records, cnameTtls } = owned;
  const ttlSeconds = Math.min(...records.map((r) => ('ttl' in r ? (r.ttl ?? 0) : 0)), ...cnameTtls);
  if (type === 'TXT') {
    const texts = records
      .map(textOf)
      .filter((text) => EVIDENCE_TEXT.test(text.trim()))
      .slice(0, MOST_TEXTS)
      .map((text) => text.trim().slice(0, MOST_TEXT_LENGTH));
    // Published TXT records that are none of the evidence: "none" of what this probe looks for.
    if (texts.length === 0) return { result: { status: 'none', targets: [] }, ttlSeconds };
    return { result: { status: 'found', targets: [], texts }, ttlSeconds };
  }
  const all = targetsOf(records);
  const usable = all.filter((t) => t.target !== '' && t.target !== '.');
  if (usable.length === 0) return { result: { status: 'refused', targets: [] }, ttlSeconds };
  return { result: { status: 'found', targets: sortTargets(usable) }, ttlSeconds };
}

/** A host's addresses of one family, or why there are none. */
export interface AddressAnswer {
  status: 'found' | 'none' | 'error';
  addresses: string[];
  error?: string;
}

/** Turns a resolver's answer to an A or AAAA question into addresses, CNAMEs followed. */
export function interpretAddresses(
  packet: Packet & { rcode?: string },
  qname: string,
  type: 'A' | 'AAAA',
): AddressAnswer {
  const owned = ownedRecords(packet, qname, type);
  if (owned.kind === 'error') return { status: 'error', addresses: [], error: owned.error };
  const addresses =
    owned.kind === 'records' ? owned.records.map((a) => ('data' in a ? String(a.data) : '')) : [];
  return addresses.length === 0 ? { status: 'none', addresses: [] } : { status: 'found', addresses };
}
