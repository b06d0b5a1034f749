import { DomainSet } from '../../src/core/domain-set';

describe('DomainSet', () => {
  it('adds each name once, and knows what it holds through many growths', () => {
    const set = new DomainSet(4);
    const names = Array.from({ length: 50_000 }, (_, i) => `d${i}.example`);
    for (const name of names) expect(set.add(name)).toBe(true);
    expect(set.add('d7.example')).toBe(false);
    expect(set.size).toBe(50_000);
    expect(names.every((name) => set.has(name))).toBe(true);
    expect(set.has('d50000.example')).toBe(false);
    expect(set.has('')).toBe(false);
  });

  it('keeps a value per name, and ORs cohort bits into it', () => {
    const set = new DomainSet();
    set.addBits('contoso.com', 1);
    set.addBits('contoso.com', 4);
    set.addBits('fabrikam.com', 2);
    for (let i = 0; i < 5000; i += 1) set.addBits(`x${i}.test`, 1 << (i % 32));
    expect(set.get('contoso.com')).toBe(5);
    expect(set.get('fabrikam.com')).toBe(2);
    expect(set.get('x31.test')).toBe(2 ** 31);
    expect(set.get('nowhere.test')).toBeUndefined();
  });
});
