import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PostgresStore } from '../../src/collector/store/postgres';

describe('a PostgreSQL that never answers', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('fails the collector with a message within its time limit, instead of hanging', async () => {
    const { port } = silent.address() as AddressInfo;
    const store = new PostgresStore(`postgres://wcf@127.0.0.1:${port}/wcf`, { connectTimeoutMs: 300 });
    const started = Date.now();
    await expect(store.migrate()).rejects.toThrow(/Cannot connect to PostgreSQL .*check DATABASE_URL/);
    expect(Date.now() - started).toBeLessThan(3000);
    await store.close();
  });
});
