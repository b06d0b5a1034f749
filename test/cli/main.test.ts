import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main';
import { PROBES } from '../../src/core/probes';
import { startDohServer, type DohServer } from '../support/doh-server';
import { FIXTURE_ZONE } from '../support/fixture-zone';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  options: { stdin?: string; tty?: boolean; env?: Record<string, string> } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    stdout: { write: (t: string) => (stdout += t), isTTY: options.tty ?? false },
    stderr: { write: (t: string) => (stderr += t), isTTY: options.tty ?? false },
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

let doh: DohServer;
let dir: string;
beforeAll(async () => {
  doh = await startDohServer({ zone: FIXTURE_ZONE });
  dir = await mkdtemp(join(tmpdir(), 'wcf-cli-'));
});
afterAll(async () => {
  await doh.close();
});

const LIST = `# research list
Ada Lovelace <ada@Contoso.TEST>
grace@fabrikam.test.

jabber.test
not an address@
/o=Contoso/ou=Exchange Administrative Group/cn=Recipients/cn=ada
bob@contoso.test
someone@broken.test
someone@bücher.example
`;

describe('who-can-federate check', () => {
  it('prints the JSON document with every domain once, invalid lines and the summary', async () => {
    const file = join(dir, 'list.txt');
    await writeFile(file, LIST);
    const run = await cli(['check', file, '--doh', doh.url, '--format', 'json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as {
      domains: Record<string, unknown>[];
      invalid: { line: number; input: string; reason: string }[];
      summary: Record<string, number>;
    };
    expect(document.domains.map((d) => d.domain)).toEqual([
      'contoso.test',
      'fabrikam.test',
      'jabber.test',
      'broken.test',
      'xn--bcher-kva.example',
    ]);
    const contoso = document.domains[0]!;
    expect(Object.keys(contoso)).toEqual(
      expect.arrayContaining([
        'domain',
        'displayDomain',
        'records',
        'lync',
        'xmpp',
        'microsoft365',
        'consumer',
        'canFederate',
      ]),
    );
    // contoso.test federates: no tenant evidence is asked of it (it cannot change the answer).
    expect(Object.keys(contoso.records as object)).toEqual(
      PROBES.filter((p) => p.tier !== 2).map((p) => p.id),
    );
    expect(contoso).toMatchObject({
      canFederate: true,
      answer: 'yes',
      lync: { federation: true, publicFacing: true, hosting: 'microsoft-365' },
      microsoft365: { tenant: true },
      records: {
        '_sipfederationtls._tcp': {
          status: 'found',
          targets: [{ target: 'sipfed.online.lync.com', port: 5061, priority: 100, weight: 1 }],
        },
      },
    });
    expect(document.domains[3]).toMatchObject({
      canFederate: null,
      answer: 'unknown',
      records: { '_sipfederationtls._tcp': { status: 'error', error: expect.stringMatching(/SERVFAIL/) } },
    });
    expect(document.domains[4]).toMatchObject({ displayDomain: 'bücher.example', canFederate: true });
    expect(document.invalid).toEqual([
      {
        line: 6,
        input: 'not an address@',
        reason: expect.stringMatching(/character " "|missing domain/),
        file,
      },
      {
        line: 7,
        input: '/o=Contoso/ou=Exchange Administrative Group/cn=Recipients/cn=ada',
        reason: expect.stringMatching(/internal Exchange address/),
        file,
      },
    ]);
    expect(document.summary).toEqual({
      domains: 5,
      lyncFederation: 3,
      xmppFederation: 2,
      lyncAndXmpp: 1,
      xmppClientAccess: 2,
      microsoft365: 1,
      onPremises: 2,
      unknown: 1,
      consumer: 0,
      microsoft365Tenants: 1,
      tenantsBehindOtherMx: 0,
      tenantsOnlyInEntra: 0,
      tenantsByCloud: { commercial: 1, gcc: 0, 'gcc-high': 0, dod: 0, '21vianet': 0 },
      tenantsCrossCloud: 0,
      googleWorkspace: 0,
      matrixFederation: 0,
      ciscoEdge: 0,
    });
    expect(run.stderr).toMatch(/list\.txt:6: skipped/);
    expect(run.stderr).toMatch(/1 of \d+ lookups failed.*"unknown" \(not "no"\)/s);
    // every question asked once, although contoso.test appears twice
    expect(doh.queries.filter((q) => q.name === '_sipfederationtls._tcp.contoso.test')).toHaveLength(1);
  });

  it('reads standard input and writes formula-safe CSV with a BOM', async () => {
    const run = await cli(['check', '-', '--doh', doh.url, '--format', 'csv'], {
      stdin: 'contoso.test\n=cmd|calc.test\njabber.test\n',
    });
    expect(run.code).toBe(0);
    expect(
      run.stdout.startsWith('\uFEFFDomain,Display domain,Can federate,Lync/Teams federation,Hosting,'),
    ).toBe(true);
    const lines = run.stdout.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    // The answer, in the pane's words, is the last column (appended: the columns before keep their places).
    expect(lines[0]).toMatch(
      /,Notes,Answer,Microsoft 365 cloud,Tenant domain,Microsoft 365 evidence,Google Workspace,Matrix federation,Matrix server,Cisco edge$/,
    );
    // Rows stream in the order the domains are answered.
    const contoso = lines.find((line) => line.startsWith('contoso.test,')) ?? '';
    const jabber = lines.find((line) => line.startsWith('jabber.test,')) ?? '';
    expect(contoso).toMatch(
      /,yes,commercial,,mx: [^;,]+; sip-federation: sipfed\.online\.lync\.com,no,no,,no$/,
    );
    expect(contoso).toMatch(
      /^contoso\.test,contoso\.test,yes,yes,Microsoft 365,yes,no,no,yes,no,found,sipfed\.online\.lync\.com:5061,/,
    );
    expect(jabber).toMatch(/^jabber\.test,jabber\.test,yes,no,,no,yes,yes,no,no,/);
    expect(run.stderr).toMatch(/<stdin>:2: skipped "=cmd\|calc.test"/);
  });

  it('prints a readable table and the research table', async () => {
    const run = await cli(['check', '-', '--doh', doh.url, '--format', 'table', '--summary'], {
      stdin: 'contoso.test\nfabrikam.test\ntenant.test\ngmail.com\n',
    });
    expect(run.stdout).toMatch(/^Domain\s+Answer\s+Lync\/Teams\s+Hosting\s+XMPP/);
    expect(run.stdout).toMatch(/contoso\.test\s+yes\s+yes\s+Microsoft 365/);
    // The same answers as the pane: a Microsoft 365 tenant without a SIP record is "likely via Teams".
    expect(run.stdout).toMatch(/tenant\.test\s+likely via Teams\s+no\s+no\s+no\s+yes/);
    expect(run.stdout).toMatch(/gmail\.com\s+depends on the account\s+no/);
    expect(run.stdout).toMatch(/gmail\.com .*consumer mail provider; Google ended XMPP federation in 2017/);
    expect(run.stdout).toMatch(/Lync\/Teams federation \(SIP\)\s+2\s+66\.7%/);
    expect(run.stdout).toMatch(/of those, also XMPP federation\s+1\s+50\.0%/);
    expect(run.stdout).toMatch(/Consumer mail providers \(not counted\)\s+1/);
  });

  it('asks only --records, and takes resolvers from WCF_DOH_URLS', async () => {
    const before = doh.queries.length;
    const run = await cli(['check', '-', '--records', 'sipfederationtls._tcp,mx', '--format', 'json'], {
      stdin: 'agency.test\n',
      env: { WCF_DOH_URLS: ` ${doh.url} ` },
    });
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as { domains: { records: object; canFederate: unknown }[] };
    expect(Object.keys(document.domains[0]!.records)).toEqual(['_sipfederationtls._tcp', 'MX']);
    expect(document.domains[0]!.canFederate).toBe(true);
    expect(doh.queries.length - before).toBe(2);
  });

  it('draws a progress bar on a terminal only', async () => {
    const quiet = await cli(['check', '-', '--doh', doh.url, '--format', 'json'], {
      stdin: 'contoso.test\n',
    });
    expect(quiet.stderr).toBe('');
    const tty = await cli(['check', '-', '--doh', doh.url, '--format', 'json'], {
      stdin: 'contoso.test\n',
      tty: true,
    });
    expect(tty.stderr).toMatch(/1\/1 domains/);
    const suppressed = await cli(['check', '-', '--doh', doh.url, '--format', 'json', '--quiet'], {
      stdin: 'contoso.test\n',
      tty: true,
    });
    expect(suppressed.stderr).toBe('');
  });

  it.each([
    [['check', '--format', 'xml'], /--format must be table, csv, json or ndjson/],
    [['check', '--concurrency', '0'], /--concurrency takes a whole number/],
    [['check', '--timeout', 'soon'], /--timeout takes a whole number/],
    [['check', '--records', '_h323._tcp'], /Unknown record "_h323\._tcp"/],
    [['check', '--doh', 'ftp://x.test/'], /must be an https:\/\/ URL/],
    [['check', '--nope'], /Unknown option '--nope'/],
    [['verify'], /unknown command "verify"/],
    [[], /no command given/],
  ])('exits 2 on the usage error %j', async (argv, message) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/--help/);
  });

  it.each([
    [
      { WCF_DOH_URLS: 'https://a.test/dns-query,ftp://b.test/' },
      [],
      /WCF_DOH_URLS "ftp:\/\/b\.test\/" must be an https:\/\/ URL/,
    ],
    [
      { WCF_SHARE_DELAY_MS: '5s', WCF_COLLECTOR_URL: 'http://127.0.0.1:9' },
      ['--share'],
      /WCF_SHARE_DELAY_MS must be "min-max"/,
    ],
  ])('exits 2 on the environment variable it cannot use: %j', async (env, flags, message) => {
    const run = await cli(['check', '-', ...flags], { stdin: 'contoso.test\n', env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('exits 1 with a hint when an input cannot be read', async () => {
    const run = await cli(['check', join(dir, 'missing.txt'), '--doh', doh.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot read .*missing\.txt: no such file: check the path/);
    const folder = await cli(['check', dir, '--doh', doh.url]);
    expect(folder.stderr).toMatch(/folder, not a file/);
  });

  it('exits 3 and says "unknown" when every resolver is down', async () => {
    const run = await cli(['check', '-', '--doh', 'http://127.0.0.1:1/dns-query', '--format', 'json'], {
      stdin: 'contoso.test\n',
    });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).domains[0].canFederate).toBeNull();
    // The plan goes on past failures (an answer stays open): every record of the standard plan, failed.
    expect(run.stderr).toMatch(/14 of 14 lookups failed/);
    expect(run.stderr).toContain('→ check the network and the resolver (--doh URL or --dns address)');
    expect(run.stderr).toContain('no lookup succeeded');
  });

  it('prints help and version', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/Usage: who-can-federate check/);
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('the installed binary', () => {
  it('runs the compiled CLI (built by `npm run build:node`) over a file', async () => {
    const file = join(dir, 'bin.txt');
    await writeFile(file, 'someone@fabrikam.test\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bin/who-can-federate.js', 'check', file, '--doh', doh.url, '--format', 'json'],
      { cwd: join(__dirname, '..', '..') },
    );
    expect(JSON.parse(stdout).domains[0]).toMatchObject({ domain: 'fabrikam.test', canFederate: true });
  });
});
