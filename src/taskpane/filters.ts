import type { PersonRow } from '../contacts/contact';
import { ANSWERS, ANSWER_LABELS, reachable, type Answer } from '../core/answer';
import type { DomainVerdict } from '../core/verdict';

/**
 * The list's filters: everyone, everyone who can federate (the headline: Yes and Likely via Teams),
 * one answer, or one way of federating (from the summary's detail line).
 */
export const FILTERS = ['all', 'reachable', ...ANSWERS, 'lync', 'xmpp'] as const;
export type Filter = 'all' | 'reachable' | Answer | 'lync' | 'xmpp';

export const FILTER_LABELS: Record<Filter, string> = {
  all: 'Everyone',
  reachable: 'Can federate',
  ...ANSWER_LABELS,
  lync: 'Teams / Skype / Lync',
  xmpp: 'XMPP',
};

/** How a filtered view names its people, for the export button ("Export 25 XMPP contacts"). */
export const FILTER_NOUNS: Record<Filter, string> = {
  all: 'contacts',
  reachable: 'who can federate',
  yes: 'federating contacts',
  likely: '“likely via Teams” contacts',
  depends: '“depends on the account” contacts',
  no: '“no” contacts',
  unknown: '“unknown” contacts',
  lync: 'Teams / Skype contacts',
  xmpp: 'XMPP contacts',
};

export type SortKey = 'list' | 'name' | 'domain' | 'answer';

export const SORT_LABELS: Record<SortKey, string> = {
  list: 'As loaded',
  name: 'Name',
  domain: 'Domain',
  answer: 'Answer',
};

function verdictOf(row: PersonRow, verdicts: ReadonlyMap<string, DomainVerdict>): DomainVerdict | undefined {
  return row.parsed.ok ? verdicts.get(row.parsed.domain) : undefined;
}

/** Whether a row belongs under a filter. "Unknown" means a lookup failed, not "still checking". */
export function matchesFilter(verdict: DomainVerdict | undefined, filter: Filter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'reachable':
      return verdict !== undefined && reachable(verdict.answer);
    case 'lync':
      return verdict?.lync.federation === true;
    case 'xmpp':
      return verdict?.xmpp.federation === true;
    default:
      return verdict?.answer === filter;
  }
}

/** Case-insensitive search over name, address and domain (ASCII and Unicode forms). */
export function matchesQuery(row: PersonRow, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  const fields = [
    row.name,
    row.address,
    ...(row.parsed.ok ? [row.parsed.domain, row.parsed.displayDomain] : []),
  ];
  return fields.some((field) => field.toLowerCase().includes(q));
}

const ANSWER_ORDER: Record<string, number> = { yes: 0, likely: 1, depends: 2, no: 3, unknown: 4 };

/** The rows a view shows: filtered, searched and sorted (a stable sort: ties keep the loaded order). */
export function filterRows(
  rows: readonly PersonRow[],
  verdicts: ReadonlyMap<string, DomainVerdict>,
  filter: Filter,
  query: string,
  sort: SortKey = 'list',
): PersonRow[] {
  const shown = rows.filter(
    (row) => matchesFilter(verdictOf(row, verdicts), filter) && matchesQuery(row, query),
  );
  if (sort === 'list') return shown;
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  const key = (row: PersonRow): string =>
    sort === 'name' ? row.name || row.address : row.parsed.ok ? row.parsed.displayDomain : '\uffff';
  return shown.sort((a, b) =>
    sort === 'answer'
      ? (ANSWER_ORDER[verdictOf(a, verdicts)?.answer ?? ''] ?? 5) -
          (ANSWER_ORDER[verdictOf(b, verdicts)?.answer ?? ''] ?? 5) || collator.compare(a.name, b.name)
      : collator.compare(key(a), key(b)),
  );
}

/** How many rows each filter would show (ignoring the search), for the summary. */
export function countByFilter(
  rows: readonly PersonRow[],
  verdicts: ReadonlyMap<string, DomainVerdict>,
): Record<Filter, number> {
  const counts = Object.fromEntries(FILTERS.map((f) => [f, 0])) as Record<Filter, number>;
  for (const row of rows) {
    const verdict = verdictOf(row, verdicts);
    counts.all += 1;
    if (!verdict) continue;
    counts[verdict.answer] += 1;
    if (reachable(verdict.answer)) counts.reachable += 1;
    if (verdict.lync.federation === true) counts.lync += 1;
    if (verdict.xmpp.federation === true) counts.xmpp += 1;
  }
  return counts;
}
