/**
 * The app package: the zip an admin uploads to the Microsoft 365 admin center (Integrated apps) or a
 * developer sideloads, holding manifest.json and its two icons at the root (Microsoft Learn, "Convert an
 * add-in to use the unified manifest for Microsoft 365": "Package the new manifest and the two icon image
 * files into a zip file"). Bytes in, bytes out; the build and the tests do the file I/O.
 */
import { zipSync, strToU8 } from 'fflate';
import { APP_PACKAGE_ICONS } from './unified-manifest';

/** What goes in the package. */
export interface AppPackageParts {
  /** manifest.json's text. */
  readonly manifest: string;
  /** The 192×192 colour icon's PNG bytes. */
  readonly color: Uint8Array;
  /** The 32×32 outline icon's PNG bytes. */
  readonly outline: Uint8Array;
}

/** A fixed date for every entry, so the same parts give the same bytes (a reproducible build). */
const ENTRY_TIME = new Date('2026-01-01T00:00:00Z');

/** The package's zip bytes. */
export function appPackage(parts: AppPackageParts): Uint8Array {
  return zipSync(
    {
      'manifest.json': strToU8(parts.manifest),
      [APP_PACKAGE_ICONS.color]: parts.color,
      [APP_PACKAGE_ICONS.outline]: parts.outline,
    },
    { level: 9, mtime: ENTRY_TIME },
  );
}

/** The file name the build gives the package in dist/. */
export const APP_PACKAGE_FILE = 'who-can-federate.zip';
