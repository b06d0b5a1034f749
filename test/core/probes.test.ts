import { PROBES, questionName, selectProbes, UnknownProbeError } from '../../src/core/probes';

describe('the probe catalogue', () => {
  it('has every record the product checks, each with a meaning', () => {
    expect(PROBES.map((p) => p.id)).toEqual([
      '_sipfederationtls._tcp',
      '_xmpp-server._tcp',
      '_xmpps-server._tcp',
      '_sip._tls',
      '_xmpp-client._tcp',
      '_xmpps-client._tcp',
      'MX',
      'TXT',
      'autodiscover',
      'selector1._domainkey',
      'lyncdiscover',
      '_matrix-fed._tcp',
      '_matrix._tcp',
      '_collab-edge._tls',
    ]);
    for (const probe of PROBES) expect(probe.meaning.length).toBeGreaterThan(10);
  });

  it('puts each record in its tier: the answer, tenant evidence, information', () => {
    const tier = (n: number) => PROBES.filter((p) => p.tier === n).map((p) => p.id);
    expect(tier(1)).toEqual(['_sipfederationtls._tcp', '_xmpp-server._tcp', '_xmpps-server._tcp', 'MX']);
    expect(tier(2)).toEqual(['TXT', 'autodiscover', 'selector1._domainkey', 'lyncdiscover']);
    expect(tier(3)).toEqual([
      '_sip._tls',
      '_xmpp-client._tcp',
      '_xmpps-client._tcp',
      '_matrix-fed._tcp',
      '_matrix._tcp',
      '_collab-edge._tls',
    ]);
  });

  it('forms question names', () => {
    const [sip] = PROBES;
    expect(questionName(sip!, 'contoso.test')).toBe('_sipfederationtls._tcp.contoso.test');
    expect(
      questionName(
        PROBES.find((p) => p.id === 'MX')!,
        'contoso.test',
      ),
    ).toBe('contoso.test');
  });
});

describe('selectProbes', () => {
  it('accepts ids in any case, with or without the underscore, in catalogue order', () => {
    expect(selectProbes(['mx', 'sipfederationtls._tcp', ' _XMPP-SERVER._TCP ']).map((p) => p.id)).toEqual([
      '_sipfederationtls._tcp',
      '_xmpp-server._tcp',
      'MX',
    ]);
  });
  it('names what it does not know', () => {
    expect(() => selectProbes(['mx', '_h323._tcp'])).toThrow(UnknownProbeError);
    expect(() => selectProbes(['_h323._tcp'])).toThrow(/_h323\._tcp.*choose from/);
  });
});
