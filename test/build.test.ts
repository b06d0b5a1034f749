import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildPane } from './support/build-pane';
import { strFromU8, unzipSync } from 'fflate';
import { validateManifest } from './support/validate-manifest';
import { validateUnifiedManifest } from './support/validate-unified-manifest';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..');
const OUTPUT = 'build/production-check';
const PRODUCTION_URL = 'https://addin.example.org/who-can-federate/';

afterAll(async () => {
  await rm(join(ROOT, OUTPUT), { recursive: true, force: true });
});

describe('npm run build (production)', () => {
  it('refuses a development token', async () => {
    await expect(
      buildPane({ mode: 'production', outputPath: OUTPUT, env: { WCF_DEV_TOKEN: 'x' } }),
    ).rejects.toThrow(/WCF_DEV_TOKEN is set for a production build/);
  });

  it('writes a deployable folder whose manifest points at the production URL and validates', async () => {
    await buildPane({ mode: 'production', outputPath: OUTPUT, env: { WCF_PRODUCTION_URL: PRODUCTION_URL } });
    const files = await readdir(join(ROOT, OUTPUT));
    for (const page of [
      'taskpane.html',
      'commands.html',
      'redirect.html',
      'dialog.html',
      'support.html',
      'privacy.html',
      'manifest.xml',
      'manifest.json',
      'who-can-federate.zip',
    ]) {
      expect(files).toContain(page);
    }
    const manifest = await readFile(join(ROOT, OUTPUT, 'manifest.xml'), 'utf8');
    expect(manifest).not.toContain('https://localhost:3000/');
    expect(manifest).toContain(`${PRODUCTION_URL}taskpane.html`);
    expect(manifest).toContain(`${PRODUCTION_URL}assets/icon-80.png`);
    expect(await validateManifest(manifest)).toEqual([]);
    // The unified manifest, alone and in the app package, names the production URL and validates.
    const unified = await readFile(join(ROOT, OUTPUT, 'manifest.json'), 'utf8');
    expect(unified).not.toContain('localhost');
    expect(unified).toContain(`${PRODUCTION_URL}taskpane.html`);
    expect(await validateUnifiedManifest(JSON.parse(unified) as Record<string, unknown>)).toEqual([]);
    const zip = unzipSync(await readFile(join(ROOT, OUTPUT, 'who-can-federate.zip')));
    expect(Object.keys(zip).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(strFromU8(zip['manifest.json'] ?? new Uint8Array())).toBe(unified);
    const pane = await readFile(join(ROOT, OUTPUT, 'taskpane.html'), 'utf8');
    expect(pane).toMatch(
      /<script[^>]* src="?https:\/\/appsforoffice\.microsoft\.com\/lib\/1\/hosted\/office\.js"?>/,
    );
    // The bundle carries the production Graph and resolver defaults, and no development token.
    const bundle = await readFile(
      join(ROOT, OUTPUT, files.find((f) => /^taskpane\..*\.js$/.test(f)) ?? ''),
      'utf8',
    );
    // (booleans, not toContain: a failure must not print a megabyte of minified code)
    expect(bundle.includes('graphBaseUrl:"https://graph.microsoft.com/v1.0"')).toBe(true);
    expect(bundle.includes('devToken:""')).toBe(true);
    expect(bundle.includes('production:!0')).toBe(true);
  });

  it('keeps the first screen light: at most 150 kB of gzipped JavaScript before the pane is interactive', async () => {
    // The scripts taskpane.html loads itself (Office.js from Microsoft's CDN aside); MSAL, Graph, the
    // lookup, the results and the menus are chunks fetched later.
    const pane = await readFile(join(ROOT, OUTPUT, 'taskpane.html'), 'utf8');
    const scripts = [...pane.matchAll(/<script[^>]*\ssrc="?([^"\s>]+)"?/g)]
      .map((m) => m[1] ?? '')
      .filter((src) => !/^https?:/.test(src));
    expect(scripts.length).toBeGreaterThan(0);
    let bytes = 0;
    for (const src of scripts)
      bytes += gzipSync(await readFile(join(ROOT, OUTPUT, src)), { level: 9 }).length;
    expect(Math.round(bytes / 1000)).toBeLessThanOrEqual(150);
    // MSAL and the Graph client are not in it.
    const first = await Promise.all(scripts.map((src) => readFile(join(ROOT, OUTPUT, src), 'utf8')));
    // (MSAL's error code and the Graph client's message, as they stand in the minified chunks)
    expect(first.some((code) => code.includes('interaction_in_progress'))).toBe(false);
    expect(first.some((code) => code.includes('Unable to Create Client'))).toBe(false);
    const all = await readdir(join(ROOT, OUTPUT));
    const chunks = await Promise.all(
      all.filter((f) => f.endsWith('.js')).map((f) => readFile(join(ROOT, OUTPUT, f), 'utf8')),
    );
    expect(chunks.some((code) => code.includes('interaction_in_progress'))).toBe(true);
    expect(chunks.some((code) => code.includes('Unable to Create Client'))).toBe(true);
  });
});
