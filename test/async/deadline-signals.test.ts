import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEADLINE_PASSED, DeadlineSignals, deadlinePassed } from '../../src/async/deadline-signals';
import { startDohServer } from '../support/doh-server';
import { FIXTURE_ZONE } from '../support/fixture-zone';

describe('DeadlineSignals', () => {
  it('aborts a shared signal no earlier than the limit and at most a slot later', async () => {
    const deadlines = new DeadlineSignals(20);
    const started = Date.now();
    const first = deadlines.begin(100);
    const second = deadlines.begin(100);
    expect(second).toBe(first); // same slot: one signal, one timer
    await new Promise<void>((resolve) => first.addEventListener('abort', () => resolve()));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(99);
    expect(elapsed).toBeLessThan(100 + 20 + 200); // a slot, and a loaded machine's timer lag
    expect(first.reason).toBe(DEADLINE_PASSED);
    expect(deadlinePassed(first)).toBe(true);
    deadlines.end();
    deadlines.end();
  });

  it('gives later deadlines a signal of their own', () => {
    const deadlines = new DeadlineSignals(10);
    const soon = deadlines.begin(50);
    const later = deadlines.begin(5000);
    expect(later).not.toBe(soon);
    expect(deadlinePassed(soon)).toBe(false);
    deadlines.end();
    deadlines.end();
  });

  it('refuses a slot that is not positive', () => {
    expect(() => new DeadlineSignals(0)).toThrow(RangeError);
  });

  it('does not hold a finished command open until its time limits run out', async () => {
    // A child process (the built code: npm test builds first) asks one question with a 20 s
    // limit; once answered, it must exit at once.
    const doh = await startDohServer({ zone: FIXTURE_ZONE });
    const built = join(__dirname, '..', '..', 'build', 'src', 'dns');
    const script = `
      const { DohClient } = require(${JSON.stringify(join(built, 'doh-client.js'))});
      const { createNodeFetch } = require(${JSON.stringify(join(built, 'node-fetch.js'))});
      new DohClient({ endpoints: [process.argv[1]], timeoutMs: 20000, fetch: createNodeFetch() })
        .query('_sipfederationtls._tcp.contoso.test', 'SRV')
        .then((answer) => console.log(answer.answers.length));`;
    try {
      const started = Date.now();
      const child = spawn(process.execPath, ['-e', script, doh.url]);
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(status).toBe(0);
      expect(stdout.trim()).toBe('1');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await doh.close();
    }
  });
});
