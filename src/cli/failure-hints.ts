/** What a CLI user can do about each kind of failed lookup, matched on the messages the DNS layer writes. */
const HINTS: readonly { pattern: RegExp; hint: string }[] = [
  {
    pattern: /did not answer within/,
    hint: 'a slow resolver: raise --timeout, or add another --doh resolver',
  },
  { pattern: /^cannot reach /, hint: 'check the network and the resolver (--doh URL or --dns address)' },
  { pattern: /HTTP 429/, hint: 'the resolver limits questions: lower --concurrency' },
];

/** The hints that apply to these failure messages, each once, in a fixed order. */
export function failureHints(messages: Iterable<string>): string[] {
  const all = [...messages];
  return HINTS.filter(({ pattern }) => all.some((message) => pattern.test(message))).map(({ hint }) => hint);
}
