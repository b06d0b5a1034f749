import { EntraDiscovery } from '../entra/discovery-client';
import { DohClient } from '../dns/doh-client';
import { FederationLookup } from '../engine/federation-lookup';
import { createNodeFetch } from '../dns/node-fetch';
import { NO_STORE, RecordCache } from '../dns/record-cache';
import { AddressPolicy } from '../live/address-policy';
import { LiveChecker } from '../live/live-checker';
import { buildCollector } from './app';
import { ConfigError, readConfig } from './config';
import { anonymousLogger } from './logger';
import { CollectorMetrics, serveMetrics, timedQuerier } from './metrics';
import type { Server } from 'node:http';
import { PostgresStore } from './store/postgres';
import { SqliteThreadStore } from './store/sqlite-thread';
import { StoreError, type CollectorStore } from './store/store';
import { utcDay } from './utc-day';
import { Verifier } from './verifier';

/** `npm run collector`: opens the store, migrates, starts the verifier and listens until SIGTERM. */
export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = readConfig(env);
  const logger = anonymousLogger({ level: config.logLevel });
  let store: CollectorStore;
  if (config.databaseUrl) {
    store = new PostgresStore(config.databaseUrl);
  } else {
    // On a thread of its own: the commit's fsync does not stop the event loop.
    store = await SqliteThreadStore.open(config.sqliteFile);
  }
  await store.migrate();

  const metrics = config.metrics ? new CollectorMetrics(() => store.pendingCount()) : undefined;
  const doh = new DohClient({ endpoints: config.dohUrls, fetch: createNodeFetch({ maxSockets: 16 }) });
  const client = metrics ? timedQuerier(doh, metrics) : doh;
  const lookup = new FederationLookup({
    client,
    concurrency: 16,
    cache: new RecordCache({ store: NO_STORE }),
    // No cross-cloud rule: the collector keeps what a domain is, not what one user can reach.
    entra: config.entraUrl ? new EntraDiscovery({ baseUrl: config.entraUrl, ttlMs: 0 }) : undefined,
  });
  const verifier = new Verifier({
    store,
    lookup,
    live: config.liveChecks
      ? new LiveChecker({
          resolver: client,
          concurrency: 16,
          policy: new AddressPolicy(config.livePolicy),
          matrix: true,
        })
      : undefined,
    perMinute: config.verifyPerMinute,
    absentExpiryChecks: config.queue.absentExpiryChecks,
    schedule: { recheckMs: config.recheckDays * 86_400_000, retryMs: 3_600_000 },
    onError: (error) => logger.error(error as Error),
    metrics,
  });
  const app = await buildCollector({
    store,
    metrics,
    verifier,
    threshold: config.threshold,
    reportsPerMinute: config.reportsPerMinute,
    lookupsPerMinute: config.lookupsPerMinute,
    trustProxy: config.trustProxy,
    ...(config.addressKeySecret ? { addressKeySecret: config.addressKeySecret } : {}),
    limits: config.limits,
    queue: config.queue,
    foldEveryMs: config.foldEveryMs,
    logger,
  });
  if (store.kind === 'postgres' && !config.addressKeySecret) {
    logger.info(
      'WCF_ADDRESS_KEY_SECRET is not set: per-address limits and K count per instance. If several instances share this database, give them all the same secret.',
    );
  }
  if (config.liveChecks && config.livePolicy.allowPrivate) {
    logger.warn(
      'WCF_LIVE_ALLOW_PRIVATE=true: live checks may contact loopback and private addresses. Reports are anonymous, so anyone can aim them at this network: use it only for tests and private deployments.',
    );
  }
  // Housekeeping every hour: report keys older than two days go; a small SQLite file is rewritten
  // in key order, so no page keeps the order in which its rows were written.
  const maintenance = setInterval(() => {
    const oldest = utcDay(Date.now() - 2 * 86_400_000);
    store.maintain(oldest).catch((error: unknown) => logger.error(error as Error));
  }, 3_600_000);
  maintenance.unref();

  let closing = false;
  let metricsServer: Server | undefined;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    clearInterval(maintenance);
    const grace = config.limits.shutdownGraceMs;
    logger.info(`${signal}: finishing requests in progress (at most ${grace} ms), then stopping`);
    // Slow clients cannot hold the process: after the grace period their connections are closed,
    // and whatever still hangs after that is left behind (every acknowledged report is durable).
    const force = setTimeout(() => app.server.closeAllConnections(), grace);
    const hard = setTimeout(() => {
      logger.warn('stopping now: something did not finish in time');
      process.exit(1);
    }, grace + 4000);
    force.unref();
    hard.unref();
    void (async () => {
      try {
        await app.close();
        metricsServer?.close();
        await verifier.stop();
        await store.close();
      } catch (error) {
        logger.error(error as Error);
      }
      logger.info('stopped');
      // Keep-alive sockets to the resolvers would hold the process open; everything is saved.
      process.exit(0);
    })();
  };
  // Installed before the collector says it listens: a supervisor may stop it the moment it does.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  if (closing) return;
  if (metrics && config.metrics) {
    metricsServer = await serveMetrics(metrics, config.metrics.host, config.metrics.port);
    const bound = metricsServer.address();
    logger.info(
      `metrics on http://${config.metrics.host}:${typeof bound === 'object' && bound ? bound.port : config.metrics.port}/metrics`,
    );
  }
  verifier.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    `collector listening on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port} (${store.kind}${store.kind === 'sqlite' ? ` ${config.sqliteFile}` : ''}, K=${config.threshold})`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const known = error instanceof ConfigError || error instanceof StoreError;
    process.stderr.write(
      `collector: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
    );
    process.exit(1);
  });
}
