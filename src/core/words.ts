import type { RecordResult } from './records';

/** `true` yes, `false` no, `null` unknown (a lookup failed or was not asked): never collapse null into no. */
export type TriState = boolean | null;

export type LyncHosting = 'microsoft-365' | 'on-premises' | null;

/** Hosting in the words the CLI, the CSV export and the pane use; empty without a federation record. */
export function hostingWord(hosting: LyncHosting): '' | 'Microsoft 365' | 'on-premises' {
  if (hosting === null) return '';
  return hosting === 'microsoft-365' ? 'Microsoft 365' : 'on-premises';
}

/** How many of a verdict's lookups failed (status `error`): why it may be "unknown". */
export function failedLookups(verdict: { records: Partial<Record<string, RecordResult>> }): number {
  return Object.values(verdict.records).filter((record) => record?.status === 'error').length;
}

/** The verdict's answer in the words the CLI table, the CSV and the pane use. */
export function triStateWord(value: TriState): 'yes' | 'no' | 'unknown' {
  if (value === null) return 'unknown';
  return value ? 'yes' : 'no';
}
