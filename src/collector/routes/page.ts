import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../context';
import type { PublishedStats, StatsCache } from '../statistics';

const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:46rem;padding:1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem;margin:0 0 .25rem}p.lead{margin-top:0;color:#444}
table{border-collapse:collapse;width:100%;margin:1.5rem 0}th,td{padding:.45rem .5rem;text-align:left;vertical-align:middle}
tbody tr{border-top:1px solid #ddd}.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.chart{width:30%}th[scope=row]{width:38%}svg{display:block;width:100%;height:.9rem}.track{fill:#e6e6e6}.bar{fill:#0f6cbd}
footer{margin-top:2rem;color:#555;font-size:.9rem}a{color:#0f548c}
@media (prefers-color-scheme:dark){body{background:#1f1f1f;color:#eee}p.lead,footer{color:#bbb}tbody tr{border-color:#444}.track{fill:#3a3a3a}.bar{fill:#479ef5}a{color:#62abf5}}
`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
/** Nothing runs on the page; its one style block is allowed by hash. */
const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function bar(share: number, label: string): string {
  const width = Math.max(0, Math.min(100, share));
  return `<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${escape(label)}"><rect class="track" width="100" height="10"/><rect class="bar" width="${width}" height="10"/></svg>`;
}

function row(name: string, count: number, share: number, of: string): string {
  const words = `${share}% ${of}`;
  return `<tr><th scope="row">${escape(name)}</th><td class="n">${count.toLocaleString('en')}</td><td class="n">${escape(words)}</td><td class="chart">${bar(share, words)}</td></tr>`;
}

/** The statistics as a page that needs no JavaScript: numbers, shares and bars drawn in SVG. */
export function statsPage(stats: PublishedStats): string {
  const p = stats.percent;
  const asOf =
    stats.asOf === null ? 'nothing published yet' : `as of ${stats.asOf.slice(0, 16).replace('T', ' ')} UTC`;
  const rows = [
    row('Lync / Skype for Business / Teams federation', stats.lyncFederation, p.lyncFederation, 'of domains'),
    row('XMPP federation', stats.xmppFederation, p.xmppFederation, 'of domains'),
    row('Both Lync and XMPP federation', stats.lyncAndXmpp, p.lyncAndXmpp, 'of Lync-federated'),
    row('XMPP client access', stats.xmppClientAccess, p.xmppClientAccess, 'of domains'),
    row('Lync federation through Microsoft 365', stats.microsoft365, p.microsoft365, 'of Lync-federated'),
    row('Lync federation from an on-premises edge', stats.onPremises, p.onPremises, 'of Lync-federated'),
    row(
      'Lync edge answering when checked',
      stats.lyncEdgeAnswering,
      p.lyncEdgeAnswering,
      'of Lync-federated',
    ),
    row(
      'XMPP server answering when checked',
      stats.xmppEdgeAnswering,
      p.xmppEdgeAnswering,
      'of XMPP-federated',
    ),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Who Can Federate: federation directory statistics</title><style>${STYLE}</style></head>
<body><main>
<h1>Who Can Federate</h1>
<p class="lead">Of <strong>${stats.domains.toLocaleString('en')}</strong> domains shared by users and verified by this service (${escape(asOf)}):</p>
<table><thead><tr><th scope="col">Capability</th><th scope="col" class="n">Domains</th><th scope="col" class="n">Share</th><th scope="col">Chart</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p>Every domain is checked by this service itself over DNS, and the server behind each record is contacted to see whether it still answers; a domain is counted and published only after at least ${stats.threshold} different people reported it, and drops out when its records go.</p>
<p>Data: <a href="/v1/stats">statistics (JSON)</a> · directory of <a href="/v1/domains?capability=lync&amp;format=csv">Lync-federated</a>, <a href="/v1/domains?capability=xmpp&amp;format=csv">XMPP-federated</a> and <a href="/v1/domains?format=csv">all</a> domains (CSV) · <a href="/v1/domains">directory (JSON)</a></p>
</main>
<footer>Reports carry domain names and record names only. This service stores no addresses, user agents or request identifiers. Reports are written in shuffled batches beside unrelated rows, so the files do not say which domains arrived together.</footer>
</body></html>
`;
}

/** `GET /`: the public page. */
export function pageRoute(app: FastifyInstance, context: CollectorContext, stats: StatsCache): void {
  app.get('/', { config: { rateLimit: context.rateLimits.reads } }, async (_request, reply) => {
    const html = statsPage(await stats.get());
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('cache-control', `public, max-age=${Math.ceil(context.statsCacheMs / 1000)}`)
      .send(html);
  });
}
