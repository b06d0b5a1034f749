import { toRows } from '../../src/contacts/contact';
import { peopleOnMessage, type MessageItem } from '../../src/sources/message-people';

describe('peopleOnMessage', () => {
  it('reads sender and recipients of a message being read', async () => {
    const item: MessageItem = {
      from: { displayName: 'Ada Lovelace', emailAddress: 'ada@contoso.test' },
      to: [
        { displayName: 'Grace Hopper', emailAddress: 'grace@jabber.test' },
        { displayName: 'Team', emailAddress: '/o=ExchangeLabs/ou=x/cn=Recipients/cn=team' },
      ],
      cc: [{ displayName: 'Alan', emailAddress: 'alan@closed.test' }],
    };
    const people = await peopleOnMessage(item);
    expect(people.map((p) => [p.origin, p.name, p.addresses[0]])).toEqual([
      ['From', 'Ada Lovelace', 'ada@contoso.test'],
      ['To', 'Grace Hopper', 'grace@jabber.test'],
      ['To', 'Team', '/o=ExchangeLabs/ou=x/cn=Recipients/cn=team'],
      ['Cc', 'Alan', 'alan@closed.test'],
    ]);
    const rows = toRows(people);
    expect(rows.find((r) => r.name === 'Team')?.parsed).toMatchObject({ ok: false });
  });

  it('reads recipients of a message being written, asynchronously', async () => {
    const field = (value: { displayName: string; emailAddress: string }[]) => ({
      getAsync: (callback: (r: { status: unknown; value: typeof value }) => void) =>
        setTimeout(() => callback({ status: 'succeeded', value }), 1),
    });
    const item: MessageItem = {
      to: field([{ displayName: 'Grace', emailAddress: 'grace@jabber.test' }]),
      cc: field([]),
      bcc: field([{ displayName: 'Hidden', emailAddress: 'h@plain.test' }]),
    };
    const people = await peopleOnMessage(item);
    expect(people.map((p) => `${p.origin} ${p.addresses[0]}`)).toEqual([
      'To grace@jabber.test',
      'Bcc h@plain.test',
    ]);
  });

  it('passes on a failure to read, and has nobody without a message', async () => {
    const item: MessageItem = {
      to: {
        getAsync: (callback) =>
          callback({ status: 'failed', value: [], error: { message: 'item not available' } }),
      },
    };
    await expect(peopleOnMessage(item)).rejects.toThrow('item not available');
    await expect(peopleOnMessage(undefined)).resolves.toEqual([]);
  });
});
