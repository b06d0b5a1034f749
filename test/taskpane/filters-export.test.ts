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
    verdict('broken.test', { '_sipfederationtls._tcp': error }),
  ].map((v) => [v.domain, v]),
);

describe('filters', () => {
  it('count and filter rows by capability, unknown meaning a failed lookup', () => {
    expect(countByFilter(rows, verdicts)).toEqual({ all: 6, federate: 3, lync: 2, xmpp: 2, unknown: 1 });
    expect(filterRows(rows, verdicts, 'lync', '').map((r) => r.address)).toEqual([
      'ada@m365.test',
      '+x@both.test',
    ]);
    expect(filterRows(rows, verdicts, 'unknown', '').map((r) => r.address)).toEqual(['b@broken.test']);
    // a row still being checked is not "unknown"
    expect(countByFilter(rows, new Map()).unknown).toBe(0);
  });

  it('search name, address and both forms of the domain, ignoring case', () => {
    expect(filterRows(rows, verdicts, 'all', 'COUNTESS').map((r) => r.name)).toEqual(['Ada, "the Countess"']);
    expect(filterRows(rows, verdicts, 'all', 'bücher').map((r) => r.name)).toEqual(['Zoë Ünicode']);
    expect(filterRows(rows, verdicts, 'all', 'xn--bcher').map((r) => r.name)).toEqual(['Zoë Ünicode']);
    expect(filterRows(rows, verdicts, 'federate', 'none.test')).toEqual([]);
  });
});

describe('exportCsv', () => {
  it('writes the federatable contacts with exactly the agreed header, BOM and formula guard', () => {
    const csv = exportCsv(rows, verdicts);
    expect(
      csv.startsWith(
        '\uFEFFName,Email,Domain,Can federate,Lync/Teams federation,Hosting,XMPP federation,XMPP client access,Microsoft 365 tenant\r\n',
      ),
    ).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual([...EXPORT_HEADER]);
    expect(parsed.slice(1)).toEqual([
      ['Ada, "the Countess"', 'ada@m365.test', 'm365.test', 'yes', 'yes', 'Microsoft 365', 'no', 'no', 'yes'],
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
      ],
      ['Zoë Ünicode', 'z@xn--bcher-kva.example', 'bücher.example', 'yes', 'no', '', 'yes', 'no', 'no'],
    ]);
  });

  it('can write everyone, unknown for what is not known', () => {
    const parsed = Papa.parse<string[]>(exportCsv(rows, verdicts, { everyone: true }).slice(1), {
      skipEmptyLines: true,
    }).data;
    expect(parsed).toHaveLength(7);
    expect(parsed.find((r) => r[0] === 'Broken')).toEqual([
      'Broken',
      'b@broken.test',
      'broken.test',
      'unknown',
      'unknown',
      '',
      'no',
      'no',
      'no',
    ]);
    expect(parsed.find((r) => r[0] === 'No Address')).toEqual([
      'No Address',
      '',
      '',
      'unknown',
      'unknown',
      '',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });

  it('names the file by date', () => {
    expect(exportFileName(false, new Date('2026-11-30T12:00:00Z'))).toBe('who-can-federate-2026-11-30.csv');
    expect(exportFileName(true, new Date('2026-11-30T12:00:00Z'))).toBe(
      'who-can-federate-everyone-2026-11-30.csv',
    );
  });
});
