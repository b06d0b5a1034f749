import { utcDay } from '../../src/collector/utc-day';

describe('utcDay', () => {
  it('turns at UTC midnight, whatever day was asked before', () => {
    const midnight = Date.UTC(2026, 11, 7);
    expect(utcDay(midnight - 1)).toBe('2026-12-06');
    expect(utcDay(midnight)).toBe('2026-12-07');
    expect(utcDay(midnight - 1)).toBe('2026-12-06');
    expect(utcDay(midnight + 86_399_999)).toBe('2026-12-07');
    expect(utcDay(midnight + 86_400_000)).toBe('2026-12-08');
    expect(utcDay(Date.UTC(2024, 1, 29, 12))).toBe('2024-02-29');
    expect(utcDay(-1)).toBe('1969-12-31');
    expect(utcDay(0)).toBe('1970-01-01');
  });

  it('refuses a time that is not a date', () => {
    utcDay(Date.UTC(2026, 11, 7));
    expect(() => utcDay(Number.NaN)).toThrow(RangeError);
  });
});
