/**
 * The pane end to end in Debian's Chromium: the development build (WCF_DEV_TOKEN) served from
 * 127.0.0.1, contacts from the local Graph-shaped server, DNS from the local DoH server, Office.js
 * from the local @microsoft/office-js package. Nothing leaves the machine.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, paneContext } from '../support/browser';
import { buildPane } from '../support/build-pane';
import { loopbackCertificate } from '../support/certificates';
import { startDohServer, type DohServer } from '../support/doh-server';
import { FIXTURE_ZONE } from '../support/fixture-zone';
import { startGraphServer, type FixtureMailbox, type GraphServer } from '../support/graph-server';
import { serveFolder } from '../support/static-server';

jest.setTimeout(120_000);

const TOKEN = 'e2e-dev-token';
/** Office.js, opened outside Office, loads a telemetry frame from here; the test context blocks it. */
const OFFICE_TELEMETRY = 'https://telemetryservice.firstpartyapps.oaspapps.com/';
const OUTPUT = 'build/e2e-pane';

const MAILBOX: FixtureMailbox = {
  contacts: [
    { id: 'c1', displayName: 'Ada Lovelace', emailAddresses: [{ address: 'ada@contoso.test' }] },
    {
      id: 'c2',
      displayName: 'Grace Hopper',
      emailAddresses: [{ address: 'grace@fabrikam.test' }, { address: 'grace@jabber.test' }],
    },
    { id: 'c3', displayName: 'Alan Turing', emailAddresses: [{ address: 'alan@closed.test' }] },
    { id: 'c4', displayName: 'No Address', emailAddresses: [] },
  ],
  folders: [
    {
      id: 'f1',
      displayName: 'Partners',
      contacts: [
        { id: 'c5', displayName: 'Barbara Liskov', emailAddresses: [{ address: 'barbara@tenant.test' }] },
        { id: 'c6', displayName: 'Edsger Dijkstra', emailAddresses: [{ address: 'edsger@bücher.example' }] },
        { id: 'c7', displayName: 'Broken Domain', emailAddresses: [{ address: 'someone@broken.test' }] },
      ],
      childFolders: [
        {
          id: 'f1a',
          displayName: 'Personal',
          contacts: [
            { id: 'c8', displayName: 'Gmail Friend', emailAddresses: [{ address: 'friend@gmail.com' }] },
            {
              id: 'c9',
              displayName: 'Exchange Only',
              emailAddresses: [
                { address: '/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=x' },
              ],
            },
            { id: 'c10', displayName: 'Plain Person', emailAddresses: [{ address: 'p@plain.test' }] },
          ],
        },
      ],
    },
  ],
};

/** Every person row: name, address, answer and badges, as the page shows them. */
async function readRows(page: Page) {
  return page.$$eval('[data-testid="person"]', (rows) =>
    rows.map((row) => ({
      text: row.querySelector('td')?.textContent ?? '',
      answer: row.getAttribute('data-answer'),
      how: [...row.querySelectorAll('[data-testid="how"] > *')].map((b) => b.textContent),
    })),
  );
}

let browser: Browser;
let graph: GraphServer;
let doh: DohServer;
let site: { url: string; close(): Promise<void> };

beforeAll(async () => {
  const certificate = await loopbackCertificate();
  graph = await startGraphServer({ mailbox: MAILBOX, certificate, token: TOKEN, maxPageSize: 2 });
  doh = await startDohServer({ zone: FIXTURE_ZONE, latencyMs: 150 });
  await buildPane({
    mode: 'development',
    outputPath: OUTPUT,
    env: {
      WCF_DEV_TOKEN: TOKEN,
      WCF_GRAPH_BASE_URL: graph.baseUrl,
      WCF_DOH_URLS: doh.url,
      WCF_CLIENT_ID: '',
    },
  });
  site = await serveFolder(join(__dirname, '..', '..', OUTPUT));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([graph?.close(), doh?.close(), site?.close()]);
  await rm(join(__dirname, '..', '..', OUTPUT), { recursive: true, force: true });
});

