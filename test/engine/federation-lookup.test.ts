import { parseDomain, type NormalisedDomain } from '../../src/core/address';
import { CLASSIC_PROBE_IDS, PROBES, selectProbes, type ProbeId } from '../../src/core/probes';
import type { DomainVerdict } from '../../src/core/verdict';
import { DohClient } from '../../src/dns/doh-client';
import { FederationLookup } from '../../src/engine/federation-lookup';
import { startDohServer, type DohServer } from '../support/doh-server';
import { FIXTURE_ZONE } from '../support/fixture-zone';

function domain(name: string): NormalisedDomain {
  const parsed = parseDomain(name);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed;
}

let doh: DohServer;
beforeEach(async () => {
  doh = await startDohServer({ zone: FIXTURE_ZONE });
});
afterEach(async () => {
  await doh.close();
});

/** The original seven records: the mechanics below are about how questions are asked, not which. */
const CLASSIC = selectProbes(CLASSIC_PROBE_IDS);

function lookup(options: { concurrency?: number; probes?: ReturnType<typeof selectProbes> } = {}) {
  const client = new DohClient({ endpoints: [doh.url], timeoutMs: 300, retries: 1, backoffMs: 10 });
  return new FederationLookup({ client, probes: CLASSIC, ...options });
}

describe('FederationLookup against the fixture resolver', () => {
  let verdicts: Map<string, DomainVerdict>;
  beforeAll(async () => {
    const own = await startDohServer({ zone: FIXTURE_ZONE });
    const names = [
      'contoso.test',
      'fabrikam.test',
      'jabber.test',
      'closed.test',
      'plain.test',
      'broken.test',
      'silent.test',
      'alias.test',
      'agency.test',
      'tenant.test',
      'bücher.example',
      'gmail.com',
      'nowhere.test',
      'workspace.test',
    ];
    // A limit generous enough for a loaded CI machine: only silent.test should ever reach it.
    const client = new DohClient({ endpoints: [own.url], timeoutMs: 1500, retries: 1, backoffMs: 10 });
    const results = await new FederationLookup({ client }).checkDomains(names.map(domain));
    verdicts = new Map(results.map((v) => [v.domain, v]));
    await own.close();
  });
  const v = (name: string): DomainVerdict => verdicts.get(name) as DomainVerdict;

  it('Microsoft 365 with SIP federation', () => {
    expect(v('contoso.test')).toMatchObject({
      canFederate: true,
      lync: { federation: true, publicFacing: true, hosting: 'microsoft-365' },
      xmpp: { federation: false, clientAccess: false },
      microsoft365: { tenant: true, teamsLikely: true },
      consumer: false,
    });
    expect(v('contoso.test').records['_sipfederationtls._tcp']).toEqual({
      status: 'found',
      targets: [{ target: 'sipfed.online.lync.com', port: 5061, priority: 100, weight: 1 }],
    });
  });

  it('on-premises edge with XMPP, targets sorted', () => {
    expect(v('fabrikam.test')).toMatchObject({
      canFederate: true,
      lync: { federation: true, hosting: 'on-premises', publicFacing: false },
      xmpp: { federation: true, clientAccess: true },
      microsoft365: { tenant: false },
    });
    expect(v('fabrikam.test').records['_xmpp-server._tcp']?.targets.map((t) => t.target)).toEqual([
      'xmpp2.fabrikam.test',
      'xmpp1.fabrikam.test',
      'xmpp3.fabrikam.test',
    ]);
  });

  it('XMPP over direct TLS only', () => {
    expect(v('jabber.test')).toMatchObject({
      canFederate: true,
      lync: { federation: false },
      xmpp: { federation: true, clientAccess: true },
    });
  });

  it('refused and absent records are a no', () => {
    expect(v('closed.test').records['_xmpp-server._tcp']?.status).toBe('refused');
    expect(v('closed.test').records.MX?.status).toBe('refused');
    expect(v('closed.test').canFederate).toBe(false);
    expect(v('plain.test').canFederate).toBe(false);
    expect(v('nowhere.test').canFederate).toBe(false);
    expect(v('nowhere.test').records['_sipfederationtls._tcp']?.status).toBe('none');
  });

  it('SERVFAIL and silence are unknown, never no', () => {
    expect(v('broken.test').records['_sipfederationtls._tcp']).toEqual({
      status: 'error',
      targets: [],
      error: 'the resolver answered SERVFAIL',
    });
    expect(v('broken.test').canFederate).toBeNull();
    expect(v('silent.test').records['_sipfederationtls._tcp']?.status).toBe('error');
    expect(v('silent.test').records['_sipfederationtls._tcp']?.error).toMatch(/did not answer within 1.5 s/);
    expect(v('silent.test').lync.federation).toBeNull();
    expect(v('silent.test').canFederate).toBeNull();
  });

  it('follows CNAMEs, knows sovereign clouds, reads tenants from MX, handles IDN and consumer providers', () => {
    expect(v('alias.test').lync).toMatchObject({ federation: true, hosting: 'microsoft-365' });
    expect(v('agency.test').lync.hosting).toBe('microsoft-365');
    expect(v('tenant.test')).toMatchObject({
      canFederate: false,
      microsoft365: { tenant: true, teamsLikely: true },
    });
    expect(v('xn--bcher-kva.example')).toMatchObject({ displayDomain: 'bücher.example', canFederate: true });
    expect(v('gmail.com')).toMatchObject({ consumer: true, canFederate: false, xmpp: { federation: false } });
    expect(v('gmail.com').notes[0]).toMatch(/2017/);
  });

  it("does not count XMPP records that point at Google Talk's dead servers", () => {
    expect(v('workspace.test')).toMatchObject({
      canFederate: false,
      answer: 'no',
      xmpp: { federation: false },
      notes: [
        expect.stringMatching(/pointing at Google Talk are not counted/),
        expect.stringMatching(/Google Chat federates with neither Teams nor XMPP/),
      ],
    });
    expect(v('workspace.test').records['_xmpp-server._tcp']?.status).toBe('refused');
  });

  it('lists records in catalogue order, the tenant evidence only where it could change the answer', () => {
    const evidence = ['TXT', 'autodiscover', 'selector1._domainkey', 'lyncdiscover'];
    expect(Object.keys(v('contoso.test').records)).toEqual(
      PROBES.map((p) => p.id).filter((id) => !evidence.includes(id)),
    );
    expect(Object.keys(v('plain.test').records)).toEqual(PROBES.map((p) => p.id));
  });
});

