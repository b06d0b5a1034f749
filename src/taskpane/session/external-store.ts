/**
 * A value that changes and says so: what React's `useSyncExternalStore` reads. The pane's state lives
 * in plain objects like this one (the pane session and its parts), outside React, so its flows can be
 * driven and tested without a browser; components only read snapshots and call commands.
 */
export class ExternalStore<S> {
  private snapshot: S;
  private readonly listeners = new Set<() => void>();

  constructor(initial: S) {
    this.snapshot = initial;
  }

  /** The current snapshot: the same object until something changes (so React can skip a render). */
  readonly getSnapshot = (): S => this.snapshot;

  /** Calls `listener` after every change; returns the unsubscribe. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Replaces the snapshot with a new one made of the old and `patch`, and tells every listener. */
  protected set(patch: Partial<S>): void {
    const changed = (Object.keys(patch) as (keyof S)[]).some((key) => patch[key] !== this.snapshot[key]);
    if (!changed) return;
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}
