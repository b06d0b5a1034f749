/**
 * Run as `node --expose-gc build/test/support/gc-timeout-probe.js`: a live check of a silent
 * server on loopback with a garbage collection forced every 50 ms, in a process of its own (as
 * the collector and the CLI run), printing what it measured as JSON. The timers that Node 20's
 * `AbortSignal.any` + `AbortSignal.timeout` lose after a collection (nodejs/node issue 57736)
 * would make this hang; ours must end it on time.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { buildVerdict } from '../../src/core/verdict';
import type { DnsQuerier } from '../../src/dns/querier';
import { AddressPolicy } from '../../src/live/address-policy';
import { LiveChecker } from '../../src/live/live-checker';

const LIMIT_MS = 1000;

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  const instant: DnsQuerier = {
    query: async (name, type) => ({
      type: 'response',
      flags: 0,
      rcode: 'NOERROR',
      endpoint: 'stub',
      questions: [{ name, type, class: 'IN' }],
      answers: type === 'A' ? [{ name, type: 'A', class: 'IN', ttl: 60, data: '127.0.0.1' }] : [],
    }),
  };
  const checker = new LiveChecker({
    resolver: instant,
    timeoutMs: LIMIT_MS,
    policy: new AddressPolicy({ allowPrivate: true, ports: { sip: 'any', xmpp: 'any' } }),
  });
  const target = { target: 'silent.test', port, priority: 0, weight: 0 };
  const verdict = buildVerdict(
    { domain: 'silent.test', displayDomain: 'silent.test' },
    {
      '_sipfederationtls._tcp': { status: 'found', targets: [target] },
      '_xmpp-server._tcp': { status: 'found', targets: [target] },
    },
  );
  const collecting = setInterval(gc, 50);
  const started = performance.now();
  const [checked] = await checker.check([verdict]);
  const took = performance.now() - started;
  clearInterval(collecting);
  for (const socket of sockets) socket.destroy();
  server.close();
  process.stdout.write(
    JSON.stringify({
      limitMs: LIMIT_MS,
      took,
      sip: checked?.records['_sipfederationtls._tcp']?.targets[0]?.live,
      xmpp: checked?.records['_xmpp-server._tcp']?.targets[0]?.live,
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error)?.stack ?? error));
  process.exit(1);
});
