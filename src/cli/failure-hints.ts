import { failureKind, type FailureKind } from '../dns/errors';

/** What a CLI user can do about each kind of failed lookup, in the order they are shown. */
const HINTS: readonly [FailureKind, string][] = [
  ['timeout', 'a slow resolver: raise --timeout, or add another --doh resolver'],
  ['unreachable', 'check the network and the resolver (--doh URL or --dns address)'],
  ['rate-limited', 'the resolver limits questions: lower --concurrency'],
];

/** The hints that apply to these failure messages, each once, in a fixed order. */
export function failureHints(messages: Iterable<string>): string[] {
  const kinds = new Set([...messages].map(failureKind));
  return HINTS.filter(([kind]) => kinds.has(kind)).map(([, hint]) => hint);
}
