import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { startEntraStandIn, type EntraStandIn } from '../support/entra-server';

/**
 * A corporate network that drops DNS-over-HTTPS: the resolver never answers. The CLI must say so
 * within seconds (exit 3, a hint naming an unreachable resolver, not a slow one), not wait out every
 * question's time limit; Microsoft's sign-in service, still reachable, still finds the tenants.
 */
const DOMAINS = Array.from({ length: 200 }, (_, i) => `org${i}.example`);

let silentHttp: HttpServer;
let silentTcp: Server;
let entra: EntraStandIn;
const sockets = new Set<Socket>();
let httpUrl = '';
let tlsUrl = '';

beforeAll(async () => {
  // Accepts the connection and the request, and never answers.
  silentHttp = createHttpServer(() => undefined);
  silentHttp.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silentHttp.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(silentHttp.address() as AddressInfo).port}/dns-query`;
  // Accepts TCP and never speaks TLS: the connection never completes.
  silentTcp = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silentTcp.listen(0, '127.0.0.1', resolve));
  tlsUrl = `https://127.0.0.1:${(silentTcp.address() as AddressInfo).port}/dns-query`;
  entra = await startEntraStandIn({ 'org7.example': { tenant: 'commercial' } });
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silentHttp.close(resolve));
  await new Promise((resolve) => silentTcp.close(resolve));
  await entra.close();
});

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const started = Date.now();
  const code = await main(argv, {
    stdin: Readable.from([Buffer.from(DOMAINS.join('\n'))]),
    stdout: { write: (t: string) => (stdout += t), isTTY: false },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    env: { WCF_ENTRA_URL: entra.url },
  });
  return { code, stdout, stderr, seconds: (Date.now() - started) / 1000 };
}

describe('a DNS-over-HTTPS resolver that never answers', () => {
  it.each([
    ['accepts requests and never answers', () => httpUrl],
    ['accepts connections and never completes TLS', () => tlsUrl],
  ])(
    '(%s): 200 domains given up within 30 s, exit 3, named unreachable',
    async (_name, url) => {
      const run = await cli(['check', '-', '--doh', url(), '--format', 'ndjson']);
      expect(run.seconds).toBeLessThan(30);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/cannot reach .*: \d+ questions in a row got no answer/);
      expect(run.stderr).toMatch(/the resolver is unreachable, not slow/);
      expect(run.stderr).not.toMatch(/raise --timeout/);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map(
          (line) =>
            JSON.parse(line) as { domain?: string; answer?: string; records?: Record<string, unknown> },
        );
      const verdicts = lines.filter((line) => line.domain);
      expect(verdicts).toHaveLength(200);
      // Never "no": unknown, except the tenant Microsoft's sign-in service still finds.
      expect(verdicts.filter((v) => v.answer === 'no')).toEqual([]);
      expect(verdicts.find((v) => v.domain === 'org7.example')?.answer).toBe('likely');
      expect(verdicts.filter((v) => v.answer === 'unknown')).toHaveLength(199);
      // No details were asked once the resolver was given up: only the records that decide an answer.
      const answerRecords = ['_sipfederationtls._tcp', 'MX', '_xmpp-server._tcp', '_xmpps-server._tcp'];
      for (const verdict of verdicts) {
        expect(Object.keys(verdict.records ?? {}).filter((id) => !answerRecords.includes(id))).toEqual([]);
      }
    },
    60_000,
  );
});
