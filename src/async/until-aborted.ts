import { onAbort } from './abort-listeners';

/**
 * Waits for `promise`, or rejects with the signal's reason as soon as it aborts. The promise left
 * behind runs on (its own time limit ends it); its outcome is dropped, never reported as unhandled.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(signal, () => {
      promise.catch(() => undefined);
      reject(signal.reason);
    });
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        reject(error);
      },
    );
  });
}
