import { toUnicode } from 'punycode/';
import type { NormalisedDomain } from './types';
export type { NormalisedDomain } from './types';

/** An address as found in an address book, reduced to what federation depends on. */
export interface NormalisedAddress extends NormalisedDomain {
  /** The address as `local@domain` with the domain in ASCII lower case; the local part keeps its case. */
  address: string;
  /** The display name when the input was `Name <address>`, else undefined. */
  name?: string;
}

/** Why an input was turned away; every rejection carries one so a person can fix their list. */
export type Rejection = { ok: false; reason: string };

export type ParsedAddress = ({ ok: true } & NormalisedAddress) | Rejection;
export type ParsedDomain = ({ ok: true } & NormalisedDomain) | Rejection;
export type ParsedEntry =
  ({ ok: true; kind: 'address' | 'domain' } & NormalisedDomain & Partial<NormalisedAddress>) | Rejection;

const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
// Characters that can never be part of a host name but that the WHATWG URL parser would
// silently decode or treat as delimiters (`%41` → `a`, `/` ends the host): refuse them up front.
const FORBIDDEN_IN_DOMAIN = /[\s%/\\?#:@[\]<>"'(),;*!&=+$|{}^`~]/u;
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const DOTTED_NUMBERS = /^[0-9.]+$/;
/**
 * A domain already in the form {@link parseDomain} returns, and nothing the URL parser would
 * change: lower-case letter-digit-hyphen labels, no A-label (`xn--`, whose punycode must be
 * checked), a last label that starts with a letter (so never read as an IPv4 number, `0x…` or
 * digits). Most names are like this; they skip the URL parser, which is most of the cost of a
 * collector report's twenty domains and of a million-domain CLI run.
 */
const ALREADY_NORMALISED =
  /^(?:(?!xn--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?!xn--)[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function reject(reason: string): Rejection {
  return { ok: false, reason };
}

/**
 * Normalises a bare domain. IDNA mapping (UTS-46) is done by the WHATWG URL parser, which exists
 * in Node and in every browser the pane runs in, so the core stays free of Node-only modules
 * (`url.domainToASCII` would tie it to Node; `punycode.toASCII` keeps upper case).
 */
export function parseDomain(input: string): ParsedDomain {
  if (input.length <= MAX_DOMAIN_LENGTH && ALREADY_NORMALISED.test(input)) {
    return { ok: true, domain: input, displayDomain: input };
  }
  let text = input.trim();
  if (text === '') return reject('empty domain');
  if (text.endsWith('.')) text = text.slice(0, -1);
  if (text === '') return reject('empty domain');
  if (text.startsWith('[') || DOTTED_NUMBERS.test(text)) {
    return reject('IP address literal, not a domain name');
  }
  const bad = FORBIDDEN_IN_DOMAIN.exec(text);
  if (bad) return reject(`character ${JSON.stringify(bad[0])} is not allowed in a domain name`);

  let ascii: string;
  try {
    ascii = new URL(`http://${text}/`).hostname;
  } catch {
    // The URL parser reads a numeric last label as an IPv4 address and fails: say what is really wrong.
    if (/\.\d+$/.test(text)) return reject('top-level domain cannot be all digits');
    return reject('not a valid domain name (a label is not valid IDNA)');
  }
  if (ascii.endsWith('.')) ascii = ascii.slice(0, -1);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ascii)) return reject('IP address literal, not a domain name');
  if (ascii.length > MAX_DOMAIN_LENGTH) return reject(`domain longer than ${MAX_DOMAIN_LENGTH} characters`);

  const labels = ascii.split('.');
  if (labels.length < 2) return reject('not a fully qualified domain (no dot)');
  for (const label of labels) {
    if (label === '') return reject('empty label (two dots in a row)');
    if (label.length > MAX_LABEL_LENGTH)
      return reject(`label "${label}" longer than ${MAX_LABEL_LENGTH} characters`);
    if (!LDH_LABEL.test(label))
      return reject(`invalid label "${label}" (letters, digits and inner hyphens only)`);
  }
  let displayDomain = ascii;
  try {
    displayDomain = toUnicode(ascii);
  } catch {
    return reject('not a valid domain name (invalid punycode label)');
  }
  return { ok: true, domain: ascii, displayDomain };
}

/** Splits `Name <address>` and strips `mailto:`/`smtp:`; returns the bare address and the name. */
function splitDisplayName(input: string): { address: string; name?: string } {
  const text = input.trim();
  const angle = /^(.*?)<([^<>]*)>\s*$/s.exec(text);
  if (angle) {
    const rawName = (angle[1] ?? '')
      .trim()
      .replace(/^"(.*)"$/s, '$1')
      .trim();
    const address = (angle[2] ?? '').trim();
    return rawName === '' ? { address } : { address, name: rawName };
  }
  return { address: text };
}

/** Parses one address as people have them: `a@b.c`, `Name <a@b.c>`, `mailto:a@b.c`, Unicode domains. */
export function parseAddress(input: string): ParsedAddress {
  const { address: raw, name } = splitDisplayName(input);
  const address = raw.replace(/^(mailto|smtp|sip):/i, '');
  if (address === '') return reject('empty address');
  if (/^\/o=/i.test(address) || /^ex:/i.test(address)) {
    return reject('an internal Exchange address, not an email address');
  }
  const at = address.lastIndexOf('@');
  if (at < 0) return reject('no "@" in the address');
  const local = address.slice(0, at);
  if (local === '') return reject('nothing before the "@"');
  const domainPart = address.slice(at + 1);
  if (domainPart.trim() === '') return reject('missing domain after the "@"');
  const domain = parseDomain(domainPart);
  if (!domain.ok) return domain;
  const result: { ok: true } & NormalisedAddress = {
    ok: true,
    address: `${local}@${domain.domain}`,
    domain: domain.domain,
    displayDomain: domain.displayDomain,
  };
  if (name !== undefined) result.name = name;
  return result;
}

/** One line of a research list: an address (with or without a display name) or a bare domain. */
export function parseEntry(input: string): ParsedEntry {
  const { address } = splitDisplayName(input);
  if (address.includes('@') || /^\/o=/i.test(address) || /^(mailto|smtp|ex):/i.test(address)) {
    const parsed = parseAddress(input);
    return parsed.ok ? { ...parsed, kind: 'address' } : parsed;
  }
  const parsed = parseDomain(address);
  return parsed.ok ? { ...parsed, kind: 'domain' } : parsed;
}

/** The unique domains of many parsed entries, in order of first appearance: each is asked about once. */
export function uniqueDomains(entries: Iterable<NormalisedDomain>): NormalisedDomain[] {
  const seen = new Map<string, NormalisedDomain>();
  for (const entry of entries) {
    if (!seen.has(entry.domain))
      seen.set(entry.domain, { domain: entry.domain, displayDomain: entry.displayDomain });
  }
  return [...seen.values()];
}
