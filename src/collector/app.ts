import { DEFAULT_THRESHOLD } from './settings';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { REPORT_LIMITS } from '../core/report';
import { DailyAddressKey } from './address-key';
import type { ConnectionLimits, QueueLimits } from './config';
import type { CollectorContext, RateLimit, VerifierHealth } from './context';
import { BadRequest, RetryLater, ServiceUnavailable, TooManyRequests } from './errors';
import { Intake } from './intake';
import { ReportBatcher } from './report-batcher';
import type { CollectorMetrics, RefusalReason } from './metrics';
import { DomainSet } from '../core/domain-set';
import { anonymousLogger } from './logger';
import { domainsRoute } from './routes/domains';
import { healthRoute } from './routes/health';
import { lookupRoute } from './routes/lookup';
import { pageRoute } from './routes/page';
import { reportsRoute } from './routes/reports';
import { statsRoute } from './routes/stats';
import { StatsCache } from './statistics';
import type { CollectorStore } from './store/store';
import { utcDay } from './utc-day';

export interface CollectorOptions {
  store: CollectorStore;
  /** The operator's metrics, when served: reports accepted and refused are counted into them. */
  metrics?: CollectorMetrics;
  verifier?: VerifierHealth;
  /** K, the publication threshold: different reporters a domain must be reported by (default 3). */
  threshold?: number;
  clock?: { now(): number };
  /** Reports per minute from one address (default 30). */
  reportsPerMinute?: number;
  /** Reads (page, stats, directory) per minute from one address (default 600). */
  readsPerMinute?: number;
  /** `POST /v1/lookup` requests per minute from one address (default 60, each up to 256 buckets). */
  lookupsPerMinute?: number;
  /** Behind a load balancer: whose X-Forwarded-For to believe: a hop count, or proxy addresses/CIDRs. */
  trustProxy?: false | number | string | string[];
  /** Time-outs and connection caps (see {@link ConnectionLimits}); the defaults suit a public service. */
  limits?: Partial<ConnectionLimits>;
  /** Caps on the checking work reports can queue. */
  queue?: Partial<Omit<QueueLimits, 'absentExpiryChecks'>>;
  /**
   * The secret every instance derives the day's address key from (`WCF_ADDRESS_KEY_SECRET`), so that
   * instances on one PostgreSQL database count an address alike; without it, a random key a day.
   */
  addressKeySecret?: string;
  /** How long reports gather before they are written together (default 100 ms). */
  batchWindowMs?: number;
  /**
   * Under load, how long a journaled batch waits before it is counted (default 250 ms; `npm run
   * collector` passes `WCF_FOLD_EVERY_MS`, whose default is 1 s on PostgreSQL).
   */
  foldEveryMs?: number;
  /** How long the statistics are reused (default 60 s). */
  statsCacheMs?: number;
  logger?: FastifyBaseLogger;
}

export { DEFAULT_THRESHOLD } from './settings';

export const DEFAULT_LIMITS: Omit<ConnectionLimits, 'shutdownGraceMs'> = {
  requestTimeoutMs: 15_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
  maxConnectionsPerAddress: 32,
};

/** Headers on every response, pages and API alike. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/**
 * The HTTP server under Fastify, built so that slow or greedy clients cannot hold it: every
 * request must arrive whole within its time limit (checked every second, not Node's default 30 s),
 * idle keep-alive connections close after a few seconds, and connections are capped in all and,
 * unless a proxy in front speaks for everyone, per address (counted in memory while they are open).
 */
