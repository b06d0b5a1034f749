/** Which Fluent theme the pane wears. */
export type ThemeKind = 'light' | 'dark';

/** Relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white). */
export function luminance(hex: string): number {
  const value = hex.replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(value.slice(i, i + 2), 16) / 255);
  return 0.2126 * (r ?? 1) + 0.7152 * (g ?? 1) + 0.0722 * (b ?? 1);
}

/**
 * Follows Office's theme inside Outlook (a dark body background means dark), and the system's
 * colour scheme when the pane runs as a plain web page.
 */
export function currentTheme(officeBackground: string | undefined, prefersDark: boolean): ThemeKind {
  if (officeBackground && /^#?[0-9a-f]{6}$/i.test(officeBackground))
    return luminance(officeBackground) < 0.5 ? 'dark' : 'light';
  return prefersDark ? 'dark' : 'light';
}
