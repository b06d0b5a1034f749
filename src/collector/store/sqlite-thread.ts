import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MemoryLedger, type LimitLedger } from '../limit-ledger';
import {
  deserializeError,
  type RemoteMethod,
  type StoreCall,
  type StoreReply,
} from './sqlite-worker-protocol';
import {
  StoreError,
  type CollectorStore,
  type DirectoryEntry,
  type DirectoryQuery,
  type DomainFacts,
  type DueDomain,
  type FoldOptions,
  type FoldResult,
  type ReportBatch,
  type StatsCounts,
  type StoredDomain,
} from './store';

/** The compiled worker beside this file (build/src/collector/store/sqlite-worker.js). */
const DEFAULT_WORKER = join(__dirname, 'sqlite-worker.js');

/**
 * The SQLite store on a thread of its own: the same store ({@link SqliteStore}, the same file and
 * guarantees: a call resolves once its write is durable), but better-sqlite3's synchronous work, the
 * commit's fsync and the WAL checkpoint after every fold, no longer stop the event loop, which
 * keeps reading and answering requests meanwhile. Calls run in the order they are made. The
 * collector uses it; tests of the store itself use {@link SqliteStore} directly.
 */
export class SqliteThreadStore implements CollectorStore {
  readonly kind = 'sqlite';
  private readonly memory = new MemoryLedger();
  private readonly waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: StoreReply) => {
      const pending = this.waiting.get(reply.id);
      if (!pending) return;
      this.waiting.delete(reply.id);
      if ('error' in reply) pending.reject(deserializeError(reply.error));
      else pending.resolve(reply.result);
    });
    const fail = (error: Error): void => {
      this.failure = new StoreError(`The SQLite thread stopped: ${error.message}`, { cause: error });
      for (const pending of this.waiting.values()) pending.reject(this.failure);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`it exited with code ${code}`)));
  }

  /** Opens `file` on a new thread; rejects with the store's own error when it cannot. */
  static async open(file: string, options: { workerScript?: string } = {}): Promise<SqliteThreadStore> {
    const worker = new Worker(options.workerScript ?? DEFAULT_WORKER, { workerData: { file } });
    const store = new SqliteThreadStore(worker);
    try {
      await new Promise<void>((resolve, reject) => {
        store.waiting.set(0, { resolve: () => resolve(), reject });
      });
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return store;
  }

  private call<M extends RemoteMethod>(
    method: M,
    ...args: Parameters<CollectorStore[M]>
  ): Promise<Awaited<ReturnType<CollectorStore[M]>>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } as StoreCall);
    });
  }

  migrate(): Promise<void> {
    return this.call('migrate');
  }
  addReport(domains: readonly string[], day: string): Promise<void> {
    return this.call('addReport', domains, day);
  }
  addBatch(batch: ReportBatch): Promise<void> {
    return this.call('addBatch', batch);
  }
  journal(batch: ReportBatch): Promise<void> {
    return this.call('journal', batch);
  }
  foldJournal(options: FoldOptions): Promise<FoldResult> {
    return this.call('foldJournal', options);
  }
  existing(domains: readonly string[]): Promise<Set<string>> {
    return this.call('existing', domains);
  }
  seen(key: string): Promise<boolean> {
    return this.call('seen', key);
  }
  claimDue(now: number, limit: number, leaseMs: number): Promise<DueDomain[]> {
    return this.call('claimDue', now, limit, leaseMs);
  }
  saveCheck(domain: string, facts: DomainFacts, nextCheckAt: number, absentChecks?: number): Promise<void> {
    return this.call('saveCheck', domain, facts, nextCheckAt, absentChecks);
  }
  deleteDomain(domain: string): Promise<void> {
    return this.call('deleteDomain', domain);
  }
  saveFacts(domain: string, facts: DomainFacts): Promise<void> {
    return this.call('saveFacts', domain, facts);
  }
  stats(threshold: number): Promise<StatsCounts> {
    return this.call('stats', threshold);
  }
  directory(query: DirectoryQuery): Promise<DirectoryEntry[]> {
    return this.call('directory', query);
  }
  bucket(prefix: string, threshold: number): Promise<DirectoryEntry[]> {
    return this.call('bucket', prefix, threshold);
  }
  describe(domain: string): Promise<StoredDomain | undefined> {
    return this.call('describe', domain);
  }
  pendingCount(): Promise<number> {
    return this.call('pendingCount');
  }
  ping(): Promise<void> {
    return this.call('ping');
  }
  health(): Promise<void> {
    return this.call('health');
  }
  maintain(oldestDay: string): Promise<void> {
    return this.call('maintain', oldestDay);
  }
  /** One process: its per-address counts live in memory, on this side. */
  ledger(): LimitLedger {
    return this.memory;
  }
  async close(): Promise<void> {
    await this.call('close');
    await this.worker.terminate();
  }
}
