import { parseDomain } from '../../src/core/address';
import type { DomainVerdict } from '../../src/core/verdict';
import { DohClient } from '../../src/dns/doh-client';
import { FederationLookup } from '../../src/engine/federation-lookup';
import { createNodeFetch } from '../../src/dns/node-fetch';
import { LiveChecker } from '../../src/live/live-checker';
import { startDohServer, type DohServer } from '../support/doh-server';
import {
  GREETING_DELAY_MS,
  LOOPBACK_OPT_IN,
  startLiveServers,
  type LiveServers,
} from '../support/live-servers';

let servers: LiveServers;
let doh: DohServer;
let verdicts: Map<string, DomainVerdict>;
let runMs: number;
let checker: LiveChecker;
let found: DomainVerdict[];

const DOMAINS = [
  'live.test',
  'shared.test',
  'mismatch.test',
  'expired.test',
  'dead.test',
  'noaddress.test',
  'garbled.test',
  'silent.test',
  'busy.test',
  'plain.test',
  'disowned.test',
  'baddate.test',
];

beforeAll(async () => {
  servers = await startLiveServers();
  doh = await startDohServer({ zone: servers.zone });
  const client = new DohClient({ endpoints: [doh.url], fetch: createNodeFetch(), timeoutMs: 2000 });
  const lookup = new FederationLookup({ client });
  found = await lookup.checkDomains(DOMAINS.map((d) => parseDomain(d)).filter((d) => d.ok));
  checker = new LiveChecker({ resolver: client, timeoutMs: 600, policy: LOOPBACK_OPT_IN });
  const started = performance.now();
  const checked = await checker.check(found);
  runMs = performance.now() - started;
  verdicts = new Map(checked.map((v) => [v.domain, v]));
});
afterAll(async () => {
  await servers.close();
  await doh.close();
});

const verdict = (domain: string) => verdicts.get(domain) as DomainVerdict;
const live = (domain: string, probe: keyof DomainVerdict['records'] = '_sipfederationtls._tcp') =>
  verdict(domain).records[probe]?.targets[0]?.live;

test('a SIP edge with a certificate for its name answers, with the certificate facts', () => {
  expect(live('live.test')).toMatchObject({
    status: 'answering',
    address: '127.0.0.1',
    tls: {
      subject: 'CN=sip.live.test',
      altNames: ['sip.live.test'],
      issuer: 'CN=Who Can Federate Test CA',
      nameMatches: true,
    },
  });
  expect(new Date(live('live.test')?.tls?.validTo ?? 0).getTime()).toBeGreaterThan(Date.now());
  expect(verdict('live.test')).toMatchObject({
    lync: { federation: true, live: true },
    verified: true,
    canFederate: true,
  });
});

test('a certificate for another name answers, but says the name does not match', () => {
  expect(live('mismatch.test')).toMatchObject({
    status: 'answering',
    tls: { altNames: ['elsewhere.example'], nameMatches: false },
  });
});

test('an expired certificate is reported with its date', () => {
  const facts = live('expired.test');
  expect(facts?.status).toBe('answering');
  expect(new Date(facts?.tls?.validTo ?? '').getTime()).toBeLessThan(Date.now());
});

test('a refusing port and a target without an address make the edge "no"; the record stays', () => {
  expect(live('dead.test')).toMatchObject({ status: 'refused' });
  expect(verdict('dead.test')).toMatchObject({
    canFederate: true,
    lync: { federation: true, live: false },
    verified: false,
  });
  expect(live('noaddress.test')).toMatchObject({
    status: 'unresolved',
    detail: 'nowhere.live.test has no address (A or AAAA)',
  });
  expect(verdict('noaddress.test').lync.live).toBe(false);
});

test('a server that is not TLS is a failed handshake: unknown, not no', () => {
  expect(live('garbled.test')).toMatchObject({ status: 'tls-failed' });
  expect(verdict('garbled.test')).toMatchObject({ lync: { live: null }, verified: null });
});

