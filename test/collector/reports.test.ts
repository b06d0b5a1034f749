import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DailyAddressKey } from '../../src/collector/address-key';
import { SqliteStore } from '../../src/collector/store/sqlite';
import type { CollectorStore } from '../../src/collector/store/store';
import { REPORT_LIMITS } from '../../src/core/report';
import { storeKinds, type TestStore } from '../support/collector-stores';
import {
  get,
  ManualClock,
  postReport,
  startTestCollector,
  type TestCollector,
} from '../support/collector-app';

const ok = { domain: 'ok.test', records: ['_sipfederationtls._tcp'] };
const entry = (domain: string, records = ['_sipfederationtls._tcp']) => ({ domain, records });
const many = (n: number) => Array.from({ length: n }, (_, i) => entry(`d${i}.test`));

/** [what, body (string sent as is), extra headers]: each must be refused with a 400 and store nothing. */
const BAD_INPUTS: [string, unknown, Record<string, string>?][] = [
  ['malformed JSON', '{"domains": [{"domain": "ok.test"', undefined],
  ['an empty body', '', undefined],
  ['JSON that is not an object', JSON.stringify([ok]), undefined],
  ['text/plain', JSON.stringify({ domains: [ok] }), { 'content-type': 'text/plain' }],
  ['a form', 'domains=ok.test', { 'content-type': 'application/x-www-form-urlencoded' }],
  ['no content type at all', JSON.stringify({ domains: [ok] }), { 'content-type': '' }],
  [
    'an oversized body',
    JSON.stringify({ domains: [ok], pad: 'x'.repeat(REPORT_LIMITS.maxBytes) }),
    undefined,
  ],
  ['too many domains', { domains: [ok, ...many(REPORT_LIMITS.maxDomains)] }, undefined],
  ['no domains', { domains: [] }, undefined],
  ['domains not a list', { domains: ok }, undefined],
  ['a missing domains field', {}, undefined],
  ['an unknown top-level field', { domains: [ok], reporter: 'alice@contoso.test' }, undefined],
  ['an unknown field in an entry', { domains: [{ ...ok, contact: 'Alice' }] }, undefined],
  ['a domain that is a number', { domains: [ok, { domain: 42, records: ['_sip._tls'] }] }, undefined],
  ['a name with a space', { domains: [ok, entry('not a domain')] }, undefined],
  ['a label with a leading hyphen', { domains: [ok, entry('-bad.test')] }, undefined],
  ['an IP address', { domains: [ok, entry('192.0.2.1')] }, undefined],
  ['a name without a dot', { domains: [ok, entry('localhost')] }, undefined],
  ['a Unicode name', { domains: [ok, entry('bücher.test')] }, undefined],
  ['upper case', { domains: [ok, entry('Contoso.TEST')] }, undefined],
  ['a trailing dot', { domains: [ok, entry('contoso.test.')] }, undefined],
  ['a name too long', { domains: [ok, entry(`${'a'.repeat(63)}.`.repeat(4) + 'test')] }, undefined],
  ['a record outside the catalogue', { domains: [ok, entry('x.test', ['_http._tcp'])] }, undefined],
  ['no records', { domains: [ok, entry('x.test', [])] }, undefined],
  ['a record twice', { domains: [ok, entry('x.test', ['_sip._tls', '_sip._tls'])] }, undefined],
  ['a duplicated domain', { domains: [ok, entry('x.test'), entry('x.test', ['_sip._tls'])] }, undefined],
  [
    'a __proto__ key',
    '{"domains":[{"domain":"ok.test","records":["_sip._tls"]}],"__proto__":{"admin":true}}',
    undefined,
  ],
  [
    'a constructor.prototype key',
    '{"domains":[{"domain":"ok.test","records":["_sip._tls"]}],"constructor":{"prototype":{"admin":true}}}',
    undefined,
  ],
];

