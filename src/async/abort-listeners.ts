/** Callbacks waiting on each signal, behind one real listener per signal. */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` once when `signal` aborts; returns the function that stops waiting. Thousands
 * of requests wait on a few shared signals (a run's cancel, a time-limit slot): one listener per
 * signal, fanning out, keeps adding and removing a waiter to a Set's cost, and no signal collects a
 * listener per request (which Node warns about past 10).
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = waiting.get(signal);
  if (!callbacks) {
    const created = new Set<() => void>();
    callbacks = created;
    waiting.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        waiting.delete(signal);
        for (const waiter of [...created]) waiter();
      },
      { once: true },
    );
  }
  const set = callbacks;
  set.add(callback);
  return () => {
    set.delete(callback);
  };
}
