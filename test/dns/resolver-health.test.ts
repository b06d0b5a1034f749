import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DohClient } from '../../src/dns/doh-client';
import { DnsUnreachableError } from '../../src/dns/errors';
import { startDohServer, type DohServer } from '../support/doh-server';

let silent: Server;
let silentUrl = '';
const sockets = new Set<Socket>();
let working: DohServer;
beforeAll(async () => {
  silent = createServer(() => undefined);
  silent.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/dns-query`;
  working = await startDohServer({ zone: { 'a.example': { MX: [{ exchange: 'mx.a.example' }] } } });
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  await working.close();
});

const questions = (client: DohClient, n: number) =>
  Promise.allSettled(Array.from({ length: n }, (_, i) => client.query(`q${i}.example`, 'MX')));

describe('the resolver health check', () => {
  it('gives up on a resolver that answers nothing, at once for every question waiting and to come', async () => {
    const client = new DohClient({
      endpoints: [silentUrl],
      timeoutMs: 200,
      retries: 2,
      backoffMs: 10,
      maxInFlightPerEndpoint: 64,
    });
    const started = Date.now();
    const results = await questions(client, 200);
    expect(Date.now() - started).toBeLessThan(1500); // one time limit, not 200 × 3
    expect(client.unreachable).toBe(true);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(DnsUnreachableError);
    }
    const later = Date.now();
    await expect(client.query('later.example', 'MX')).rejects.toBeInstanceOf(DnsUnreachableError);
    expect(Date.now() - later).toBeLessThan(150); // refused at once: asking would take 200 ms or more
  });

  it('probes again after giving up, and gives up at the first silent question', async () => {
    const client = new DohClient({ endpoints: [silentUrl], timeoutMs: 200, retries: 0 });
    await questions(client, 20);
    expect(client.unreachable).toBe(true);
    client.probeAgain();
    expect(client.unreachable).toBe(false);
    const started = Date.now();
    await questions(client, 64);
    expect(client.unreachable).toBe(true);
    expect(Date.now() - started).toBeLessThan(1200); // one time limit (200 ms), not 64
  });

  it('never gives up on a resolver that answers, even with errors', async () => {
    const failing = await startDohServer({ zone: {}, httpStatus: 503 });
    try {
      const client = new DohClient({ endpoints: [failing.url], timeoutMs: 500, retries: 0 });
      await questions(client, 40);
      expect(client.unreachable).toBe(false);
    } finally {
      await failing.close();
    }
  });

  it('fails over from a silent resolver to one that answers, without giving up', async () => {
    const client = new DohClient({
      endpoints: [silentUrl, working.url],
      // Long enough that the working resolver answers 40 questions at once within it on a loaded CI
      // machine (at 200 ms it once timed out 12 in a row there, and the client rightly gave up).
      timeoutMs: 1500,
      retries: 1,
      backoffMs: 5,
    });
    const results = await questions(client, 40);
    expect(client.unreachable).toBe(false);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
  });
});
