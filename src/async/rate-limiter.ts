import { systemClock, type Clock } from './clock';

/**
 * Spaces questions out to at most `perSecond` a second, however many are in flight: each takes the
 * next free slot on an evenly spaced timeline (no bursts after a pause, no drift under load).
 */
export class RateLimiter {
  private next = 0;
  private readonly gapMs: number;

  constructor(
    readonly perSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(perSecond > 0)) throw new RangeError(`the rate must be above 0 a second, not ${perSecond}`);
    this.gapMs = 1000 / perSecond;
  }

  /** Waits for this question's slot; rejects with the signal's reason if it aborts first. */
  take(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const at = Math.max(now, this.next);
    this.next = at + this.gapMs;
    const wait = at - now;
    return wait < 1 ? Promise.resolve() : this.clock.sleep(wait, signal);
  }
}
