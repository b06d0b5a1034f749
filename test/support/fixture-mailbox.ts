import type { FixtureMailbox } from './graph-server';

/** The e2e tests' mailbox: one person per kind of answer, folders and a child folder, odd names. */
export const FIXTURE_MAILBOX: FixtureMailbox = {
  contacts: [
    { id: 'c1', displayName: 'Ada Lovelace', emailAddresses: [{ address: 'ada@contoso.test' }] },
    {
      id: 'c2',
      displayName: 'Grace Hopper',
      emailAddresses: [{ address: 'grace@fabrikam.test' }, { address: 'grace@jabber.test' }],
    },
    { id: 'c3', displayName: 'Alan Turing', emailAddresses: [{ address: 'alan@closed.test' }] },
    { id: 'c4', displayName: 'No Address', emailAddresses: [] },
  ],
  folders: [
    {
      id: 'f1',
      displayName: 'Partners',
      contacts: [
        { id: 'c5', displayName: 'Barbara Liskov', emailAddresses: [{ address: 'barbara@tenant.test' }] },
        { id: 'c6', displayName: 'Edsger Dijkstra', emailAddresses: [{ address: 'edsger@bücher.example' }] },
        { id: 'c7', displayName: 'Broken Domain', emailAddresses: [{ address: 'someone@broken.test' }] },
      ],
      childFolders: [
        {
          id: 'f1a',
          displayName: 'Personal',
          contacts: [
            { id: 'c8', displayName: 'Gmail Friend', emailAddresses: [{ address: 'friend@gmail.com' }] },
            {
              id: 'c9',
              displayName: 'Exchange Only',
              emailAddresses: [
                { address: '/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=x' },
              ],
            },
            {
              id: 'c10',
              displayName: '=HYPERLINK("http://evil.test","click")',
              emailAddresses: [{ address: 'p@plain.test' }],
            },
          ],
        },
      ],
    },
  ],
};

const SHOWCASE = [
  ['Ada Lovelace', 'ada@contoso.test'],
  ['Grace Hopper', 'grace@fabrikam.test'],
  ['Katherine Johnson', 'katherine@tenant.test'],
  ['Alan Turing', 'alan@closed.test'],
  ['Margaret Hamilton', 'margaret@jabber.test'],
  ['Edsger Dijkstra', 'edsger@bücher.example'],
  ['Barbara Liskov', 'barbara@tenant.test'],
  ['Dennis Ritchie', 'dennis@plain.test'],
  ['Frances Allen', 'frances@contoso.test'],
  ['Hedy Lamarr', 'hedy@gmail.com'],
  ['John von Neumann', 'john@broken.test'],
  ['Radia Perlman', 'radia@fabrikam.test'],
  ['Ken Thompson', 'ken@agency.test'],
  ['Sophie Wilson', 'sophie@tenant.test'],
  ['Tim Berners-Lee', 'tim@alias.test'],
  ['Shafi Goldwasser', 'shafi@nowhere.test'],
  ['Leslie Lamport', 'leslie@contoso.test'],
  ['Adele Goldberg', 'adele@jabber.test'],
  ['Donald Knuth', 'don@closed.test'],
  ['Annie Easley', 'annie@tenant.test'],
] as const;

/** A mailbox for the screenshots: twenty people over every kind of answer, as a real one mixes them. */
export const SHOWCASE_MAILBOX: FixtureMailbox = {
  contacts: SHOWCASE.map(([displayName, address], i) => ({
    id: `s${i}`,
    displayName,
    emailAddresses: [{ address }],
  })),
  folders: [],
};
