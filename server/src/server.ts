import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from './app';
import type { Config } from './config/config';
import { createContainer, type Container, type ContainerOptions } from './container';

export interface RunningServer {
  url: string;
  container: Container;
  server: Server;
  close(): Promise<void>;
}

/** Build the container, listen, start background work. Used by main.ts, the demo launcher and tests. */
export async function startServer(config: Config, opts: ContainerOptions & { background?: boolean } = {}): Promise<RunningServer> {
  const container = await createContainer(config, opts);
  const app = createApp(container);
  const server = app.listen(config.PORT, '0.0.0.0');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  server.keepAliveTimeout = 65_000;
  if (opts.background !== false) container.startBackground();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
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
