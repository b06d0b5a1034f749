import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../support/project-root';
import { UNBOUND } from '../support/unbound';

// The benchmark itself is run small, so that it keeps working; its figures are not judged here
// (machines are noisy), only that every row is there and nothing was lost.
const DNSPERF = existsSync('/usr/bin/dnsperf');
const run = (UNBOUND && DNSPERF) || process.env.CI ? describe : describe.skip;
if (!(UNBOUND && DNSPERF) && !process.env.CI) {
  process.stderr.write('Resolver benchmark test skipped: apt-get install unbound dnsperf to run it\n');
}

run('npm run bench:resolver (small)', () => {
  test('prints dnsperf, the CLI, the warm core, the floor and the core’s own work, with CPU per question, none lost', async () => {
    const script = join(projectRoot(), 'build', 'bench', 'resolver-bench.js');
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, BENCH_RESOLVER_DOMAINS: '150' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toMatch(/150 domains × 7 records = 1050 questions to Unbound \d/);
    for (const row of [
      'dnsperf -m doh',
      'who-can-federate check',
      'lookup core in one',
      'floor:',
      'without the network',
    ]) {
      expect(stdout).toMatch(new RegExp(`${row}.*\\d+\\.\\d{3} ms\\s+[\\d.]+×\\s+0\\n`));
    }
  }, 120_000);
});
