import type { FastifyInstance } from 'fastify';
import { BUCKET_LENGTH } from '../../core/bucket';
import type { CollectorContext } from '../context';
import { publishedFindings } from '../directory';
import { domainHash } from '../domain-hash';

const paramsSchema = {
  type: 'object',
  required: ['prefix'],
  additionalProperties: false,
  properties: { prefix: { type: 'string', pattern: `^[0-9a-fA-F]{${BUCKET_LENGTH}}$` } },
} as const;

/**
 * `GET /v1/lookup/{prefix}`: every published domain whose SHA-256 starts with `prefix`, as its
 * full hash and what the collector verified, never its name. The client matches its own domains'
 * hashes locally, so the collector learns only which of a million buckets was asked about.
 */
export function lookupRoute(app: FastifyInstance, context: CollectorContext): void {
  app.get<{ Params: { prefix: string } }>(
    '/v1/lookup/:prefix',
    { schema: { params: paramsSchema }, config: { rateLimit: context.rateLimits.reads } },
    async (request, reply) => {
      const prefix = request.params.prefix.toLowerCase();
      const entries = await context.store.bucket(prefix, context.threshold);
      reply.header('cache-control', 'public, max-age=3600');
      const domains = entries
        .map((entry) => ({ hash: domainHash(entry.domain), ...publishedFindings(entry.facts) }))
        .sort((a, b) => (a.hash < b.hash ? -1 : 1));
      return { prefix, domains };
    },
  );
}
