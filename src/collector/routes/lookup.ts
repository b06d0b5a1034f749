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

/** Buckets one `POST /v1/lookup` may ask for. */
export const MAX_LOOKUP_PREFIXES = 256;

const batchSchema = {
  type: 'object',
  required: ['prefixes'],
  additionalProperties: false,
  properties: {
    prefixes: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_LOOKUP_PREFIXES,
      uniqueItems: true,
      items: { type: 'string', pattern: `^[0-9a-f]{${BUCKET_LENGTH}}$` },
    },
  },
} as const;

/** One bucket as both look-ups answer it: full hashes and findings, never names. */
async function bucketOf(context: CollectorContext, prefix: string) {
  const entries = await context.store.bucket(prefix, context.threshold);
  const domains = entries
    .map((entry) => ({ hash: domainHash(entry.domain), ...publishedFindings(entry.facts) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : 1));
  return { prefix, domains };
}

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
      reply.header('cache-control', 'public, max-age=3600');
      return bucketOf(context, request.params.prefix.toLowerCase());
    },
  );

  /**
   * `POST /v1/lookup` `{"prefixes": [...]}`: up to 256 buckets in one request, with a rate budget
   * of its own, so a pane with thousands of domains asks a few requests rather than a thousand.
   * Still prefixes only; the answer is the same as the GET's, bucket by bucket.
   */
  app.post<{ Body: { prefixes: string[] } }>(
    '/v1/lookup',
    {
      schema: { body: batchSchema },
      config: { rateLimit: context.rateLimits.lookups },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const buckets = [];
      for (const prefix of request.body.prefixes) buckets.push(await bucketOf(context, prefix));
      return { buckets };
    },
  );
}
