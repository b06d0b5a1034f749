import { toUnicode } from 'punycode/';
import { parseDomain } from '../core/address';
import { isMixedScript } from '../core/mixed-script';
import { csvRow, UTF8_BOM, type CsvCell } from '../core/csv';
import { hostingWord, triStateWord } from '../core/verdict';
import { BadRequest } from './errors';
import type { DirectoryEntry, DomainFacts } from './store/store';
import { utcDay } from './utc-day';

/** What the collector publishes of a domain's facts, by name (`/v1/domains`) or by hash (`/v1/lookup`). */
export interface PublishedFindings {
  lyncFederation: boolean | null;
  lyncPublicFacing: boolean | null;
  xmppFederation: boolean | null;
  xmppClientAccess: boolean | null;
  hosting: string | null;
  records: string[];
  /** Whether the Lync edge / XMPP server answered the collector's live check (null: not known). */
  lyncLive: boolean | null;
  xmppLive: boolean | null;
  /** A federation record is present and an edge behind it answers. */
  verified: boolean | null;
  /** The UTC day of the collector's latest check: a day, not a time, on purpose. */
  checked: string | null;
}

/** One published domain as `GET /v1/domains` lists it. */
export interface PublishedDomain extends PublishedFindings {
  domain: string;
  displayDomain: string;
}

/**
 * The Unicode form of a stored domain. Stored domains were validated and normalised when reported,
 * so only their A-labels need decoding, not a second full parse per row of a streamed directory.
 */
export function displayOf(domain: string): string {
  if (!domain.includes('xn--')) return domain;
  try {
    const unicode = toUnicode(domain);
    // A label that mixes scripts (a look-alike of another name) is published as its A-label.
    return unicode.split('.').some(isMixedScript) ? domain : unicode;
  } catch {
    return domain;
  }
}

export function publishedFindings(facts: DomainFacts): PublishedFindings {
  return {
    lyncFederation: facts.lyncFederation,
    lyncPublicFacing: facts.lyncPublicFacing,
    xmppFederation: facts.xmppFederation,
    xmppClientAccess: facts.xmppClientAccess,
    hosting: facts.hosting,
    records: facts.records,
    lyncLive: facts.lyncLive,
    xmppLive: facts.xmppLive,
    verified: facts.verified,
    checked: facts.checkedAt === null ? null : utcDay(facts.checkedAt),
  };
}

export function publishedDomain(entry: DirectoryEntry): PublishedDomain {
  return { domain: entry.domain, displayDomain: displayOf(entry.domain), ...publishedFindings(entry.facts) };
}

/** The keyset cursor: opaque to clients, the last domain of the page underneath. */
export function encodeCursor(domain: string): string {
  return Buffer.from(domain, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const domain = Buffer.from(cursor, 'base64url').toString('utf8');
  const parsed = parseDomain(domain);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || !parsed.ok || parsed.domain !== domain) {
    throw new BadRequest(
      'cursor is not one this directory gave out: pass the "next" value of the previous page',
    );
  }
  return domain;
}

export const DIRECTORY_CSV_HEADER = [
  'Domain',
  'Display domain',
  'Lync/Teams federation',
  'Hosting',
  'Public-facing Lync',
  'XMPP federation',
  'XMPP client access',
  'Records',
  'Lync edge answering',
  'XMPP edge answering',
  'Verified',
  'Checked',
];

export function directoryCsvRow(entry: PublishedDomain): string {
  const cells: CsvCell[] = [
    entry.domain,
    entry.displayDomain,
    triStateWord(entry.lyncFederation),
    hostingWord(entry.hosting as 'microsoft-365' | 'on-premises' | null),
    triStateWord(entry.lyncPublicFacing),
    triStateWord(entry.xmppFederation),
    triStateWord(entry.xmppClientAccess),
    entry.records.join(' '),
    triStateWord(entry.lyncLive),
    triStateWord(entry.xmppLive),
    triStateWord(entry.verified),
    entry.checked,
  ];
  return csvRow(cells);
}

export function directoryCsvHeader(): string {
  return UTF8_BOM + csvRow(DIRECTORY_CSV_HEADER);
}
