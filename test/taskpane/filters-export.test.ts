import Papa from 'papaparse';
import { toRows, type Contact } from '../../src/contacts/contact';
import { buildVerdict, type DomainVerdict } from '../../src/core/verdict';
import { EXPORT_HEADER, exportCsv, exportFileName } from '../../src/taskpane/export';
import { countByFilter, filterRows } from '../../src/taskpane/filters';
import { failed as error, found, noneBut, type Records } from '../support/records';

const verdict = (domain: string, records: Records): DomainVerdict =>
  buildVerdict(
    { domain, displayDomain: domain.startsWith('xn--') ? 'bücher.example' : domain },
    noneBut(records),
  );

const contacts: Contact[] = [
  { id: '1', name: 'Ada, "the Countess"', addresses: ['ada@m365.test'], source: 'file', origin: 'f' },
  {
    id: '2',
    name: '=HYPERLINK("http://evil.test","x")',
    addresses: ['+x@both.test'],
    source: 'file',
    origin: 'f',
  },
  { id: '3', name: 'Zoë Ünicode', addresses: ['z@xn--bcher-kva.example'], source: 'file', origin: 'f' },
  { id: '4', name: 'Nobody', addresses: ['n@none.test'], source: 'file', origin: 'f' },
  { id: '5', name: 'Broken', addresses: ['b@broken.test'], source: 'file', origin: 'f' },
  { id: '6', name: 'No Address', addresses: [], source: 'file', origin: 'f' },
  { id: '7', name: 'Teams Tenant', addresses: ['t@tenant.test'], source: 'file', origin: 'f' },
  { id: '8', name: 'Anne Gmail', addresses: ['a@gmail.com'], source: 'file', origin: 'f' },
];
const rows = toRows(contacts);
const verdicts = new Map(
  [
    verdict('m365.test', {
      '_sipfederationtls._tcp': found('sipfed.online.lync.com'),
      MX: found('m365.mail.protection.outlook.com'),
    }),
    verdict('both.test', {
      '_sipfederationtls._tcp': found('sip.both.test'),
      '_xmpp-server._tcp': found('x.both.test'),
      '_xmpp-client._tcp': found('x.both.test'),
    }),
    verdict('xn--bcher-kva.example', { '_xmpps-server._tcp': found('x.test') }),
    verdict('none.test', {}),
    verdict('tenant.test', { MX: found('tenant-test.mail.protection.outlook.com') }),
    verdict('gmail.com', { MX: found('gmail-smtp-in.l.google.com') }),
    verdict('broken.test', { '_sipfederationtls._tcp': error }),
  ].map((v) => [v.domain, v]),
);

describe('filters', () => {
  it('count and filter rows by answer and by way of federating, unknown meaning a failed lookup', () => {
    expect(countByFilter(rows, verdicts)).toEqual({
      all: 8,
      reachable: 4,
      yes: 3,
      likely: 1,
      depends: 1,
      no: 1,
      unknown: 1,
      lync: 2,
      xmpp: 2,
    });
    expect(filterRows(rows, verdicts, 'lync', '').map((r) => r.address)).toEqual([
      'ada@m365.test',
      '+x@both.test',
    ]);
    expect(filterRows(rows, verdicts, 'likely', '').map((r) => r.address)).toEqual(['t@tenant.test']);
    expect(filterRows(rows, verdicts, 'depends', '').map((r) => r.address)).toEqual(['a@gmail.com']);
    expect(filterRows(rows, verdicts, 'unknown', '').map((r) => r.address)).toEqual(['b@broken.test']);
    // a row still being checked is not "unknown"
    expect(countByFilter(rows, new Map()).unknown).toBe(0);
  });

  it('search name, address and both forms of the domain, ignoring case', () => {
    expect(filterRows(rows, verdicts, 'all', 'COUNTESS').map((r) => r.name)).toEqual(['Ada, "the Countess"']);
    expect(filterRows(rows, verdicts, 'all', 'bücher').map((r) => r.name)).toEqual(['Zoë Ünicode']);
    expect(filterRows(rows, verdicts, 'all', 'xn--bcher').map((r) => r.name)).toEqual(['Zoë Ünicode']);
    expect(filterRows(rows, verdicts, 'yes', 'none.test')).toEqual([]);
  });

  it('sorts by name, domain or answer, keeping the loaded order for ties', () => {
    expect(filterRows(rows, verdicts, 'all', '', 'name').map((r) => r.name)[0]).toBe(
      '=HYPERLINK("http://evil.test","x")',
    );
    expect(
      filterRows(rows, verdicts, 'all', '', 'domain')
        .map((r) => r.address)
        .slice(0, 2),
    ).toEqual(['+x@both.test', 'b@broken.test']);
    expect(
      filterRows(rows, verdicts, 'all', '', 'answer').map(
        (r) => r.parsed.ok && verdicts.get(r.parsed.domain)?.answer,
      ),
    ).toEqual([
      'yes',
      'yes',
      'yes',
      'likely',
      'depends',
      'no',
      'unknown',
      false, // no address: last
    ]);
  });
});

