import { answerOf } from './answer';
import type { DomainVerdict } from './types';

/**
 * `--count matrix`: Matrix federation counted in `canFederate` (and so in the answer). Off by
 * default, because Matrix is a network of its own: a Teams or XMPP user cannot reach a Matrix user
 * through it, so a domain on Matrix alone is shown, not counted.
 */
export function countingMatrix(verdict: DomainVerdict): DomainVerdict {
  if (verdict.matrix.federation !== true || verdict.canFederate === true) return verdict;
  const counted = { ...verdict, canFederate: true as const };
  return { ...counted, answer: answerOf(counted) };
}
