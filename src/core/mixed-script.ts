/**
 * Scripts a label's letters may come from, checked with Unicode property escapes (no tables of
 * our own). A letter of any other script counts as a script of its own.
 */
const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Thai',
  'Devanagari',
  'Bengali',
  'Tamil',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Bopomofo',
].map((name) => ({ name, pattern: new RegExp(`\\p{Script=${name}}`, 'u') }));

/**
 * Script mixes that are ordinary writing (UTS #39 "highly restrictive"): Japanese, Chinese and
 * Korean text mixes Han with kana, Bopomofo or Hangul, and Latin with any of them.
 */
const ALLOWED_MIXES: readonly (readonly string[])[] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];

function scriptsOf(label: string): Set<string> {
  const found = new Set<string>();
  for (const char of label) {
    if (!/\p{L}/u.test(char)) continue;
    found.add(SCRIPTS.find((script) => script.pattern.test(char))?.name ?? `other:${char}`);
  }
  return found;
}

/**
 * Whether a (Unicode) label mixes scripts the way a look-alike does: `аpple` with a Cyrillic "а"
 * among Latin letters. Such names are shown in their A-label (`xn--`) form, never as Unicode that
 * reads like someone else's name.
 */
export function isMixedScript(label: string): boolean {
  const scripts = scriptsOf(label);
  if (scripts.size <= 1) return false;
  return !ALLOWED_MIXES.some((mix) => [...scripts].every((script) => mix.includes(script)));
}
