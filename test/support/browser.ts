import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

const OFFICE_JS_DIST = join(__dirname, '..', '..', 'node_modules', '@microsoft', 'office-js', 'dist');
const OFFICE_CDN = 'https://appsforoffice.microsoft.com/lib/1/hosted/';

/** Debian's Chromium, installed by .ci/run (`apt-get install chromium`). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A browser context for the pane with no way out to the internet: Office.js requests to Microsoft's
 * CDN are answered from the local `@microsoft/office-js` package, loopback goes through, and anything
 * else is aborted and recorded in `blocked` (a test can assert it stayed empty).
 */
export async function paneContext(browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}) {
  const context: BrowserContext = await browser.newContext({
    ignoreHTTPSErrors: true, // the local Graph server's throw-away certificate
    acceptDownloads: true,
    colorScheme: options.colorScheme ?? 'light',
  });
  const blocked: string[] = [];
  const officeRequests: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(OFFICE_CDN)) {
      const file = join(OFFICE_JS_DIST, normalize(url.slice(OFFICE_CDN.length).split('?')[0] ?? ''));
      officeRequests.push(url);
      try {
        const body = await readFile(file);
        const type = extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream';
        await route.fulfill({
          status: 200,
          body,
          headers: { 'content-type': type, 'access-control-allow-origin': '*' },
        });
      } catch {
        await route.fulfill({ status: 404, body: 'not in @microsoft/office-js' });
      }
      return;
    }
    const { hostname } = new URL(url);
    if (
      hostname === '127.0.0.1' ||
      hostname === 'localhost' ||
      url.startsWith('data:') ||
      url.startsWith('blob:')
    ) {
      await route.continue();
      return;
    }
    blocked.push(url);
    await route.abort('blockedbyclient');
  });
  return { context, blocked, officeRequests };
}
