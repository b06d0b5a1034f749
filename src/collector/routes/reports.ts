import type { FastifyInstance } from 'fastify';
import { isConsumerDomain } from '../../core/consumer';
import { PROBE_IDS } from '../../core/probes';
import { REPORT_LIMITS, reportedDomainProblem, type Report } from '../../core/report';
import { createHash } from 'node:crypto';
import { BadRequest } from '../errors';
import type { CollectorContext } from '../context';

const reportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['domains'],
  properties: {
    domains: {
      type: 'array',
      minItems: 1,
      maxItems: REPORT_LIMITS.maxDomains,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['domain', 'records'],
        properties: {
          domain: { type: 'string', minLength: 1, maxLength: 253 },
          records: {
            type: 'array',
            minItems: 1,
            maxItems: PROBE_IDS.length,
            uniqueItems: true,
            items: { type: 'string', enum: PROBE_IDS },
          },
        },
      },
    },
  },
} as const;

const acceptedSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['accepted', 'ignored'],
  properties: {
    accepted: { type: 'integer' },
    ignored: { type: 'array', items: { type: 'string' } },
    duplicate: { type: 'boolean' },
  },
} as const;

/** A client's `Idempotency-Key`: random, the same for every retry of one report. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * `POST /v1/reports`: validated whole before anything is written, admitted within the intake
 * limits, then counted in the next batch (one atomic write with other reports), then
 * acknowledged. The claimed records are checked for shape only: the collector verifies every
 * domain itself and counts nothing on a client's word. A retry that carries the same
 * `Idempotency-Key` as a report already counted is acknowledged and not counted again.
 */
export function reportsRoute(app: FastifyInstance, context: CollectorContext): void {
  app.post<{ Body: Report }>(
    '/v1/reports',
    {
      bodyLimit: REPORT_LIMITS.maxBytes,
      schema: { body: reportSchema, response: { 202: acceptedSchema } },
      config: { rateLimit: context.rateLimits.reports },
      onRequest: async (request) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        if (type !== 'application/json') {
          throw new BadRequest('Send the report as JSON, with the header "Content-Type: application/json"');
        }
      },
    },
    async (request, reply) => {
      const seen = new Set<string>();
      const accepted: string[] = [];
      const ignored: string[] = [];
      const rawKey = request.headers['idempotency-key'];
      if (rawKey !== undefined && (typeof rawKey !== 'string' || !IDEMPOTENCY_KEY.test(rawKey))) {
        throw new BadRequest('The Idempotency-Key header must be 16 to 128 letters, digits, "-" or "_"');
      }
      for (const [index, entry] of request.body.domains.entries()) {
        // The message names the field, never repeats what was sent.
        const problem = reportedDomainProblem(entry.domain);
        if (problem) throw new BadRequest(`domains/${index}/domain: ${problem.replace(/\s*"[^"]*"/g, '')}`);
        if (seen.has(entry.domain)) {
          throw new BadRequest(`domains/${index}/domain appears more than once in the report`);
        }
        seen.add(entry.domain);
        // Consumer providers' records say nothing about the people who use them: never stored.
        if (isConsumerDomain(entry.domain)) ignored.push(entry.domain);
        else accepted.push(entry.domain);
      }
      if (accepted.length === 0) {
        context.metrics?.reports.inc({ outcome: 'accepted' });
        return reply.code(202).send({ accepted: 0, ignored });
      }
      // Stored as a hash: the collector keeps nothing a client chose.
      const key = rawKey === undefined ? undefined : createHash('sha256').update(rawKey).digest('base64url');
      if (key && (await context.batcher.isDuplicate(key))) {
        context.metrics?.reports.inc({ outcome: 'duplicate' });
        return reply.code(202).send({ accepted: accepted.length, ignored, duplicate: true });
      }
      // New domains (the ones that cost a check) count against the intake's limits: the store is asked
      // only about names this process has not met, in the store or in a batch on its way.
      const unmet = accepted.filter(
        (domain) => !context.known.has(domain) && !context.batcher.isWaiting(domain),
      );
      const stored = unmet.length > 0 ? await context.store.existing(unmet) : new Set<string>();
      for (const domain of stored) context.known.add(domain);
      const fresh = unmet.filter((domain) => !stored.has(domain)).length;
      const reporter = context.addressKey.keyOfRequest(request);
      const giveBack = await context.intake.admit(reporter, fresh);
      let counted: boolean;
      try {
        counted = await context.batcher.submit(accepted, reporter, key);
      } catch (error) {
        await giveBack().catch((failure: unknown) => context.logger.error(failure));
        throw error;
      }
      if (!counted) await giveBack();
      else for (const domain of accepted) context.known.add(domain);
      context.metrics?.reports.inc({ outcome: counted ? 'accepted' : 'duplicate' });
      context.verifier?.nudge();
      return reply
        .code(202)
        .send({ accepted: accepted.length, ignored, ...(counted ? {} : { duplicate: true }) });
    },
  );
}
