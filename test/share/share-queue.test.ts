import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReportedDomain } from '../../src/core/report';
import {
  ShareQueue,
  type PendingStore,
  type ShareFetch,
  type ShareState,
  type Timers,
} from '../../src/share/share-queue';
import { startTestCollector, type TestCollector } from '../support/collector-app';
import { storeKinds, type TestStore } from '../support/collector-stores';

class MemoryPending implements PendingStore {
  text: string | undefined;
  read = () => this.text;
  write = (text: string) => {
    this.text = text;
  };
  remove = () => {
    this.text = undefined;
  };
}

/** Timers the test fires by hand. */
class ManualTimers implements Timers {
  scheduled = new Map<number, { callback: () => void; ms: number }>();
  private next = 1;
  set = (callback: () => void, ms: number) => {
    const id = this.next++;
    this.scheduled.set(id, { callback, ms });
    return id;
  };
  clear = (handle: unknown) => {
    this.scheduled.delete(handle as number);
  };
  /** The one waiting timer's delay. */
  get waitingMs(): number | undefined {
    return [...this.scheduled.values()][0]?.ms;
  }
  fire(): void {
    const all = [...this.scheduled.entries()];
    this.scheduled.clear();
    for (const [, timer] of all) timer.callback();
  }
}

const sip = (domain: string): ReportedDomain => ({ domain, records: ['_sipfederationtls._tcp'] });

let t: TestStore;
let collector: TestCollector;
beforeEach(async () => {
  t = await (storeKinds()[0] as ReturnType<typeof storeKinds>[0]).create();
  collector = await startTestCollector(t.store);
});
afterEach(async () => {
  await collector.close();
  await t.dispose();
});

function queue(
  options: { url?: string; pending?: MemoryPending; timers?: ManualTimers; fetch?: ShareFetch } = {},
) {
  const states: ShareState[] = [];
  const timers = options.timers ?? new ManualTimers();
  const pending = options.pending ?? new MemoryPending();
  const q = new ShareQueue({
    collectorUrl: options.url ?? collector.url,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    store: pending,
    delay: { minMs: 120_000, maxMs: 900_000 },
    retry: { firstMs: 60_000, maxMs: 3_600_000 },
    random: () => 0.5,
    timers,
    onState: (state) => states.push(state),
  });
  return { q, states, timers, pending };
}

/** Waits for the send the last fired timer started. */
const settled = (q: ShareQueue) => q.sendNow();

test('waits a random delay, then sends the batch; nothing is left pending', async () => {
  const { q, timers, states, pending } = queue();
  q.add([sip('contoso.test'), sip('fabrikam.test')]);
  q.add([{ domain: 'fabrikam.test', records: ['_xmpp-server._tcp'] }]);
  expect(timers.waitingMs).toBe(510_000);
  expect(timers.scheduled.size).toBe(1);
  expect(states.at(-1)).toMatchObject({ kind: 'waiting', domains: 2 });
  expect(await t.store.pendingCount()).toBe(0);
  expect(JSON.parse(pending.text ?? '')).toEqual({
    v: 1,
    domains: [
      sip('contoso.test'),
      { domain: 'fabrikam.test', records: ['_sipfederationtls._tcp', '_xmpp-server._tcp'] },
    ],
  });
  timers.fire();
  await settled(q);
  expect(states.at(-1)).toMatchObject({ kind: 'sent', domains: 2 });
  expect(await t.store.describe('fabrikam.test')).toMatchObject({ reports: 1 });
  expect(q.pending()).toEqual([]);
  expect(pending.text).toBeUndefined();
});

test('the preview is the exact body that is sent', async () => {
  const bodies: string[] = [];
  const { q, timers } = queue({
    fetch: (url, init) => {
      bodies.push(init.body);
      return fetch(url, init);
    },
  });
  q.add([sip('b.test'), sip('a.test')]);
  const preview = q.previewBodies();
  timers.fire();
  await settled(q);
  expect(bodies).toEqual(preview);
  expect(preview).toEqual([
    '{"domains":[{"domain":"a.test","records":["_sipfederationtls._tcp"]},{"domain":"b.test","records":["_sipfederationtls._tcp"]}]}',
  ]);
});

test('requests carry the report and nothing that identifies anyone', async () => {
  const seen: Record<string, string | string[] | undefined>[] = [];
  const spy = createServer((request, response) => {
    seen.push(request.headers);
    request.resume();
    request.on('end', () =>
      response.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1,"ignored":[]}'),
    );
  });
  await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
  let init: Parameters<ShareFetch>[1] | undefined;
  const { q, timers } = queue({
    url: `http://127.0.0.1:${(spy.address() as AddressInfo).port}`,
    fetch: (url, options) => {
      init = options;
      return fetch(url, options);
    },
  });
  q.add([sip('a.test')]);
  timers.fire();
  await settled(q);
  spy.close();
  expect(init).toMatchObject({
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    },
  });
  expect(seen).toHaveLength(1);
  expect(seen[0]?.cookie).toBeUndefined();
  expect(seen[0]?.authorization).toBeUndefined();
  expect(seen[0]?.referer).toBeUndefined();
});

test('a collector that cannot be reached keeps everything and retries with back-off', async () => {
  const pending = new MemoryPending();
  const timers = new ManualTimers();
  const down = queue({ url: 'http://127.0.0.1:9', pending, timers });
  down.q.add([sip('contoso.test')]);
  timers.fire();
  await settled(down.q);
  expect(down.states.at(-1)).toMatchObject({
    kind: 'failed',
    domains: 1,
    message: expect.stringContaining('could not be reached'),
  });
  expect(timers.waitingMs).toBe(60_000);
  timers.fire();
  await settled(down.q);
  expect(timers.waitingMs).toBe(120_000);
  expect(JSON.parse(pending.text ?? '').domains).toEqual([sip('contoso.test')]);

  // The pane closes; next time it opens, the pending domains are sent to a collector that answers.
  down.q.stop();
  const later = queue({ pending, timers: new ManualTimers() });
  later.q.resume();
  later.timers.fire();
  await settled(later.q);
  expect(later.states.at(-1)).toMatchObject({ kind: 'sent', domains: 1 });
  expect(await t.store.describe('contoso.test')).toMatchObject({ reports: 1 });
});

test('many domains go as several reports within the limits, all accepted', async () => {
  const { q, timers, states } = queue();
  q.add(Array.from({ length: 450 }, (_, i) => sip(`d${i}.test`)));
  timers.fire();
  await settled(q);
  expect(states.at(-1)).toMatchObject({ kind: 'sent', domains: 450 });
  expect(await t.store.pendingCount()).toBe(450);
});

test('turning sharing off forgets what was pending and sends nothing', async () => {
  const { q, timers, pending } = queue();
  q.add([sip('contoso.test')]);
  q.clear();
  expect(timers.scheduled.size).toBe(0);
  expect(pending.text).toBeUndefined();
  expect(q.state).toEqual({ kind: 'idle' });
  await q.sendNow();
  expect(await t.store.pendingCount()).toBe(0);
});

test('a report the collector refuses is dropped, said, and not retried', async () => {
  const { q, timers, states } = queue();
  q.add([sip('Not A Domain')]);
  timers.fire();
  await settled(q);
  expect(states.at(-1)).toMatchObject({
    kind: 'failed',
    retryAt: null,
    message: expect.stringContaining('refused'),
  });
  expect(timers.scheduled.size).toBe(0);
  expect(q.pending()).toEqual([]);
});
