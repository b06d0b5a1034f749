/**
 * `npm run screenshots`: the pane in Debian's Chromium at Outlook's pane sizes (350×700 and
 * 450×800), light and dark, in the states a person meets: first open, the answer after a check,
 * a filtered view, a person's details, settings, and the DNS service unreachable. Everything is
 * served from loopback (the development build against the local Graph and DoH stand-ins).
 * Writes every PNG into `build/screenshots/` (or the folder given as the first argument), and
 * refreshes the two the README shows in `assets/screenshots/`.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startPaneBrowser, waitUntilChecked } from './browser';
import { buildPane } from './build-pane';
import { loopbackCertificate } from './certificates';
import { startDohServer } from './doh-server';
import { SHOWCASE_MAILBOX } from './fixture-mailbox';
import { FIXTURE_ZONE } from './fixture-zone';
import { startGraphServer } from './graph-server';
import { projectRoot } from './project-root';
import { serveFolder } from './static-server';
import { startEntraStandIn } from './entra-server';

const TOKEN = 'screenshot-dev-token';
/** The two pictures the README shows. */
const README_SHOTS = ['pane-350-light-2-answer.png', 'pane-350-dark-4-details.png'];
const SIZES = [
  { width: 350, height: 700 },
  { width: 450, height: 800 },
] as const;

async function main(): Promise<void> {
  const root = projectRoot();
  const folder = process.argv[2] ?? join(root, 'build', 'screenshots');
  const output = join(root, 'build', 'screenshots-pane');
  await mkdir(folder, { recursive: true });
  const certificate = await loopbackCertificate();
  const graph = await startGraphServer({ mailbox: SHOWCASE_MAILBOX, certificate, token: TOKEN });
  const doh = await startDohServer({ zone: FIXTURE_ZONE, latencyMs: 20, tls: certificate });
  // Microsoft's sign-in service, stood in for: plain.test is a GCC High tenant, "No" from the commercial
  // cloud; for every other domain it cannot be reached, so their DNS evidence decides (as the
  // "still checking" states show).
  const entra = await startEntraStandIn({ 'plain.test': { tenant: 'gcc-high' } }, { reset: true });
  await buildPane({
    mode: 'development',
    outputPath: 'build/screenshots-pane',
    env: {
      WCF_DEV_TOKEN: TOKEN,
      WCF_GRAPH_BASE_URL: graph.baseUrl,
      WCF_DOH_URLS: doh.url,
      WCF_CLIENT_ID: '',
      WCF_ENTRA_URL: entra.url,
    },
  });
  const site = await serveFolder(output);
  const chromium = await startPaneBrowser();
  const written: string[] = [];
  try {
    for (const size of SIZES) {
      for (const scheme of ['light', 'dark'] as const) {
        const { context } = await chromium.newContext({ colorScheme: scheme, viewport: size });
        const page = await context.newPage();
        const shot = async (state: string): Promise<void> => {
          // The pointer rests where the last click was: moved off the pane, so no hover state is shown.
          await page.mouse.move(-1, -1);
          await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
          const file = join(folder, `pane-${size.width}-${scheme}-${state}.png`);
          await page.screenshot({ path: file });
          written.push(file);
        };
        await page.goto(`${site.url}taskpane.html`);
        await page.getByRole('button', { name: 'Check my contacts' }).waitFor();
        await shot('1-first-open');
        await page.getByRole('button', { name: 'Check my contacts' }).click();
        await waitUntilChecked(page);
        await shot('2-answer');
        await page.getByTestId('filter-likely').click();
        await shot('3-likely-via-teams');
        await page.getByTestId('filter-likely').click();
        await page.getByTestId('filter-reachable').click();
        await shot('9-can-federate');
        await page.getByTestId('filter-reachable').click();
        await openDetails(page, 'dennis@plain.test');
        await shot('10-other-cloud');
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        await openDetails(page, 'ada@contoso.test');
        await shot('4-details');
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        await page.getByRole('button', { name: 'Settings' }).click();
        await page.getByRole('dialog').waitFor();
        await shot('5-settings');
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        // Checked again with the Microsoft 365 evidence held back: each "No" says it is still checking.
        let release: () => void = () => undefined;
        const evidence = new Promise<void>((resolve) => (release = resolve));
        doh.options.hold = (q) => (q.type === 'TXT' || q.type === 'CNAME' ? evidence : undefined);
        await page.getByRole('button', { name: 'More actions' }).click();
        await page.getByRole('menuitem', { name: /Check everyone again/ }).click();
        await page.locator('[data-testid="progress"][data-phase="details"]').waitFor();
        await page.locator('[data-still-checking]').first().waitFor();
        await shot('7-no-still-checking');
        // Stopped there: those "No" answers keep a mark, and the line above the list says why.
        await page.getByRole('button', { name: 'Cancel' }).click();
        await page.getByTestId('stopped').waitFor();
        await page.locator('[data-unfinished]').first().waitFor();
        await shot('8-stopped-not-final');
        release();
        doh.options.hold = undefined;
        await page.getByRole('button', { name: 'More actions' }).click();
        await page.getByRole('menuitem', { name: /Check everyone again/ }).click();
        await waitUntilChecked(page);
        // The DNS service unreachable: every lookup fails, and the pane says so once, at the top.
        doh.options.httpStatus = 403; // as a proxy that blocks the DNS service would
        await page.getByRole('button', { name: 'More actions' }).click();
        await page.getByRole('menuitem', { name: /Check everyone again/ }).click();
        await waitUntilChecked(page);
        await page.getByTestId('dns-unreachable').waitFor();
        await shot('6-dns-unreachable');
        doh.options.httpStatus = undefined;
        await context.close();
      }
    }
  } finally {
    await chromium.close();
    await Promise.all([graph.close(), doh.close(), entra.close(), site.close()]);
    await rm(output, { recursive: true, force: true });
  }
  const readme = join(root, 'assets', 'screenshots');
  await mkdir(readme, { recursive: true });
  for (const shown of README_SHOTS) await copyFile(join(folder, shown), join(readme, shown));
  console.log(
    `Wrote ${written.length} screenshots to ${folder}; the README's ${README_SHOTS.length} to ${readme}`,
  );
}

async function openDetails(page: Page, address: string): Promise<void> {
  await page.locator('[data-testid="person"]', { hasText: address }).click();
  await page.getByRole('dialog').waitFor();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
