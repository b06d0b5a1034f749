/**
 * How often collected verdicts are drawn: often enough to look live, rarely enough that redrawing
 * (filters and counts over every row) does not compete with the answers themselves. Grows with the
 * number of domains: 150 ms for a message's people, 650 ms for 2,000 domains, at most a second.
 */
export function flushInterval(domains: number): number {
  return Math.min(1000, 150 + Math.floor(domains / 4));
}

/** The timer functions a schedule uses: the window's, or a test's. */
export interface DrawTimers {
  setInterval: (run: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const WINDOW_TIMERS: DrawTimers = {
  setInterval: (run, ms) => setInterval(run, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A running schedule: `now()` asks for a draw on the next tick, `stop()` ends it (no draw after). */
export interface DrawSchedule {
  now(): void;
  stop(): void;
}

/**
 * Draws every `intervalMs`, and at once when asked: the moment the last answer comes in is the
 * moment a person is waiting for, so it should not wait for the interval's next tick (up to 650 ms
 * for 2,000 domains). Requests for a draw within one tick become one draw.
 */
export function scheduleDraws(
  draw: () => void,
  intervalMs: number,
  timers: DrawTimers = WINDOW_TIMERS,
): DrawSchedule {
  let soon: unknown;
  let stopped = false;
  const interval = timers.setInterval(draw, intervalMs);
  return {
    now() {
      if (stopped || soon !== undefined) return;
      soon = timers.setTimeout(() => {
        soon = undefined;
        if (!stopped) draw();
      }, 0);
    },
    stop() {
      stopped = true;
      timers.clearInterval(interval);
      if (soon !== undefined) timers.clearTimeout(soon);
    },
  };
}
