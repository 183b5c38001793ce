import { createServer } from 'node:net';

/** A port free on 127.0.0.1 a moment ago (taken, then freed): for a server that needs its number up front, or for nothing listening. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
