import { createServer } from 'node:net';

/**
 * A TCP port that is free on this machine right now (the kernel picks it). Another process may
 * take it before it is used, so callers that cannot bind it should ask again.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
