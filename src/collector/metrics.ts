import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LiveStatus } from '../core/types';
import type { DnsQuerier } from '../dns/querier';

/** Why a report was refused, as the metrics count it. */
export type RefusalReason = 'invalid' | 'rate_limited' | 'too_many_new' | 'queue_full';

/**
 * What the collector's operator can watch (Prometheus): the process, reports accepted and refused
 * (by reason), domains waiting for their first check, the intake journal's folds, verifications by
 * outcome, DNS question latency and live checks by status. Served on a listener of its own (see {@link serveMetrics}),
 * never on the public port. Nothing here names a domain or a client.
 */
export class CollectorMetrics {
  readonly registry = new Registry();
  readonly reports: Counter<'outcome'>;
  readonly refused: Counter<'reason'>;
  readonly verifications: Counter<'outcome'>;
  readonly liveChecks: Counter<'status'>;
  readonly dnsSeconds: Histogram<'outcome'>;
  readonly foldSeconds: Histogram<'outcome'>;
  readonly foldedBatches: Counter;

  constructor(pendingCount: () => Promise<number>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'wcf_' });
    this.reports = new Counter({
      name: 'wcf_reports_total',
      help: 'Reports acknowledged (202): accepted, or a retry already counted (duplicate)',
      labelNames: ['outcome'],
      registers,
    });
    this.refused = new Counter({
      name: 'wcf_reports_refused_total',
      help: 'Reports refused: invalid (400), rate_limited (429), too_many_new (429, the allowance of new domains), queue_full (503)',
      labelNames: ['reason'],
      registers,
    });
    this.verifications = new Counter({
      name: 'wcf_verifications_total',
      help: "The collector's own DNS checks of reported domains, by what they found: present, absent, unknown (a lookup failed), deleted",
      labelNames: ['outcome'],
      registers,
    });
    this.liveChecks = new Counter({
      name: 'wcf_live_checks_total',
      help: 'Servers behind verified records contacted, by what happened (answering, refused, timeout…)',
      labelNames: ['status'],
      registers,
    });
    this.dnsSeconds = new Histogram({
      name: 'wcf_dns_question_seconds',
      help: 'Time for one DNS question of the verifier, answered or failed',
      labelNames: ['outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
      registers,
    });
    this.foldSeconds = new Histogram({
      name: 'wcf_journal_fold_seconds',
      help: 'Time for one fold of the intake journal into the domains (one transaction), done or failed',
      labelNames: ['outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
      registers,
    });
    this.foldedBatches = new Counter({
      name: 'wcf_journal_batches_folded_total',
      help: 'Batches of reports counted into the domains by the folds of this instance',
      registers,
    });
    new Gauge({
      name: 'wcf_domains_pending',
      help: 'Reported domains waiting for their first check',
      registers,
      async collect() {
        this.set(await pendingCount());
      },
    });
  }

  /** Counts the live checks' findings of one round. */
  countLive(statuses: Iterable<LiveStatus>): void {
    for (const status of statuses) this.liveChecks.inc({ status });
  }
}

/** The resolver the verifier asks, each question timed into {@link CollectorMetrics.dnsSeconds}. */
export function timedQuerier(client: DnsQuerier, metrics: CollectorMetrics): DnsQuerier {
  return {
    get unreachable() {
      return client.unreachable;
    },
    probeAgain: () => client.probeAgain?.(),
    query: async (name, type, signal) => {
      const stop = metrics.dnsSeconds.startTimer();
      try {
        const response = await client.query(name, type, signal);
        stop({ outcome: 'answered' });
        return response;
      } catch (error) {
        stop({ outcome: 'failed' });
        throw error;
      }
    },
  };
}

/** `GET /metrics` (Prometheus text format) on `host:port`, and nothing else. */
export async function serveMetrics(metrics: CollectorMetrics, host: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('Not found: the metrics are at /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (error: unknown) =>
        response
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`metrics failed: ${(error as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
