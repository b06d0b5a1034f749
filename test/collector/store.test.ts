import { domainBucket } from '../../src/collector/domain-hash';
import { FOLD_MAX_DOMAINS } from '../../src/collector/store/journal';
import type { CollectorStore, DomainFacts, ReportBatch } from '../../src/collector/store/store';
import { UNCHECKED } from '../../src/collector/verification';
import { storeKinds, type TestStore } from '../support/collector-stores';

const present = (overrides: Partial<DomainFacts> = {}): DomainFacts => ({
  ...UNCHECKED,
  status: 'present',
  lyncFederation: true,
  lyncPublicFacing: false,
  xmppFederation: false,
  xmppClientAccess: false,
  microsoft365Tenant: true,
  hosting: 'microsoft-365',
  records: ['_sipfederationtls._tcp'],
  checkedAt: Date.UTC(2026, 10, 30, 12),
  ...overrides,
});

describe.each(storeKinds())('$name store', (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await kind.create();
  });
  afterEach(async () => {
    await t.dispose();
  });

  test('a report counts each domain once, and a day only once per domain', async () => {
    await t.store.addReport(['a.test', 'b.test'], '2026-11-28');
    await t.store.addReport(['a.test'], '2026-11-28');
    await t.store.addReport(['a.test'], '2026-11-29');
    const a = await t.store.describe('a.test');
    const b = await t.store.describe('b.test');
    expect(a).toMatchObject({ reports: 3, reportDays: 2, facts: { status: 'pending' }, nextCheckAt: 0 });
    expect(b).toMatchObject({ reports: 1, reportDays: 1 });
    expect(await t.store.describe('c.test')).toBeUndefined();
    expect(await t.store.pendingCount()).toBe(2);
  });

  test('an earlier day arriving late (a clock behind) is not counted as a new day', async () => {
    await t.store.addReport(['a.test'], '2026-11-29');
    await t.store.addReport(['a.test'], '2026-11-28');
    expect(await t.store.describe('a.test')).toMatchObject({ reports: 2, reportDays: 1 });
  });

  test('claims due domains once, by due time then in random order, and frees them when the lease ends', async () => {
    await t.store.addReport(['c.test', 'a.test', 'b.test'], '2026-11-30');
    const first = await t.store.claimDue(1000, 2, 500);
    expect(first).toHaveLength(2);
    expect(first[0]?.facts).toEqual(UNCHECKED);
    const second = await t.store.claimDue(1000, 10, 500);
    expect([...first, ...second].map((d) => d.domain).sort()).toEqual(['a.test', 'b.test', 'c.test']);
    expect(await t.store.claimDue(1200, 10, 500)).toEqual([]);
    // The leases run out at 1500: a verifier that died frees its domains.
    expect((await t.store.claimDue(1500, 10, 500)).map((d) => d.domain).sort()).toEqual([
      'a.test',
      'b.test',
      'c.test',
    ]);
  });

  test('a saved check is stored, rescheduled and released', async () => {
    await t.store.addReport(['a.test'], '2026-11-30');
    await t.store.claimDue(1000, 10, 500);
    const facts = present({ xmppFederation: null, records: ['_sipfederationtls._tcp', '_sip._tls'] });
    await t.store.saveCheck('a.test', facts, 9000);
    expect(await t.store.describe('a.test')).toEqual({
      domain: 'a.test',
      reports: 1,
      reportDays: 1,
      reporters: 1,
      absentChecks: 0,
      facts,
      nextCheckAt: 9000,
    });
    expect(await t.store.claimDue(8999, 10, 500)).toEqual([]);
    expect((await t.store.claimDue(9000, 10, 500))[0]).toEqual({ domain: 'a.test', facts, absentChecks: 0 });
    expect(await t.store.pendingCount()).toBe(0);
  });

  test('stats and the directory count only verified domains reported on K different days', async () => {
    const days = ['2026-11-27', '2026-11-28', '2026-11-29'];
    for (const day of days)
      await t.store.addReport(['lync.test', 'both.test', 'gone.test', 'onprem.test'], day);
    for (const day of days.slice(0, 2)) await t.store.addReport(['rare.test'], day);
    await t.store.saveCheck(
      'lync.test',
      present({
        lyncLive: true,
        verified: true,
        records: ['_sipfederationtls._tcp', '_matrix-fed._tcp', '_collab-edge._tls'],
      }),
      1,
    );
    await t.store.saveCheck(
      'both.test',
      present({
        microsoft365Cloud: 'gcc',
        microsoft365Source: 'entra',
        xmppFederation: true,
        xmppClientAccess: true,
        checkedAt: Date.UTC(2026, 10, 30, 13),
        lyncLive: false,
        xmppLive: true,
        verified: true,
      }),
      1,
    );
    await t.store.saveCheck(
      'onprem.test',
      present({ hosting: 'on-premises', lyncLive: false, verified: false }),
      1,
    );
    await t.store.saveCheck('rare.test', present(), 1);
    await t.store.saveCheck(
      'gone.test',
      { ...UNCHECKED, status: 'absent', lyncFederation: false, xmppFederation: false, checkedAt: 5 },
      1,
    );
    expect(await t.store.stats(3)).toEqual({
      domains: 3,
      lyncFederation: 3,
      xmppFederation: 1,
      lyncAndXmpp: 1,
      xmppClientAccess: 1,
      microsoft365: 2,
      onPremises: 1,
      lyncEdgeAnswering: 1,
      xmppEdgeAnswering: 1,
      verified: 2,
      microsoft365Tenants: 3,
      tenantsOnlyInEntra: 1,
      tenantsByCloud: { commercial: 0, gcc: 1, 'gcc-high': 0, dod: 0, '21vianet': 0 },
      matrixFederation: 1,
      ciscoEdge: 1,
      asOf: Date.UTC(2026, 10, 30, 13),
    });
    expect((await t.store.stats(2)).domains).toBe(4);
    expect(await t.store.stats(4)).toMatchObject({ domains: 0, lyncFederation: 0, asOf: null });

    const all = await t.store.directory({ limit: 10, threshold: 3 });
    expect(all.map((e) => e.domain)).toEqual(['both.test', 'lync.test', 'onprem.test']);
    const xmpp = await t.store.directory({ capability: 'xmpp', limit: 10, threshold: 3 });
    expect(xmpp.map((e) => e.domain)).toEqual(['both.test']);
    const page = await t.store.directory({ limit: 1, threshold: 3, after: 'both.test' });
    expect(page.map((e) => e.domain)).toEqual(['lync.test']);
  });

  test('pages in byte order, as JavaScript compares (hyphens and digits included)', async () => {
    const names = ['a-b.test', 'a.test', 'a0.test', 'ab.test', 'b.test', 'xn--bcher-kva.test'];
    for (const day of ['2026-11-28', '2026-11-29', '2026-11-30']) await t.store.addReport(names, day);
    for (const name of names) await t.store.saveCheck(name, present(), 1);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await t.store.directory({ limit: 2, threshold: 3, after });
      if (page.length === 0) break;
      seen.push(...page.map((e) => e.domain));
      after = page[page.length - 1]?.domain;
    }
    expect(seen).toEqual([...names].sort());
  });

  test('migrating again (a restart, a second instance) keeps the data', async () => {
    await t.store.addReport(['a.test'], '2026-11-30');
    const again = await t.reopen();
    await again.migrate();
    expect(await again.describe('a.test')).toMatchObject({ reports: 1 });
  });

  test('concurrent reports from several instances lose no count', async () => {
    const second = await t.reopen();
    const domains = Array.from({ length: 40 }, (_, i) => `d${String(i).padStart(2, '0')}.test`);
    const writes = Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? t.store : second).addReport(
        domains.filter((_, j) => (i + j) % 3 !== 0),
        '2026-11-30',
      ),
    );
    await Promise.all(writes);
    let total = 0;
    for (const domain of domains) total += (await t.store.describe(domain))?.reports ?? 0;
    const expected = Array.from(
      { length: 20 },
      (_, i) => domains.filter((_, j) => (i + j) % 3 !== 0).length,
    ).reduce((a, b) => a + b);
    expect(total).toBe(expected);
  });

  /** A journaled batch as the report batcher writes it. */
  const batch = (day: string, entries: [string, number, number][], keys: string[] = []): ReportBatch => ({
    day,
    entries: entries.map(([domain, reports, newReporters]) => ({ domain, reports, newReporters })),
    keys,
    decoys: 16,
  });
  const fold = (store: CollectorStore, maxDomains = FOLD_MAX_DOMAINS) =>
    store.foldJournal({ decoys: 16, maxDomains });

  test('a journaled batch is durable at once, its keys seen, and counted when folded (each domain once)', async () => {
    await t.store.addReport(['old.test'], '2026-11-29');
    await t.store.journal(
      batch(
        '2026-11-30',
        [
          ['a.test', 2, 2],
          ['b.test', 1, 1],
        ],
        ['key-1'],
      ),
    );
    await t.store.journal(batch('2026-11-30', [['a.test', 1, 0]], ['key-2']));
    await t.store.journal(batch('2026-12-01', [['a.test', 1, 1]]));
    expect(await t.store.seen('key-1')).toBe(true);
    expect(await t.store.seen('key-2')).toBe(true);
    expect(await t.store.describe('a.test')).toBeUndefined();
    // A crash now: another connection (a restart) finds the batches and counts them.
    const restarted = await t.reopen();
    expect(await fold(restarted)).toEqual({ folded: 3, remaining: false });
    expect(await t.store.describe('a.test')).toMatchObject({ reports: 4, reportDays: 2, reporters: 3 });
    expect(await t.store.describe('b.test')).toMatchObject({ reports: 1, reportDays: 1, reporters: 1 });
    // The decoys were rewritten unchanged.
    expect(await t.store.describe('old.test')).toMatchObject({ reports: 1, reportDays: 1, reporters: 1 });
    expect(await t.store.pendingCount()).toBe(3);
    expect(await fold(t.store)).toEqual({ folded: 0, remaining: false });
    expect(await t.store.describe('a.test')).toMatchObject({ reports: 4 });
  });

  test('a folded domain is found in the look-up bucket of its hash, with a check order of its own', async () => {
    const domains = ['xn--bcher-kva.test', 'a-b.test', 'mail.z9.test'];
    await t.store.journal(
      batch(
        '2026-11-30',
        domains.map((domain) => [domain, 1, 1]),
      ),
    );
    await fold(t.store);
    for (const domain of domains) {
      await t.store.saveCheck(domain, present(), 1);
      expect((await t.store.bucket(domainBucket(domain), 1)).map((entry) => entry.domain)).toContain(domain);
    }
    // Every domain is due now; a check order is drawn for each (31 random bits): all are claimed.
    expect((await t.store.claimDue(2, 10, 500)).map((due) => due.domain).sort()).toEqual([...domains].sort());
  });

  test('a fold takes the oldest batches up to its domain budget, and always at least one', async () => {
    await t.store.journal(
      batch('2026-11-30', [
        ['a.test', 1, 1],
        ['b.test', 1, 1],
        ['c.test', 1, 1],
      ]),
    );
    await t.store.journal(batch('2026-11-30', [['d.test', 1, 1]]));
    await t.store.journal(batch('2026-11-30', [['e.test', 1, 1]]));
    expect(await fold(t.store, 2)).toEqual({ folded: 1, remaining: true });
    expect(await t.store.describe('c.test')).toMatchObject({ reports: 1 });
    expect(await t.store.describe('d.test')).toBeUndefined();
    expect(await fold(t.store, 2)).toEqual({ folded: 2, remaining: false });
    expect(await t.store.describe('e.test')).toMatchObject({ reports: 1 });
  });

  test('instances folding at once count every journaled batch exactly once', async () => {
    const second = await t.reopen();
    const domains = Array.from({ length: 30 }, (_, i) => `d${String(i).padStart(2, '0')}.test`);
    for (let i = 0; i < 40; i += 1) {
      await (i % 2 === 0 ? t.store : second).journal(
        batch(
          '2026-11-30',
          domains.filter((_, j) => (i + j) % 4 !== 0).map((domain) => [domain, 1, 1]),
        ),
      );
    }
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => fold(i % 2 === 0 ? t.store : second, 60)),
    );
    while ((await fold(t.store, 60)).remaining);
    expect(results.reduce((sum, r) => sum + r.folded, 0)).toBeGreaterThan(0);
    let total = 0;
    for (const domain of domains) total += (await t.store.describe(domain))?.reports ?? 0;
    expect(total).toBe(40 * 30 - (40 * 30) / 4);
  });

  test('two instances never lease the same domain', async () => {
    const second = await t.reopen();
    const domains = Array.from({ length: 30 }, (_, i) => `d${String(i).padStart(2, '0')}.test`);
    await t.store.addReport(domains, '2026-11-30');
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? t.store : second).claimDue(1000, 10, 60_000)),
    );
    const claimed = claims.flat().map((d) => d.domain);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual(domains);
  });
});
