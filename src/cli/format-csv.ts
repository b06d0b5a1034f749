import { answerWord } from '../core/answer';
import { csvDocument, csvRow, UTF8_BOM, type CsvCell } from '../core/csv';
import type { Probe } from '../core/probes';
import { hostingWord, triStateWord, type DomainVerdict } from '../core/verdict';

/** The CSV's header: a status and targets column per record; edge columns after `--live`. */
export function csvHeader(probes: readonly Probe[], live: boolean): string[] {
  return [
    'Domain',
    'Display domain',
    'Can federate',
    'Lync/Teams federation',
    'Hosting',
    'Public-facing Lync',
    'XMPP federation',
    'XMPP client access',
    'Microsoft 365 tenant',
    'Consumer provider',
    ...(live ? ['Lync edge answering', 'XMPP edge answering', 'Verified'] : []),
    ...probes.flatMap((p) => [`${p.id} status`, `${p.id} targets`]),
    'Notes',
    // Appended, so scripts reading the columns above by position keep working.
    'Answer',
    'Microsoft 365 cloud',
    'Tenant domain',
    'Microsoft 365 evidence',
    'Google Workspace',
    'Matrix federation',
    'Matrix server',
    'Cisco edge',
  ];
}

/** One domain's cells, in {@link csvHeader}'s order. */
export function csvCells(v: DomainVerdict, probes: readonly Probe[], live: boolean): CsvCell[] {
  return [
    v.domain,
    v.displayDomain,
    triStateWord(v.canFederate),
    triStateWord(v.lync.federation),
    hostingWord(v.lync.hosting),
    triStateWord(v.lync.publicFacing),
    triStateWord(v.xmpp.federation),
    triStateWord(v.xmpp.clientAccess),
    triStateWord(v.microsoft365.tenant),
    v.consumer ? 'yes' : 'no',
    ...(live
      ? [
          triStateWord(v.lync.live ?? null),
          triStateWord(v.xmpp.live ?? null),
          triStateWord(v.verified ?? null),
        ]
      : []),
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
    answerWord(v.answer),
    v.microsoft365.cloud ?? '',
    v.microsoft365.tenantDomain ?? '',
    v.microsoft365.evidence.map((e) => `${e.signal}: ${e.value}`).join('; '),
    triStateWord(v.google.workspace),
    triStateWord(v.matrix.federation),
    v.matrix.server ?? '',
    triStateWord(v.cisco.edge),
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
