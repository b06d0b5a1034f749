import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../context';
import {
  decodeCursor,
  directoryCsvHeader,
  directoryCsvRow,
  encodeCursor,
  publishedDomain,
} from '../directory';
import { BadRequest } from '../errors';
import type { DirectoryCapability } from '../store/store';

interface DirectoryQuerystring {
  capability?: DirectoryCapability;
  cursor?: string;
  limit?: string;
  format?: 'json' | 'csv';
}

const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    capability: { type: 'string', enum: ['lync', 'xmpp', 'xmpp-client'] },
    cursor: { type: 'string', maxLength: 400 },
    limit: { type: 'string', pattern: '^[0-9]{1,5}$' },
    format: { type: 'string', enum: ['json', 'csv'] },
  },
} as const;

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;
/** Rows the CSV download reads from the database at a time while it streams. */
const CSV_CHUNK = 1000;

/**
 * `GET /v1/domains`: the published directory, in domain order, a page at a time with a keyset
 * cursor (stable while domains are added). As CSV (`?format=csv` or `Accept: text/csv`) it streams
 * the whole directory from the cursor on, unless a limit is given.
 */
export function domainsRoute(app: FastifyInstance, context: CollectorContext): void {
  app.get<{ Querystring: DirectoryQuerystring }>(
    '/v1/domains',
    { schema: { querystring: querySchema }, config: { rateLimit: context.rateLimits.reads } },
    async (request, reply) => {
      const query = request.query;
      const limit = query.limit === undefined ? undefined : Number(query.limit);
      if (limit !== undefined && (limit < 1 || limit > MAX_PAGE)) {
        throw new BadRequest(`limit must be between 1 and ${MAX_PAGE}`);
      }
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const wantsCsv =
        query.format === 'csv' ||
        (query.format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
      reply.header('cache-control', 'public, max-age=300');
      reply.header('vary', 'accept');
      const page = (from: string | undefined, size: number) =>
        context.store.directory({
          capability: query.capability,
          after: from,
          limit: size,
          threshold: context.threshold,
        });

      if (wantsCsv) {
        const name = `who-can-federate-${query.capability ?? 'all'}.csv`;
        reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`);
        async function* rows(): AsyncGenerator<string> {
          yield directoryCsvHeader();
          let cursor = after;
          let left = limit ?? Number.POSITIVE_INFINITY;
          while (left > 0) {
            let entries;
            try {
              entries = await page(cursor, Math.min(CSV_CHUNK, left));
            } catch (error) {
              // Headers are gone already: the error is logged, and the stream is broken off (no
              // final chunk), so the download fails visibly instead of looking complete.
              context.logger.error(error);
              throw error;
            }
            for (const entry of entries) yield directoryCsvRow(publishedDomain(entry));
            if (entries.length < Math.min(CSV_CHUNK, left)) return;
            left -= entries.length;
            cursor = entries[entries.length - 1]?.domain;
          }
        }
        return reply.send(Readable.from(rows()));
      }

      const size = limit ?? DEFAULT_PAGE;
      // One more than asked tells whether there is a next page without a second query.
      const entries = await page(after, size + 1);
      const shown = entries.slice(0, size);
      const last = shown[shown.length - 1];
      return {
        domains: shown.map(publishedDomain),
        next: entries.length > size && last ? encodeCursor(last.domain) : null,
      };
    },
  );
}
