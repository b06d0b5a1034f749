const DAY_MS = 86_400_000;
/** The day last asked for: a collector asks several times per request, nearly always for today. */
let cached = { start: 0, end: 0, day: '' };

/** UTC day of a time, `YYYY-MM-DD`: the only time a report leaves behind, and when daily keys and allowances turn. */
export function utcDay(ms: number): string {
  if (ms >= cached.start && ms < cached.end) return cached.day;
  // (A time that is not a date throws here, RangeError, as toISOString does.)
  const day = new Date(ms).toISOString().slice(0, 10);
  // UTC days are exactly DAY_MS long in JavaScript time (it has no leap seconds).
  const start = Math.floor(ms / DAY_MS) * DAY_MS;
  cached = { start, end: start + DAY_MS, day };
  return day;
}
