/**
 * The pane's flows, without a browser: the session (src/taskpane/session/) over the real lookup, a
 * real RFC 8484 resolver and a Graph-shaped contacts server on 127.0.0.1. Chromium tests keep the
 * rendering, keyboard and accessibility (test/e2e/pane.test.ts).
 */
import type { TokenProvider } from '../../../src/auth/token-provider';
import { SignInError } from '../../../src/auth/sign-in-error';
import type { PaneConfig } from '../../../src/config';
import { DohClient } from '../../../src/dns/doh-client';
import { FederationLookup } from '../../../src/engine/federation-lookup';
import { createGraphClient } from '../../../src/graph/graph-client';
import { parseContactsFile } from '../../../src/sources/contacts-file';
import type { MessageItem } from '../../../src/sources/message-people';
import type { PaneServices } from '../../../src/taskpane/services';
import type { SettingsStore } from '../../../src/taskpane/settings';
import { PaneSession, type Notice } from '../../../src/taskpane/session/pane-session';
import { loopbackCertificate, type TestCertificate } from '../../support/certificates';
import { startDohServer, type DohServer } from '../../support/doh-server';
import { FIXTURE_ZONE } from '../../support/fixture-zone';
import { startGraphServer, type GraphServer } from '../../support/graph-server';
import { trustingFetch } from '../../support/trusting-fetch';

const TOKEN = 'test-token-not-a-secret';
const ZONE = {
  ...FIXTURE_ZONE,
  // Answers only after a while: a check can be stopped while it waits.
  '_sipfederationtls._tcp.slow.test': { delayMs: 1500 },
};

let certificate: TestCertificate;
let doh: DohServer;
let graph: GraphServer;
beforeAll(async () => {
  certificate = await loopbackCertificate();
  doh = await startDohServer({ zone: ZONE });
  graph = await startGraphServer({
    certificate,
    token: TOKEN,
    mailbox: {
      contacts: [
        { id: 'c1', displayName: 'Ada Lovelace', emailAddresses: [{ address: 'ada@contoso.test' }] },
        { id: 'c2', displayName: 'Grace Hopper', emailAddresses: [{ address: 'grace@jabber.test' }] },
        { id: 'c3', displayName: 'Barbara Liskov', emailAddresses: [{ address: 'barbara@tenant.test' }] },
        { id: 'c4', displayName: 'Dennis Ritchie', emailAddresses: [{ address: 'dennis@plain.test' }] },
        { id: 'c5', displayName: 'John Backus', emailAddresses: [{ address: 'john@broken.test' }] },
        { id: 'c6', displayName: 'Hedy Lamarr', emailAddresses: [{ address: 'hedy@gmail.com' }] },
        { id: 'c7', displayName: 'No Mail', emailAddresses: [] },
      ],
      folders: [],
    },
  });
});
afterAll(async () => {
  await doh.close();
  await graph.close();
});

/** Settings kept in memory, as Outlook's roaming settings would keep them. */
function memorySettings(): SettingsStore & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    read: (name) => values.get(name),
    write: async (name, value) => void values.set(name, value),
  };
}

interface Harness {
  session: PaneSession;
  notices: Notice[];
  saved: { fileName: string; text: string }[];
  sent: { url: string; body: string }[];
  settings: ReturnType<typeof memorySettings>;
}

