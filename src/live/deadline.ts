/** The time allowed ran out: carried as the reason of a {@link Deadline}'s signal. */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * A time limit with a timer of its own, cut short when a parent signal aborts. Used instead of
 * `AbortSignal.any([AbortSignal.timeout(ms), parent])`, which on Node 20 can stop firing after a
 * garbage collection (nodejs/node issue 57736), turning "4 s" into "until the server hangs up".
 * `dispose()` clears the timer and the parent listener: call it when the operation is done, so that
 * a long-lived parent (the collector's) does not collect a listener per operation.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly parent: AbortSignal | undefined;
  private readonly onParentAbort = (): void => this.controller.abort(this.parent?.reason);

  constructor(
    readonly ms: number,
    parent?: AbortSignal,
  ) {
    this.parent = parent;
    this.timer = setTimeout(() => this.controller.abort(new DeadlineExceeded(ms)), Math.max(0, ms));
    if (parent?.aborted) this.controller.abort(parent.reason);
    else parent?.addEventListener('abort', this.onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether it ended because the time ran out (not because the parent aborted). */
  get expired(): boolean {
    return this.controller.signal.reason instanceof DeadlineExceeded;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }
}

/** Runs `task` under a fresh deadline and disposes it afterwards, whatever happens. */
export async function withDeadline<T>(
  ms: number,
  parent: AbortSignal | undefined,
  task: (signal: AbortSignal, deadline: Deadline) => Promise<T>,
): Promise<T> {
  const deadline = new Deadline(ms, parent);
  try {
    return await task(deadline.signal, deadline);
  } finally {
    deadline.dispose();
  }
}
