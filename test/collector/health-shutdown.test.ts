import { mkdtemp, rm } from 'node:fs/promises';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStore } from '../../src/collector/store/postgres';
import { SqliteStore } from '../../src/collector/store/sqlite';
import { UNCHECKED } from '../../src/collector/verification';
import { get, startTestCollector } from '../support/collector-app';
import { startCollectorProcess } from '../support/collector-process';
import { startDohServer, type DohServer } from '../support/doh-server';

let doh: DohServer;
let dir: string;
beforeAll(async () => {
  doh = await startDohServer({ zone: {} });
  dir = await mkdtemp(join(tmpdir(), 'wcf-health-'));
});
afterAll(async () => {
  await doh.close();
  await rm(dir, { recursive: true, force: true });
});

test('/healthz says 503, in general words, when a data page is corrupt (not "ok" from SELECT 1)', async () => {
  const file = join(dir, 'corrupt.sqlite');
  const store = new SqliteStore(file);
  const domains = Array.from({ length: 3000 }, (_, i) => `d${String(i).padStart(5, '0')}.example`);
  await store.addReport(domains, '2026-11-30');
  for (const domain of domains) {
    await store.saveCheck(domain, { ...UNCHECKED, status: 'present', lyncFederation: true }, 1);
  }
  await store.maintain('2026-01-01');
  await store.close();
  // Garbage over pages in the middle of the file: the table's and indexes' pages, not the schema.
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  for (let offset = Math.floor(size / 3 / 4096) * 4096; offset < (size * 2) / 3; offset += 4096 * 3) {
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, offset);
  }
  closeSync(fd);
  const collector = await startCollectorProcess({
    WCF_COLLECTOR_DB: file,
    WCF_DOH_URLS: doh.url,
    WCF_LIVE_CHECKS: 'false',
  });
  try {
    const health = await get(collector.url, '/healthz');
    expect(health.status).toBe(503);
    expect(health.json()).toEqual({
      status: 'unavailable',
      message: 'The collector cannot serve requests right now.',
    });
    expect(health.text).not.toMatch(/malformed|sqlite|corrupt|\//i);
    expect(collector.output()).toMatch(/malformed|corrupt/i);
  } finally {
    collector.child.kill('SIGKILL');
    await collector.exited;
  }
});

test('/healthz with the database down says 503 without naming hosts or ports', async () => {
  const store = new PostgresStore('postgres://wcf@127.0.0.1:1/nowhere');
  const collector = await startTestCollector(store);
  const health = await get(collector.url, '/healthz');
  expect(health.status).toBe(503);
  expect(health.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|:1\b/);
  expect(collector.logs.join('')).toContain('ECONNREFUSED');
  await collector.close();
  await store.close();
});

test('SIGTERM exits within 10 s whatever slow clients are attached', async () => {
  const collector = await startCollectorProcess({
    WCF_COLLECTOR_DB: join(dir, 'shutdown.sqlite'),
    WCF_DOH_URLS: doh.url,
    WCF_LIVE_CHECKS: 'false',
  });
  const port = Number(new URL(collector.url).port);
  const slow: Socket[] = await Promise.all(
    Array.from(
      { length: 20 },
      () =>
        new Promise<Socket>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port }, () => {
            socket.write(
              'POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 999\r\n\r\n{',
            );
            resolve(socket);
          });
          socket.on('error', () => undefined);
        }),
    ),
  );
  const drip = setInterval(() => slow.forEach((s) => s.writable && s.write(' ')), 100);
  const started = Date.now();
  collector.child.kill('SIGTERM');
  const code = await collector.exited;
  clearInterval(drip);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(code).toBe(0);
  for (const socket of slow) socket.destroy();
}, 20_000);

test('SIGTERM the moment it says it listens still stops cleanly (its handlers are in place first)', async () => {
  // A supervisor may stop the collector as soon as it announces itself. Before the handlers were
  // installed ahead of that line, about half of these died of the signal itself (exit code null).
  const codes = await Promise.all(
    Array.from({ length: 6 }, async (_, i) => {
      const collector = await startCollectorProcess({
        WCF_COLLECTOR_DB: join(dir, `early-${i}.sqlite`),
        WCF_DOH_URLS: doh.url,
        WCF_LIVE_CHECKS: 'false',
      });
      collector.child.kill('SIGTERM');
      const code = await collector.exited;
      return { code, output: collector.output() };
    }),
  );
  for (const { code, output } of codes) {
    expect(code).toBe(0);
    expect(output).toMatch(/SIGTERM: finishing requests in progress/);
    expect(output).toMatch(/"stopped"/);
  }
}, 30_000);