function limitedServer(limits: Omit<ConnectionLimits, 'shutdownGraceMs'>, perAddress: boolean) {
  return (handler: Parameters<typeof createServer>[1]): Server => {
    const server = createServer(
      {
        requestTimeout: limits.requestTimeoutMs,
        headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        connectionsCheckingInterval: 1000,
      },
      handler,
    );
    server.maxConnections = limits.maxConnections;
    // A connection that sends nothing at all is closed after the headers' time limit too.
    server.setTimeout(limits.headersTimeoutMs + limits.keepAliveTimeoutMs);
    if (perAddress) {
      const open = new Map<string, number>();
      server.on('connection', (socket: Socket) => {
        const address = socket.remoteAddress ?? '';
        const count = (open.get(address) ?? 0) + 1;
        if (count > limits.maxConnectionsPerAddress) {
          socket.destroy();
          return;
        }
        open.set(address, count);
        socket.once('close', () => {
          const left = (open.get(address) ?? 1) - 1;
          if (left <= 0) open.delete(address);
          else open.set(address, left);
        });
      });
    }
    return server;
  };
}

/** Why a report was refused, as the metrics count it. */
function refusalReason(error: FastifyError, status: number): RefusalReason | undefined {
  if (error instanceof ServiceUnavailable) return 'queue_full';
  if (error instanceof TooManyRequests) return 'too_many_new';
  if (status === 429) return 'rate_limited';
  return status >= 400 && status < 500 ? 'invalid' : undefined;
}

/** A validation error in words: where, what, and the allowed values or the unexpected field. */
function describeValidation(error: FastifyError): string {
  const context = error.validationContext ?? 'request';
  const details = (error.validation ?? []).map((issue) => {
    const where = `${context}${issue.instancePath}`;
    const params = issue.params as { allowedValues?: unknown[]; additionalProperty?: string };
    if (params.additionalProperty !== undefined)
      return `${where} has an unknown field "${params.additionalProperty}"`;
    if (params.allowedValues) return `${where} ${issue.message}: ${params.allowedValues.join(', ')}`;
    return `${where} ${issue.message ?? 'is invalid'}`;
  });
  return details.length > 0 ? details.join('; ') : error.message;
}

/** Framework errors that are the client's mistake, in words that say what to change. */
function clientMessage(error: FastifyError): string | undefined {
  if (error instanceof BadRequest) return error.message;
  if (error.validation) return describeValidation(error);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `The report is larger than ${REPORT_LIMITS.maxBytes / 1024} KiB: send at most ${REPORT_LIMITS.maxDomains} domains per report`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send the report as JSON, with the header "Content-Type: application/json"';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty: send the report as JSON';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'The Content-Length header does not match the body';
    default:
      break;
  }
  if (error.statusCode === 400 && /prototype/i.test(error.message)) {
    return 'The JSON body contains a forbidden "__proto__" or "constructor.prototype" key';
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    // The parser's own message quotes the body: it is not repeated back.
    return 'The body is not valid JSON';
  }
  return undefined;
}

/**
 * Builds the collector as a Fastify instance (not listening), from its store and verifier, so tests
 * call `inject()` against real SQLite or PostgreSQL. No request is ever logged: the logger drops
 * request data and per-request logging is off; rate limits key on a daily-rotating keyed hash of
 * the address (its key in memory only, or derived from `addressKeySecret`), counted in memory or,
 * with PostgreSQL, in the database every instance shares.
 */
