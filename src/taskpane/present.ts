import type { PersonRow } from '../contacts/contact';
import { ANSWER_LABELS, type Answer } from '../core/answer';
import type { DomainVerdict } from '../core/verdict';
import { failedLookups } from '../core/words';
import { failureKind, type FailureKind } from '../dns/errors';

/** What a row shows: a domain's answer, or where there is none yet (or never will be). */
export type RowAnswer = Answer | 'checking' | 'not checked';

export const ROW_ANSWER_LABELS: Record<RowAnswer, string> = {
  ...ANSWER_LABELS,
  checking: 'Checking…',
  'not checked': 'Not checked',
};

/** What each answer means, for the tooltip on its badge. */
export const ROW_ANSWER_HINTS: Record<RowAnswer, string> = {
  yes: 'Their domain accepts federated chat and calls (Teams / Skype for Business / Lync, or XMPP).',
  likely: 'Their organisation uses Microsoft 365: Teams reaches it unless their admins turned that off.',
  depends: 'A public mail service: it depends on their own account.',
  no: 'Their domain publishes no federation records.',
  unknown: "Couldn't check: the DNS service didn't answer every question.",
  checking: 'Being checked now.',
  'not checked': 'Not checked: no email address, or the check was stopped first.',
};

/**
 * A "No" that is not final yet, its Microsoft 365 evidence still to come: `checking` while the check
 * asks it, `stopped` when the check was stopped first. Its tooltip, and the words a screen reader adds.
 */
export type NoMark = 'checking' | 'stopped';
export const NO_MARK_HINTS: Record<NoMark, string> = {
  checking:
    'No federation records. Still checking whether they use Microsoft 365, which would make it “Likely via Teams”.',
  stopped:
    'No federation records. The check was stopped before it could see whether they use Microsoft 365, which would make it “Likely via Teams”. Check again to finish.',
};
export const NO_MARK_WORDS: Record<NoMark, string> = {
  checking: ', still checking',
  stopped: ', not fully checked',
};

/**
 * A row's answer: its domain's; "checking" while its domain is being asked; "not checked" when it
 * has no usable address or the check was stopped before its domain.
 */
export function answerFor(row: PersonRow, verdict: DomainVerdict | undefined, checking = true): RowAnswer {
  if (!row.parsed.ok) return 'not checked';
  if (!verdict) return checking ? 'checking' : 'not checked';
  return verdict.answer;
}

/** How a domain federates, in a few words for the row's second line ("Teams (Microsoft 365) · XMPP"). */
export function howWords(verdict: DomainVerdict | undefined): string[] {
  if (!verdict) return [];
  const words: string[] = [];
  if (verdict.lync.federation === true) {
    words.push(
      verdict.lync.hosting === 'microsoft-365' ? 'Teams / Skype (Microsoft 365)' : 'Skype / Lync server',
    );
  }
  if (verdict.xmpp.federation === true) words.push('XMPP');
  return words;
}

/** Why a row shows no answer, or the caveat that goes with its answer, in words for people. */
export function rowNote(row: PersonRow, verdict: DomainVerdict | undefined): string {
  if (!row.parsed.ok) return capitalise(row.parsed.reason);
  if (!verdict) return '';
  switch (verdict.answer) {
    case 'unknown': {
      const failed = failedLookups(verdict);
      return `Couldn't check ${failed === 1 ? 'one record' : `${failed} records`}`;
    }
    case 'depends':
      return 'Public mail service: depends on their own account';
    case 'likely':
      return 'Microsoft 365: Teams reaches it unless blocked';
    default:
      return verdict.notes.length > 0 ? 'See details' : '';
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What went wrong with a lookup, for a person: the resolver's words stay in "Technical details". */
export function lookupProblem(technical: string): string {
  return PROBLEM_WORDS[failureKind(technical)];
}

const PROBLEM_WORDS: Record<FailureKind, string> = {
  blocked:
    "Couldn't reach the DNS service at all, so it wasn't asked about this domain (your network may block it).",
  timeout: "The DNS service didn't answer in time.",
  unreachable: "Couldn't reach the DNS service (a proxy or firewall may block it).",
  'rate-limited': 'The DNS service asked us to slow down. Try again in a minute.',
  'broken-zone': "The domain's DNS is broken or misconfigured.",
  other: "The DNS service couldn't answer.",
};

/** "Ada Lovelace" → "AL"; "grace@fabrikam.test" → "G": what an avatar shows. */
export function initials(name: string, address: string): string {
  const words = (name || address)
    .replace(/[@<(].*$/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  return letters
    .map((word) => [...(word ?? '')][0] ?? '')
    .join('')
    .toUpperCase();
}

/** "1,048" in the person's locale. */
export function count(n: number): string {
  return n.toLocaleString();
}
