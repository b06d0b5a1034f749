import {
  commaList,
  httpUrl,
  msRange,
  oneOf,
  onOff,
  SettingError,
  urlList,
  wholeNumber,
} from '../../src/settings/values';

describe("settings' text, read the same way by every face", () => {
  it('reads comma lists and URL lists, with the fallback only when nothing is set', () => {
    expect(commaList(' a , ,b,')).toEqual(['a', 'b']);
    expect(urlList('WCF_DOH_URLS', 'https://a.test/dns-query, http://127.0.0.1:1/q', [])).toEqual([
      'https://a.test/dns-query',
      'http://127.0.0.1:1/q',
    ]);
    expect(urlList('WCF_DOH_URLS', ' ', ['https://fallback.test/'])).toEqual(['https://fallback.test/']);
    expect(() => urlList('WCF_DOH_URLS', 'https://a.test/, ftp://b.test/', [])).toThrow(
      new SettingError('WCF_DOH_URLS "ftp://b.test/" must be an https:// URL'),
    );
    expect(() => httpUrl('--doh', 'nonsense', 'https://cloudflare-dns.com/dns-query')).toThrow(
      /--doh "nonsense" is not a URL \(e\.g\. https:\/\/cloudflare-dns\.com\/dns-query\)/,
    );
  });

  it('reads "min-max" in either order, and refuses anything else instead of quietly using the default', () => {
    const fallback = { minMs: 1000, maxMs: 5000 };
    expect(msRange('WCF_SHARE_DELAY_MS', undefined, fallback)).toEqual(fallback);
    expect(msRange('WCF_SHARE_DELAY_MS', ' 200 - 100 ', fallback)).toEqual({ minMs: 100, maxMs: 200 });
    expect(() => msRange('WCF_SHARE_DELAY_MS', '5s', fallback)).toThrow(
      /WCF_SHARE_DELAY_MS must be "min-max"/,
    );
  });

  it('reads whole numbers with a lower bound, switches and choices', () => {
    expect(wholeNumber('PORT', '', 8787, 0)).toBe(8787);
    expect(wholeNumber('PORT', ' 0 ', 8787, 0)).toBe(0);
    expect(() => wholeNumber('WCF_RECHECK_DAYS', '0', 7, 1)).toThrow(
      'WCF_RECHECK_DAYS must be a whole number of at least 1, not "0"',
    );
    expect(() => wholeNumber('PORT', '1.5', 8787, 0)).toThrow(SettingError);
    expect(onOff('WCF_ENTRA', 'OFF', true)).toBe(false);
    expect(onOff('WCF_LIVE_CHECKS', 'true', false)).toBe(true);
    expect(() => onOff('WCF_ENTRA', 'maybe', true)).toThrow(/WCF_ENTRA must be on or off/);
    expect(oneOf('WCF_LOG_LEVEL', 'debug', ['info', 'debug'] as const, 'info')).toBe('debug');
    expect(() => oneOf('WCF_LOG_LEVEL', 'loud', ['info', 'debug'] as const, 'info')).toThrow(
      'WCF_LOG_LEVEL must be info, debug, not "loud"',
    );
  });
});
