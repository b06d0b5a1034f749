import { createServer, type AddressInfo } from 'node:net';

/** A loopback port where nothing listens (for a moment): a refusing target, or a port to hand a server. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
