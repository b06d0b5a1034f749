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
