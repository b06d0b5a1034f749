import type { PersonRow } from '../contacts/contact';
import { columnCells, columnHeaders, type ColumnKey } from '../core/columns';
import { csvDocument, type CsvCell } from '../core/csv';
import type { DomainVerdict } from '../core/verdict';
import type { Filter } from './filters';
import { rowNote } from './present';

/**
 * The export's header, exactly as spreadsheets and the docs expect it: the first nine columns as
 * they always were (in their order), `Answer` and `Notes` appended.
 */
const EXPORT_COLUMNS: readonly ColumnKey[] = [
  'canFederate',
  'lyncFederation',
  'hosting',
  'xmppFederation',
  'xmppClientAccess',
  'microsoft365Tenant',
  'answer',
];
export const EXPORT_HEADER: readonly string[] = [
  'Name',
  'Email',
  'Domain',
  ...columnHeaders(EXPORT_COLUMNS),
  'Notes',
];

/**
 * The CSV of the people in view (the filter and search on screen), with the pane's own words:
 * UTF-8 with BOM for Excel, RFC 4180 quoting, formula injection neutralised (a contact named
 * `=HYPERLINK(…)` stays text). A person whose domain was not checked says so, not "unknown".
 */
export function exportCsv(rows: readonly PersonRow[], verdicts: ReadonlyMap<string, DomainVerdict>): string {
  const lines: CsvCell[][] = [];
  for (const row of rows) {
    const verdict = row.parsed.ok ? verdicts.get(row.parsed.domain) : undefined;
    const domain = row.parsed.ok ? row.parsed.displayDomain : '';
    const note = rowNote(row, verdict);
    if (!verdict) {
      // Not checked: said in the first and the answer's column, the rest left empty.
      const empty = EXPORT_COLUMNS.map((key, i) => (i === 0 || key === 'answer' ? 'not checked' : ''));
      lines.push([row.name, row.address, domain, ...empty, note]);
      continue;
    }
    lines.push([
      row.name,
      row.address,
      domain,
      ...columnCells(verdict, EXPORT_COLUMNS),
      [note === 'See details' ? '' : note, ...verdict.notes].filter(Boolean).join('; '),
    ]);
  }
  return csvDocument(EXPORT_HEADER, lines);
}

/** `who-can-federate-2026-11-30.csv`, or `who-can-federate-xmpp-2026-11-30.csv` for a filtered view. */
export function exportFileName(filter: Filter, now = new Date()): string {
  return `who-can-federate-${filter === 'all' ? '' : `${filter}-`}${now.toISOString().slice(0, 10)}.csv`;
}

/** Saves text as a file through the browser's download (works in Outlook's webviews as in a browser). */
export function download(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
