import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/collector/store/sqlite';
import { SqliteThreadStore } from '../../src/collector/store/sqlite-thread';
import { StoreError } from '../../src/collector/store/store';
import { projectRoot } from '../support/project-root';

/** The compiled worker (npm test builds it before Jest runs). */
const WORKER = join(projectRoot(), 'build/src/collector/store/sqlite-worker.js');

describe('the SQLite store on a thread of its own', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wcf-thread-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers as the store does, in the order asked, and its writes are in the file when they resolve', async () => {
    const file = join(dir, 'collector.sqlite');
    const store = await SqliteThreadStore.open(file, { workerScript: WORKER });
    expect(store.kind).toBe('sqlite');
    await store.migrate();
    const writes = Array.from({ length: 20 }, (_, i) =>
      store.addBatch({
        day: '2026-12-07',
        entries: [{ domain: `d${i % 5}.test`, reports: 1, newReporters: 1 }],
        keys: [`key-${i}`],
        decoys: 2,
      }),
    );
    // Asked after the writes: answered after them.
    const existing = store.existing(['d0.test', 'd4.test', 'nowhere.test']);
    await Promise.all(writes);
    expect(await existing).toEqual(new Set(['d0.test', 'd4.test']));
    expect(await store.seen('key-19')).toBe(true);
    expect(await store.pendingCount()).toBe(5);
    // Another connection (the file itself) sees every resolved write.
    const direct = new SqliteStore(file);
    expect(await direct.describe('d3.test')).toMatchObject({ reports: 4, reporters: 4 });
    await direct.close();
    expect(store.ledger().shared).toBe(false);
    await store.close();
    await expect(store.ping()).rejects.toThrow(StoreError);
  });

  it("rejects with the store's own words when the file cannot be opened", async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    const opening = SqliteThreadStore.open(join(blocker, 'collector.sqlite'), { workerScript: WORKER });
    await expect(opening).rejects.toThrow(StoreError);
    await expect(opening).rejects.toThrow(
      /^Cannot open the SQLite database .*check that its folder is writable/,
    );
  });

  it('passes on a failed call as an error of the same kind, and keeps working', async () => {
    const store = await SqliteThreadStore.open(join(dir, 'c.sqlite'), { workerScript: WORKER });
    // (A batch that breaks a constraint: reports must be a number.)
    const broken = store.addBatch({
      day: '2026-12-07',
      entries: [{ domain: 'x.test', reports: Number.NaN, newReporters: 0 }],
      keys: [],
      decoys: 0,
    });
    await expect(broken).rejects.toThrow(Error);
    expect(await store.pendingCount()).toBe(0);
    await store.close();
  });
});
