/**
 * The benchmark's ceiling: a plain Node HTTP server that reads a report, parses it and answers 202,
 * storing nothing. What the collector reaches against it is the cost of validation and storage.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const report = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { domains: unknown[] };
    response.writeHead(202, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ accepted: report.domains.length, ignored: [] }));
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stderr.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
