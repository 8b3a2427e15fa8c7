/**
 * Child process for the cross-process token test (test/integration/wecom-token.test.ts).
 *
 * argv: databaseUrl simUrl calls
 *
 * 1. opens its own connection to the shared database and builds its own WeComClient;
 * 2. prints `ready` and waits for a `go` line on stdin: the parent sends it once every worker is
 *    ready, so all of them are alive and calling at the same moment (a barrier, not a guessed start time);
 * 3. fires `calls` concurrent accessToken() calls and prints one JSON line:
 *    { pid, startedAt, finishedAt, tokens } — the wall-clock interval (ms, same clock for every
 *    process on the machine) from just before the first call to just after the last one resolved.
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../server/src/db/data-source';
import { LeaseStore } from '../../server/src/db/leases';
import { createLogger } from '../../server/src/lib/logger';
import { CredentialCache } from '../../server/src/wecom/client/credential-cache';
import { WeComClient } from '../../server/src/wecom/client/wecom-client';
import { DEMO_CREDENTIALS } from '../../scripts/wecom-sim';

export interface TokenWorkerResult {
  pid: number;
  startedAt: number;
  finishedAt: number;
  tokens: string[];
}

function nextLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  return new Promise((resolve, reject) => {
    rl.once('line', (line) => {
      resolve(line.trim()); // before close(), whose 'close' event would otherwise reject first
      rl.close();
    });
    rl.once('close', () => reject(new Error('stdin closed before "go"')));
  });
}

async function main(): Promise<void> {
  const [databaseUrl, simUrl, calls] = process.argv.slice(2);
  const ds = await openDatabase(databaseUrl!, { migrate: false });
  const client = new WeComClient(
    { apiBase: simUrl!, corpId: DEMO_CREDENTIALS.corpId, agentSecret: DEMO_CREDENTIALS.agentSecret, logger: createLogger('silent') },
    new CredentialCache(new LeaseStore(ds)),
  );
  await ds.query('SELECT 1'); // the connection is open before we say ready
  const go = nextLine();
  process.stdout.write('ready\n');
  if ((await go) !== 'go') throw new Error('expected "go"');
  const startedAt = Date.now();
  const tokens = await Promise.all(Array.from({ length: Number(calls) }, () => client.accessToken()));
  const finishedAt = Date.now();
  const result: TokenWorkerResult = { pid: process.pid, startedAt, finishedAt, tokens: [...new Set(tokens)] };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await ds.destroy();
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
