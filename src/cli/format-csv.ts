import { columnCells, columnHeaders, type ColumnKey } from '../core/columns';
import { csvDocument, csvRow, UTF8_BOM, type CsvCell } from '../core/csv';
import type { Probe } from '../core/probes';
import type { DomainVerdict } from '../core/verdict';

/** The verdict's columns before the records' own, in the order scripts have read them by position. */
const FIRST: readonly ColumnKey[] = [
  'canFederate',
  'lyncFederation',
  'hosting',
  'publicFacing',
  'xmppFederation',
  'xmppClientAccess',
  'microsoft365Tenant',
  'consumer',
];
/** After `--live`. */
const LIVE: readonly ColumnKey[] = ['lyncLive', 'xmppLive', 'verified'];
/** Appended after the notes, so scripts reading the columns above by position keep working. */
const APPENDED: readonly ColumnKey[] = [
  'answer',
  'cloud',
  'tenantDomain',
  'evidence',
  'googleWorkspace',
  'matrixFederation',
  'matrixServer',
  'ciscoEdge',
];

/** The CSV's header: a status and targets column per record; edge columns after `--live`. */
export function csvHeader(probes: readonly Probe[], live: boolean): string[] {
  return [
    'Domain',
    'Display domain',
    ...columnHeaders(FIRST),
    ...(live ? columnHeaders(LIVE) : []),
    ...probes.flatMap((p) => [`${p.id} status`, `${p.id} targets`]),
    'Notes',
    ...columnHeaders(APPENDED),
  ];
}

/** One domain's cells, in {@link csvHeader}'s order. */
export function csvCells(v: DomainVerdict, probes: readonly Probe[], live: boolean): CsvCell[] {
  return [
    v.domain,
    v.displayDomain,
    ...columnCells(v, FIRST),
    ...(live ? columnCells(v, LIVE) : []),
    ...probes.flatMap((p) => {
      const record = v.records[p.id];
      if (!record) return ['not asked', ''];
      return [
        record.status,
        record.texts?.join(' | ') ||
          record.targets
            .map((t) =>
              t.port === 0 ? t.target : `${t.target}:${t.port}${t.live ? ` (${t.live.status})` : ''}`,
            )
            .join(' ') ||
          (record.error ?? ''),
      ];
    }),
    v.notes.join('; '),
    ...columnCells(v, APPENDED),
  ];
}

/** The first line a streamed CSV writes: the BOM (so Excel reads UTF-8) and the header. */
export function csvStart(probes: readonly Probe[], live: boolean): string {
  return `${UTF8_BOM}${csvRow(csvHeader(probes, live))}`;
}

/** One row per domain, RFC 4180 with a BOM (so Excel reads UTF-8), formula-safe; a status and targets column per record. */
export function formatCsv(verdicts: readonly DomainVerdict[], probes: readonly Probe[]): string {
  // After --live: the edges' answers, and each target's status beside it.
  const live = verdicts.some((v) => v.verified !== undefined);
  return csvDocument(
    csvHeader(probes, live),
    verdicts.map((v) => csvCells(v, probes, live)),
  );
}
