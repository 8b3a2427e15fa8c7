import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createApp } from './app';
import type { Config } from './config/config';
import { createContainer, type Container, type ContainerOptions } from './container';

export interface RunningServer {
  url: string;
  port: number;
  container: Container;
  server: Server;
  close(): Promise<void>;
}

export type ServerOptions = ContainerOptions & { background?: boolean };

/** Build the container, listen on config.PORT, start background work. Used by main.ts and the launcher. */
export function startServer(config: Config, opts: ServerOptions = {}): Promise<RunningServer> {
  return startServerOnPort(config.PORT, () => config, opts);
}

/**
 * Listen first, then configure: `configFor` gets the port the socket really bound, so a server on
 * port 0 knows its own PUBLIC_URL without a "find a free port, then bind it" race (tests, benches).
 * Requests that arrive in between wait until the app is attached.
 */
export async function startServerOnPort(port: number, configFor: (port: number) => Config, opts: ServerOptions = {}): Promise<RunningServer> {
  const server = createServer();
  server.keepAliveTimeout = 65_000;
  server.listen(port, '0.0.0.0');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const bound = (server.address() as AddressInfo).port;
  let container: Container;
  try {
    container = await createContainer(configFor(bound), opts);
  } catch (err) {
    server.close();
    throw err;
  }
  const handle = createApp(container).callback();
  // Koa's handler settles every request itself (ctx.onerror), so its promise is not awaited here.
  server.on('request', (req, res) => void handle(req, res));
  if (opts.background !== false) container.startBackground();
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    container,
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await container.close();
    },
  };
}