function harness(
  options: { message?: MessageItem; signIn?: () => Promise<string>; collectorUrl?: string } = {},
): Harness {
  const config: PaneConfig = {
    clientId: 'test',
    graphBaseUrl: graph.baseUrl,
    dohUrls: [doh.url],
    entraUrl: '',
    collectorUrl: options.collectorUrl ?? '',
    shareDelayMs: { minMs: 0, maxMs: 0 },
    devToken: '',
    production: false,
  };
  const lookup = new FederationLookup({
    client: new DohClient({ endpoints: [doh.url], timeoutMs: 3000, retries: 0 }),
    informational: false,
    fromCloud: 'commercial',
  });
  const getAccessToken = options.signIn ?? (() => Promise.resolve(TOKEN));
  const saved: Harness['saved'] = [];
  const sent: Harness['sent'] = [];
  let pending: string | null = null;
  const settings = memorySettings();
  const services: PaneServices = {
    inOffice: false,
    messageItem: options.message,
    config,
    settings,
    // The session asks a token provider only for getAccessToken (MSAL's own is tested in test/auth).
    tokens: () => Promise.resolve({ getAccessToken } as unknown as TokenProvider),
    graph: () =>
      Promise.resolve(
        createGraphClient({
          baseUrl: graph.baseUrl,
          getAccessToken,
          fetch: trustingFetch(certificate.cert),
          retryDelaySeconds: 0,
        }),
      ),
    lookup: () => Promise.resolve(lookup),
    ownCloud: () => Promise.resolve({ cloud: 'commercial', known: false }),
    readContactsFile: (fileName, text) => Promise.resolve(parseContactsFile(fileName, text)),
    fetch: (url, init) => {
      sent.push({ url, body: String(init.body) });
      return Promise.resolve(new Response('{"accepted":1,"ignored":0}', { status: 202 }));
    },
    pendingShares: {
      read: () => pending,
      write: (text) => void (pending = text),
      remove: () => void (pending = null),
    },
    save: (fileName, text) => void saved.push({ fileName, text }),
  };
  const session = new PaneSession(services);
  const notices: Notice[] = [];
  session.onNotice((notice) => notices.push(notice));
  return { session, notices, saved, sent, settings };
}

const answersOf = (session: PaneSession): Record<string, string | undefined> => {
  const { people, federation } = session.getSnapshot();
  return Object.fromEntries(
    people.rows.map((row) => [
      row.name,
      row.parsed.ok ? federation.verdicts.get(row.parsed.domain)?.answer : 'no address',
    ]),
  );
};

