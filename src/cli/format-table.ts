import { CLOUD_SHORT_NAMES, CLOUDS } from '../core/cloud';
// string-width 4 is the CommonJS line of string-width (5 and later are ESM only, and this CLI is
// CommonJS): it counts East Asian wide characters as two columns and combining marks as none.
import stringWidth from 'string-width';
import { columnCells, columnHeaders, type ColumnKey } from '../core/columns';
import { percent, type Summary } from '../core/summary';
import { failedLookups, type DomainVerdict } from '../core/verdict';

/** Pads columns to their widest cell, measured in terminal columns; the last column is left ragged. */
export function layoutTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, stringWidth(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - stringWidth(cell)),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The verdict's columns in the terminal table, between the domain and the notes. */
const TABLE_COLUMNS: readonly ColumnKey[] = [
  'answer',
  'lyncFederation',
  'hosting',
  'xmppFederation',
  'xmppClientAccess',
  'microsoft365Tenant',
];

/** The readable per-domain table a person gets on a terminal. */
export function formatTable(verdicts: readonly DomainVerdict[]): string {
  const live = verdicts.some((v) => v.verified !== undefined);
  const columns: readonly ColumnKey[] = live ? [...TABLE_COLUMNS, 'verified'] : TABLE_COLUMNS;
  const header = ['Domain', ...columnHeaders(columns, 'short'), 'Notes'];
  const rows = verdicts.map((v) => {
    const failed = failedLookups(v);
    const notes = [
      ...(v.consumer ? ['consumer mail provider'] : []),
      ...(failed > 0 ? [`${failed} lookup${failed === 1 ? '' : 's'} failed`] : []),
      ...v.notes,
    ];
    return [
      v.displayDomain === v.domain ? v.domain : `${v.displayDomain} (${v.domain})`,
      ...columnCells(v, columns),
      notes.join('; '),
    ];
  });
  return `${layoutTable([header, ...rows])}\n`;
}

/** The research table, as the original study published it, with percentages. */
export function formatSummary(summary: Summary): string {
  const counted = summary.domains - summary.consumer;
  const line = (label: string, n: number, of?: number): string[] =>
    of === undefined ? [label, String(n), ''] : [label, String(n), `${percent(n, of).toFixed(1)}%`];
  const rows = [
    line('Domains checked', summary.domains),
    line('Lync/Teams federation (SIP)', summary.lyncFederation, counted),
    line('  of those, also XMPP federation', summary.lyncAndXmpp, summary.lyncFederation),
    line('  of those, Microsoft 365', summary.microsoft365, summary.lyncFederation),
    line('  of those, on-premises', summary.onPremises, summary.lyncFederation),
    line('XMPP federation', summary.xmppFederation, counted),
    line('XMPP client access', summary.xmppClientAccess, counted),
    line('Microsoft 365 tenants (Teams likely)', summary.microsoft365Tenants, counted),
    line('  of those, behind another MX', summary.tenantsBehindOtherMx, summary.microsoft365Tenants),
    line('  of those, found only by Entra ID', summary.tenantsOnlyInEntra, summary.microsoft365Tenants),
    ...CLOUDS.filter((cloud) => (summary.tenantsByCloud?.[cloud] ?? 0) > 0).map((cloud) =>
      line(
        `  in the ${CLOUD_SHORT_NAMES[cloud]} cloud`,
        summary.tenantsByCloud[cloud],
        summary.microsoft365Tenants,
      ),
    ),
    line(
      '  in another cloud than yours, no SIP record',
      summary.tenantsCrossCloud,
      summary.microsoft365Tenants,
    ),
    line('Google Workspace', summary.googleWorkspace, counted),
    line('Matrix federation (not counted above)', summary.matrixFederation, counted),
    line('Cisco Expressway edge', summary.ciscoEdge, counted),
    line('Unknown (a lookup failed)', summary.unknown, counted),
    line('Consumer mail providers (not counted)', summary.consumer),
  ];
  return `${layoutTable(rows.map(([label = '', n = '', pct = '']) => [label, n.padStart(7), pct.padStart(6)]))}\n`;
}

/**
 * The study's lines, one per cohort (input file) and a total: "Of Fortune 500 companies, 70 or 14%
 * appear to have a public-facing XMPP federation".
 */
export function formatCohorts(cohorts: readonly (Summary & { cohort: string })[], total: Summary): string {
  return `${layoutTable(cohortRows(cohorts, total))}\n`;
}

/** The study's table by cohort as rows of cells, the header first: for the terminal and for CSV. */
export function cohortRows(cohorts: readonly (Summary & { cohort: string })[], total: Summary): string[][] {
  const cell = (n: number, of: number): string => `${n} (${percent(n, of).toFixed(1)}%)`;
  const header = [
    'Cohort',
    'Domains',
    'Lync/Teams',
    'Also XMPP',
    'XMPP',
    'XMPP client',
    'Microsoft 365',
    'On-premises',
    'M365 tenants',
    'behind other MX',
    'only Entra ID',
    'Matrix',
    'Unknown',
  ];
  const row = (name: string, s: Summary): string[] => {
    const counted = s.domains - s.consumer;
    return [
      name,
      String(s.domains),
      cell(s.lyncFederation, counted),
      cell(s.lyncAndXmpp, s.lyncFederation),
      cell(s.xmppFederation, counted),
      cell(s.xmppClientAccess, counted),
      cell(s.microsoft365, s.lyncFederation),
      cell(s.onPremises, s.lyncFederation),
      cell(s.microsoft365Tenants, counted),
      cell(s.tenantsBehindOtherMx, s.microsoft365Tenants),
      cell(s.tenantsOnlyInEntra, s.microsoft365Tenants),
      cell(s.matrixFederation, counted),
      cell(s.unknown, counted),
    ];
  };
  return [header, ...cohorts.map((c) => row(c.cohort, c)), row('Total', total)];
}
