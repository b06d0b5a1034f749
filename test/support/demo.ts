import { setMaxListeners } from 'node:events';
import { main } from '../../src/cli/main';
import { startDohServer } from './doh-server';
import { startEntraStandIn } from './entra-server';
import { FIXTURE_ZONE } from './fixture-zone';

/**
 * `npm run demo`: the CLI end to end on a machine without internet. Starts the fixture DoH resolver
 * on 127.0.0.1 (40 ms latency, like a public resolver) and checks examples/fixture-addresses.txt
 * against it, and a stand-in of Microsoft's sign-in service (plain.test: a tenant whose DNS shows no
 * Microsoft 365 at all, which only Entra ID discovery finds); extra arguments go to the CLI (e.g. `npm run demo -- --format json`).
 */
async function demo(): Promise<void> {
  const server = await startDohServer({ zone: FIXTURE_ZONE, latencyMs: 40 });
  const entra = await startEntraStandIn({ 'plain.test': { tenant: 'commercial' } });
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  const extra = process.argv.slice(2);
  const hasFormat = extra.some((arg) => arg.startsWith('--format'));
  try {
    process.exitCode = await main(
      [
        'check',
        'examples/fixture-addresses.txt',
        '--doh',
        server.url,
        '--timeout',
        '1000',
        '--summary',
        ...(hasFormat ? [] : ['--format', 'table']),
        ...extra,
      ],
      {
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        env: { WCF_ENTRA_URL: entra.url },
        signal: controller.signal,
      },
    );
  } finally {
    await entra.close();
    await server.close();
  }
}

void demo();
