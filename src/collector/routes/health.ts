import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../context';

/** `GET /healthz`: 200 while the database answers, 503 (with the reason) when it does not. */
export function healthRoute(app: FastifyInstance, context: CollectorContext): void {
  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await context.store.ping();
      return { status: 'ok', store: context.store.kind };
    } catch (error) {
      return reply
        .code(503)
        .send({ status: 'unavailable', message: `database: ${(error as Error).message}` });
    }
  });
}
