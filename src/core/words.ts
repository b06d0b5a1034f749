import type { LyncHosting, RecordResult, TriState } from './types';
export type { TriState, LyncHosting } from './types';

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
