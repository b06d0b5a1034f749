/**
 * How a setting's text becomes a value, for every face (the CLI's environment, the collector's, the
 * pane's build): one reader per kind of value, each failing with the setting's name and what it takes,
 * so `WCF_DOH_URLS` or `WCF_SHARE_DELAY_MS` reads and fails the same way wherever it is set.
 * Pure: no imports, so the pane's webpack config can load it too.
 */

/** A setting that cannot be used: the message names it and says what it takes. */
export class SettingError extends Error {
  override name = 'SettingError';
}

/** Unset or blank: the default applies. */
const blank = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === '';

/** A comma-separated list, each entry trimmed, empty entries dropped. */
export function commaList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** One http(s) URL, or a {@link SettingError} naming the setting (and an example, where one helps). */
export function httpUrl(name: string, raw: string, example?: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingError(`${name} "${raw}" is not a URL${example ? ` (e.g. ${example})` : ''}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SettingError(`${name} "${raw}" must be an https:// URL`);
  }
  return raw;
}

/** A comma-separated list of http(s) URLs (`WCF_DOH_URLS`); the fallback when unset or blank. */
export function urlList(name: string, raw: string | undefined, fallback: readonly string[]): string[] {
  const urls = commaList(raw).map((url) => httpUrl(name, url));
  return urls.length > 0 ? urls : [...fallback];
}

/** A range of milliseconds, "min-max" (`WCF_SHARE_DELAY_MS`); the ends may come in either order. */
export interface MsRange {
  minMs: number;
  maxMs: number;
}

/** Reads "min-max" in milliseconds; the fallback when unset or blank. */
export function msRange(name: string, raw: string | undefined, fallback: MsRange): MsRange {
  if (blank(raw)) return { ...fallback };
  const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(raw);
  if (!match)
    throw new SettingError(`${name} must be "min-max" in milliseconds (e.g. 1000-5000), not "${raw}"`);
  const [a, b] = [Number(match[1]), Number(match[2])];
  return { minMs: Math.min(a, b), maxMs: Math.max(a, b) };
}

/** A whole number of at least `min`; the fallback when unset or blank. */
export function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (blank(raw)) return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < min) {
    throw new SettingError(`${name} must be a whole number of at least ${min}, not "${raw.trim()}"`);
  }
  return value;
}

/** On or off: `on`/`true` and `off`/`false` (any case); the fallback when unset or blank. */
export function onOff(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (blank(raw)) return fallback;
  const text = raw.trim().toLowerCase();
  if (text === 'on' || text === 'true') return true;
  if (text === 'off' || text === 'false') return false;
  throw new SettingError(`${name} must be on or off (or true/false), not "${raw.trim()}"`);
}

/** One of a fixed set of words; the fallback when unset or blank. */
export function oneOf<T extends string>(
  name: string,
  raw: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (blank(raw)) return fallback;
  const text = raw.trim();
  if (!(choices as readonly string[]).includes(text)) {
    throw new SettingError(`${name} must be ${choices.join(', ')}, not "${text}"`);
  }
  return text as T;
}
