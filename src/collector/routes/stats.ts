import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../context';
import type { StatsCache } from '../statistics';

const count = { type: 'integer' } as const;
const share = { type: 'number' } as const;
const statsSchema = {
  type: 'object',
  required: [
    'domains',
    'lyncFederation',
    'xmppFederation',
    'lyncAndXmpp',
    'xmppClientAccess',
    'microsoft365',
    'onPremises',
    'asOf',
  ],
  properties: {
    domains: count,
    lyncFederation: count,
    xmppFederation: count,
    lyncAndXmpp: count,
    xmppClientAccess: count,
    microsoft365: count,
    onPremises: count,
    lyncEdgeAnswering: count,
    xmppEdgeAnswering: count,
    verified: count,
    asOf: { type: ['string', 'null'] },
    percent: {
      type: 'object',
      properties: {
        lyncFederation: share,
        xmppFederation: share,
        lyncAndXmpp: share,
        xmppClientAccess: share,
        microsoft365: share,
        onPremises: share,
        lyncEdgeAnswering: share,
        xmppEdgeAnswering: share,
        verified: share,
      },
    },
    threshold: count,
  },
} as const;

/** `GET /v1/stats`. */
export function statsRoute(app: FastifyInstance, context: CollectorContext, stats: StatsCache): void {
  app.get(
    '/v1/stats',
    { schema: { response: { 200: statsSchema } }, config: { rateLimit: context.rateLimits.reads } },
    async (_request, reply) => {
      reply.header('cache-control', `public, max-age=${Math.ceil(context.statsCacheMs / 1000)}`);
      return stats.get();
    },
  );
}