describe.each(storeKinds())('POST /v1/reports ($name)', (kind) => {
  let t: TestStore;
  let c: TestCollector;
  beforeEach(async () => {
    t = await kind.create();
    c = await startTestCollector(t.store);
  });
  afterEach(async () => {
    await c.close();
    await t.dispose();
  });

  test.each(BAD_INPUTS)('refuses %s with a clear 400 and stores nothing', async (_what, body, headers) => {
    const response = await postReport(c.url, body, headers);
    expect(response.status).toBe(400);
    const answer = response.json<{ error: string; message: string }>();
    expect(answer.error).toBe('Bad Request');
    expect(answer.message.length).toBeGreaterThan(10);
    expect(await t.store.describe('ok.test')).toBeUndefined();
    expect(await t.store.pendingCount()).toBe(0);
    expect(c.logs.filter((line) => line.includes('"error"'))).toEqual([]);
  });

  test('messages say what to change', async () => {
    const message = async (body: unknown, headers?: Record<string, string>) =>
      (await postReport(c.url, body, headers)).json<{ message: string }>().message;
    expect(await message({ domains: [entry('bücher.test')] })).toContain('send the ASCII (xn--) form');
    expect(await message({ domains: [ok], reporter: 'x' })).toContain('unknown field "reporter"');
    expect(await message({ domains: [entry('x.test', ['_http._tcp'])] })).toContain('_sipfederationtls._tcp');
    expect(await message('x', { 'content-type': 'text/plain' })).toContain('application/json');
    expect(await message({ domains: many(REPORT_LIMITS.maxDomains + 1) })).toContain(
      `${REPORT_LIMITS.maxDomains}`,
    );
    expect(await message({ domains: [entry('a.test'), entry('a.test')] })).toContain('more than once');
  });

  test('accepts a valid report with 202, counts each domain, never stores consumer providers', async () => {
    const response = await postReport(c.url, {
      domains: [
        entry('contoso.test'),
        entry('gmail.com', ['_xmpp-server._tcp']),
        entry('xn--bcher-kva.test'),
      ],
    });
    expect(response.status).toBe(202);
    expect(response.json()).toEqual({ accepted: 2, ignored: ['gmail.com'] });
    expect(await t.store.describe('contoso.test')).toMatchObject({
      reports: 1,
      facts: { status: 'pending' },
    });
    expect(await t.store.describe('xn--bcher-kva.test')).toMatchObject({ reports: 1 });
    expect(await t.store.describe('gmail.com')).toBeUndefined();
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  test('accepts JSON with a charset parameter', async () => {
    const response = await postReport(
      c.url,
      { domains: [ok] },
      { 'content-type': 'application/json; charset=utf-8' },
    );
    expect(response.status).toBe(202);
  });

  test('answers the CORS preflight of a browser without credentials', async () => {
    const response = await fetch(`${c.url}/v1/reports`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  test('a database failure is a 500 that says nothing was stored, logged without the request', async () => {
    const failing: CollectorStore = Object.create(t.store) as CollectorStore;
    failing.journal = () => Promise.reject(new Error('disk full'));
    const collector = await startTestCollector(failing);
    const response = await postReport(
      collector.url,
      { domains: [ok] },
      { 'user-agent': 'Secret-Agent/1.0', 'x-forwarded-for': '198.51.100.23' },
    );
    expect(response.status).toBe(500);
    expect(response.json()).toMatchObject({ message: expect.stringContaining('nothing was stored') });
    expect(collector.logs.join('')).toContain('disk full');
    expect(collector.logs.join('')).not.toMatch(/Secret-Agent|198\.51\.100\.23|reqId|\/v1\/reports/);
    await collector.close();
  });

  test('a report journaled but not yet countable is acknowledged, and counted once the database answers', async () => {
    const flaky: CollectorStore = Object.create(t.store) as CollectorStore;
    flaky.foldJournal = () => Promise.reject(new Error('database is locked'));
    const collector = await startTestCollector(flaky);
    const response = await postReport(collector.url, { domains: [ok] });
    expect(response.status).toBe(202);
    expect(collector.logs.join('')).toContain('database is locked');
    expect(await t.store.describe(ok.domain)).toBeUndefined();
    // The real store's own foldJournal (the prototype's) again: the shutdown counts the batch.
    delete (flaky as Partial<CollectorStore>).foldJournal;
    await collector.close();
    expect(await t.store.describe(ok.domain)).toMatchObject({ reports: 1 });
  });
});

describe('anonymity', () => {
  test('no address, user agent or request id reaches the logs or the database file', async () => {
    const kinds = storeKinds().filter((k) => k.name === 'sqlite');
    const t = await (kinds[0] as (typeof kinds)[0]).create();
    const c = await startTestCollector(t.store, { reportsPerMinute: 3 });
    const headers = {
      'user-agent': 'Mozilla/5.0 TellTale-UA',
      'x-forwarded-for': '203.0.113.99',
      'x-request-id': 'req-telltale-7',
      cookie: 'session=telltale-cookie',
    };
    for (let i = 0; i < 5; i += 1) {
      await postReport(c.url, { domains: [entry(`n${i}.test`)] }, headers);
    }
    await postReport(c.url, 'not json', headers);
    await get(c.url, '/v1/stats', headers);
    await get(c.url, '/nowhere', headers);
    await c.close();
    const store = t.store as SqliteStore;
    const dir = join(store.file, '..');
    let bytes = '';
    for (const name of await readdir(dir)) bytes += (await readFile(join(dir, name))).toString('latin1');
    for (const secret of ['TellTale', '203.0.113', 'req-telltale', 'telltale-cookie', 'Mozilla']) {
      expect(c.logs.join('')).not.toContain(secret);
      expect(bytes).not.toContain(secret);
    }
    expect(bytes).toContain('n0.test');
    await t.dispose();
  });

  test('rate limits key on a hash that changes every UTC day and is never the address', () => {
    const clock = new ManualClock();
    const key = new DailyAddressKey(clock.now);
    const today = key.keyOf('203.0.113.77');
    expect(today).not.toContain('203');
    expect(key.keyOf('203.0.113.77')).toBe(today);
    expect(key.keyOf('203.0.113.78')).not.toBe(today);
    clock.nextDay();
    expect(key.keyOf('203.0.113.77')).not.toBe(today);
    // Two instances alone key the same address differently; given one secret, alike, and daily still.
    expect(new DailyAddressKey(clock.now).keyOf('203.0.113.77')).not.toBe(key.keyOf('203.0.113.77'));
    const secret = 'a shared secret of at least 32 characters';
    const [a, b] = [new DailyAddressKey(clock.now, secret), new DailyAddressKey(clock.now, secret)];
    const shared = a.keyOf('203.0.113.77');
    expect(b.keyOf('203.0.113.77')).toBe(shared);
    expect(shared).not.toBe(key.keyOf('203.0.113.77'));
    clock.nextDay();
    expect(b.keyOf('203.0.113.77')).not.toBe(shared);
    expect(a.keyOf('203.0.113.77')).toBe(b.keyOf('203.0.113.77'));
    // A request's key is its address's, computed once for the request (the rate limit and the route ask).
    const request = { ip: '203.0.113.77' };
    expect(a.keyOfRequest(request)).toBe(a.keyOf('203.0.113.77'));
    clock.nextDay();
    expect(a.keyOfRequest(request)).not.toBe(a.keyOf('203.0.113.77'));
    expect(a.keyOfRequest({ ip: '203.0.113.77' })).toBe(a.keyOf('203.0.113.77'));
  });

  test('too many reports from one address get 429; another address is unaffected', async () => {
    const t = await (storeKinds()[0] as ReturnType<typeof storeKinds>[0]).create();
    const c = await startTestCollector(t.store, { reportsPerMinute: 2 });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const codes: number[] = [];
    for (let i = 0; i < 3; i += 1)
      codes.push((await postReport(c.url, { domains: [ok] }, from('192.0.2.5'))).status);
    expect(codes).toEqual([202, 202, 429]);
    expect((await postReport(c.url, { domains: [ok] }, from('192.0.2.6'))).status).toBe(202);
    expect((await t.store.describe('ok.test'))?.reports).toBe(3);
    await c.close();
    await t.dispose();
  });
});
