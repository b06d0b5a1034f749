import { answerWord } from './answer';
import { hostingWord, triStateWord } from './words';
import type { DomainVerdict } from './types';

/**
 * One column of a verdict, as every table of verdicts shows it: the CLI's CSV and terminal table and
 * the pane's export take their columns from {@link VERDICT_COLUMNS}, so a column reads the same
 * (same heading, same words) wherever it appears.
 */
export interface VerdictColumn {
  /** The heading in the CSVs. */
  header: string;
  /** The heading in the terminal table, where columns must be narrow. */
  short: string;
  cell: (verdict: DomainVerdict) => string;
}

export const VERDICT_COLUMNS = {
  canFederate: { header: 'Can federate', short: 'Can federate', cell: (v) => triStateWord(v.canFederate) },
  lyncFederation: {
    header: 'Lync/Teams federation',
    short: 'Lync/Teams',
    cell: (v) => triStateWord(v.lync.federation),
  },
  hosting: { header: 'Hosting', short: 'Hosting', cell: (v) => hostingWord(v.lync.hosting) },
  publicFacing: {
    header: 'Public-facing Lync',
    short: 'Public-facing',
    cell: (v) => triStateWord(v.lync.publicFacing),
  },
  xmppFederation: { header: 'XMPP federation', short: 'XMPP', cell: (v) => triStateWord(v.xmpp.federation) },
  xmppClientAccess: {
    header: 'XMPP client access',
    short: 'XMPP client',
    cell: (v) => triStateWord(v.xmpp.clientAccess),
  },
  microsoft365Tenant: {
    header: 'Microsoft 365 tenant',
    short: 'Microsoft 365',
    cell: (v) => triStateWord(v.microsoft365.tenant),
  },
  consumer: { header: 'Consumer provider', short: 'Consumer', cell: (v) => (v.consumer ? 'yes' : 'no') },
  lyncLive: {
    header: 'Lync edge answering',
    short: 'Lync edge',
    cell: (v) => triStateWord(v.lync.live ?? null),
  },
  xmppLive: {
    header: 'XMPP edge answering',
    short: 'XMPP edge',
    cell: (v) => triStateWord(v.xmpp.live ?? null),
  },
  verified: { header: 'Verified', short: 'Edge answers', cell: (v) => triStateWord(v.verified ?? null) },
  answer: { header: 'Answer', short: 'Answer', cell: (v) => answerWord(v.answer) },
  cloud: { header: 'Microsoft 365 cloud', short: 'Cloud', cell: (v) => v.microsoft365.cloud ?? '' },
  tenantDomain: {
    header: 'Tenant domain',
    short: 'Tenant domain',
    cell: (v) => v.microsoft365.tenantDomain ?? '',
  },
  evidence: {
    header: 'Microsoft 365 evidence',
    short: 'Evidence',
    cell: (v) => v.microsoft365.evidence.map((e) => `${e.signal}: ${e.value}`).join('; '),
  },
  googleWorkspace: {
    header: 'Google Workspace',
    short: 'Google',
    cell: (v) => triStateWord(v.google.workspace),
  },
  matrixFederation: {
    header: 'Matrix federation',
    short: 'Matrix',
    cell: (v) => triStateWord(v.matrix.federation),
  },
  matrixServer: { header: 'Matrix server', short: 'Matrix server', cell: (v) => v.matrix.server ?? '' },
  ciscoEdge: { header: 'Cisco edge', short: 'Cisco', cell: (v) => triStateWord(v.cisco.edge) },
} satisfies Record<string, VerdictColumn>;

export type ColumnKey = keyof typeof VERDICT_COLUMNS;

/** The headings of some columns, long (CSV) or short (terminal). */
export function columnHeaders(keys: readonly ColumnKey[], form: 'header' | 'short' = 'header'): string[] {
  return keys.map((key) => VERDICT_COLUMNS[key][form]);
}

/** One verdict's cells in those columns. */
export function columnCells(verdict: DomainVerdict, keys: readonly ColumnKey[]): string[] {
  return keys.map((key) => VERDICT_COLUMNS[key].cell(verdict));
}
