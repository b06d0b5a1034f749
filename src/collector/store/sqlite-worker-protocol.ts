import type { CollectorStore } from './store';
import { StoreError } from './store';

/** The store's methods a worker runs (all but its kind and its in-memory ledger). */
export type RemoteMethod = Exclude<keyof CollectorStore, 'kind' | 'ledger'>;

/** One call to the worker. */
export type StoreCall = {
  [M in RemoteMethod]: { id: number; method: M; args: Parameters<CollectorStore[M]> };
}[RemoteMethod];

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

/** The worker's answer to call `id` (0: the store opened, or why not). */
export type StoreReply = { id: number; result: unknown } | { id: number; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : String(error),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/** The error again on this side: a StoreError stays one (its message says what to fix). */
export function deserializeError(error: SerializedError): Error {
  const revived = error.name === 'StoreError' ? new StoreError(error.message) : new Error(error.message);
  if (error.name !== 'StoreError') revived.name = error.name;
  if (error.code) Object.assign(revived, { code: error.code });
  return revived;
}
