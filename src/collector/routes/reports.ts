import type { FastifyInstance } from 'fastify';
import { isConsumerDomain } from '../../core/consumer';
import { PROBE_IDS } from '../../core/probes';
import { REPORT_LIMITS, reportedDomainProblem, type Report } from '../../core/report';
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
  },
} as const;

/** UTC day of a time: the only time a report leaves behind. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * `POST /v1/reports`: validated whole before anything is written, then counted per domain in one
 * atomic write, then acknowledged. The claimed records are checked for shape only: the collector
 * verifies every domain itself and counts nothing on a client's word.
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
      for (const [index, entry] of request.body.domains.entries()) {
        const problem = reportedDomainProblem(entry.domain);
        if (problem) throw new BadRequest(`domains/${index}/domain "${entry.domain}": ${problem}`);
        if (seen.has(entry.domain)) {
          throw new BadRequest(
            `domains/${index}/domain "${entry.domain}" appears more than once in the report`,
          );
        }
        seen.add(entry.domain);
        // Consumer providers' records say nothing about the people who use them: never stored.
        if (isConsumerDomain(entry.domain)) ignored.push(entry.domain);
        else accepted.push(entry.domain);
      }
      accepted.sort();
      if (accepted.length > 0) {
        await context.store.addReport(accepted, utcDay(context.clock.now()));
        context.verifier?.nudge();
      }
      return reply.code(202).send({ accepted: accepted.length, ignored });
    },
  );
}
