/**
 * The pane in Chromium against today's Microsoft 365: a stand-in of Microsoft's sign-in service beside
 * the local DoH resolver, the "can federate" view and its export, a tenant in another cloud, and a
 * DNS-over-HTTPS resolver that never answers (as behind a corporate firewall). Nothing leaves the machine.
 */
import { readFile, rm } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import Papa from 'papaparse';
import { startPaneBrowser, waitUntilChecked, type PaneBrowser } from '../support/browser';
import { buildPane } from '../support/build-pane';
import { loopbackCertificate } from '../support/certificates';
import { startDohServer, type DohServer } from '../support/doh-server';
import { startEntraStandIn, type EntraStandIn } from '../support/entra-server';
import { generatedMailbox } from '../support/generated-zone';
import { startGraphServer, type FixtureMailbox, type GraphServer } from '../support/graph-server';
import { serveFolder } from '../support/static-server';

jest.setTimeout(180_000);

const TOKEN = 'e2e-dev-token';
const PANE_350 = { width: 350, height: 700 };
const OUTPUT = 'build/e2e-pane-microsoft';
const SILENT_OUTPUT = 'build/e2e-pane-silent';
const OFFICE_TELEMETRY = 'https://telemetryservice.firstpartyapps.oaspapps.com/';

const person = (id: string, name: string, address: string) => ({
  id,
  displayName: name,
  emailAddresses: [{ address }],
});

/** One person a domain: each answer, as Microsoft 365 looks today. */
const MAILBOX: FixtureMailbox = {
  contacts: [
    person('1', 'Fed Eration', 'fed@fed.test'),
    person('2', 'New Tenant', 'new@newtenant.test'),
    person('3', 'Fil Tered', 'fil@filtered.test'),
    person('4', 'Gov Cloud', 'gov@govcloud.test'),
    person('5', 'Plain Person', 'plain@plain.test'),
    person('6', 'Gee Mail', 'someone@gmail.com'),
  ],
  folders: [],
};

let chromium: PaneBrowser;
let graph: GraphServer;
let doh: DohServer;
let entra: EntraStandIn;
let site: { url: string; close(): Promise<void> };
let silentSite: { url: string; close(): Promise<void> };

/** A DoH endpoint that never answers: either it never completes TLS, or it takes the request and is silent. */
let silent: Server;
let silentHttps: HttpsServer;
let silentMode: 'no-tls' | 'no-answer' = 'no-tls';
const held = new Set<Socket>();

