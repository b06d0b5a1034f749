import { failureKind, type FailureKind } from '../dns/errors';

/** What a CLI user can do about each kind of failed lookup, in the order they are shown. */
const HINTS: readonly [FailureKind, string][] = [
  [
    'blocked',
    'the resolver is unreachable, not slow: nothing came back at all, as when a firewall or proxy drops DNS-over-HTTPS; use one your network allows (--doh URL, or your own with --dns)',
  ],
  ['timeout', 'a slow resolver: raise --timeout, or add another --doh resolver'],
  ['unreachable', 'check the network and the resolver (--doh URL or --dns address)'],
  ['rate-limited', 'the resolver limits questions: lower --concurrency'],
];

/** The hints that apply to these failure messages, each once, in a fixed order. */
export function failureHints(messages: Iterable<string>): string[] {
  const kinds = new Set([...messages].map(failureKind));
  // An unreachable resolver times out too: "raise --timeout" would only make the wait longer.
  if (kinds.has('blocked')) kinds.delete('timeout');
  return HINTS.filter(([kind]) => kinds.has(kind)).map(([, hint]) => hint);
}
