#!/usr/bin/env node
'use strict';
/**
 * Draws the add-in's icons without any image tool: a blue rounded square with two linked white rings
 * ("federation"), as assets/icon-<size>.png for the XML manifest and the ribbon, and the app package's
 * two (appPackage/color.png, 192×192 in full colour; appPackage/outline.png, 32×32, the white rings alone
 * on a transparent background, as the unified manifest's schema asks). Run `node scripts/make-icons.js`
 * after changing the design.
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SIZES = [16, 32, 64, 80, 128];

function crc32(buffer) {
  let crc = ~0;
  for (const byte of buffer) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x += 1) {
      const [r, g, b, a] = pixel(x, y);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Coverage of a pixel by a shape, from 4×4 supersampling, for smooth edges at 16 px. */
function coverage(x, y, inside) {
  let hits = 0;
  for (let i = 0; i < 4; i += 1)
    for (let j = 0; j < 4; j += 1) if (inside(x + (i + 0.5) / 4, y + (j + 0.5) / 4)) hits += 1;
  return hits / 16;
}

function icon(size, { outline = false } = {}) {
  const s = size;
  const radius = s * 0.2;
  const inSquare = (x, y) => {
    const cx = Math.min(Math.max(x, radius), s - radius);
    const cy = Math.min(Math.max(y, radius), s - radius);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
  };
  const ring = (cx, cy) => (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    return d <= s * 0.22 && d >= s * 0.22 - Math.max(s * 0.075, 1.5);
  };
  const left = ring(s * 0.38, s * 0.5);
  const right = ring(s * 0.62, s * 0.5);
  if (outline) {
    return png(s, (x, y) => [
      255,
      255,
      255,
      Math.round(coverage(x, y, (px, py) => left(px, py) || right(px, py)) * 255),
    ]);
  }
  return png(s, (x, y) => {
    const bg = coverage(x, y, inSquare);
    const fg = coverage(x, y, (px, py) => inSquare(px, py) && (left(px, py) || right(px, py)));
    const blue = [0x0f, 0x6c, 0xbd];
    const mix = (c) => Math.round(c * (1 - fg / Math.max(bg, 1e-9)) + 255 * (fg / Math.max(bg, 1e-9)));
    return [mix(blue[0]), mix(blue[1]), mix(blue[2]), Math.round(bg * 255)];
  });
}

const out = path.join(__dirname, '..', 'assets');
fs.mkdirSync(out, { recursive: true });
for (const size of SIZES) fs.writeFileSync(path.join(out, `icon-${size}.png`), icon(size));
console.log(`wrote ${SIZES.map((s) => `icon-${s}.png`).join(', ')} to assets/`);

const appPackage = path.join(__dirname, '..', 'appPackage');
fs.mkdirSync(appPackage, { recursive: true });
fs.writeFileSync(path.join(appPackage, 'color.png'), icon(192));
fs.writeFileSync(path.join(appPackage, 'outline.png'), icon(32, { outline: true }));
console.log('wrote color.png (192×192) and outline.png (32×32) to appPackage/');
