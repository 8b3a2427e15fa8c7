/**
 * One server instance's notification delivery worker as its own OS process, for
 * test/integration/notification-delivery.test.ts: the real container (own DataSource, pool and governor) running only
 * its DeliveryWorker, with WeCom retries 5 ms apart so the test does not wait out real backoff.
 *
 * argv: databaseUrl simUrl. stdout: `ready` once the worker runs. Closing stdin stops it cleanly (claims released).
 */
import { createContainer } from '../../server/src/container';
import { createLogger } from '../../server/src/lib/logger';
import { testConfig } from './config';

async function main(): Promise<void> {
  const [databaseUrl, simUrl] = process.argv.slice(2);
  const c = await createContainer(testConfig(databaseUrl!, simUrl!), { logger: createLogger('error'), wecomRetryBaseMs: 5 });
  c.notificationDeliveries.start();
  process.stdout.write('ready\n');
  process.stdin.resume();
  process.stdin.on('end', () => void c.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