describe('the task pane in Chromium', () => {
  it('checks every contact in every folder, from the button to the answer for each person', async () => {
    const { context, blocked, officeRequests } = await paneContext(browser);
    const page = await context.newPage();
    await page.goto(`${site.url}taskpane.html`);
    // Opened outside Office, Office.onReady reports no host and the pane says so.
    await page.getByText('Not running inside Outlook').waitFor();
    await page.getByRole('button', { name: 'Check my contacts' }).click();
    await page.getByText(/Checking \d+ of \d+ domains/).waitFor();
    await page.getByTestId('summary').filter({ hasText: 'from your contacts' }).waitFor();
    await page.waitForFunction(
      () =>
        !document.querySelector('[data-answer="checking"]') &&
        !document.querySelector('main[aria-busy="true"]'),
    );

    const rows = await readRows(page);
    const byAddress = (address: string) => rows.find((r) => r.text.includes(address));
    expect(rows).toHaveLength(11); // 10 contacts, Grace twice (two addresses)
    expect(byAddress('ada@contoso.test')).toMatchObject({
      answer: 'yes',
      how: ['Lync/Teams (Microsoft 365)'],
    });
    expect(byAddress('grace@fabrikam.test')).toMatchObject({
      answer: 'yes',
      how: ['Lync/Teams (on-premises)', 'XMPP'],
    });
    expect(byAddress('grace@jabber.test')).toMatchObject({ answer: 'yes', how: ['XMPP'] });
    expect(byAddress('alan@closed.test')).toMatchObject({ answer: 'no', how: [] });
    expect(byAddress('barbara@tenant.test')).toMatchObject({ answer: 'no', how: ['Teams (likely)'] });
    expect(byAddress('edsger@bücher.example')).toMatchObject({ answer: 'yes' });
    expect(byAddress('someone@broken.test')).toMatchObject({ answer: 'unknown' });
    expect(byAddress('friend@gmail.com')).toMatchObject({ answer: 'no', how: ['Consumer mail'] });
    expect(byAddress('p@plain.test')).toMatchObject({ answer: 'no' });
    expect(rows.find((r) => r.text.includes('No Address'))).toMatchObject({ answer: 'not checked' });
    expect(rows.find((r) => r.text.includes('Exchange Only'))).toMatchObject({ answer: 'not checked' });
    await page.getByText('no email address').waitFor();
    await expect(page.getByTestId('summary').textContent()).resolves.toMatch(
      /^4 of 11 people from your contacts can federate$/,
    );

    // Graph was read with the token, every folder, page by page; DNS was asked once per question.
    expect(graph.requests.every((r) => r.authorized)).toBe(true);
    expect(graph.requests.some((r) => r.url.includes('/me/contactFolders/f1a/contacts'))).toBe(true);
    const questions = doh.queries.map((q) => `${q.type} ${q.name}`);
    expect(new Set(questions).size).toBe(questions.length);
    // Nothing left the machine: the pane asked only loopback, and the one outside request, Office.js's
    // own telemetry frame, was blocked. Office.js came from the local package.
    expect(blocked.filter((url) => !url.startsWith(OFFICE_TELEMETRY))).toEqual([]);
    expect(officeRequests[0]).toMatch(/office\.js$/);
    if (process.env.WCF_SCREENSHOT)
      await page.screenshot({ path: process.env.WCF_SCREENSHOT, fullPage: true });
    await context.close();
  });

  it('checks an imported contacts file, and stops when cancelled', async () => {
    doh.options.latencyMs = 400;
    const { context, blocked } = await paneContext(browser);
    const page = await context.newPage();
    await page.goto(`${site.url}taskpane.html`);
    const csv = [
      'First Name,Last Name,E-mail Address,E-mail 2 Address',
      'Ada,Lovelace,ada@contoso.test,',
      ...Array.from({ length: 40 }, (_, i) => `Person,${i},p${i}@slow${i}.test,`),
    ].join('\r\n');
    await page
      .getByTestId('contacts-file')
      .setInputFiles({ name: 'outlook.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText(/Checking \d+ of 41 domains/).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(/Stopped after \d+ of 41 domains/).waitFor();
    const rows = await readRows(page);
    expect(rows).toHaveLength(41);
    expect(rows.some((r) => r.answer === 'not checked')).toBe(true);
    expect(rows.every((r) => r.answer !== 'checking')).toBe(true);
    expect(blocked.filter((url) => !url.startsWith(OFFICE_TELEMETRY))).toEqual([]);
    expect(await page.getByRole('button', { name: 'Check my contacts' }).isEnabled()).toBe(true);
    doh.options.latencyMs = 150;
    await context.close();
  });
});
