import { answerWord } from '../core/answer';
import { csvDocument, type CsvCell } from '../core/csv';
import type { Probe } from '../core/probes';
import { hostingWord, triStateWord, type DomainVerdict } from '../core/verdict';

/** One row per domain, RFC 4180 with a BOM (so Excel reads UTF-8), formula-safe; a status and targets column per record. */
export function formatCsv(verdicts: readonly DomainVerdict[], probes: readonly Probe[]): string {
  // After --live: the edges' answers, and each target's status beside it.
  const live = verdicts.some((v) => v.verified !== undefined);
  const header = [
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
  ];
  const rows = verdicts.map((v): CsvCell[] => [
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
        record.targets.map((t) => `${t.target}:${t.port}${t.live ? ` (${t.live.status})` : ''}`).join(' ') ||
          (record.error ?? ''),
      ];
    }),
    v.notes.join('; '),
    answerWord(v.answer),
  ]);
  return csvDocument(header, rows);
}
