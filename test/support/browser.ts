import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loopbackCertificate } from './certificates';
import { projectRoot } from './project-root';

/** Debian's Chromium, installed by .ci/run (`apt-get install chromium`). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OFFICE_CDN_HOST = 'appsforoffice.microsoft.com';
const OFFICE_JS_DIST = join(projectRoot(), 'node_modules', '@microsoft', 'office-js', 'dist');

/**
 * Microsoft's Office.js CDN, played on 127.0.0.1 over HTTPS from the local `@microsoft/office-js`
 * package: `/lib/1/hosted/<file>` is `dist/<file>`.
 */
export async function startOfficeCdn(certificate: { cert: string; key: string }) {
  const requests: string[] = [];
  const server = createServer(certificate, (request, response) => {
    const path = new URL(request.url ?? '/', 'https://cdn').pathname;
    requests.push(path);
    const relative = normalize(path.replace(/^\/lib\/1\/hosted\//, '')).replace(/^(\.\.[/\\])+/, '');
    const file = join(OFFICE_JS_DIST, relative);
    stat(file).then(
      (info) => {
        if (!info.isFile()) throw new Error('not a file');
        response.writeHead(200, {
          'content-type': extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream',
          'access-control-allow-origin': '*',
        });
        createReadStream(file).pipe(response);
      },
      () => response.writeHead(404).end('not in @microsoft/office-js'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface PaneBrowser {
  browser: Browser;
  /** Paths the Office.js CDN stand-in served. */
  officeRequests: string[];
  /**
   * A context for the pane. `blocked` collects every request that tried to leave the machine (they
   * cannot: every host but loopback and the CDN stand-in fails to resolve).
   */
  newContext(options?: {
    colorScheme?: 'light' | 'dark';
    /** The pane's size; Outlook's task pane is 320–450 px wide. */
    viewport?: { width: number; height: number };
    /** Let the test inject axe-core into a page whose own CSP forbids every script (the collector's). */
    bypassCSP?: boolean;
  }): Promise<{ context: BrowserContext; blocked: string[] }>;
  close(): Promise<void>;
}

/**
 * Debian's Chromium with no way out to the internet: `--host-rules` sends Microsoft's Office.js CDN to
 * the local stand-in and makes every other name but loopback unresolvable. (Playwright's request
 * interception would do the same, but pauses every request, which costs milliseconds each: too slow
 * for thousands of DNS questions.)
 */
/** Chromium's flags for the pane: headless, no network but loopback (and the Office.js stand-in on `cdnPort`). */
export function chromiumArgs(cdnPort: number): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--host-rules=MAP ${OFFICE_CDN_HOST} 127.0.0.1:${cdnPort}, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1`,
  ];
}

export async function startPaneBrowser(): Promise<PaneBrowser> {
  const cdn = await startOfficeCdn(await loopbackCertificate());
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: chromiumArgs(cdn.port),
  });
  return {
    browser,
    officeRequests: cdn.requests,
    async newContext(options = {}) {
      const context = await browser.newContext({
        ignoreHTTPSErrors: true, // the local servers' throw-away certificate
        acceptDownloads: true,
        colorScheme: options.colorScheme ?? 'light',
        reducedMotion: 'reduce',
        ...(options.viewport ? { viewport: options.viewport } : {}),
        bypassCSP: options.bypassCSP ?? false,
      });
      const blocked: string[] = [];
      context.on('requestfailed', (request) => {
        const { hostname } = new URL(request.url());
        if (hostname !== '127.0.0.1' && hostname !== 'localhost' && hostname !== OFFICE_CDN_HOST)
          blocked.push(request.url());
      });
      return { context, blocked };
    },
    async close() {
      await browser.close();
      await cdn.close();
    },
  };
}

/** Waits until the pane shows results and nothing is loading or being checked any more. */
export async function waitUntilChecked(page: Page, timeout = 120_000): Promise<void> {
  await page.getByTestId('summary').waitFor({ timeout });
  await page.waitForFunction(
    () =>
      document.querySelector('main')?.getAttribute('aria-busy') === 'false' &&
      !document.querySelector('[data-answer="checking"]'),
    undefined,
    { timeout, polling: 50 },
  );
}
