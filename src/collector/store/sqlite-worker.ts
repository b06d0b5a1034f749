/**
 * The thread that owns the SQLite connection of {@link SqliteWorkerStore}: it opens the file, then
 * runs each call it is sent, in order, and answers with the result or the error. Everything
 * better-sqlite3 does synchronously (statements, the commit's fsync, the WAL checkpoint) happens
 * here, so the collector's event loop keeps answering requests meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from './sqlite';
import { serializeError, type StoreCall, type StoreReply } from './sqlite-worker-protocol';

const port = parentPort;
if (!port) throw new Error('sqlite-worker.js runs as a worker thread of the collector');

let store: SqliteStore | undefined;
try {
  store = new SqliteStore((workerData as { file: string }).file);
  port.postMessage({ id: 0, result: 'ready' } satisfies StoreReply);
} catch (error) {
  port.postMessage({ id: 0, error: serializeError(error) } satisfies StoreReply);
}

port.on('message', (call: StoreCall) => {
  const opened = store;
  if (!opened) return;
  // (The store's methods are typed one by one; a call names one of them with its own arguments.)
  const method = opened[call.method] as (...args: unknown[]) => Promise<unknown>;
  method.apply(opened, call.args).then(
    (result) => port.postMessage({ id: call.id, result } satisfies StoreReply),
    (error: unknown) => port.postMessage({ id: call.id, error: serializeError(error) } satisfies StoreReply),
  );
});
