/** Why a {@link DeadlineSignals} signal aborted: its time was up. */
export const DEADLINE_PASSED = Symbol('deadline passed');

type Timer = ReturnType<typeof setTimeout>;

/**
 * Node's `events` module where there is one (not in a browser): a shared signal is listened to by
 * every request in its slot, and fetch implementations (undici) add a listener each.
 */
const nodeEvents = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:events') as typeof import('node:events') | undefined;

/** Node's timers can be told not to keep the process alive; a browser's are plain numbers. */
function unref(timer: Timer): void {
  (timer as { unref?: () => void }).unref?.();
}

/**
 * Abort signals that fire at a deadline, shared by every request whose deadline falls in the same
 * short slot. A controller and a timer per question cost more CPU than the rest of a DoH request
 * (Node's AbortController alone is several microseconds and garbage); one per slot costs nothing
 * measurable, at the price of a request getting up to one slot more than its time limit.
 *
 * Callers pair {@link begin} with {@link end}: while any request runs, the process stays alive;
 * after the last one, the slots' timers no longer hold a finished command open.
 */
export class DeadlineSignals {
  private readonly slots = new Map<number, AbortSignal>();
  private running = 0;
  private keepAlive: Timer | undefined;

  /** @param slotMs how finely deadlines are told apart: a request may run this much over its limit. */
  constructor(private readonly slotMs: number) {
    if (!(slotMs > 0)) throw new RangeError(`the slot must be longer than 0 ms, not ${slotMs}`);
  }

  /** A request starts: a signal that aborts (reason {@link DEADLINE_PASSED}) no earlier than `timeoutMs` from now. */
  begin(timeoutMs: number): AbortSignal {
    this.running += 1;
    if (this.keepAlive === undefined) this.keepAlive = setInterval(() => undefined, 2 ** 30);
    const now = Date.now();
    const slot = Math.ceil((now + timeoutMs) / this.slotMs);
    let signal = this.slots.get(slot);
    if (!signal) {
      const controller = new AbortController();
      signal = controller.signal;
      nodeEvents?.setMaxListeners(0, signal);
      this.slots.set(slot, signal);
      const timer = setTimeout(
        () => {
          this.slots.delete(slot);
          controller.abort(DEADLINE_PASSED);
        },
        slot * this.slotMs - now,
      );
      unref(timer);
    }
    return signal;
  }

  /** A request begun with {@link begin} is over, however it ended. */
  end(): void {
    this.running -= 1;
    if (this.running === 0 && this.keepAlive !== undefined) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    }
  }
}

/** Whether `signal` aborted because its deadline passed (not because someone cancelled). */
export function deadlinePassed(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason === DEADLINE_PASSED;
}
