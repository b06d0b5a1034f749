import { failureHints } from '../../src/cli/failure-hints';
import { DohHttpError, DnsNetworkError, DnsTimeoutError } from '../../src/dns/errors';

describe('failureHints', () => {
  it('gives each kind of failure its option, once, and none for answers the resolver gave', () => {
    const messages = [
      new DnsTimeoutError('https://r.test/dns-query', 4000).message,
      new DnsTimeoutError('https://r.test/dns-query', 1500).message,
      new DohHttpError('https://r.test/dns-query', 429).message,
      'the resolver answered SERVFAIL',
    ];
    expect(messages[0]).toBe('https://r.test/dns-query did not answer within 4 s');
    expect(messages[1]).toBe('https://r.test/dns-query did not answer within 1.5 s');
    expect(failureHints(messages)).toEqual([
      'a slow resolver: raise --timeout, or add another --doh resolver',
      'the resolver limits questions: lower --concurrency',
    ]);
    expect(failureHints([new DnsNetworkError('https://r.test/dns-query', new Error('x')).message])).toEqual([
      'check the network and the resolver (--doh URL or --dns address)',
    ]);
    expect(failureHints(['the resolver answered SERVFAIL'])).toEqual([]);
  });
});
