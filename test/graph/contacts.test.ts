import { toRows } from '../../src/contacts/contact';
import { ContactsLoad, ContactsLoadError } from '../../src/graph/contacts';
import { createGraphClient } from '../../src/graph/graph-client';
import { loopbackCertificate, type TestCertificate } from '../support/certificates';
import { startGraphServer, type FixtureMailbox, type GraphServer } from '../support/graph-server';
import { trustingFetch } from '../support/trusting-fetch';

const TOKEN = 'test-token-not-a-secret';

const MAILBOX: FixtureMailbox = {
  contacts: [
    {
      id: 'c1',
      displayName: 'Ada Lovelace',
      emailAddresses: [{ address: 'ada@contoso.test' }, { address: 'ada@fabrikam.test' }],
    },
    { id: 'c2', displayName: 'No Mail', emailAddresses: [] },
    { id: 'c3', givenName: 'Grace', surname: 'Hopper', emailAddresses: [{ address: 'grace@jabber.test' }] },
    {
      id: 'c4',
      displayName: 'Internal',
      emailAddresses: [{ address: '/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=abc' }],
    },
    { id: 'c5', displayName: 'Alan Turing', emailAddresses: [{ address: 'alan@closed.test' }] },
  ],
  folders: [
    {
      id: 'f1',
      displayName: 'Suppliers',
      contacts: [
        { id: 'c6', displayName: 'Ada Lovelace', emailAddresses: [{ address: 'ADA@contoso.test' }] },
        { id: 'c7', displayName: 'Barbara Liskov', emailAddresses: [{ address: 'barbara@tenant.test' }] },
      ],
      childFolders: [
        {
          id: 'f1/a',
          displayName: 'Europe',
          contacts: [
            {
              id: 'c8',
              displayName: 'Edsger Dijkstra',
              emailAddresses: [{ address: 'edsger@bücher.example' }],
            },
          ],
          childFolders: [
            {
              id: 'f1/a/x',
              displayName: 'Deep',
              contacts: [
                { id: 'c9', displayName: 'Deep One', emailAddresses: [{ address: 'deep@plain.test' }] },
              ],
            },
          ],
        },
      ],
    },
    { id: 'f2', displayName: 'Empty', contacts: [] },
  ],
};

let certificate: TestCertificate;
let graph: GraphServer;
beforeAll(async () => {
  certificate = await loopbackCertificate();
});
afterEach(async () => {
  await graph.close();
});

async function start(options: { maxPageSize?: number; token?: string; maxRetries?: number } = {}) {
  graph = await startGraphServer({
    mailbox: MAILBOX,
    certificate,
    token: TOKEN,
    maxPageSize: options.maxPageSize,
  });
  let tokenRequests = 0;
  const client = createGraphClient({
    baseUrl: graph.baseUrl,
    getAccessToken: () => {
      tokenRequests += 1;
      return Promise.resolve(options.token ?? TOKEN);
    },
    fetch: trustingFetch(certificate.cert),
    retryDelaySeconds: 0,
    maxRetries: options.maxRetries ?? 3,
  });
  return { client, tokenRequests: () => tokenRequests };
}

describe('ContactsLoad', () => {
  it('reads every folder and child folder, following nextLink pages, with progress', async () => {
    const { client } = await start({ maxPageSize: 2 });
    const progress: number[] = [];
    const load = new ContactsLoad(client, (p) => progress.push(p.contacts));
    const contacts = await load.run();
    expect(load.complete).toBe(true);
    expect(contacts.map((c) => c.id).sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9']);
    expect(contacts.find((c) => c.id === 'c9')?.origin).toBe('Contacts/Suppliers/Europe/Deep');
    expect(contacts.find((c) => c.id === 'c3')?.name).toBe('Grace Hopper');
    expect(load.progress.folders).toBe(5);
    expect(progress[progress.length - 1]).toBe(9);
    // paging really happened, every request was authorized, and only the needed fields were asked
    expect(graph.requests.some((r) => r.url.includes('%24skip=2') || r.url.includes('$skip=2'))).toBe(true);
    expect(graph.requests.every((r) => r.authorized)).toBe(true);
    expect(decodeURIComponent(graph.requests[0]!.url)).toMatch(
      /\$select=id,displayName,givenName,surname,emailAddresses/,
    );
    expect(decodeURIComponent(graph.requests[0]!.url)).toMatch(/\$top=1000/);
  });

  it('turns contacts into rows: each address counts, none is kept, duplicates across folders merge', async () => {
    const { client } = await start();
    const rows = toRows(await new ContactsLoad(client).run());
    const ada = rows.filter((r) => r.name === 'Ada Lovelace');
    expect(ada.map((r) => r.address)).toEqual(['ada@contoso.test', 'ada@fabrikam.test']);
    expect(ada[0]!.origins).toEqual(['Contacts', 'Contacts/Suppliers']);
    expect(rows.find((r) => r.name === 'No Mail')).toMatchObject({
      address: '',
      parsed: { ok: false, reason: 'no email address' },
    });
    expect(rows.find((r) => r.name === 'Internal')?.parsed).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/internal Exchange address/),
    });
    expect(rows.find((r) => r.name === 'Edsger Dijkstra')?.parsed).toMatchObject({
      ok: true,
      domain: 'xn--bcher-kva.example',
    });
  });

  it('waits as a 429 Retry-After says, then goes on', async () => {
    const { client } = await start();
    graph.failures.push({ path: /contactFolders$/, status: 429, retryAfter: '1', times: 1 });
    const contacts = await new ContactsLoad(client).run();
    expect(contacts).toHaveLength(9);
    const folderRequests = graph.requests.filter((r) => r.url.startsWith('/v1.0/me/contactFolders?'));
    expect(folderRequests).toHaveLength(2);
    expect(folderRequests[1]!.at - folderRequests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('keeps what loaded when a page keeps failing, and the next run continues with it', async () => {
    const { client } = await start({ maxRetries: 1 });
    graph.failures.push({
      path: /contactFolders\/f1%2Fa\/contacts$|contactFolders\/f1\/a\/contacts$/,
      status: 503,
      times: Infinity,
    });
    const load = new ContactsLoad(client);
    const failure = await load.run().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ContactsLoadError);
    expect((failure as ContactsLoadError).message).toMatch(/busy.*retry/i);
    expect(load.complete).toBe(false);
    const before = load.contacts.length;
    expect(before).toBeGreaterThan(0);
    expect(load.contacts.some((c) => c.id === 'c8')).toBe(false);
    graph.failures.splice(0);
    const requestsBefore = graph.requests.length;
    await load.run();
    expect(load.complete).toBe(true);
    expect(load.contacts.map((c) => c.id).sort()).toEqual([
      'c1',
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
      'c7',
      'c8',
      'c9',
    ]);
    // the retry asked only what was missing
    expect(graph.requests.slice(requestsBefore).every((r) => !r.url.startsWith('/v1.0/me/contacts?'))).toBe(
      true,
    );
  });

  it('explains a rejected token', async () => {
    const { client } = await start({ token: 'wrong' });
    await expect(new ContactsLoad(client).run()).rejects.toThrow(/sign-in has expired/);
  });

  it('explains a denied permission', async () => {
    const { client } = await start();
    graph.failures.push({ path: /\/me\/contacts$/, status: 403, times: 1 });
    await expect(new ContactsLoad(client).run()).rejects.toThrow(/Contacts\.Read/);
  });

  it('stops when cancelled', async () => {
    const { client } = await start();
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(new ContactsLoad(client).run(controller.signal)).rejects.toThrow('cancelled');
  });
});
