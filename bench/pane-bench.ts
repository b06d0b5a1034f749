/**
 * `npm run bench` (part two): the task pane in Chromium, from "Check my contacts" to every result,
 * for 10,000 contacts over 2,000 domains with the DoH resolver answering in 40 ms (TLS + HTTP/2, as
 * public resolvers), beside the arithmetic one-question-at-a-time time; and the gzipped JavaScript the
 * pane loads before it is interactive, beside a bare React + Fluent UI page built the same way.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROBES } from '../src/core/probes';
import { encodeQuery } from '../src/dns/wire';
import { startPaneBrowser, waitUntilChecked } from '../test/support/browser';
import { buildPane } from '../test/support/build-pane';
import { loopbackCertificate } from '../test/support/certificates';
import { startDohServer } from '../test/support/doh-server';
import { benchZone, generatedMailbox } from '../test/support/generated-zone';
import { startGraphServer } from '../test/support/graph-server';
import { projectRoot } from '../test/support/project-root';
import { serveFolder } from '../test/support/static-server';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 10_000);
const DOMAINS = Number(process.env.BENCH_PANE_DOMAINS ?? 2_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 40);
const ROOT = projectRoot();

/** Gzipped size of the scripts an HTML page loads by itself (not the chunks it may import later). */
async function initialScriptBytes(folder: string, page: string): Promise<number> {
  const html = await readFile(join(folder, page), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*\ssrc="?([^"\s>]+)"?/g)]
    .map((m) => m[1] ?? '')
    .filter((src) => !/^https?:/.test(src));
  let total = 0;
  for (const src of scripts) total += gzipSync(await readFile(join(folder, src)), { level: 9 }).length;
  return total;
}

/** The same webpack production settings over a page that only renders a Fluent button: the floor for any Fluent pane. */
async function referenceBundle(): Promise<number> {
  const entry = join(ROOT, 'build', 'reference-pane', 'entry.tsx');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(ROOT, 'build', 'reference-pane'), { recursive: true });
  await writeFile(
    entry,
    `import { Button, FluentProvider, webLightTheme } from '@fluentui/react-components';
import { createRoot } from 'react-dom/client';
createRoot(document.getElementById('root')!).render(<FluentProvider theme={webLightTheme}><Button appearance="primary">Check</Button></FluentProvider>);
`,
  );
  const webpack = (await import('webpack')).default;
  const HtmlWebpackPlugin = (await import('html-webpack-plugin')).default;
  const out = join(ROOT, 'build', 'reference-pane', 'dist');
  await new Promise<void>((resolve, reject) => {
    webpack({
      mode: 'production',
      context: ROOT,
      entry: { reference: entry },
      output: { path: out, filename: '[name].js', clean: true },
      resolve: { extensions: ['.ts', '.tsx', '.js'] },
      module: {
        rules: [
          {
            test: /\.tsx?$/,
            use: { loader: 'ts-loader', options: { transpileOnly: true, configFile: 'tsconfig.pane.json' } },
          },
        ],
      },
      plugins: [new HtmlWebpackPlugin({ filename: 'index.html', templateContent: '<div id="root"></div>' })],
      devtool: false,
    }).run((error, stats) =>
      error || stats?.hasErrors() ? reject(error ?? new Error(stats?.toString())) : resolve(),
    );
  });
  return initialScriptBytes(out, 'index.html');
}

