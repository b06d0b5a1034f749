import { CLOUDS, type Cloud } from '../../core/cloud';
import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../context';
import type { StatsCache } from '../statistics';

const count = { type: 'integer' } as const;
// The response schema is also what Fastify serialises: a count missing here never reaches a reader
// (microsoft365Tenants, matrixFederation and ciscoEdge were dropped so until 2026-12).
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
    microsoft365Tenants: count,
    tenantsOnlyInEntra: count,
    tenantsByCloud: {
      type: 'object',
      properties: Object.fromEntries(CLOUDS.map((cloud) => [cloud, count])) as Record<Cloud, typeof count>,
    },
    matrixFederation: count,
    ciscoEdge: count,
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
        microsoft365Tenants: share,
        tenantsOnlyInEntra: share,
        matrixFederation: share,
        ciscoEdge: share,
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
