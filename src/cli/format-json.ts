import type { Summary } from '../core/summary';
import type { DomainVerdict } from '../core/verdict';
import type { InvalidLine } from './input';

/** The one JSON document `--format json` prints; its shape is the CLI's contract with scripts. */
export function formatJson(
  verdicts: readonly DomainVerdict[],
  invalid: readonly InvalidLine[],
  summary: Summary,
): string {
  const document = {
    domains: verdicts,
    invalid: invalid.map(({ file, line, input, reason }) => ({ line, input, reason, file })),
    summary,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
