/**
 * A counting semaphore: at most `limit` holders at once, waiters served first come, first served.
 * Used to keep questions in flight per resolver under what public resolvers tolerate.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: {
    resolve: () => void;
    reject: (reason: unknown) => void;
    signal?: AbortSignal;
  }[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a whole number ≥ 1, not ${limit}`);
  }

  /** Holders now. */
  get inFlight(): number {
    return this.active;
  }

  /** Waits for a place; rejects with the signal's reason if it aborts while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      // The abort listener lives only while the job waits: a long-lived signal (the collector's)
      // shared by many jobs would otherwise collect one listener per job, forever.
      const onAbort = (): void => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) {
          this.waiting.splice(index, 1);
          reject(signal?.reason);
        }
      };
      const waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
        signal,
      };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Gives a place back, handing it straight to the next waiter. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next.resolve();
    else this.active -= 1;
  }

  /** Runs `task` holding a place. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}