describe('exportCsv', () => {
  it('writes the rows in view with the agreed header (Answer and Notes appended), BOM and formula guard', () => {
    const csv = exportCsv(filterRows(rows, verdicts, 'yes', ''), verdicts);
    expect(
      csv.startsWith(
        '\uFEFFName,Email,Domain,Can federate,Lync/Teams federation,Hosting,XMPP federation,XMPP client access,Microsoft 365 tenant,Answer,Notes\r\n',
      ),
    ).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual([...EXPORT_HEADER]);
    expect(parsed.slice(1)).toEqual([
      [
        'Ada, "the Countess"',
        'ada@m365.test',
        'm365.test',
        'yes',
        'yes',
        'Microsoft 365',
        'no',
        'no',
        'yes',
        'yes',
        '',
      ],
      [
        `'=HYPERLINK("http://evil.test","x")`,
        "'+x@both.test",
        'both.test',
        'yes',
        'yes',
        'on-premises',
        'yes',
        'yes',
        'no',
        'yes',
        '',
      ],
      [
        'Zoë Ünicode',
        'z@xn--bcher-kva.example',
        'bücher.example',
        'yes',
        'no',
        '',
        'yes',
        'no',
        'no',
        'yes',
        '',
      ],
    ]);
  });

  it('uses the pane’s words: likely via Teams, depends, unknown, and “not checked” for no address', () => {
    const parsed = Papa.parse<string[]>(exportCsv(rows, verdicts).slice(1), { skipEmptyLines: true }).data;
    expect(parsed).toHaveLength(9);
    const row = (name: string) => parsed.find((r) => r[0] === name);
    expect(row('Teams Tenant')?.slice(9)).toEqual([
      'likely via Teams',
      'Microsoft 365: Teams reaches it unless blocked',
    ]);
    expect(row('Anne Gmail')?.slice(9)).toEqual([
      'depends on the account',
      'Public mail service: depends on their own account',
    ]);
    expect(row('Broken')?.slice(3)).toEqual([
      'unknown',
      'unknown',
      '',
      'no',
      'no',
      'no',
      'unknown',
      "Couldn't check one record",
    ]);
    expect(row('No Address')).toEqual([
      'No Address',
      '',
      '',
      'not checked',
      '',
      '',
      '',
      '',
      '',
      'not checked',
      'No email address',
    ]);
  });

  it('names the file by date and view', () => {
    expect(exportFileName('all', new Date('2026-11-30T12:00:00Z'))).toBe('who-can-federate-2026-11-30.csv');
    expect(exportFileName('xmpp', new Date('2026-11-30T12:00:00Z'))).toBe(
      'who-can-federate-xmpp-2026-11-30.csv',
    );
  });
});

describe('"can federate": the headline as a filter', () => {
  it('shows and exports exactly Yes and Likely via Teams', () => {
    const counts = countByFilter(rows, verdicts);
    expect(counts.reachable).toBe(counts.yes + counts.likely);
    const view = filterRows(rows, verdicts, 'reachable', '', 'list');
    expect(view).toHaveLength(counts.reachable);
    for (const row of view) {
      const answer = row.parsed.ok ? verdicts.get(row.parsed.domain)?.answer : undefined;
      expect(['yes', 'likely']).toContain(answer);
    }
    const csv = Papa.parse<string[]>(exportCsv(view, verdicts).replace(/^\uFEFF/, '')).data;
    expect(csv.filter((line) => line.length > 1)).toHaveLength(view.length + 1);
    expect(exportFileName('reachable', new Date('2026-12-06T10:00:00Z'))).toBe(
      'who-can-federate-reachable-2026-12-06.csv',
    );
  });
});
