import { layoutTable } from '../../src/cli/format-table';

describe('layoutTable', () => {
  it('lines columns up in terminal columns: wide characters take two, combining marks none', () => {
    const table = layoutTable([
      ['Domain', 'Can federate'],
      ['例え.example', 'yes'],
      ['cafe\u0301.example', 'no'],
      ['contoso.example', 'unknown'],
    ]).split('\n');
    // "例え" is 4 columns wide, "é" (e + combining acute) 1: every second column starts at 17.
    const column = (line: string, text: string): number => {
      const before = line.slice(0, line.indexOf(text));
      return [...before].reduce(
        (width, ch) => width + (/[\u3000-\u9fff]/.test(ch) ? 2 : /\p{M}/u.test(ch) ? 0 : 1),
        0,
      );
    };
    expect(column(table[0]!, 'Can federate')).toBe(17);
    expect(column(table[1]!, 'yes')).toBe(17);
    expect(column(table[2]!, 'no')).toBe(17);
    expect(column(table[3]!, 'unknown')).toBe(17);
  });
});
