import { CLOUD_SHORT_NAMES } from './cloud';
import type { Answer, DomainVerdict } from './types';

export type { Answer } from './types';

/** Every answer, in the order lists, legends and filters show them. */
export const ANSWERS: readonly Answer[] = ['yes', 'likely', 'depends', 'no', 'unknown'];

/**
 * A verdict's answer. A Microsoft 365 tenant is "likely" even when another lookup failed: its
 * evidence said so. "No" needs every record asked to say no, the tenant evidence included: a failed
 * MX or evidence lookup leaves it unknown.
 */
export function answerOf(verdict: Pick<DomainVerdict, 'canFederate' | 'consumer' | 'microsoft365'>): Answer {
  if (verdict.canFederate === true) return 'yes';
  if (verdict.consumer) return 'depends';
  if (verdict.microsoft365.teamsLikely) return 'likely';
  if (verdict.canFederate === false && verdict.microsoft365.tenant === false) return 'no';
  if (verdict.canFederate === false && verdict.microsoft365.crossCloud === true) return 'no';
  return 'unknown';
}

/** The answer in words, capitalised for labels ("Likely via Teams"). */
export const ANSWER_LABELS: Record<Answer, string> = {
  yes: 'Yes',
  likely: 'Likely via Teams',
  depends: 'Depends on the account',
  no: 'No',
  unknown: 'Unknown',
};

/** The answer in lower-case words, for tables and CSV cells ("likely via Teams"). */
export function answerWord(answer: Answer): string {
  return answer === 'likely' ? 'likely via Teams' : answer === 'depends' ? 'depends on the account' : answer;
}

/** Whether an answer means the person can (very likely) be reached: counted in "can federate" headlines. */
export function reachable(answer: Answer): boolean {
  return answer === 'yes' || answer === 'likely';
}

/**
 * One plain sentence about a domain, for a person rather than a DNS engineer:
 * "contoso.com uses Microsoft 365 — you can very likely chat and call them from Teams."
 */
export function answerSentence(verdict: DomainVerdict): string {
  const domain = verdict.displayDomain;
  const lync = verdict.lync.federation === true;
  const xmpp = verdict.xmpp.federation === true;
  switch (answerOf(verdict)) {
    case 'yes': {
      const how =
        lync && xmpp
          ? 'Teams, Skype for Business or Lync, and over XMPP'
          : lync
            ? 'Teams, Skype for Business or Lync'
            : xmpp
              ? 'XMPP (Jabber)'
              : 'a Matrix app'; // only with `--count matrix`
      const where =
        lync && verdict.lync.hosting === 'microsoft-365'
          ? ' It uses Microsoft 365.'
          : lync && verdict.lync.hosting === 'on-premises'
            ? ' It runs its own Skype for Business or Lync server.'
            : '';
      return `${domain} accepts federated chat and calls: you can reach them from ${how}.${where}`;
    }
    case 'likely':
      return `${domain} uses Microsoft 365 — you can very likely chat and call them from Teams, unless their admins turned external access off.`;
    case 'depends':
      return `${domain} is a public mail service: whether you can reach someone there depends on their own account, not on the domain.`;
    case 'no':
      if (verdict.microsoft365.crossCloud && verdict.microsoft365.cloud) {
        return `${domain} is in Microsoft's ${CLOUD_SHORT_NAMES[verdict.microsoft365.cloud]} cloud, not yours: Teams reaches across clouds only where both organisations publish a federation record, and they publish none.`;
      }
      return `${domain} publishes no federation records: you probably cannot reach them from Teams, Skype for Business or XMPP.`;
    case 'unknown':
      return `Couldn't check ${domain}: the DNS service did not answer every question. Try again later.`;
  }
}
