import * as dnsPacket from 'dns-packet';
import { interpretAddresses, interpretAnswer } from '../../src/dns/answer';
import { decodeMessage, encodeQuery } from '../../src/dns/wire';
import { answerFromZone, type Zone } from '../support/doh-server';

/** Asks the fixture zone through real wire format: encode the query, build the answer, encode and decode it. */
function ask(zone: Zone, name: string, type: 'SRV' | 'MX', negativeTtl = 60) {
  const query = dnsPacket.decode(Buffer.from(encodeQuery(name, type)));
  const wire = dnsPacket.encode(answerFromZone(zone, query, negativeTtl));
  return interpretAnswer(decodeMessage(wire), name, type);
}

describe('interpretAnswer', () => {
  const zone: Zone = {
    '_x._tcp.a.test': {
      ttl: 120,
      SRV: [
        { target: 'C.a.test.', port: 3, priority: 20, weight: 100 },
        { target: 'a.a.test', port: 1, priority: 10, weight: 5 },
        { target: 'b.a.test', port: 2, priority: 10, weight: 50 },
      ],
    },
    '_x._tcp.dot.test': { SRV: [{ target: '.', port: 0 }] },
    '_x._tcp.alias.test': { CNAME: '_x._tcp.hop.test', ttl: 30 },
    '_x._tcp.hop.test': { CNAME: '_x._tcp.a.test', ttl: 90 },
    '_x._tcp.loop1.test': { CNAME: '_x._tcp.loop2.test' },
    '_x._tcp.loop2.test': { CNAME: '_x._tcp.loop1.test' },
    '_x._tcp.fail.test': { rcode: 'SERVFAIL' },
    'nodata.test': { SRV: [{ target: 'x.test', port: 1 }] },
    'nullmx.test': { MX: [{ exchange: '.', preference: 0 }] },
    'mx.test': {
      MX: [
        { exchange: 'b.mx.test', preference: 20 },
        { exchange: 'A.mx.test', preference: 10 },
      ],
    },
  };

  it('sorts found targets by priority, then weight descending, lower-cased without the root dot', () => {
    const { result, ttlSeconds } = ask(zone, '_x._tcp.a.test', 'SRV');
    expect(result).toEqual({
      status: 'found',
      targets: [
        { target: 'b.a.test', port: 2, priority: 10, weight: 50 },
        { target: 'a.a.test', port: 1, priority: 10, weight: 5 },
        { target: 'c.a.test', port: 3, priority: 20, weight: 100 },
      ],
    });
    expect(ttlSeconds).toBe(120);
  });

  it('reads a lone "." target as refused (RFC 2782)', () => {
    expect(ask(zone, '_x._tcp.dot.test', 'SRV').result).toEqual({ status: 'refused', targets: [] });
  });

  it('follows CNAME chains, caching for the shortest TTL in the chain', () => {
    const { result, ttlSeconds } = ask(zone, '_x._tcp.alias.test', 'SRV');
    expect(result.status).toBe('found');
    expect(result.targets).toHaveLength(3);
    expect(ttlSeconds).toBe(30);
  });

  it('reports a CNAME loop as an error', () => {
    // the fixture resolver gives up on the loop with SERVFAIL, as real resolvers do
    expect(ask(zone, '_x._tcp.loop1.test', 'SRV').result.status).toBe('error');
  });

  it('reads NXDOMAIN and NODATA as none, cached for the SOA minimum', () => {
    expect(ask(zone, '_x._tcp.missing.test', 'SRV', 45)).toEqual({
      result: { status: 'none', targets: [] },
      ttlSeconds: 45,
    });
    expect(ask(zone, 'nodata.test', 'MX', 30)).toEqual({
      result: { status: 'none', targets: [] },
      ttlSeconds: 30,
    });
  });

  it('reads SERVFAIL as an error, never cached', () => {
    const { result, ttlSeconds } = ask(zone, '_x._tcp.fail.test', 'SRV');
    expect(result).toEqual({ status: 'error', targets: [], error: 'the resolver answered SERVFAIL' });
    expect(ttlSeconds).toBeNull();
  });

  it('reads MX exchanges by preference and a null MX as refused (RFC 7505)', () => {
    expect(ask(zone, 'mx.test', 'MX').result.targets.map((t) => [t.target, t.priority, t.port])).toEqual([
      ['a.mx.test', 10, 25],
      ['b.mx.test', 20, 25],
    ]);
    expect(ask(zone, 'nullmx.test', 'MX').result.status).toBe('refused');
  });

  it('detects a CNAME loop inside one answer', () => {
    const packet = {
      type: 'response' as const,
      rcode: 'NOERROR',
      answers: [
        { type: 'CNAME' as const, name: 'a.test', ttl: 1, data: 'b.test' },
        { type: 'CNAME' as const, name: 'b.test', ttl: 1, data: 'a.test' },
      ],
    };
    expect(interpretAnswer(packet, 'a.test', 'SRV').result.error).toMatch(/CNAME loop/);
  });
});

