// The one way tests start a local HTTP server (fake Resend, fake job boards,
// the holding proxy, one-off servers) and find a free port: 127.0.0.1, a port
// the system picks, and a close that ends open connections first so a test
// never waits on a keep-alive socket.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  server: Server;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  /** Ends every open connection, then stops listening. */
  close(): Promise<void>;
}

export async function startLocalServer(handler: RequestListener, opts: { keepAliveTimeoutMs?: number } = {}): Promise<LocalServer> {
  const server = createServer(handler);
  if (opts.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = opts.keepAliveTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: taken from the system on 127.0.0.1, then let go. */
export async function freePort(): Promise<number> {
  const s = await startLocalServer(() => {});
  await s.close();
  return s.port;
}
