import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';

/** A PNG's size and RGBA pixels, decoded by pngjs (every filter and bit depth, not just ours). */
export async function readPng(
  file: string | Uint8Array,
): Promise<{ width: number; height: number; pixels: Buffer }> {
  const bytes = typeof file === 'string' ? await readFile(file) : Buffer.from(file);
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, pixels: png.data };
}
