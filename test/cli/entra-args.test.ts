import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { startDohServer } from '../support/doh-server';
import { startEntraStandIn } from '../support/entra-server';
import { parseCommandLine, type CheckCommand } from '../../src/cli/args';
import { UsageError } from '../../src/cli/errors';
import { readConfig } from '../../src/collector/config';
import { DEFAULT_ENTRA_URL } from '../../src/entra/discovery-client';

const check = (argv: string[], env: Record<string, string> = {}): CheckCommand =>
  parseCommandLine(['check', 'list.txt', ...argv], env, false) as CheckCommand;

describe("Entra ID discovery and the user's cloud on the command line", () => {
  it("asks Microsoft's sign-in service by default, from the commercial cloud", () => {
    expect(check([])).toMatchObject({ entraUrl: DEFAULT_ENTRA_URL, fromCloud: 'commercial' });
  });

  it('takes --entra-url, WCF_ENTRA_URL, --no-entra and --from-cloud / WCF_FROM_CLOUD', () => {
    expect(check(['--entra-url', 'http://127.0.0.1:8080']).entraUrl).toBe('http://127.0.0.1:8080');
    expect(check([], { WCF_ENTRA_URL: 'http://127.0.0.1:8081' }).entraUrl).toBe('http://127.0.0.1:8081');
    expect(check(['--no-entra']).entraUrl).toBeUndefined();
    expect(check(['--from-cloud', 'GCC-High']).fromCloud).toBe('gcc-high');
    expect(check([], { WCF_FROM_CLOUD: 'dod' }).fromCloud).toBe('dod');
  });

  it.each([
    [['--from-cloud', 'azure'], /--from-cloud takes commercial, gcc, gcc-high, dod, 21vianet, not "azure"/],
    [['--entra-url', 'ftp://x.example'], /--entra-url "ftp:\/\/x.example" must be an https:\/\/ URL/],
    [['--entra-url', 'http://127.0.0.1', '--no-entra'], /cannot be used together/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => check(argv)).toThrow(UsageError);
    expect(() => check(argv)).toThrow(message);
  });

  it('names the variable when it is the variable that is wrong', () => {
    expect(() => check([], { WCF_FROM_CLOUD: 'mars' })).toThrow(/WCF_FROM_CLOUD takes/);
    expect(() => check([], { WCF_ENTRA_URL: 'nonsense' })).toThrow(/WCF_ENTRA_URL "nonsense" is not a URL/);
  });
});

describe("the collector's Entra ID settings", () => {
  it('asks the sign-in service unless WCF_ENTRA=off, at WCF_ENTRA_URL when set', () => {
    expect(readConfig({}).entraUrl).toBe(DEFAULT_ENTRA_URL);
    expect(readConfig({ WCF_ENTRA_URL: 'http://127.0.0.1:9' }).entraUrl).toBe('http://127.0.0.1:9');
    expect(readConfig({ WCF_ENTRA: 'off' }).entraUrl).toBeUndefined();
    expect(() => readConfig({ WCF_ENTRA: 'maybe' })).toThrow(/WCF_ENTRA must be on or off/);
    expect(() => readConfig({ WCF_ENTRA_URL: 'ftp://x' })).toThrow(/WCF_ENTRA_URL/);
  });
});

describe('who-can-federate check --from-cloud, against local stand-ins', () => {
  it('answers for a GCC High user: commercial tenants without SIP records are "no", with the reason', async () => {
    const doh = await startDohServer({
      zone: {
        'contoso.com': { MX: [{ exchange: 'contoso-com.mail.protection.outlook.com' }] },
        'contoso.us': { MX: [{ exchange: 'mx1.contoso.pphosted.example' }] },
      },
    });
    const entra = await startEntraStandIn({ 'contoso.us': { tenant: 'gcc-high' } });
    try {
      let stdout = '';
      const code = await main(
        ['check', '-', '--doh', doh.url, '--format', 'ndjson', '--from-cloud', 'gcc-high'],
        {
          stdin: Readable.from([Buffer.from('a@contoso.com\nb@contoso.us\n')]),
          stdout: { write: (t: string) => (stdout += t), isTTY: false },
          stderr: { write: () => true, isTTY: false },
          env: { WCF_ENTRA_URL: entra.url },
        },
      );
      expect(code).toBe(0);
      const lines = stdout
        .trim()
        .split('\n')
        .map(
          (line) =>
            JSON.parse(line) as { domain?: string; answer?: string; notes?: string[]; summary?: unknown },
        );
      const byDomain = Object.fromEntries(lines.filter((l) => l.domain).map((l) => [l.domain, l]));
      expect(byDomain['contoso.com']).toMatchObject({ answer: 'no' });
      expect(byDomain['contoso.com']?.notes).toContain(
        "contoso.com is in Microsoft's commercial cloud: Teams reaches across clouds only where both organisations publish a federation record",
      );
      expect(byDomain['contoso.us']).toMatchObject({ answer: 'likely' });
      expect(lines.at(-1)?.summary).toMatchObject({
        tenantsOnlyInEntra: 1,
        tenantsCrossCloud: 1,
        tenantsByCloud: { commercial: 1, 'gcc-high': 1 },
      });
    } finally {
      await entra.close();
      await doh.close();
    }
  });
});
