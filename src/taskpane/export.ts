import type { PersonRow } from '../contacts/contact';
import { csvDocument, type CsvCell } from '../core/csv';
import { hostingWord, triStateWord, type DomainVerdict } from '../core/verdict';

/** The export's header, exactly as spreadsheets and the docs expect it. */
export const EXPORT_HEADER = [
  'Name',
  'Email',
  'Domain',
  'Can federate',
  'Lync/Teams federation',
  'Hosting',
  'XMPP federation',
  'XMPP client access',
  'Microsoft 365 tenant',
] as const;

/**
 * The CSV of federatable contacts (or of everyone): UTF-8 with BOM for Excel, RFC 4180 quoting,
 * formula injection neutralised (a contact named `=HYPERLINK(…)` stays text).
 */
export function exportCsv(
  rows: readonly PersonRow[],
  verdicts: ReadonlyMap<string, DomainVerdict>,
  options: { everyone?: boolean } = {},
): string {
  const lines: CsvCell[][] = [];
  for (const row of rows) {
    const verdict = row.parsed.ok ? verdicts.get(row.parsed.domain) : undefined;
    if (!options.everyone && verdict?.canFederate !== true) continue;
    lines.push([
      row.name,
      row.address,
      row.parsed.ok ? row.parsed.displayDomain : '',
      triStateWord(verdict?.canFederate ?? null),
      triStateWord(verdict?.lync.federation ?? null),
      hostingWord(verdict?.lync.hosting ?? null),
      triStateWord(verdict?.xmpp.federation ?? null),
      triStateWord(verdict?.xmpp.clientAccess ?? null),
      triStateWord(verdict?.microsoft365.tenant ?? null),
    ]);
  }
  return csvDocument(EXPORT_HEADER, lines);
}

/** `who-can-federate-2026-11-30.csv` (or `…-everyone-…`). */
export function exportFileName(everyone: boolean, now = new Date()): string {
  return `who-can-federate-${everyone ? 'everyone-' : ''}${now.toISOString().slice(0, 10)}.csv`;
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
