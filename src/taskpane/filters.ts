import type { PersonRow } from '../contacts/contact';
import type { DomainVerdict } from '../core/verdict';

/** The list's filters, in the order the pane shows them. */
export const FILTERS = ['all', 'federate', 'lync', 'xmpp', 'unknown'] as const;
export type Filter = (typeof FILTERS)[number];

export const FILTER_LABELS: Record<Filter, string> = {
  all: 'All',
  federate: 'Can federate',
  lync: 'Lync/Teams',
  xmpp: 'XMPP',
  unknown: 'Unknown',
};

function verdictOf(row: PersonRow, verdicts: ReadonlyMap<string, DomainVerdict>): DomainVerdict | undefined {
  return row.parsed.ok ? verdicts.get(row.parsed.domain) : undefined;
}

/** Whether a row belongs under a filter. "Unknown" means a lookup failed, not "still checking". */
export function matchesFilter(verdict: DomainVerdict | undefined, filter: Filter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'federate':
      return verdict?.canFederate === true;
    case 'lync':
      return verdict?.lync.federation === true;
    case 'xmpp':
      return verdict?.xmpp.federation === true;
    case 'unknown':
      return verdict !== undefined && verdict.canFederate === null;
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

export function filterRows(
  rows: readonly PersonRow[],
  verdicts: ReadonlyMap<string, DomainVerdict>,
  filter: Filter,
  query: string,
): PersonRow[] {
  return rows.filter((row) => matchesFilter(verdictOf(row, verdicts), filter) && matchesQuery(row, query));
}

/** How many rows each filter would show (ignoring the search), for the filter labels. */
export function countByFilter(
  rows: readonly PersonRow[],
  verdicts: ReadonlyMap<string, DomainVerdict>,
): Record<Filter, number> {
  const counts: Record<Filter, number> = { all: 0, federate: 0, lync: 0, xmpp: 0, unknown: 0 };
  for (const row of rows) {
    const verdict = verdictOf(row, verdicts);
    for (const filter of FILTERS) if (matchesFilter(verdict, filter)) counts[filter] += 1;
  }
  return counts;
}
