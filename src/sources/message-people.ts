import type { Contact } from '../contacts/contact';

interface EmailDetails {
  displayName?: string;
  emailAddress?: string;
}

/** A recipients field in compose mode: read asynchronously. */
interface AsyncRecipients {
  getAsync(
    callback: (result: {
      status: unknown;
      value: EmailDetails[] | EmailDetails;
      error?: { message: string };
    }) => void,
  ): void;
}

/** The parts of `Office.context.mailbox.item` read here (message read and compose forms). */
export interface MessageItem {
  from?: EmailDetails | AsyncRecipients;
  sender?: EmailDetails;
  to?: EmailDetails[] | AsyncRecipients;
  cc?: EmailDetails[] | AsyncRecipients;
  bcc?: AsyncRecipients;
}

function isAsync(field: unknown): field is AsyncRecipients {
  return (
    typeof field === 'object' && field !== null && typeof (field as AsyncRecipients).getAsync === 'function'
  );
}

function readAsync(field: AsyncRecipients): Promise<EmailDetails[]> {
  return new Promise((resolve, reject) => {
    field.getAsync((result) => {
      if (
        result.status === 'succeeded' ||
        result.status === 0 ||
        String(result.status).toLowerCase() === 'succeeded'
      ) {
        resolve(Array.isArray(result.value) ? result.value : [result.value]);
      } else reject(new Error(result.error?.message ?? 'Outlook could not read the recipients'));
    });
  });
}

async function read(
  field: EmailDetails | EmailDetails[] | AsyncRecipients | undefined,
): Promise<EmailDetails[]> {
  if (field === undefined || field === null) return [];
  if (isAsync(field)) return readAsync(field);
  return Array.isArray(field) ? field : [field];
}

/**
 * The people on the open message: sender and recipients, in read and compose forms alike. Needs only
 * the manifest's ReadItem permission, no directory consent.
 */
export async function peopleOnMessage(item: MessageItem | undefined | null): Promise<Contact[]> {
  if (!item) return [];
  const roles: [string, EmailDetails | EmailDetails[] | AsyncRecipients | undefined][] = [
    ['From', item.from ?? item.sender],
    ['To', item.to],
    ['Cc', item.cc],
    ['Bcc', item.bcc],
  ];
  const contacts: Contact[] = [];
  for (const [role, field] of roles) {
    const people = await read(field);
    people.forEach((person, index) => {
      contacts.push({
        id: `${role}-${index}`,
        name: person.displayName ?? '',
        addresses: person.emailAddress ? [person.emailAddress] : [],
        source: 'message',
        origin: role,
      });
    });
  }
  return contacts;
}