test('a server that disowns the domain is refused, not verified (host-unknown, unrecognized_name)', () => {
  expect(live('disowned.test', '_xmpp-server._tcp')).toEqual(
    expect.objectContaining({
      status: 'refused',
      detail: 'the server does not serve disowned.test (stream error: host-unknown)',
    }),
  );
  expect(live('disowned.test', '_xmpp-server._tcp')).not.toHaveProperty('starttls');
  expect(live('disowned.test', '_xmpps-server._tcp')).toMatchObject({
    status: 'refused',
    detail: 'the server does not serve disowned.test (TLS unrecognized_name)',
  });
  expect(verdict('disowned.test')).toMatchObject({
    xmpp: { federation: true, live: false },
    verified: false,
  });
});

test('a certificate whose expiry cannot be read is an answer with validTo null, not a crash', () => {
  expect(live('baddate.test')).toMatchObject({
    status: 'answering',
    tls: { validTo: null, altNames: ['sip.baddate.test'], nameMatches: true },
    detail: "the certificate's expiry date could not be read",
  });
});

test('failure details are short words, without OpenSSL internals', () => {
  for (const v of verdicts.values()) {
    for (const record of Object.values(v.records)) {
      for (const target of record.targets) {
        const detail = target.live?.detail ?? '';
        expect(detail).not.toMatch(/deps\/openssl|routines|\n/);
      }
    }
  }
  expect(live('garbled.test')?.detail).toBe('TLS handshake failed: wrong version number');
});

test('XMPP: the greeting shows STARTTLS; only the stream header was sent', () => {
  expect(live('live.test', '_xmpp-server._tcp')).toMatchObject({ status: 'answering', starttls: true });
  expect(live('live.test', '_xmpp-client._tcp')).toMatchObject({ status: 'answering', starttls: true });
  expect(verdict('live.test').xmpp).toMatchObject({ federation: true, live: true });
  for (const text of servers.xmpp.received) {
    expect(text).toMatch(
      /^<\?xml version='1.0'\?><stream:stream to='(live|busy)\.test' version='1.0' xml:lang='en' xmlns='jabber:(server|client)' xmlns:stream='http:\/\/etherx.jabber.org\/streams'>$/,
    );
  }
});

test('XMPP over direct TLS: a handshake with the XMPP ALPN and the domain as SNI', () => {
  expect(live('live.test', '_xmpps-server._tcp')).toMatchObject({
    status: 'answering',
    tls: { altNames: ['live.test'], nameMatches: true },
  });
});

test('a server that accepts and never speaks costs the time limit, no more', () => {
  const silent = live('silent.test', '_xmpp-server._tcp');
  expect(silent).toMatchObject({ status: 'timeout', detail: 'connected, but the server never spoke' });
  expect(silent?.ms).toBeGreaterThanOrEqual(550);
  expect(silent?.ms).toBeLessThan(1500);
  expect(verdict('silent.test').xmpp.live).toBeNull();
  expect(runMs).toBeLessThan(5000);
});

test('one connection per server at a time, and one handshake for an edge many domains share', () => {
  // Three greetings from one server, each taking GREETING_DELAY_MS: one at a time, the last waited for the two before.
  expect(servers.xmpp.connections.total).toBe(3); // live.test (server, client), busy.test
  const xmppMs = [
    live('live.test', '_xmpp-server._tcp')?.ms ?? 0,
    live('live.test', '_xmpp-client._tcp')?.ms ?? 0,
    live('busy.test', '_xmpp-server._tcp')?.ms ?? 0,
  ].sort((a, b) => a - b);
  expect(xmppMs[0]).toBeGreaterThanOrEqual(GREETING_DELAY_MS - 5);
  expect(xmppMs[2]).toBeGreaterThanOrEqual(3 * GREETING_DELAY_MS - 15);
  expect(servers.valid.connections.total).toBe(1); // live.test and shared.test share sip.live.test
  expect(live('shared.test')).toMatchObject({ status: 'answering', tls: { nameMatches: true } });
});

test('a domain without federation records is not contacted and not verified', () => {
  expect(verdict('plain.test')).toMatchObject({ canFederate: false });
  expect(verdict('plain.test').verified).toBeUndefined();
});

test('a later check contacts the servers again (nothing is remembered between runs)', async () => {
  const before = servers.valid.connections.total;
  const again = await checker.check(found.filter((v) => v.domain === 'live.test'));
  expect(servers.valid.connections.total).toBe(before + 1);
  expect(again[0]?.verified).toBe(true);
});
