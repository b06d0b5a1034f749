import { onAbort } from '../../src/async/abort-listeners';
import { untilAborted } from '../../src/async/until-aborted';

describe('onAbort', () => {
  it('puts one listener on a signal however many wait, and calls only those still waiting', () => {
    const controller = new AbortController();
    let added = 0;
    const addEventListener = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      added += 1;
      addEventListener(...args);
    }) as AbortSignal['addEventListener'];
    const called: number[] = [];
    const stops = Array.from({ length: 100 }, (_, i) => onAbort(controller.signal, () => called.push(i)));
    for (const stop of stops.slice(0, 98)) stop();
    controller.abort();
    expect(added).toBe(1);
    expect(called).toEqual([98, 99]);
  });
});

describe('untilAborted', () => {
  it('rejects with the reason when the signal aborts first, and drops what the promise does later', async () => {
    const controller = new AbortController();
    let fail: (error: Error) => void = () => undefined;
    const slow = new Promise<string>((_, reject) => (fail = reject));
    const waiting = untilAborted(slow, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    fail(new Error('too late')); // must not surface as an unhandled rejection
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('passes the promise through when the signal never aborts', async () => {
    await expect(untilAborted(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
  });
});