describe('FederationLookup mechanics', () => {
  it('asks every question once however many entries share a domain', async () => {
    const entries = Array.from({ length: 50 }, (_, i) => domain(i % 2 ? 'contoso.test' : 'Fabrikam.TEST.'));
    const results = await lookup().checkDomains(entries);
    expect(results.map((r) => r.domain)).toEqual(['fabrikam.test', 'contoso.test']);
    expect(doh.queries).toHaveLength(2 * CLASSIC.length);
    expect(new Set(doh.queries.map((q) => `${q.type} ${q.name}`)).size).toBe(2 * CLASSIC.length);
  });

  it('shares questions in flight between concurrent runs, and answers again from the cache', async () => {
    const shared = lookup();
    await Promise.all([
      shared.checkDomains([domain('contoso.test')]),
      shared.checkDomains([domain('contoso.test')]),
    ]);
    expect(doh.queries).toHaveLength(CLASSIC.length);
    await shared.checkDomains([domain('contoso.test')]);
    expect(doh.queries).toHaveLength(CLASSIC.length); // all from the cache
  });

  it('asks again, ignoring the cache, when refreshing', async () => {
    const shared = lookup();
    await shared.checkDomains([domain('contoso.test')]);
    await shared.checkDomains([domain('contoso.test')], { refresh: true });
    expect(doh.queries).toHaveLength(2 * CLASSIC.length);
    await shared.checkDomains([domain('contoso.test')]);
    expect(doh.queries).toHaveLength(2 * CLASSIC.length);
  });

  it('does not cache failures', async () => {
    const shared = lookup();
    await shared.checkDomains([domain('broken.test')]);
    await shared.checkDomains([domain('broken.test')]);
    expect(doh.queries.filter((q) => q.name === '_sipfederationtls._tcp.broken.test')).toHaveLength(2);
  });

  it('asks every domain its answer records (SIP federation and MX first) before any detail', async () => {
    const names = Array.from({ length: 20 }, (_, i) => domain(`d${i}.test`));
    await lookup({ concurrency: 4 }).checkDomains(names);
    const answerRecords = new Set<string>([
      '_sipfederationtls._tcp',
      'MX',
      '_xmpp-server._tcp',
      '_xmpps-server._tcp',
    ]);
    const kinds = doh.queries.map((q) => {
      const probe = PROBES.find((p) =>
        p.prefix === '' ? !q.name.startsWith('_') : q.name.startsWith(`${p.prefix}.`),
      );
      return probe && answerRecords.has(probe.id) ? 'answer' : 'detail';
    });
    // Nothing is published for d<i>.test: each needs all four answer records, then the three others.
    // A detail goes out only when no answer question is left to send: while the last domains' XMPP
    // questions are out (and their follow-ups not yet known), the other workers start on details.
    expect(kinds.filter((k) => k === 'answer')).toHaveLength(20 * 4);
    const lastAnswer = kinds.lastIndexOf('answer');
    const detailsBefore = kinds.slice(0, lastAnswer).filter((k) => k === 'detail').length;
    // At most the idle workers (concurrency − 1) in each of the last two answer rounds.
    expect(detailsBefore).toBeLessThanOrEqual(2 * 3);
    expect(kinds.indexOf('detail')).toBeGreaterThanOrEqual(20 * 4 - 2 * 4);
    // Each domain's first round trip is SIP federation and MX; XMPP only once they are in.
    for (let i = 0; i < 20; i += 1) {
      const own = doh.queries
        .map((q) => q.name)
        .filter((name) => name === `d${i}.test` || name.endsWith(`.d${i}.test`));
      expect(own.slice(0, 2).sort()).toEqual([`_sipfederationtls._tcp.d${i}.test`, `d${i}.test`]);
      expect(own.slice(2, 4)).toEqual([`_xmpp-server._tcp.d${i}.test`, `_xmpps-server._tcp.d${i}.test`]);
    }
  });

  it('leaves the informational records out where asked, and asks only the ones named later', async () => {
    const client = new DohClient({ endpoints: [doh.url], timeoutMs: 300, retries: 1, backoffMs: 10 });
    const pane = new FederationLookup({ client, informational: false });
    await pane.checkDomains([domain('contoso.test')]);
    const named = (prefix: string) => doh.queries.filter((q) => q.name.startsWith(prefix)).length;
    expect(named('_xmpp-client._tcp.')).toBe(0);
    await pane.checkDomains([domain('contoso.test')], { informational: ['_xmpp-client._tcp'] });
    expect(named('_xmpp-client._tcp.')).toBe(1);
    expect(named('_matrix-fed._tcp.')).toBe(0);
    await pane.checkDomains([domain('contoso.test')], { informational: true });
    expect(named('_matrix-fed._tcp.')).toBe(1);
    // Nothing asked twice: the cache answers what is known.
    expect(named('_xmpp-client._tcp.')).toBe(1);
  });

  it('asks tenant evidence once every domain has its answer, before the other details', async () => {
    const names = Array.from({ length: 20 }, (_, i) => domain(`e${i}.test`));
    const client = new DohClient({ endpoints: [doh.url], timeoutMs: 300, retries: 1, backoffMs: 10 });
    await new FederationLookup({ client, concurrency: 4 }).checkDomains(names);
    const isEvidence = (q: { type: string }): boolean => q.type === 'TXT' || q.type === 'CNAME';
    const firstEvidence = doh.queries.findIndex(isEvidence);
    const answerRecords = doh.queries.filter(
      (q) => q.type === 'MX' || /^_(sipfederationtls|xmpp-server|xmpps-server)\._tcp\./.test(q.name),
    );
    expect(answerRecords).toHaveLength(20 * 4);
    // As with the details, at most the idle workers (concurrency − 1) in each of the last two rounds.
    const answersAfter = doh.queries.slice(firstEvidence).filter((q) => answerRecords.includes(q));
    expect(answersAfter.length).toBeLessThanOrEqual(2 * 3);
    // Each domain's first piece of evidence (the apex TXT) goes before its other details.
    for (let i = 0; i < 20; i += 1) {
      const own = doh.queries.filter((q) => q.name === `e${i}.test` || q.name.endsWith(`.e${i}.test`));
      const txt = own.findIndex((q) => q.type === 'TXT');
      const sipTls = own.findIndex((q) => q.name.startsWith('_sip._tls.'));
      expect(txt).toBeGreaterThan(0);
      expect(txt).toBeLessThan(sipTls);
    }
  });

  it('asks no XMPP record to decide a domain that SIP federation already decided', async () => {
    await lookup({ concurrency: 2 }).checkDomains([domain('contoso.test')], {});
    const order = doh.queries.map((q) => q.name);
    // contoso.test has SIP federation: its XMPP records come only with the details.
    expect(order.slice(0, 2).sort()).toEqual(['_sipfederationtls._tcp.contoso.test', 'contoso.test']);
    expect(order).toHaveLength(CLASSIC.length);
  });

  it('with the quick profile, asks only what decides the answer', async () => {
    const client = new DohClient({ endpoints: [doh.url], timeoutMs: 300, retries: 1, backoffMs: 10 });
    const quick = new FederationLookup({ client, profile: 'quick' });
    const verdicts = await quick.checkDomains(['contoso.test', 'jabber.test', 'tenant.test'].map(domain));
    const asked = (name: string): string[] =>
      doh.queries
        .filter((q) => q.name === name || q.name.endsWith(`.${name}`))
        .map((q) => (q.name === name ? 'MX' : q.name.slice(0, -name.length - 1)))
        .sort();
    expect(asked('contoso.test')).toEqual(['MX', '_sipfederationtls._tcp']);
    // jabber.test publishes only the direct-TLS XMPP record: all four are needed to find it.
    expect(asked('jabber.test')).toEqual([
      'MX',
      '_sipfederationtls._tcp',
      '_xmpp-server._tcp',
      '_xmpps-server._tcp',
    ]);
    // A Microsoft 365 MX decides "likely via Teams" at once: quick asks no XMPP of it.
    expect(asked('tenant.test')).toEqual(['MX', '_sipfederationtls._tcp']);
    expect(verdicts.map((v) => v.answer)).toEqual(['yes', 'yes', 'likely']);
    expect(verdicts[0]!.xmpp.clientAccess).toBeNull();
  });

  it('reports each answer early, then each complete verdict, with progress', async () => {
    const events: string[] = [];
    const progress: number[] = [];
    let answered = 0;
    await lookup({ concurrency: 2 }).checkDomains([domain('contoso.test'), domain('jabber.test')], {
      onPartial: (verdict, pending) => {
        events.push(`partial ${verdict.domain} ${verdict.answer} ${pending.join(' ')}`);
      },
      onVerdict: (verdict) => events.push(`done ${verdict.domain}`),
      onProgress: (p) => {
        progress.push(p.questionsDone);
        answered = p.domainsAnswered ?? 0;
      },
    });
    expect(events).toEqual([
      'partial contoso.test yes _xmpp-server._tcp _xmpps-server._tcp _sip._tls _xmpp-client._tcp _xmpps-client._tcp',
      'partial jabber.test yes _sip._tls _xmpp-client._tcp _xmpps-client._tcp',
      expect.stringMatching(/^done /),
      expect.stringMatching(/^done /),
    ]);
    expect(progress[0]).toBe(0);
    expect(progress[progress.length - 1]).toBe(2 * CLASSIC.length);
    expect(answered).toBe(2);
  });

  it('asks the details of a domain someone is looking at before the other details', async () => {
    const names = Array.from({ length: 10 }, (_, i) => domain(`h${i}.test`));
    const shared = lookup({ concurrency: 1 });
    let answered = 0;
    let askedBeforeHurry = 0;
    await shared.checkDomains(names, {
      onPartial: () => {
        answered += 1;
        if (answered === names.length) {
          askedBeforeHurry = doh.queries.length;
          shared.hurry(['h7.test']);
        }
      },
    });
    const next = doh.queries.slice(askedBeforeHurry, askedBeforeHurry + 3).map((q) => q.name);
    expect(next).toEqual(['_sip._tls.h7.test', '_xmpp-client._tcp.h7.test', '_xmpps-client._tcp.h7.test']);
    // Each still asked once.
    expect(doh.queries).toHaveLength(10 * CLASSIC.length);
  });

  it('lets the details of domains the directory knows wait behind the rest, unless someone looks', async () => {
    const names = Array.from({ length: 6 }, (_, i) => domain(`g${i}.test`));
    const shared = lookup({ concurrency: 1 });
    let answered = 0;
    let askedBeforeHurry = 0;
    await shared.checkDomains(names, {
      onPartial: () => {
        answered += 1;
        // Told at once, before any detail is asked: g0's and g1's details go last…
        if (answered === 1) shared.deferDetails(['g0.test', 'g1.test']);
        // …until someone opens g1.
        if (answered === names.length) {
          askedBeforeHurry = doh.queries.length;
          shared.hurry(['g1.test']);
        }
      },
    });
    const asked = doh.queries.map((q) => q.name);
    const details = (name: string) => [
      `_sip._tls.${name}`,
      `_xmpp-client._tcp.${name}`,
      `_xmpps-client._tcp.${name}`,
    ];
    // Their answers were not delayed: every answer question went before the first detail.
    expect(asked.slice(0, 6 * 4).every((name) => !name.startsWith('_sip._tls.'))).toBe(true);
    expect(asked.slice(askedBeforeHurry, askedBeforeHurry + 3)).toEqual(details('g1.test'));
    expect(asked.slice(-3)).toEqual(details('g0.test'));
    expect(asked).toHaveLength(6 * CLASSIC.length);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('reads domains from a stream a window at a time, each asked once', async () => {
    const names = Array.from({ length: 60 }, (_, i) => domain(`w${i % 40}.test`));
    let read = 0;
    let mostUnderWay = 0;
    let done = 0;
    async function* stream(): AsyncGenerator<NormalisedDomain> {
      for (const name of names) {
        read += 1;
        mostUnderWay = Math.max(mostUnderWay, read - done);
        yield name;
      }
    }
    const verdicts: string[] = [];
    const kept = await lookup({ concurrency: 4 }).checkDomains(stream(), {
      window: 8,
      keep: false,
      onVerdict: (verdict) => {
        done += 1;
        verdicts.push(verdict.domain);
      },
    });
    expect(kept).toEqual([]);
    expect(verdicts.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `w${i}.test`).sort());
    // Duplicates are read but not counted as under way; at most the window plus the duplicates in it.
    expect(mostUnderWay).toBeLessThanOrEqual(8 + 20);
    expect(doh.queries).toHaveLength(40 * CLASSIC.length);
  });

  it('asks only the chosen records', async () => {
    const probes = selectProbes(['_sipfederationtls._tcp', 'mx']);
    const [verdict] = await lookup({ probes }).checkDomains([domain('contoso.test')]);
    expect(Object.keys(verdict!.records) as ProbeId[]).toEqual(['_sipfederationtls._tcp', 'MX']);
    expect(doh.queries).toHaveLength(2);
    expect(verdict!.xmpp.federation).toBeNull();
    expect(verdict!.canFederate).toBe(true);
  });

  it('keeps the number of questions in flight at the concurrency', async () => {
    doh.options.latencyMs = 15;
    const names = Array.from({ length: 30 }, (_, i) => domain(`n${i}.test`));
    await lookup({ concurrency: 5 }).checkDomains(names);
    expect(doh.inFlight.max).toBe(5);
  });

  it('stops when cancelled, rejecting with the reason and asking nothing more', async () => {
    doh.options.latencyMs = 50;
    let fetches = 0;
    const client = new DohClient({
      endpoints: [doh.url],
      fetch: (input, init) => {
        fetches += 1;
        return fetch(input, init);
      },
    });
    const controller = new AbortController();
    const names = Array.from({ length: 100 }, (_, i) => domain(`c${i}.test`));
    const run = new FederationLookup({ client, concurrency: 4 }).checkDomains(names, {
      signal: controller.signal,
    });
    let atAbort = 0;
    setTimeout(() => {
      atAbort = fetches;
      controller.abort(new Error('stop'));
    }, 120);
    await expect(run).rejects.toThrow('stop');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fetches).toBe(atAbort);
    expect(atAbort).toBeLessThan(100 * CLASSIC.length);
  });
});

describe('FederationLookup sharing a question between runs', () => {
  let doh: DohServer;
  beforeEach(async () => {
    doh = await startDohServer({ zone: FIXTURE_ZONE, latencyMs: 150 });
  });
  afterEach(async () => {
    await doh.close();
  });

  it("answers a run whose shared question was cancelled by another run's cancel", async () => {
    const client = new DohClient({ endpoints: [doh.url], timeoutMs: 5000 });
    const shared = new FederationLookup({ client });
    const cancelled = new AbortController();
    const first = shared.checkDomains([domain('contoso.test')], { signal: cancelled.signal });
    const second = shared.checkDomains([domain('contoso.test')]);
    setTimeout(() => cancelled.abort(new Error('the first run was cancelled')), 50);
    await expect(first).rejects.toThrow('the first run was cancelled');
    const [verdict] = await second;
    expect(verdict!.canFederate).toBe(true);
    expect(Object.values(verdict!.records).every((r) => r.status !== 'error')).toBe(true);
  });
});
