import Papa from 'papaparse';
import vCard from 'vcf';
import type { Contact } from '../contacts/contact';

/** What was read from a file, and what could not be. */
export interface ContactsFile {
  contacts: Contact[];
  format: 'csv' | 'vcard';
  /** Rows or cards skipped, with why (file-level problems throw {@link ContactsFileError}). */
  problems: string[];
}

/** A file that is not a contacts export we can read; the message says what was expected. */
export class ContactsFileError extends Error {
  override name = 'ContactsFileError';
}

const NAME_COLUMNS = ['Name', 'Display Name', 'Full Name'];
const NAME_PARTS = [
  ['First Name', 'Middle Name', 'Last Name'],
  ['Given Name', 'Additional Name', 'Family Name'],
];

const ADDRESS_COLUMN_PATTERNS = [
  /^e-?mail$/, // a plain "Email" column
  /^e-?mail( \d+)? address$/, // Outlook: "E-mail Address", "E-mail 2 Address", "E-mail 3 Address"
  /^e-?mail address( \d+)?$/,
  /^e-?mail \d+ - value$/, // Google: "E-mail 1 - Value", "Email 1 - Value"
];

/**
 * Columns holding addresses, as Outlook (`E-mail Address`, `E-mail 2 Address`…) and Google
 * (`E-mail 1 - Value`, `Email 1 - Value`) export them, or a plain `Email` column.
 */
function isAddressColumn(header: string): boolean {
  const h = header.trim().toLowerCase();
  return ADDRESS_COLUMN_PATTERNS.some((pattern) => pattern.test(h));
}

function parseCsv(text: string, fileName: string): ContactsFile {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy' });
  const headers = parsed.meta.fields ?? [];
  const addressColumns = headers.filter(isAddressColumn);
  if (addressColumns.length === 0) {
    throw new ContactsFileError(
      `${fileName} has no e-mail column. Export your contacts from Outlook or Google Contacts as CSV (or as vCard) and import that file.`,
    );
  }
  const problems = parsed.errors.map((e) => `row ${(e.row ?? 0) + 2}: ${e.message}`);
  const contacts: Contact[] = parsed.data.map((row, index) => {
    const direct = NAME_COLUMNS.map((c) => row[c]?.trim()).find((v) => v);
    const parts = NAME_PARTS.map((group) =>
      group
        .map((c) => row[c]?.trim())
        .filter(Boolean)
        .join(' '),
    ).find((v) => v);
    const addresses = addressColumns
      .flatMap((c) => (row[c] ?? '').split(':::').map((a) => a.trim()))
      .filter((a) => a !== '');
    return {
      id: `row-${index + 2}`,
      name: direct || parts || '',
      addresses,
      source: 'file',
      origin: fileName,
    };
  });
  return { contacts, format: 'csv', problems };
}

function parseVcards(text: string, fileName: string): ContactsFile {
  let cards: vCard[];
  try {
    cards = vCard.parse(text);
  } catch (error) {
    throw new ContactsFileError(
      `${fileName} is not a readable vCard file (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const values = (card: vCard, key: string): string[] => {
    const property = card.get(key);
    if (!property) return [];
    return (Array.isArray(property) ? property : [property]).map((p) => p.valueOf().trim());
  };
  const contacts = cards.map((card, index): Contact => {
    const [formatted] = values(card, 'fn');
    const [structured] = values(card, 'n');
    const fromParts = structured ? structured.split(';').slice(0, 2).reverse().filter(Boolean).join(' ') : '';
    return {
      id: `card-${index + 1}`,
      name: formatted || fromParts,
      addresses: values(card, 'email'),
      source: 'file',
      origin: fileName,
    };
  });
  return { contacts, format: 'vcard', problems: [] };
}

/**
 * Reads a contacts export: the CSV that Outlook and Google Contacts write, or vCard (2.1, 3.0, 4.0),
 * with maintained parsers (papaparse, vcf). Needs no directory consent, which many organisations
 * withhold.
 */
export function parseContactsFile(fileName: string, text: string): ContactsFile {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new ContactsFileError(`${fileName} is empty.`);
  if (/^\s*BEGIN:VCARD/i.test(body) || /\.vcf$/i.test(fileName)) return parseVcards(body, fileName);
  return parseCsv(body, fileName);
}