async function main(): Promise<void> {
  // Bundle sizes: the production pane against the bare Fluent UI + React page.
  await buildPane({ mode: 'production', outputPath: 'build/bench-pane-production', env: {} });
  const paneBytes = await initialScriptBytes(join(ROOT, 'build/bench-pane-production'), 'taskpane.html');
  const referenceBytes = await referenceBundle();

  // Time to all results in Chromium.
  const certificate = await loopbackCertificate();
  const graph = await startGraphServer({
    mailbox: generatedMailbox(CONTACTS, DOMAINS),
    certificate,
    token: 'bench',
    maxPageSize: 1000,
  });
  const doh = await startDohServer({
    zone: benchZone(DOMAINS).zone,
    latencyMs: LATENCY_MS,
    tls: certificate,
  });
  // A production build cannot carry WCF_DEV_TOKEN, so the timed run uses the development build.
  await buildPane({
    mode: 'development',
    outputPath: 'build/bench-pane',
    env: { WCF_GRAPH_BASE_URL: graph.baseUrl, WCF_DOH_URLS: doh.url, WCF_DEV_TOKEN: 'bench' },
  });
  const site = await serveFolder(join(ROOT, 'build/bench-pane'));
  const chromium = await startPaneBrowser();
  const { context } = await chromium.newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}taskpane.html`);
  await page.getByRole('button', { name: 'Check my contacts' }).waitFor();
  // The browser's own ceiling: the same GET questions by a bare fetch loop at the same concurrency,
  // against the same resolver, in the same browser (no parsing, no cache, no rendering).
  const questionNames = benchZone(DOMAINS).domains.flatMap((d) =>
    PROBES.map((p) => ({ name: p.prefix ? `${p.prefix}.${d.domain}` : d.domain, type: p.type })),
  );
  const urls = questionNames.map(
    ({ name, type }) =>
      `${doh.url}?dns=${Buffer.from(encodeQuery(`bare-${name}`, type)).toString('base64url')}`,
  );
  const bareFetchMs = await page.evaluate(async (list) => {
    const t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < list.length) {
          const response = await fetch(list[next++] as string, {
            headers: { accept: 'application/dns-message' },
            cache: 'no-store',
          });
          await response.arrayBuffer();
        }
      }),
    );
    return performance.now() - t;
  }, urls);

  const started = Date.now();
  await page.getByRole('button', { name: 'Check my contacts' }).click();
  await page.getByText(/^Checked [\d,]+ of /).waitFor({ timeout: 120_000 });
  const contactsLoadedMs = Date.now() - started;
  await waitUntilChecked(page, 300_000);
  const allResultsMs = Date.now() - started;
  const summary = await page.getByTestId('summary').textContent();
  await chromium.close();
  await Promise.all([graph.close(), doh.close(), site.close()]);
  await rm(join(ROOT, 'build/bench-pane'), { recursive: true, force: true });
  await rm(join(ROOT, 'build/bench-pane-production'), { recursive: true, force: true });

  const questions = DOMAINS * PROBES.length;
  const oneAtATimeMs = questions * LATENCY_MS;
  const idealMs = Math.ceil(questions / 64) * LATENCY_MS;
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;
  console.log(
    `Pane benchmark: ${CONTACTS.toLocaleString('en-US')} contacts over ${DOMAINS.toLocaleString('en-US')} domains, DoH latency ${LATENCY_MS} ms (Chromium)\n`,
  );
  console.log(`  contacts loaded from Graph after        ${(contactsLoadedMs / 1000).toFixed(2)} s`);
  console.log(
    `  all results after                        ${(allResultsMs / 1000).toFixed(2)} s   (${summary})`,
  );
  console.log(
    `  ideal at 64 in flight (${questions} questions)  ${(idealMs / 1000).toFixed(2)} s   → ${(allResultsMs / idealMs).toFixed(2)}× ideal`,
  );
  console.log(
    `  bare fetch loop, same questions, 64 in flight, same browser  ${(bareFetchMs / 1000).toFixed(2)} s   → pane = ${(allResultsMs / bareFetchMs).toFixed(2)}× the browser's own ceiling`,
  );
  console.log(
    `  one question at a time (arithmetic)      ${(oneAtATimeMs / 1000).toFixed(0)} s   → ${(oneAtATimeMs / allResultsMs).toFixed(0)}× slower than the pane`,
  );
  console.log(`\n  initial JS of the production pane (gzip) ${kb(paneBytes)}`);
  console.log(
    `  bare React + Fluent UI page (gzip)       ${kb(referenceBytes)}   → pane = ${(paneBytes / referenceBytes).toFixed(2)}× the bare page`,
  );
}

void main();