describe('interpretAddresses', () => {
  const zone: Zone = {
    'edge.test': { A: ['192.0.2.1', '192.0.2.2'], AAAA: ['2001:db8::1'] },
    'alias.test': { CNAME: 'edge.test' },
    'v4only.test': { A: ['192.0.2.9'] },
    'broken.test': { rcode: 'SERVFAIL' },
  };
  const addresses = (name: string, type: 'A' | 'AAAA') => {
    const query = dnsPacket.decode(Buffer.from(encodeQuery(name, type)));
    return interpretAddresses(decodeMessage(dnsPacket.encode(answerFromZone(zone, query))), name, type);
  };

  test('addresses of the asked family, CNAMEs followed', () => {
    expect(addresses('edge.test', 'A')).toEqual({ status: 'found', addresses: ['192.0.2.1', '192.0.2.2'] });
    expect(addresses('alias.test', 'AAAA')).toEqual({ status: 'found', addresses: ['2001:db8::1'] });
  });

  test('no such name or no address of the family is "none"; a failed lookup is an error', () => {
    expect(addresses('missing.test', 'A')).toEqual({ status: 'none', addresses: [] });
    expect(addresses('v4only.test', 'AAAA')).toEqual({ status: 'none', addresses: [] });
    expect(addresses('broken.test', 'A')).toEqual({
      status: 'error',
      addresses: [],
      error: 'the resolver answered SERVFAIL',
    });
  });
});

describe('EDNS(0)', () => {
  test('every query carries an OPT record (UDP 1232, DO off) and is padded to a multiple of 128 bytes', () => {
    for (const name of [
      'a.test',
      '_sipfederationtls._tcp.a-rather-longer-domain-name.example',
      'x'.repeat(60) + '.test',
    ]) {
      const wire = encodeQuery(name, 'SRV');
      expect(wire.length % 128).toBe(0);
      const decoded = dnsPacket.decode(Buffer.from(wire));
      const opt = decoded.additionals?.[0] as unknown as {
        type: string;
        udpPayloadSize: number;
        flags: number;
      };
      expect(opt).toMatchObject({ type: 'OPT', udpPayloadSize: 1232 });
      expect(opt.flags & dnsPacket.DNSSEC_OK).toBe(0);
    }
  });

  test('Extended DNS Errors are said with the SERVFAIL', () => {
    const query = dnsPacket.decode(Buffer.from(encodeQuery('bogus.test', 'SRV')));
    const reply = dnsPacket.encode({
      type: 'response',
      id: 0,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | 2,
      questions: query.questions,
      additionals: [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: 1232,
          flags: 0,
          options: [
            { code: 15, data: Buffer.concat([Buffer.from([0, 6]), Buffer.from('signature invalid')]) },
          ],
        } as never,
      ],
    });
    const { result } = interpretAnswer(decodeMessage(reply), 'bogus.test', 'SRV');
    expect(result).toMatchObject({
      status: 'error',
      error: 'the resolver answered SERVFAIL: DNSSEC bogus (EDE 6: signature invalid)',
    });
  });
});
