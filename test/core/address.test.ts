import { parseAddress, parseDomain, parseEntry, uniqueDomains } from '../../src/core/address';

describe('parseAddress', () => {
  it.each([
    ['a@b.example', 'a@b.example', 'b.example'],
    ['  Ada@Contoso.TEST  ', 'Ada@contoso.test', 'contoso.test'],
    ['Ada Lovelace <ada@contoso.test>', 'ada@contoso.test', 'contoso.test'],
    ['"Lovelace, Ada" <ada@contoso.test>', 'ada@contoso.test', 'contoso.test'],
    ['<ada@contoso.test>', 'ada@contoso.test', 'contoso.test'],
    ['ada@contoso.test.', 'ada@contoso.test', 'contoso.test'],
    ['ada+newsletters@contoso.test', 'ada+newsletters@contoso.test', 'contoso.test'],
    ['mailto:ada@contoso.test', 'ada@contoso.test', 'contoso.test'],
    ['SMTP:ada@contoso.test', 'ada@contoso.test', 'contoso.test'],
    ['"odd@local"@contoso.test', '"odd@local"@contoso.test', 'contoso.test'],
  ])('accepts %j', (input, address, domain) => {
    const parsed = parseAddress(input);
    expect(parsed).toMatchObject({ ok: true, address, domain });
  });

  it('keeps the display name', () => {
    expect(parseAddress('"Lovelace, Ada" <ada@contoso.test>')).toMatchObject({ name: 'Lovelace, Ada' });
    expect(parseAddress('ada@contoso.test')).not.toHaveProperty('name');
  });

  it('asks DNS the A-label and shows the Unicode form of an international domain', () => {
    expect(parseAddress('jürgen@Bücher.Example')).toMatchObject({
      ok: true,
      domain: 'xn--bcher-kva.example',
      displayDomain: 'bücher.example',
      address: 'jürgen@xn--bcher-kva.example',
    });
    expect(parseAddress('a@XN--BCHER-KVA.example')).toMatchObject({
      domain: 'xn--bcher-kva.example',
      displayDomain: 'bücher.example',
    });
    expect(parseAddress('a@日本.jp')).toMatchObject({ domain: 'xn--wgv71a.jp', displayDomain: '日本.jp' });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['ada', /no "@"/],
    ['ada@', /missing domain/],
    ['@contoso.test', /nothing before/],
    ['ada@[192.0.2.1]', /IP address/],
    ['ada@192.0.2.1', /IP address/],
    ['ada@0x7f.1', /IP address/],
    ['/o=Contoso/ou=Exchange Administrative Group/cn=Recipients/cn=ada', /internal Exchange address/],
    ['/O=CONTOSO/OU=FIRST/CN=RECIPIENTS/CN=ADA', /internal Exchange address/],
    ['EX:/o=Contoso/cn=ada', /internal Exchange address/],
    ['ada@localhost', /no dot/],
    ['ada@-bad.test', /invalid label/],
    ['ada@bad-.test', /invalid label/],
    ['ada@under_score.test', /invalid label/],
    ['ada@a..test', /empty label/],
    ['ada@exa mple.test', /not allowed/],
    ['ada@ex%41mple.test', /not allowed/],
    ['ada@contoso.123', /all digits/],
    ['ada@xn--zz.test', /not a valid domain name/],
    [`ada@${'a'.repeat(64)}.test`, /longer than 63/],
    [`ada@${'abcdefghi.'.repeat(26)}test`, /longer than 253/],
  ])('rejects %j with a reason', (input, reason) => {
    const parsed = parseAddress(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('never throws on hostile input', () => {
    for (const input of [
      '<<>>',
      '<a@b.c',
      'a@b.c>',
      '\u0000@\u0000',
      '@',
      '@@@',
      'a@.',
      'a@.test',
      '"<x@y.z>"',
    ]) {
      expect(() => parseAddress(input)).not.toThrow();
    }
  });
});

describe('parseDomain', () => {
  it('normalises case, space and the trailing dot', () => {
    expect(parseDomain(' Contoso.TEST. ')).toEqual({
      ok: true,
      domain: 'contoso.test',
      displayDomain: 'contoso.test',
    });
  });
  it('rejects an empty name', () => {
    expect(parseDomain('.')).toMatchObject({ ok: false });
  });

  it('answers an already-normalised name exactly as the full parse does (its fast path)', () => {
    // A leading space never matches the fast path, and the full parse trims it: the same name, the slow way.
    const slow = (name: string) => parseDomain(` ${name}`);
    const pieces = [
      'a',
      'z',
      '0',
      '9',
      '-',
      '.',
      'xn--',
      'XN--',
      'xn--bcher-kva',
      '0x1f',
      '1',
      'q'.repeat(63),
      'b'.repeat(64),
    ];
    let state = 7;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const names = [
      'contoso.test',
      'a.b',
      'mx.microsoft',
      'xn--bcher-kva.test',
      'bücher.test',
      'a.xn--p1ai',
      'foo.0x1f',
      'foo.123',
      '1.2.3.4',
      'a-.test',
      '-a.test',
      'a--b.test',
      'ab.c-d',
      'ab.c-',
      `${'a'.repeat(63)}.test`,
      `${'a'.repeat(64)}.test`,
      `${'abcdefghi.'.repeat(25)}com`,
      `${'abcdefghi.'.repeat(24)}abcdefghijk`,
      'a..b',
      '.a.b',
      'a.b.',
      'A.b',
      'test',
    ];
    for (let i = 0; i < 20_000; i += 1) {
      names.push(Array.from({ length: 1 + next(8) }, () => pieces[next(pieces.length)]).join(''));
    }
    for (const name of names) expect([name, parseDomain(name)]).toEqual([name, slow(name)]);
    expect(parseDomain('mx.microsoft')).toEqual({
      ok: true,
      domain: 'mx.microsoft',
      displayDomain: 'mx.microsoft',
    });
    expect(parseDomain('xn--bcher-kva.test')).toEqual({
      ok: true,
      domain: 'xn--bcher-kva.test',
      displayDomain: 'bücher.test',
    });
  });
});

describe('parseEntry', () => {
  it('tells addresses from bare domains', () => {
    expect(parseEntry('contoso.test')).toMatchObject({ ok: true, kind: 'domain', domain: 'contoso.test' });
    expect(parseEntry('Ada <ada@contoso.test>')).toMatchObject({
      ok: true,
      kind: 'address',
      domain: 'contoso.test',
    });
    expect(parseEntry('/o=Org/cn=x')).toMatchObject({ ok: false });
  });
});

describe('uniqueDomains', () => {
  it('keeps the first appearance of each domain, in order', () => {
    const entries = ['a@Y.test', 'b@x.test', 'c@y.test', 'y.test.'].map((e) => {
      const parsed = parseEntry(e);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed;
    });
    expect(uniqueDomains(entries).map((d) => d.domain)).toEqual(['y.test', 'x.test']);
  });
});
