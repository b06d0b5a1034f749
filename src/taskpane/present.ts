import type { PersonRow } from '../contacts/contact';
import { failedLookups, triStateWord, type DomainVerdict } from '../core/verdict';

export type Answer = 'yes' | 'no' | 'unknown' | 'checking' | 'not checked';

/**
 * A row's answer: the verdict's word; "checking" while its domain is being asked; "not checked" when
 * it has no usable address or the check was stopped before its domain.
 */
export function answerFor(row: PersonRow, verdict: DomainVerdict | undefined, checking = true): Answer {
  if (!row.parsed.ok) return 'not checked';
  if (!verdict) return checking ? 'checking' : 'not checked';
  return triStateWord(verdict.canFederate);
}

/** How a domain federates, as short badges; empty when it does not (or is not known to). */
export function howBadges(verdict: DomainVerdict | undefined): string[] {
  if (!verdict) return [];
  const badges: string[] = [];
  if (verdict.lync.federation === true) {
    badges.push(
      verdict.lync.hosting === 'microsoft-365' ? 'Lync/Teams (Microsoft 365)' : 'Lync/Teams (on-premises)',
    );
  }
  if (verdict.xmpp.federation === true) badges.push('XMPP');
  if (verdict.lync.federation !== true && verdict.microsoft365.teamsLikely) badges.push('Teams (likely)');
  if (verdict.consumer) badges.push('Consumer mail');
  return badges;
}

/** Why a row shows no answer, or what caveat goes with its answer. */
export function rowNote(row: PersonRow, verdict: DomainVerdict | undefined): string {
  if (!row.parsed.ok) return row.parsed.reason;
  if (!verdict) return '';
  const failed = failedLookups(verdict);
  const notes = [...verdict.notes];
  if (failed > 0) notes.unshift(`${failed} DNS lookup${failed === 1 ? '' : 's'} failed`);
  if (verdict.consumer) notes.push('consumer provider: depends on the person’s own account');
  return notes.join('; ');
}

/** "1,048" in the person's locale. */
export function count(n: number): string {
  return n.toLocaleString();
}
