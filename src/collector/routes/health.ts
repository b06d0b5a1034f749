import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../context';

/** A verifier whose last round is older than this is stuck: the collector is not doing its job. */
export const VERIFIER_STALE_MS = 10 * 60_000;

/**
 * `GET /healthz`: 200 only while every query the public endpoints run works (the same tables and
 * indexes: stats, directory, look-up, pending count, the verifier's queue) and the verifier's loop
 * has finished a round recently; else 503 with a generic message. What failed goes to the log,
 * never to the public: a database error names hosts, ports and files.
 */
export function healthRoute(app: FastifyInstance, context: CollectorContext): void {
  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    const unavailable = () =>
      reply
        .code(503)
        .send({ status: 'unavailable', message: 'The collector cannot serve requests right now.' });
    try {
      await context.store.health();
    } catch (error) {
      context.logger.error(error);
      return unavailable();
    }
    const lastRound = context.verifier?.lastRoundAt?.();
    if (lastRound !== undefined && lastRound !== null && Date.now() - lastRound > VERIFIER_STALE_MS) {
      context.logger.warn(
        `health: the verifier's last round ended ${Math.round((Date.now() - lastRound) / 1000)} s ago`,
      );
      return unavailable();
    }
    return { status: 'ok', store: context.store.kind };
  });
}
