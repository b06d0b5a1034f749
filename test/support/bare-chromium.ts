import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM, chromiumArgs, startOfficeCdn } from './browser';
import { loopbackCertificate } from './certificates';

/** A page driven over Chromium's bare DevTools pipe with Runtime only: nothing observes its network. */
export interface BarePage {
  /** Evaluates an expression in the page (awaiting a promise) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Any DevTools method in the page's session (`Profiler.start`…), for a look inside a timed run. */
  send<T>(method: string, params?: object): Promise<T>;
}

export interface BareChromium {
  open(url: string): Promise<BarePage>;
  close(): Promise<void>;
}

/**
 * Chromium over `--remote-debugging-pipe`, using only the Target and Runtime domains. Playwright
 * turns the Network domain on for every page, which adds six DevTools events per request and about
 * doubles Chromium's CPU per fetch; Outlook runs no Playwright, so timings are taken this way.
 */
export async function startBareChromium(): Promise<BareChromium> {
  const cdn = await startOfficeCdn(await loopbackCertificate());
  const profile = mkdtempSync(join(tmpdir(), 'wcf-chromium-'));
  const child: ChildProcess = spawn(
    CHROMIUM,
    [
      ...chromiumArgs(cdn.port),
      '--remote-debugging-pipe',
      '--ignore-certificate-errors', // the local servers' throw-away certificate
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    // A process group of its own, so that closing ends its helper processes too.
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let buffer = '';
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
      const message = JSON.parse(buffer.slice(0, end)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      buffer = buffer.slice(end + 1);
      const pending = message.id === undefined ? undefined : waiting.get(message.id);
      if (!pending) continue;
      waiting.delete(message.id as number);
      if (message.error) pending.reject(new Error(message.error.message));
      else pending.resolve(message.result);
    }
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  return {
    async open(url) {
      const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', {
        targetId,
        flatten: true,
      });
      const evaluate = async <T>(expression: string): Promise<T> => {
        const reply = await send<{
          result: { value?: unknown };
          exceptionDetails?: { text: string; exception?: { description?: string } };
        }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
        if (reply.exceptionDetails) {
          throw new Error(reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text);
        }
        return reply.result.value as T;
      };
      await evaluate(`location.href = ${JSON.stringify(url)}`);
      for (let i = 0; i < 400; i += 1) {
        const ready = await evaluate<boolean>(
          `location.href === ${JSON.stringify(url)} && document.readyState === 'complete'`,
        ).catch(() => false);
        if (ready) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { evaluate, send: (method, params) => send(method, params ?? {}, sessionId) };
    },
    async close() {
      const exited = new Promise((resolve) =>
        child.exitCode !== null || child.signalCode !== null
          ? resolve(undefined)
          : child.once('exit', resolve),
      );
      // Closed as a person would (the pane flushes its storage on the way out), then its whole group.
      await Promise.race([send('Browser.close'), new Promise((resolve) => setTimeout(resolve, 5000))]).catch(
        () => undefined,
      );
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group has already gone: nothing left to end.
      }
      await exited;
      await cdn.close();
      rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    },
  };
}
