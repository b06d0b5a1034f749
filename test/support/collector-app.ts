import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildCollector, type CollectorOptions } from '../../src/collector/app';
import { anonymousLogger } from '../../src/collector/logger';
import type { CollectorStore } from '../../src/collector/store/store';

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(public time = Date.UTC(2026, 10, 30, 9)) {}
  now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
  /** Moves to the same hour of the next UTC day. */
  nextDay(): void {
    this.advance(24 * 60 * 60 * 1000);
  }
}

/** A request as the collector received it, for tests that check what clients send. */
export interface ObservedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed body, for routes that have one (filled in once it is parsed). */
  body?: unknown;
}

export interface TestCollector {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every line the collector logged. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The collector over a store, listening on loopback, with its log lines kept for the test to
 * read. It trusts X-Forwarded-For from loopback (as behind a load balancer), so a test can speak
 * for several client addresses.
 */
export async function startTestCollector(
  store: CollectorStore,
  options: Partial<CollectorOptions> & { observe?: (request: ObservedRequest) => void } = {},
): Promise<TestCollector> {
  const logs: string[] = [];
  const { observe, ...collectorOptions } = options;
  const app = await buildCollector({
    store,
    statsCacheMs: 0,
    trustProxy: '127.0.0.1',
    logger: anonymousLogger({ level: 'trace', write: (line) => logs.push(line) }),
    ...collectorOptions,
  });
  if (observe) {
    const observed = new WeakMap<object, ObservedRequest>();
    app.addHook('onRequest', async (request) => {
      const seen: ObservedRequest = {
        method: request.method,
        url: request.url,
        headers: { ...request.headers },
      };
      observed.set(request.raw, seen);
      observe(seen);
    });
    app.addHook('preValidation', async (request) => {
      const seen = observed.get(request.raw);
      if (seen && request.body !== undefined) seen.body = request.body;
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, logs, close: () => app.close() };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: <T>() => JSON.parse(text) as T };
}

/** POSTs a report the way a client does (a string body is sent as it is). */
export async function postReport(
  base: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return answer(
    await fetch(`${base}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

export async function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return answer(await fetch(`${base}${path}`, { headers }));
}