beforeAll(async () => {
  const certificate = await loopbackCertificate();
  graph = await startGraphServer({ mailbox: MAILBOX, certificate, token: TOKEN });
  doh = await startDohServer({
    tls: certificate,
    latencyMs: 20,
    zone: {
      '_sipfederationtls._tcp.fed.test': { SRV: [{ target: 'sip.fed.test', port: 5061 }] },
      'fed.test': { MX: [{ exchange: 'mail.fed.test' }] },
      'newtenant.test': { MX: [{ exchange: 'newtenant-test.o-v1.mx.microsoft' }] },
      'filtered.test': { MX: [{ exchange: 'mx1.filtered.pphosted.example' }] },
      'govcloud.test': { MX: [{ exchange: 'govcloud-test.mail.protection.office365.us' }] },
      'plain.test': { MX: [{ exchange: 'mx.plain.test' }] },
      'gmail.com': { MX: [{ exchange: 'gmail-smtp-in.l.google.com', preference: 5 }] },
    },
  });
  entra = await startEntraStandIn({
    'filtered.test': { tenant: 'commercial' },
    'd7.bench.test': { tenant: 'gcc' },
  });
  silentHttps = createHttpsServer({ cert: certificate.cert, key: certificate.key }, () => undefined);
  silent = createServer((socket) => {
    held.add(socket);
    socket.on('close', () => held.delete(socket));
    if (silentMode === 'no-answer') silentHttps.emit('connection', socket);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentUrl = `https://127.0.0.1:${(silent.address() as AddressInfo).port}/dns-query`;
  const common = {
    WCF_DEV_TOKEN: TOKEN,
    WCF_GRAPH_BASE_URL: graph.baseUrl,
    WCF_CLIENT_ID: '',
    WCF_ENTRA_URL: entra.url,
  };
  await buildPane({ mode: 'development', outputPath: OUTPUT, env: { ...common, WCF_DOH_URLS: doh.url } });
  await buildPane({
    mode: 'development',
    outputPath: SILENT_OUTPUT,
    env: { ...common, WCF_DOH_URLS: silentUrl },
  });
  site = await serveFolder(join(__dirname, '..', '..', OUTPUT));
  silentSite = await serveFolder(join(__dirname, '..', '..', SILENT_OUTPUT));
  chromium = await startPaneBrowser();
});

afterAll(async () => {
  await chromium?.close();
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await Promise.all([graph?.close(), doh?.close(), entra?.close(), site?.close(), silentSite?.close()]);
  for (const output of [OUTPUT, SILENT_OUTPUT]) {
    await rm(join(__dirname, '..', '..', output), { recursive: true, force: true });
  }
});

describe("the pane and today's Microsoft 365", () => {
  it('shows everyone who can federate in one click, exports exactly them, and says why a tenant in another cloud is "No"', async () => {
    const { context, blocked } = await chromium.newContext({ viewport: PANE_350 });
    const page = await context.newPage();
    await page.goto(`${site.url}taskpane.html`);
    await page.getByRole('button', { name: 'Check my contacts' }).click();
    await waitUntilChecked(page);
    const answers = Object.fromEntries(
      await Promise.all(
        MAILBOX.contacts.map(async (c) => {
          const address = c.emailAddresses?.[0]?.address ?? '';
          const row = page.locator('[data-testid="person"]', { hasText: address });
          return [address, await row.getAttribute('data-answer')] as const;
        }),
      ),
    );
    expect(answers).toEqual({
      'fed@fed.test': 'yes',
      'new@newtenant.test': 'likely',
      'fil@filtered.test': 'likely',
      'gov@govcloud.test': 'no',
      'plain@plain.test': 'no',
      'someone@gmail.com': 'depends',
    });
    // Entra ID was asked only where the DNS left the answer open.
    expect([...entra.asked].sort()).toEqual(['filtered.test', 'plain.test']);

    // The headline is the "can federate" filter.
    const headline = page.getByTestId('filter-reachable');
    expect(await headline.textContent()).toBe('3 of 6 can federate');
    await headline.focus();
    await page.keyboard.press('Enter');
    expect(await headline.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('list', { name: 'People (3)' }).waitFor();
    const exportButton = page.getByTestId('export');
    expect(await exportButton.textContent()).toBe('Export 3 who can federate');
    expect(await exportButton.getAttribute('aria-label')).toBe('Export 3 who can federate');
    const downloading = page.waitForEvent('download');
    await exportButton.click();
    const file = await downloading;
    expect(file.suggestedFilename()).toMatch(/^who-can-federate-reachable-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await file.path()) as string, 'utf8');
    const rows = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data.slice(1);
    expect(rows.map((row) => row[1]).sort()).toEqual([
      'fed@fed.test',
      'fil@filtered.test',
      'new@newtenant.test',
    ]);
    expect(rows.map((row) => row[9]).sort()).toEqual(['likely via Teams', 'likely via Teams', 'yes']);
    // Pressed again: everyone.
    await headline.click();
    await page.getByRole('list', { name: 'People (6)' }).waitFor();

    // The tenant only Microsoft's sign-in service knows, and the one in another cloud, in words.
    await page.locator('[data-testid="person"]', { hasText: 'fil@filtered.test' }).click();
    await page.getByRole('dialog').getByText("Microsoft's sign-in service knows this domain").waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="person"]', { hasText: 'gov@govcloud.test' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/govcloud\.test is in Microsoft's GCC High cloud, not yours/).waitFor();
    await dialog
      .getByText(/Teams reaches across clouds only where both organisations publish a federation record/)
      .first()
      .waitFor();
    await page.keyboard.press('Escape');

    // Settings: the sign-in service can be turned off, and the cloud assumed is said.
    await page.getByRole('button', { name: 'Settings' }).click();
    const entraSwitch = page.getByRole('switch', { name: "Ask Microsoft's sign-in service" });
    expect(await entraSwitch.isChecked()).toBe(true);
    await page
      .getByTestId('own-cloud')
      .getByText(/assume your organisation is in Microsoft's commercial cloud/)
      .waitFor();
    await entraSwitch.click();
    await page.getByRole('button', { name: 'Close settings' }).click();
    entra.asked.length = 0;
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: /Check everyone again/ }).click();
    await waitUntilChecked(page);
    // DNS evidence only: the filtered tenant is "No" again, and nothing was sent.
    await page
      .locator('[data-testid="person"][data-answer="no"]', { hasText: 'fil@filtered.test' })
      .waitFor();
    expect(entra.asked).toEqual([]);
    expect(blocked.filter((url) => !url.startsWith(OFFICE_TELEMETRY))).toEqual([]);
    await context.close();
  });

  it.each(['no-tls', 'no-answer'] as const)(
    "with a DNS service that never answers (%s), says so within 30 s, is done within 60 s for 400 domains, and Microsoft's sign-in service still finds the tenants",
    async (mode) => {
      silentMode = mode;
      const saved = graph.options.mailbox;
      graph.options.mailbox = generatedMailbox(400, 400);
      try {
        const { context, blocked } = await chromium.newContext({ viewport: PANE_350 });
        const page = await context.newPage();
        await page.goto(`${silentSite.url}taskpane.html`);
        const started = Date.now();
        await page.getByRole('button', { name: 'Check my contacts' }).click();
        await page.getByTestId('dns-unreachable').waitFor({ timeout: 30_000 });
        const said = (Date.now() - started) / 1000;
        expect(said).toBeLessThan(30);
        await page
          .getByTestId('dns-unreachable')
          .getByText(/still found through Microsoft’s sign-in service/)
          .waitFor();
        await waitUntilChecked(page, 60_000);
        expect((Date.now() - started) / 1000).toBeLessThan(60);
        const counts = await page.$$eval('[data-testid="filter-no"]', (chips) => chips.length);
        expect(counts).toBe(0); // not a single "No"
        await page
          .locator('[data-testid="person"][data-answer="likely"]', { hasText: 'person7@d7.bench.test' })
          .waitFor();
        expect(await page.getByTestId('summary').textContent()).toMatch(/^Couldn't check 399 of 400/);
        // Retry probes first, and gives up again at once.
        const retried = Date.now();
        await page.getByTestId('dns-unreachable').getByRole('button', { name: 'Retry' }).click();
        await page.waitForFunction(
          () => document.querySelector('main')?.getAttribute('aria-busy') === 'true',
        );
        await waitUntilChecked(page, 60_000);
        expect((Date.now() - retried) / 1000).toBeLessThan(30);
        await page.getByTestId('dns-unreachable').waitFor();
        expect(blocked.filter((url) => !url.startsWith(OFFICE_TELEMETRY))).toEqual([]);
        await context.close();
      } finally {
        graph.options.mailbox = saved;
      }
    },
  );
});
