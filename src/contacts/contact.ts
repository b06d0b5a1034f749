import { parseAddress, type NormalisedAddress } from '../core/address';

/** Where a contact came from. */
export type ContactSource = 'graph' | 'message' | 'file';

/** A person as a source gives them: a name and any number of addresses (possibly none). */
export interface Contact {
  /** Stable within its source (Graph id, message role + index, file row). */
  id: string;
  name: string;
  addresses: string[];
  source: ContactSource;
  /** The folder (Graph), role (message: From/To/Cc…) or file name it came from. */
  origin: string;
}

/** One row of the results: one address of one person, or a person without any address. */
export interface PersonRow {
  key: string;
  name: string;
  /** The address as the source had it; empty for a contact without one. */
  address: string;
  /** The parsed address, or why it cannot be checked (no address, X.500, invalid). */
  parsed: ({ ok: true } & NormalisedAddress) | { ok: false; reason: string };
  /** Every folder/role/file it appeared in. */
  origins: string[];
}

export const NO_EMAIL_ADDRESS = 'no email address';

/**
 * Turns contacts into rows: a contact with several addresses counts each; one with none is kept as a
 * "no email address" row rather than dropped; the same person and address seen twice (in two
 * folders, or as sender and in a file) is one row listing both origins.
 */
export function toRows(contacts: Iterable<Contact>): PersonRow[] {
  const rows = new Map<string, PersonRow>();
  for (const contact of contacts) {
    const name = contact.name.trim();
    const addresses = contact.addresses.map((a) => a.trim()).filter((a) => a !== '');
    if (addresses.length === 0) {
      const key = `${contact.source}:${contact.id}`;
      if (!rows.has(key)) {
        rows.set(key, {
          key,
          name,
          address: '',
          parsed: { ok: false, reason: NO_EMAIL_ADDRESS },
          origins: [contact.origin],
        });
      }
      continue;
    }
    for (const address of addresses) {
      const parsed = parseAddress(address);
      const identity = parsed.ok ? parsed.address.toLowerCase() : address.toLowerCase();
      const key = `${name.toLowerCase()}\u0000${identity}`;
      const existing = rows.get(key);
      if (existing) {
        if (!existing.origins.includes(contact.origin)) existing.origins.push(contact.origin);
        continue;
      }
      rows.set(key, {
        key,
        name: name || (parsed.ok && parsed.name) || '',
        address,
        parsed,
        origins: [contact.origin],
      });
    }
  }
  return [...rows.values()];
}
