import { ContactsFileError, parseContactsFile } from '../../src/sources/contacts-file';

const OUTLOOK_CSV = [
  '"First Name","Middle Name","Last Name","Company","E-mail Address","E-mail Type","E-mail Display Name","E-mail 2 Address","E-mail 3 Address"',
  '"Ada","","Lovelace","Analytical","ada@contoso.test","SMTP","Ada Lovelace (ada@contoso.test)","ada@fabrikam.test",""',
  '"Grace","M.","Hopper","","grace@jabber.test","SMTP","","",""',
  '"No","","Mail","","","","","",""',
  '"=cmd","","x","","evil@plain.test","","","",""',
].join('\r\n');

const GOOGLE_CSV = [
  'Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value',
  'Alan Turing,Alan,Turing,* Home,alan@closed.test ::: alan@tenant.test,Work,alan@bücher.example',
  ',Edsger,Dijkstra,,edsger@plain.test,,',
].join('\n');

describe('parseContactsFile', () => {
  it("reads Outlook's CSV export: every address column, names from their parts", () => {
    const file = parseContactsFile('outlook.csv', `\uFEFF${OUTLOOK_CSV}`);
    expect(file.format).toBe('csv');
    expect(file.contacts.map((c) => [c.name, c.addresses])).toEqual([
      ['Ada Lovelace', ['ada@contoso.test', 'ada@fabrikam.test']],
      ['Grace M. Hopper', ['grace@jabber.test']],
      ['No Mail', []],
      ['=cmd x', ['evil@plain.test']],
    ]);
    expect(file.contacts[0]).toMatchObject({ source: 'file', origin: 'outlook.csv', id: 'row-2' });
  });

  it("reads Google Contacts' CSV, including several addresses in one cell", () => {
    const file = parseContactsFile('google.csv', GOOGLE_CSV);
    expect(file.contacts.map((c) => [c.name, c.addresses])).toEqual([
      ['Alan Turing', ['alan@closed.test', 'alan@tenant.test', 'alan@bücher.example']],
      ['Edsger Dijkstra', ['edsger@plain.test']],
    ]);
  });

  it('reads vCard 2.1, 3.0 and 4.0', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      'N:Lovelace;Ada',
      'EMAIL;PREF;INTERNET:ada@contoso.test',
      'EMAIL;INTERNET:ada@fabrikam.test',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Grace Hopper',
      'item1.EMAIL;TYPE=INTERNET:grace@jabber.test',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Jürgen',
      'EMAIL:j@bücher.example',
      'END:VCARD',
      '',
    ].join('\r\n');
    const file = parseContactsFile('contacts.vcf', text);
    expect(file.format).toBe('vcard');
    expect(file.contacts.map((c) => [c.name, c.addresses])).toEqual([
      ['Ada Lovelace', ['ada@contoso.test', 'ada@fabrikam.test']],
      ['Grace Hopper', ['grace@jabber.test']],
      ['Jürgen', ['j@bücher.example']],
    ]);
  });

  it('says what it expected from a file it cannot use', () => {
    expect(() => parseContactsFile('notes.csv', 'Title,Body\nx,y\n')).toThrow(ContactsFileError);
    expect(() => parseContactsFile('notes.csv', 'Title,Body\nx,y\n')).toThrow(
      /no e-mail column.*Outlook or Google/,
    );
    expect(() => parseContactsFile('empty.csv', '  \n')).toThrow(/empty/);
  });
});