export async function buildCollector(options: CollectorOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? { now: () => Date.now() };
  const minute = 60_000;
  const reportsLimit: RateLimit = { max: options.reportsPerMinute ?? 30, timeWindow: minute };
  const readsLimit: RateLimit = { max: options.readsPerMinute ?? 600, timeWindow: minute };
  const lookupsLimit: RateLimit = { max: options.lookupsPerMinute ?? 60, timeWindow: minute };
  const logger = options.logger ?? anonymousLogger();
  const addressKey = new DailyAddressKey(() => clock.now(), options.addressKeySecret);
  const ledger = options.store.ledger();
  const context: CollectorContext = {
    store: options.store,
    verifier: options.verifier,
    threshold: options.threshold ?? DEFAULT_THRESHOLD,
    clock,
    rateLimits: { reports: reportsLimit, reads: readsLimit, lookups: lookupsLimit },
    statsCacheMs: options.statsCacheMs ?? 60_000,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    addressKey,
    batcher: new ReportBatcher({
      store: options.store,
      windowMs: options.batchWindowMs,
      foldEveryMs: options.foldEveryMs,
      day: () => utcDay(clock.now()),
      markReporters: ledger.shared,
      onFoldError: (error) => logger.error(error as Error),
      onFold: ({ batches, seconds, failed }) => {
        options.metrics?.foldSeconds.observe({ outcome: failed ? 'failed' : 'folded' }, seconds);
        if (batches > 0) options.metrics?.foldedBatches.inc(batches);
      },
    }),
    known: new DomainSet(),
    intake: new Intake(options.store, options.queue, () => clock.now(), undefined, ledger),
    logger: { error: (error) => logger.error(error as Error), warn: (message) => logger.warn(message) },
  };
  if (!Number.isInteger(context.threshold) || context.threshold < 1) {
    throw new RangeError(`the publication threshold must be a whole number ≥ 1, not ${context.threshold}`);
  }
  // Batches a crash left in the intake journal are counted before the collector answers anyone.
  await context.batcher.recover();
  if ((options.trustProxy as unknown) === true || options.trustProxy === 'true') {
    throw new RangeError('trustProxy: true would believe any X-Forwarded-For; give a hop count or addresses');
  }
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const trustProxy = options.trustProxy ?? false;
  // A hop count: believe the last `n` addresses of X-Forwarded-For (those our own proxies appended).
  const trust =
    typeof trustProxy === 'number'
      ? (_address: string, hop: number) => hop < trustProxy
      : Array.isArray(trustProxy)
        ? trustProxy.join(',')
        : trustProxy;

  const app = Fastify<Server>({
    loggerInstance: logger,
    logController: new Fastify.LogController({ disableRequestLogging: true }),
    childLoggerFactory: (parent) => parent,
    // Nothing identifies a request, not even in memory beyond its life: no id header is read.
    requestIdHeader: false,
    genReqId: () => '',
    trustProxy: trust,
    bodyLimit: REPORT_LIMITS.maxBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    // Behind a proxy every connection comes from the proxy: no per-address cap then.
    serverFactory: limitedServer(limits, trustProxy === false),
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
    // A client told to slow down does not keep its connection either.
    if (reply.statusCode === 429) reply.header('connection', 'close');
  });
  app.addHook('onClose', async () => {
    await context.batcher.close();
  });
  // Only JSON is a report; plain text would otherwise be parsed and reach validation as a string.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    const refusal = request.routeOptions.url === '/v1/reports' ? refusalReason(error, status) : undefined;
    if (refusal) context.metrics?.refused.inc({ reason: refusal });
    if (error instanceof RetryLater) {
      reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(error.statusCode).send({
        error: error.statusCode === 429 ? 'Too Many Requests' : 'Service Unavailable',
        message: error.message,
      });
    }
    if (status === 429) return reply.code(429).send({ error: 'Too Many Requests', message: error.message });
    const message = status < 500 || error.validation ? (clientMessage(error) ?? error.message) : undefined;
    if (message !== undefined) return reply.code(400).send({ error: 'Bad Request', message });
    logger.error(error);
    return reply.code(500).send({
      error: 'Internal Server Error',
      message: 'The collector failed; nothing was stored. Try again later.',
    });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply
      .code(404)
      .send({ error: 'Not Found', message: 'No such endpoint: see / for what this service offers' }),
  );

  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST'],
    credentials: false,
    maxAge: 86_400,
    // So that a browser client may read how long to wait after a 429 or 503.
    exposedHeaders: ['retry-after'],
  });
  await app.register(rateLimit, {
    global: false,
    // In PostgreSQL, shared by every instance on the database; in memory for SQLite.
    ...(ledger.rateLimitStore ? { store: ledger.rateLimitStore } : {}),
    keyGenerator: (request) => addressKey.keyOfRequest(request),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });

  const stats = new StatsCache(context);
  reportsRoute(app, context);
  statsRoute(app, context, stats);
  domainsRoute(app, context);
  lookupRoute(app, context);
  pageRoute(app, context, stats);
  healthRoute(app, context);
  return app;
}
