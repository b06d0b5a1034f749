import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { REPORT_LIMITS } from '../core/report';
import { DailyAddressKey } from './address-key';
import type { CollectorContext, RateLimit } from './context';
import { anonymousLogger } from './logger';
import { domainsRoute } from './routes/domains';
import { healthRoute } from './routes/health';
import { lookupRoute } from './routes/lookup';
import { pageRoute } from './routes/page';
import { reportsRoute } from './routes/reports';
import { statsRoute } from './routes/stats';
import { StatsCache } from './statistics';
import type { CollectorStore } from './store/store';

export interface CollectorOptions {
  store: CollectorStore;
  verifier?: { nudge(): void };
  /** K, the publication threshold: different days a domain must be reported on (default 3). */
  threshold?: number;
  clock?: { now(): number };
  /** Reports per minute from one address (default 30). */
  reportsPerMinute?: number;
  /** Reads (page, stats, directory) per minute from one address (default 600). */
  readsPerMinute?: number;
  /** Behind a load balancer: whose X-Forwarded-For to believe, as Fastify's `trustProxy`. */
  trustProxy?: boolean | string;
  /** How long the statistics are reused (default 60 s). */
  statsCacheMs?: number;
  logger?: FastifyBaseLogger;
}

export const DEFAULT_THRESHOLD = 3;

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
    return `The body is not valid JSON (${error.message})`;
  }
  return undefined;
}

/**
 * Builds the collector as a Fastify instance (not listening), from its store and verifier, so tests
 * call `inject()` against real SQLite or PostgreSQL. No request is ever logged: the logger drops
 * request data and per-request logging is off; rate limits key on a daily-rotating keyed hash of
 * the address, held in memory only.
 */
export async function buildCollector(options: CollectorOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? { now: () => Date.now() };
  const minute = 60_000;
  const reportsLimit: RateLimit = { max: options.reportsPerMinute ?? 30, timeWindow: minute };
  const readsLimit: RateLimit = { max: options.readsPerMinute ?? 600, timeWindow: minute };
  const context: CollectorContext = {
    store: options.store,
    verifier: options.verifier,
    threshold: options.threshold ?? DEFAULT_THRESHOLD,
    clock,
    rateLimits: { reports: reportsLimit, reads: readsLimit },
    statsCacheMs: options.statsCacheMs ?? 60_000,
  };
  if (!Number.isInteger(context.threshold) || context.threshold < 1) {
    throw new RangeError(`the publication threshold must be a whole number ≥ 1, not ${context.threshold}`);
  }

  const logger = options.logger ?? anonymousLogger();
  const app = Fastify({
    loggerInstance: logger,
    logController: new Fastify.LogController({ disableRequestLogging: true }),
    childLoggerFactory: (parent) => parent,
    // Nothing identifies a request, not even in memory beyond its life: no id header is read.
    requestIdHeader: false,
    genReqId: () => '',
    trustProxy: options.trustProxy ?? false,
    bodyLimit: REPORT_LIMITS.maxBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
  });
  // Only JSON is a report; plain text would otherwise be parsed and reach validation as a string.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
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

  await app.register(cors, { origin: '*', methods: ['GET', 'POST'], credentials: false, maxAge: 86_400 });
  const addressKey = new DailyAddressKey(() => clock.now());
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => addressKey.keyOf(request.ip),
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
