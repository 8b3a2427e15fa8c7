import { loadConfigOrExit } from './config/load-env';
import { startServer } from './server';

/** Process entry: config → database (migrations applied) → HTTP + background workers. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const running = await startServer(config);
  const { logger } = running.container;
  logger.info({ url: config.PUBLIC_URL, port: running.server.address() }, 'ShopCrew is listening');
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`ShopCrew failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
