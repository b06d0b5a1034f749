import { getEventListeners, setMaxListeners } from 'node:events';
import { Limiter } from '../../src/async/limiter';

describe('Limiter', () => {
  it('never lets more than its limit run at once, and serves waiters in order', async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          order.push(i);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(limiter.inFlight).toBe(0);
  });

  it('lets an aborted waiter leave the queue', async () => {
    const limiter = new Limiter(1);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    limiter.release();
    expect(limiter.inFlight).toBe(0);
  });

  it('leaves no abort listener behind on a long-lived signal, after 10,000 jobs', async () => {
    const limiter = new Limiter(4);
    const lifelong = new AbortController();
    setMaxListeners(20_000, lifelong.signal); // while they wait, each waiter listens: that is expected
    await Promise.all(
      Array.from({ length: 10_000 }, () => limiter.run(() => Promise.resolve(), lifelong.signal)),
    );
    expect(getEventListeners(lifelong.signal, 'abort')).toHaveLength(0);
  });

  it('refuses a nonsensical limit', () => {
    expect(() => new Limiter(0)).toThrow(RangeError);
  });
});
