/** UTC day of a time, `YYYY-MM-DD`: the only time a report leaves behind, and when daily keys and allowances turn. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
