/**
 * The operator's metrics: served on a listener of their own (WCF_METRICS_PORT), never on the public
 * port; a report moves the counters, a refused one counts by reason, the verifier's checks and DNS
 * questions show.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process';
import { startDohServer, type DohServer } from '../support/doh-server';
import { FIXTURE_ZONE } from '../support/fixture-zone';
import { freeLoopbackPort } from '../support/free-port';
import { projectRoot } from '../support/project-root';

let doh: DohServer;
let dir: string;
let collector: CollectorProcess;
let metricsUrl: string;
beforeAll(async () => {
  doh = await startDohServer({ zone: FIXTURE_ZONE });
  dir = await mkdtemp(join(tmpdir(), 'wcf-metrics-'));
  const port = await freeLoopbackPort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  collector = await startCollectorProcess({
    WCF_COLLECTOR_DB: join(dir, 'collector.sqlite'),
    WCF_DOH_URLS: doh.url,
    WCF_LIVE_CHECKS: 'off',
    WCF_ENTRA: 'off',
    WCF_METRICS_PORT: String(port),
  });
});
afterAll(async () => {
  collector.child.kill('SIGTERM');
  await collector.exited;
  await doh.close();
  await rm(dir, { recursive: true, force: true });
});

const scrape = async (): Promise<string> => (await fetch(metricsUrl)).text();
/** A sample's value in the Prometheus text, or undefined when absent. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("the collector's metrics", () => {
  it('count reports accepted and refused by reason, checks, DNS questions; the public port has none', async () => {
    const post = (body: string) =>
      fetch(`${collector.url}/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    expect(sample(await scrape(), 'wcf_reports_total{outcome="accepted"}')).toBeUndefined();
    const accepted = await post(
      JSON.stringify({ domains: [{ domain: 'contoso.test', records: ['_sipfederationtls._tcp'] }] }),
    );
    expect(accepted.status).toBe(202);
    const refused = await post('{"domains": "nope"}');
    expect(refused.status).toBe(400);

    let text = await scrape();
    expect(sample(text, 'wcf_reports_total{outcome="accepted"}')).toBe(1);
    expect(sample(text, 'wcf_reports_refused_total{reason="invalid"}')).toBe(1);
    expect(text).toMatch(/^# HELP wcf_domains_pending /m);
    // A quiet moment: the report's batch was folded before its 202.
    expect(sample(text, 'wcf_journal_batches_folded_total')).toBe(1);
    expect(sample(text, 'wcf_journal_fold_seconds_count{outcome="folded"}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^wcf_process_resident_memory_bytes \d+/m);
    // The verifier checks the domain itself: its outcome and its DNS questions show.
    const deadline = Date.now() + 15_000;
    while (sample(text, 'wcf_verifications_total{outcome="present"}') !== 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      text = await scrape();
    }
    expect(sample(text, 'wcf_verifications_total{outcome="present"}')).toBe(1);
    expect(sample(text, 'wcf_dns_question_seconds_count{outcome="answered"}')).toBeGreaterThan(0);
    expect(text).not.toMatch(/contoso/);

    // The manual lists every metric of the collector's own.
    const manual = await readFile(join(projectRoot(), 'docs', 'collector.md'), 'utf8');
    const families = [...text.matchAll(/^# TYPE (wcf_\S+) /gm)]
      .map((m) => m[1] as string)
      .filter((name) => !/^wcf_(process|nodejs)_/.test(name));
    expect(families.length).toBeGreaterThanOrEqual(6);
    for (const family of families) expect(manual).toContain(`\`${family}`);

    const publicMetrics = await fetch(`${collector.url}/metrics`);
    expect(publicMetrics.status).toBe(404);
    expect((await fetch(metricsUrl.replace('/metrics', '/'))).status).toBe(404);
  }, 30_000);
});
