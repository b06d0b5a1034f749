import type { Clock } from '../../src/async/clock';
import { RateLimiter } from '../../src/async/rate-limiter';

/** A clock whose sleeps are recorded and return at once, time moving by what was slept. */
function manualClock(): Clock & { slept: number[] } {
  const now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
  };
}

describe('RateLimiter', () => {
  it('spaces questions evenly, however many ask at once, and does not burst after a pause', async () => {
    const clock = manualClock();
    const rate = new RateLimiter(10, clock); // 100 ms apart
    await Promise.all(Array.from({ length: 5 }, () => rate.take()));
    expect(clock.slept).toEqual([100, 200, 300, 400]);
    expect(() => new RateLimiter(0)).toThrow(RangeError);
  });
});