describe('the pane session (no browser)', () => {
  it('checks every contact after signing in, and says when it starts and ends', async () => {
    const { session } = harness();
    const announcements: string[] = [];
    session.subscribe(() => {
      const { announcement } = session.getSnapshot();
      if ((announcements.at(-1) ?? '') !== announcement) announcements.push(announcement);
    });
    await session.checkContacts();
    const view = session.getSnapshot();
    expect(view.people.source).toBe('your contacts');
    expect(answersOf(session)).toEqual({
      'Ada Lovelace': 'yes',
      'Grace Hopper': 'yes',
      'Barbara Liskov': 'likely',
      'Dennis Ritchie': 'no',
      'John Backus': 'unknown',
      'Hedy Lamarr': 'depends',
      'No Mail': 'no address',
    });
    expect(view.checking).toBe(false);
    expect(view.busy).toBe(false);
    expect(view.checkable).toBe(6);
    expect(view.counts).toMatchObject({ all: 7, yes: 2, likely: 1, depends: 1, no: 1, unknown: 1 });
    expect(announcements).toEqual(['Checking 6 domains…', 'Done — 3 of 7 can federate.']);
  });

  it('shows the view asked for: a filter, a search and a sort over the same people', async () => {
    const { session } = harness();
    await session.checkContacts();
    session.setFilter('reachable');
    expect(session.getSnapshot().shown.map((row) => row.name)).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'Barbara Liskov',
    ]);
    session.setQuery('tenant');
    expect(session.getSnapshot().shown.map((row) => row.name)).toEqual(['Barbara Liskov']);
    session.setQuery('');
    session.setFilter('all');
    session.setSort('name');
    expect(session.getSnapshot().shown[0]?.name).toBe('Ada Lovelace');
    expect(session.getSnapshot().shown[1]?.name).toBe('Barbara Liskov');
  });

  it('says what went wrong with the sign-in, and offers to sign in again', async () => {
    const { session } = harness({ signIn: () => Promise.reject(new SignInError('popup-blocked')) });
    await session.checkContacts();
    const { people, checking } = session.getSnapshot();
    expect(people.problem?.title).toBe('Not signed in');
    expect(people.problem?.message).toMatch(/pop-up/i);
    expect(people.problem?.actions.map((a) => a.label)).toEqual(['Sign in']);
    expect(people.signingIn).toBe(false);
    expect(checking).toBe(false);
  });

  it('checks the people on the open message', async () => {
    const message: MessageItem = {
      from: { displayName: 'Ada', emailAddress: 'ada@contoso.test' },
      to: [{ displayName: 'Dennis', emailAddress: 'dennis@plain.test' }],
    } as MessageItem;
    const { session } = harness({ message });
    await session.checkMessage();
    expect(session.getSnapshot().people.source).toBe('this message');
    expect(answersOf(session)).toEqual({ Ada: 'yes', Dennis: 'no' });
  });

  it('says a file it cannot read is not imported, and checks nobody', async () => {
    const { session } = harness();
    await session.importFile({ name: 'contacts.csv', text: () => Promise.resolve('not,a\ncontacts,file') });
    const { people } = session.getSnapshot();
    expect(people.problem?.title).toBe("Couldn't import the file");
    expect(people.rows).toEqual([]);
  });

  it('stops when cancelled, keeps the answers already in, and says it stopped', async () => {
    const { session } = harness();
    const file = 'Name,E-mail Address\nAda,ada@contoso.test\nSlow,s@slow.test\n';
    const running = session.importFile({ name: 'people.csv', text: () => Promise.resolve(file) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(session.getSnapshot().checking).toBe(true);
    session.cancel();
    await running;
    const view = session.getSnapshot();
    expect(view.announcement).toBe('Stopped.');
    expect(view.checking).toBe(false);
    expect(view.federation.stopped).toMatchObject({ total: 2 });
    expect(answersOf(session)).toEqual({ Ada: 'yes', Slow: undefined });
  });

  it('asks again only the unknown domains, keeping every other answer', async () => {
    const { session } = harness();
    await session.checkContacts();
    const before = doh.queries.length;
    await session.retryUnknown();
    const asked = new Set(doh.queries.slice(before).map((q) => q.name.split('.').slice(-2).join('.')));
    expect([...asked]).toEqual(['broken.test']);
    expect(answersOf(session)['Ada Lovelace']).toBe('yes');
    expect(answersOf(session)['John Backus']).toBe('unknown');
  });

  it('exports exactly the people in view, once their client-access records are in', async () => {
    const { session, saved, notices } = harness();
    await session.checkContacts();
    session.setFilter('reachable');
    const before = doh.queries.length;
    await session.exportView();
    // Client access is asked now, for the three exported domains only (the check left it for later).
    const asked = doh.queries.slice(before).map((q) => q.name);
    expect(new Set(asked.map((name) => name.split('.').slice(-2).join('.')))).toEqual(
      new Set(['contoso.test', 'jabber.test', 'tenant.test']),
    );
    expect(asked.every((name) => /^_xmpps?-client\._tcp\./.test(name))).toBe(true);
    expect(saved).toHaveLength(1);
    expect(saved[0]?.fileName).toMatch(/^who-can-federate-reachable-\d{4}-\d\d-\d\d\.csv$/);
    const lines = saved[0]?.text.trim().split(/\r?\n/) ?? [];
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'Barbara Liskov',
    ]);
    expect(notices.at(-1)).toMatchObject({
      intent: 'success',
      title: expect.stringMatching(/^Saved 3 .+ to who-can-federate-reachable-/) as unknown,
    });
  });

  it('opens a person, asks their remaining records, and closes back to their row', async () => {
    const { session } = harness();
    await session.checkContacts();
    const row = session.getSnapshot().shown[1];
    if (!row?.parsed.ok) throw new Error('fixture: the second person has an address');
    session.openPerson(row, 1);
    expect(session.getSnapshot().details?.row.name).toBe('Grace Hopper');
    await session.federation.settled();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      session.getSnapshot().federation.verdicts.get('jabber.test')?.records['_xmpps-client._tcp'],
    ).toMatchObject({ status: 'found' });
    expect(session.closeDetails()).toBe(1);
    expect(session.getSnapshot().details).toBeUndefined();
  });

  it('shares only once turned on, only the domains with federation records, and forgets when turned off', async () => {
    const { session, sent, settings } = harness({ collectorUrl: 'http://127.0.0.1:9' });
    await session.checkContacts();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toEqual([]);
    await session.sharing.enable();
    expect(settings.values.get('shareAnonymously')).toBe(true);
    await session.refresh();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe('http://127.0.0.1:9/v1/reports');
    const body = JSON.parse(sent[0]?.body ?? '{}') as { domains: { domain: string }[] };
    expect(body.domains.map((d) => d.domain).sort()).toEqual(['contoso.test', 'jabber.test']);
    await session.sharing.disable();
    expect(session.getSnapshot().sharing.enabled).toBe(false);
    expect(settings.values.get('shareAnonymously')).toBe(false);
  });
});
