import { Verifier } from '../../src/collector/verifier';
import { DohClient } from '../../src/dns/doh-client';
import { FederationLookup } from '../../src/engine/federation-lookup';
import { createNodeFetch } from '../../src/dns/node-fetch';
import { NO_STORE, RecordCache } from '../../src/dns/record-cache';
import {
  get,
  ManualClock,
  postReport,
  startTestCollector,
  type TestCollector,
} from '../support/collector-app';
import { storeKinds, type TestStore } from '../support/collector-stores';
import { startDohServer, type DohServer, type Zone } from '../support/doh-server';
import { FIXTURE_ZONE } from '../support/fixture-zone';
import { startEntraStandIn } from '../support/entra-server';
import { EntraDiscovery } from '../../src/entra/discovery-client';

const DAY = 24 * 60 * 60 * 1000;

describe.each(storeKinds())('verification ($name)', (kind) => {
  let t: TestStore;
  let doh: DohServer;
  let clock: ManualClock;
  let verifier: Verifier;
  let collector: TestCollector;

  const makeVerifier = (perMinute = 600) =>
    new Verifier({
      store: t.store,
      clock,
      perMinute,
      lookup: new FederationLookup({
        client: new DohClient({ endpoints: [doh.url], fetch: createNodeFetch(), timeoutMs: 1000 }),
        cache: new RecordCache({ store: NO_STORE }),
      }),
    });

  beforeEach(async () => {
    t = await kind.create();
    doh = await startDohServer({ zone: structuredClone(FIXTURE_ZONE) });
    clock = new ManualClock();
    verifier = makeVerifier();
    collector = await startTestCollector(t.store, { clock, verifier, threshold: 3 });
  });
  afterEach(async () => {
    await collector.close();
    await doh.close();
    await t.dispose();
  });

  const report = async (...domains: [string, string[]][]) => {
    const response = await postReport(collector.url, {
      domains: domains.map(([domain, records]) => ({ domain, records })),
    });
    expect(response.status).toBe(202);
  };
  const stats = async () => (await get(collector.url, '/v1/stats')).json<Record<string, unknown>>();
  const directory = async (query = '') =>
    (await get(collector.url, `/v1/domains${query}`))
      .json<{ domains: { domain: string }[] }>()
      .domains.map((d) => d.domain);

  test('counts only what the collector found itself, never a claimed record', async () => {
    for (let day = 0; day < 3; day += 1) {
      await report(
        ['plain.test', ['_sipfederationtls._tcp', '_xmpp-server._tcp']], // claims records it does not have
        ['contoso.test', ['_xmpp-server._tcp']], // has SIP federation, claims XMPP it does not have
        ['fabrikam.test', ['_sipfederationtls._tcp', '_xmpp-server._tcp']],
      );
      await verifier.drain();
      clock.nextDay();
    }
    expect(await t.store.describe('plain.test')).toMatchObject({
      reportDays: 3,
      facts: { status: 'absent', lyncFederation: false, xmppFederation: false, records: [] },
    });
    expect(await t.store.describe('contoso.test')).toMatchObject({
      facts: {
        status: 'present',
        lyncFederation: true,
        xmppFederation: false,
        hosting: 'microsoft-365',
        records: ['_sipfederationtls._tcp', '_sip._tls'],
      },
    });
    expect(await stats()).toMatchObject({
      domains: 2,
      lyncFederation: 2,
      xmppFederation: 1,
      lyncAndXmpp: 1,
      xmppClientAccess: 1,
      microsoft365: 1,
      onPremises: 1,
    });
    expect(await directory()).toEqual(['contoso.test', 'fabrikam.test']);
    expect(await directory('?capability=xmpp')).toEqual(['fabrikam.test']);
  });

  test("counts tenants per cloud, and those only Microsoft's sign-in service found", async () => {
    const entra = await startEntraStandIn({ 'jabber.test': { tenant: 'gcc' } });
    try {
      verifier = new Verifier({
        store: t.store,
        clock,
        perMinute: 600,
        lookup: new FederationLookup({
          client: new DohClient({ endpoints: [doh.url], fetch: createNodeFetch(), timeoutMs: 1000 }),
          cache: new RecordCache({ store: NO_STORE }),
          entra: new EntraDiscovery({ baseUrl: entra.url, ttlMs: 0 }),
        }),
      });
      for (let day = 0; day < 3; day += 1) {
        await report(['jabber.test', ['_xmpp-server._tcp']], ['contoso.test', ['_sipfederationtls._tcp']]);
        await verifier.drain();
        clock.nextDay();
      }
      expect(await t.store.describe('jabber.test')).toMatchObject({
        facts: {
          status: 'present',
          microsoft365Tenant: true,
          microsoft365Cloud: 'gcc',
          microsoft365Source: 'entra',
        },
      });
      const counted = await stats();
      expect(counted).toMatchObject({
        domains: 2,
        microsoft365Tenants: 2,
        tenantsOnlyInEntra: 1,
        tenantsByCloud: { commercial: 1, gcc: 1, 'gcc-high': 0, dod: 0, '21vianet': 0 },
      });
      // contoso.test has its SIP federation record: Entra ID was never asked about it.
      expect(entra.asked).toEqual(['jabber.test']);
    } finally {
      await entra.close();
    }
  });

  test('publishes a domain only once reported on K different days, however often on one day', async () => {
    const fabrikam: [string, string[]] = ['fabrikam.test', ['_sipfederationtls._tcp']];
    for (let i = 0; i < 10; i += 1) await report(fabrikam);
    await verifier.drain();
    expect(await t.store.describe('fabrikam.test')).toMatchObject({ reports: 10, reportDays: 1 });
    expect((await stats()).domains).toBe(0);
    clock.nextDay();
    await report(fabrikam);
    expect((await stats()).domains).toBe(0);
    expect(await directory()).toEqual([]);
    clock.nextDay();
    await report(fabrikam);
    expect((await stats()).domains).toBe(1);
    expect(await directory('?capability=lync')).toEqual(['fabrikam.test']);
  });

  test('re-verifies on schedule: a failed lookup keeps the domain, records gone drop it', async () => {
    for (let day = 0; day < 3; day += 1) {
      await report(['fabrikam.test', ['_sipfederationtls._tcp']]);
      clock.nextDay();
    }
    expect(await verifier.drain()).toBe(1);
    expect((await stats()).domains).toBe(1);
    // Not due yet: nothing is asked again.
    const asked = doh.queries.length;
    expect(await verifier.drain()).toBe(0);
    expect(doh.queries.length).toBe(asked);

    // A week later the resolver is broken: unknown is never "no", and the retry comes within the hour.
    clock.advance(7 * DAY);
    doh.options.httpStatus = 503;
    expect(await verifier.drain()).toBe(1);
    expect((await stats()).domains).toBe(1);
    const held = await t.store.describe('fabrikam.test');
    expect(held?.facts).toMatchObject({ status: 'present', lyncFederation: true, xmppFederation: true });
    expect(held?.nextCheckAt).toBe(clock.now() + 60 * 60 * 1000);

    // The records went meanwhile: the retry finds them gone and the domain drops out.
    delete doh.options.httpStatus;
    const zone: Zone = doh.options.zone;
    for (const name of Object.keys(zone)) if (name.endsWith('fabrikam.test')) delete zone[name];
    clock.advance(60 * 60 * 1000);
    expect(await verifier.drain()).toBe(1);
    expect(await t.store.describe('fabrikam.test')).toMatchObject({ facts: { status: 'absent' } });
    expect(await stats()).toMatchObject({ domains: 0, lyncFederation: 0 });
    expect(await directory()).toEqual([]);
  });

  test('checks each domain once however often reported, and no more per minute than allowed', async () => {
    verifier = makeVerifier(10);
    const names = Array.from({ length: 25 }, (_, i) => `n${String(i).padStart(2, '0')}.example`);
    for (let i = 0; i < 3; i += 1) {
      await postReport(collector.url, {
        domains: names.map((domain) => ({ domain, records: ['_sip._tls'] })),
      });
    }
    expect(await verifier.drain()).toBe(10);
    expect(await verifier.drain()).toBe(0);
    clock.advance(30_000);
    expect(await verifier.drain()).toBe(5);
    clock.advance(60_000);
    expect(await verifier.drain()).toBe(10);
    clock.advance(60_000);
    expect(await verifier.drain()).toBe(0);
    const perName = new Map<string, number>();
    for (const query of doh.queries) {
      const question = `${query.type} ${query.name}`;
      perName.set(question, (perName.get(question) ?? 0) + 1);
    }
    // Nothing is published for these names: every record of the standard plan (14), each once.
    expect(perName.size).toBe(25 * 14);
    expect(Math.max(...perName.values())).toBe(1);
    expect(await t.store.pendingCount()).toBe(0);
  });
});
