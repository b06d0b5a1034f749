import { CLOUD_SHORT_NAMES, CLOUDS } from '../../core/cloud';
import { percent } from '../../core/summary';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../context';
import { parseDomain } from '../../core/address';
import type { PublishedStats, StatsCache } from '../statistics';
import { publishedFindings, type PublishedFindings } from '../directory';
import { domainBucket } from '../domain-hash';

const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1b1b1b;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.75rem 0 .5rem}p.lead{margin-top:0;color:#444}.note{color:#555;font-size:.9rem}
ul.bars{list-style:none;margin:0;padding:0}ul.bars li{padding:.5rem 0;border-top:1px solid #ddd}
.line{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 1rem}.n{font-variant-numeric:tabular-nums;white-space:nowrap;color:#444}
svg{display:block;width:100%;height:.75rem;margin-top:.25rem}.track{fill:#e6e6e6}.bar{fill:#0f6cbd}
form{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}input{font:inherit;padding:.35rem .5rem;flex:1 1 12rem;min-width:0;border:1px solid #888;border-radius:4px;background:inherit;color:inherit}
button{font:inherit;padding:.35rem 1rem;border:0;border-radius:4px;background:#0f6cbd;color:#fff}
.answer{padding:.75rem;border-radius:4px;background:#f0f0f0}
footer{margin-top:2rem;color:#555;font-size:.9rem}a{color:#0f548c}
@media (prefers-color-scheme:dark){body{background:#1f1f1f;color:#eee}p.lead,footer,.n,.note{color:#bbb}ul.bars li{border-color:#444}.track{fill:#3a3a3a}.bar{fill:#479ef5}a{color:#62abf5}.answer{background:#2b2b2b}button{background:#479ef5;color:#000}}
`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
/** Nothing runs on the page; its one style block is allowed by hash; its one form posts back here. */
const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const number = (n: number): string => n.toLocaleString('en');

/** A bar drawn for the eye only: the share is already in the text beside it, read once. */
function bar(share: number): string {
  const width = Math.max(0, Math.min(100, share));
  return `<svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect class="track" width="100" height="10"/><rect class="bar" width="${width}" height="10"/></svg>`;
}

/** One group of bars over one denominator, so that no bar is drawn against another's whole. */
function group(title: string, items: readonly [name: string, count: number, share: number][]): string {
  const rows = items
    .map(
      ([name, count, share]) =>
        `<li><div class="line"><span>${escape(name)}</span><span class="n">${number(count)} · ${share}%</span></div>${bar(share)}</li>`,
    )
    .join('');
  return `<section><h2>${escape(title)}</h2><ul class="bars">${rows}</ul></section>`;
}

/** What the "Is my domain listed?" form found, in words. */
export type ListedAnswer =
  | { kind: 'invalid'; input: string; reason: string }
  | { kind: 'not-listed'; domain: string }
  | { kind: 'listed'; domain: string; findings: PublishedFindings };

function listedWords(answer: ListedAnswer, threshold: number): string {
  switch (answer.kind) {
    case 'invalid':
      return `“${escape(answer.input)}” is not a domain name: ${escape(answer.reason)}.`;
    case 'not-listed':
      return `<strong>${escape(answer.domain)}</strong> is not listed. A domain is listed once at least ${threshold} different people have shared it and this service has verified its records.`;
    case 'listed': {
      const f = answer.findings;
      const how = [
        f.lyncFederation === true
          ? `Teams / Skype for Business / Lync federation${f.hosting === 'microsoft-365' ? ' (Microsoft 365)' : f.hosting === 'on-premises' ? ' (own server)' : ''}`
          : '',
        f.xmppFederation === true ? 'XMPP federation' : '',
      ].filter(Boolean);
      const live =
        f.verified === true
          ? ' Its server answered when last checked.'
          : f.verified === false
            ? ' Its server did not answer when last checked.'
            : '';
      return `<strong>${escape(answer.domain)}</strong> is listed${how.length > 0 ? `: ${escape(how.join(' and '))}` : ''}.${live}${f.checked ? ` Checked ${escape(f.checked)}.` : ''}`;
    }
  }
}

/**
 * The statistics as a page that needs no JavaScript and reads at phone width: groups of bars, each
 * over the one denominator its heading names; an empty state that says how domains get here; and
 * an "Is my domain listed?" form answered by the server.
 */
export function statsPage(stats: PublishedStats, listed?: ListedAnswer): string {
  const p = stats.percent;
  const asOf =
    stats.asOf === null ? 'nothing published yet' : `as of ${stats.asOf.slice(0, 16).replace('T', ' ')} UTC`;
  const groups =
    stats.domains === 0
      ? `<p>Nothing is published yet. A domain appears here once at least <strong>${stats.threshold}</strong> different people have shared it — from the Outlook add-in (Settings → Share anonymously) or with <code>who-can-federate check --share</code> — and this service has checked its DNS records itself. Only domain names and record names are ever shared.</p>`
      : [
          group(`Of all ${number(stats.domains)} domains`, [
            ['Teams / Skype for Business / Lync federation', stats.lyncFederation, p.lyncFederation],
            ['XMPP federation', stats.xmppFederation, p.xmppFederation],
            ['XMPP client access', stats.xmppClientAccess, p.xmppClientAccess],
            [
              'Microsoft 365 tenants (reachable from Teams by default)',
              stats.microsoft365Tenants,
              p.microsoft365Tenants,
            ],
            ['Also on Matrix (a network of its own)', stats.matrixFederation, p.matrixFederation],
            ['Cisco Jabber / Webex edge', stats.ciscoEdge, p.ciscoEdge],
          ]),
          stats.lyncFederation > 0
            ? group(`Of the ${number(stats.lyncFederation)} Lync-federated domains`, [
                ['Also XMPP federation', stats.lyncAndXmpp, p.lyncAndXmpp],
                ['Through Microsoft 365', stats.microsoft365, p.microsoft365],
                ['From their own (on-premises) edge', stats.onPremises, p.onPremises],
                ['Edge answering when checked', stats.lyncEdgeAnswering, p.lyncEdgeAnswering],
              ])
            : '',
          stats.microsoft365Tenants > 0
            ? group(`Of the ${number(stats.microsoft365Tenants)} Microsoft 365 tenants`, [
                [
                  "Found only by Microsoft's sign-in service (no Microsoft record in their DNS)",
                  stats.tenantsOnlyInEntra,
                  p.tenantsOnlyInEntra,
                ],
                ...CLOUDS.filter((cloud) => (stats.tenantsByCloud[cloud] ?? 0) > 0).map(
                  (cloud): [string, number, number] => [
                    `In Microsoft's ${CLOUD_SHORT_NAMES[cloud]} cloud`,
                    stats.tenantsByCloud[cloud],
                    percent(stats.tenantsByCloud[cloud], stats.microsoft365Tenants),
                  ],
                ),
              ])
            : '',
          stats.xmppFederation > 0
            ? group(`Of the ${number(stats.xmppFederation)} XMPP-federated domains`, [
                ['Server answering when checked', stats.xmppEdgeAnswering, p.xmppEdgeAnswering],
              ])
            : '',
        ].join('\n');
  const form = `<section><h2>Is my domain listed?</h2>
<form method="get" action="/"><label for="domain">Domain</label><input id="domain" name="domain" type="text" inputmode="url" autocomplete="off" spellcheck="false" placeholder="contoso.com" value="${listed && listed.kind !== 'invalid' ? escape(listed.domain) : ''}"><button type="submit">Look up</button></form>
${listed ? `<p class="answer" role="status">${listedWords(listed, stats.threshold)}</p>` : ''}
<p class="note">This form sends the domain you type to this service. The add-in and the command line look domains up privately instead, by a short prefix of their hash.</p></section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark">
<title>Who Can Federate: federation directory statistics</title><style>${STYLE}</style></head>
<body><main>
<h1>Who Can Federate</h1>
<p class="lead">Of <strong>${number(stats.domains)}</strong> domains shared by users and verified by this service (${escape(asOf)}):</p>
${groups}
${form}
<p>Every domain is checked by this service itself over DNS, and the server behind each record is contacted to see whether it still answers; a domain is counted and published only after at least ${stats.threshold} different people reported it, and drops out when its records go.</p>
<p>Data: <a href="/v1/stats">statistics (JSON)</a> · directory of <a href="/v1/domains?capability=lync&amp;format=csv">Lync-federated</a>, <a href="/v1/domains?capability=xmpp&amp;format=csv">XMPP-federated</a> and <a href="/v1/domains?format=csv">all</a> domains (CSV) · <a href="/v1/domains">directory (JSON)</a></p>
</main>
<footer>Reports carry domain names and record names only. This service stores no addresses, user agents or request identifiers. Reports are written in shuffled batches beside unrelated rows, so the files do not say which domains arrived together.</footer>
</body></html>
`;
}

/** Answers the form: published domains only (at least K reporters), the same rule as the directory's. */
async function lookUpListed(context: CollectorContext, input: string): Promise<ListedAnswer> {
  const parsed = parseDomain(input.slice(0, 300));
  if (!parsed.ok) return { kind: 'invalid', input: input.slice(0, 80), reason: parsed.reason };
  const bucket = await context.store.bucket(domainBucket(parsed.domain), context.threshold);
  const entry = bucket.find((candidate) => candidate.domain === parsed.domain);
  return entry
    ? { kind: 'listed', domain: parsed.displayDomain, findings: publishedFindings(entry.facts) }
    : { kind: 'not-listed', domain: parsed.displayDomain };
}

/** `GET /`: the public page. */
export function pageRoute(app: FastifyInstance, context: CollectorContext, stats: StatsCache): void {
  app.get<{ Querystring: { domain?: string } }>(
    '/',
    {
      config: { rateLimit: context.rateLimits.reads },
      schema: {
        querystring: {
          type: 'object',
          properties: { domain: { type: 'string', maxLength: 300 } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const asked = request.query.domain?.trim();
      const listed = asked ? await lookUpListed(context, asked) : undefined;
      const html = statsPage(await stats.get(), listed);
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .header(
          'cache-control',
          // An answer about one domain is nobody else's business: not kept by shared caches.
          listed ? 'private, no-store' : `public, max-age=${Math.ceil(context.statsCacheMs / 1000)}`,
        )
        .send(html);
    },
  );
}
