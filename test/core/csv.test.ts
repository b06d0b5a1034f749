import { csvDocument, csvField, csvRow, UTF8_BOM } from '../../src/core/csv';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['with, comma', '"with, comma"'],
    ['with "quotes"', '"with ""quotes"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['Zoë 日本 ✓', 'Zoë 日本 ✓'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x.test","y")'])(
    'neutralises the formula %j',
    (input) => {
      const field = csvField(input);
      const unquoted = field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
      expect(unquoted).toBe(`'${input}`);
    },
  );

  it('writes empty cells for null and undefined, text for numbers and booleans', () => {
    expect([null, undefined, 3, true].map(csvField)).toEqual(['', '', '3', 'true']);
  });
});

describe('csvDocument', () => {
  it('starts with a BOM, ends rows with CRLF', () => {
    const doc = csvDocument(['A', 'B'], [['1', 'x,y']]);
    expect(doc).toBe(`${UTF8_BOM}A,B\r\n1,"x,y"\r\n`);
    expect(csvDocument(['A'], [], { bom: false })).toBe('A\r\n');
    expect(csvRow(['a', null])).toBe('a,\r\n');
  });
});
