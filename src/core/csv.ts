/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection guidance). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
const NEEDS_QUOTES = /[",\r\n]/;

/** The UTF-8 byte-order mark Excel needs to read a CSV file as UTF-8. */
export const UTF8_BOM = '\uFEFF';

export type CsvCell = string | number | boolean | null | undefined;

/**
 * One RFC 4180 field. A cell that a spreadsheet would run as a formula is prefixed with `'`, so an
 * address like `=HYPERLINK(...)@evil.example` in a contact list cannot execute when the file opens.
 */
export function csvField(value: CsvCell): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (text !== '' && FORMULA_TRIGGERS.has(text[0] ?? '')) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvRow(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** A whole document: header then rows, with the BOM unless asked not to. */
export function csvDocument(
  header: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
  options: { bom?: boolean } = {},
): string {
  let out = (options.bom ?? true) ? UTF8_BOM : '';
  out += csvRow(header);
  for (const row of rows) out += csvRow(row);
  return out;
}
