/**
 * Child process for the cross-process token test: opens its own connection to the shared database,
 * waits for a common start instant, fires concurrent WeCom calls, prints the tokens it used.
 * argv: databaseUrl simUrl startAtMs calls
 */
import { openDatabase } from '../../server/src/db/data-source';
import { LeaseStore } from '../../server/src/db/leases';
import { createLogger } from '../../server/src/lib/logger';
import { CredentialCache } from '../../server/src/wecom/client/credential-cache';
import { WeComClient } from '../../server/src/wecom/client/wecom-client';
import { DEMO_CREDENTIALS } from '../../scripts/wecom-sim';

async function main(): Promise<void> {
  const [databaseUrl, simUrl, startAt, calls] = process.argv.slice(2);
  const ds = await openDatabase(databaseUrl!, { migrate: false });
  const client = new WeComClient(
    { apiBase: simUrl!, corpId: DEMO_CREDENTIALS.corpId, agentSecret: DEMO_CREDENTIALS.agentSecret, logger: createLogger('silent') },
    new CredentialCache(new LeaseStore(ds)),
  );
  await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
  const tokens = await Promise.all(Array.from({ length: Number(calls) }, () => client.accessToken()));
  process.stdout.write(JSON.stringify([...new Set(tokens)]));
  await ds.destroy();
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
