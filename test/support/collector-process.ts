import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-root';

/** The compiled collector, as `npm run collector` starts it. */
export const COLLECTOR_MAIN = join(projectRoot(), 'build/src/collector/main.js');

export interface CollectorProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Everything it printed so far. */
  output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * Starts the built collector in a process of its own on a free loopback port, with only the
 * given environment (and PATH), and waits until it says where it listens.
 */
export async function startCollectorProcess(env: Record<string, string>): Promise<CollectorProcess> {
  if (!existsSync(COLLECTOR_MAIN)) {
    throw new Error(`${COLLECTOR_MAIN} is missing: run "npm run build:node" first (npm test does)`);
  }
  const child = spawn(process.execPath, [COLLECTOR_MAIN], {
    // Microsoft's sign-in service is never asked from tests: a closed loopback port unless a test says otherwise.
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      WCF_ENTRA_URL: 'http://127.0.0.1:9',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the collector did not start:\n${output}`)), 15_000);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the collector exited:\n${output}`));
    });
  });
  return { child, url, output: () => output, exited };
}
