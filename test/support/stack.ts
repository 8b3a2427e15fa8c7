/**
 * The whole product on localhost for API and browser tests: the WeCom simulator with the demo corp,
 * the real server (fresh database, migrations, first full contact sync, demo role bindings), and the
 * simulator's callback URL pointed at the server.
 */
import { loadConfig } from '../../server/src/config/config';
import { startServer, type RunningServer } from '../../server/src/server';
import { createLogger } from '../../server/src/lib/logger';
import { startWecomSim, DEMO_CREDENTIALS, DEMO_USERS, type WecomSim, type WecomSimOptions } from '../../scripts/wecom-sim';
import { seedDemoBindings } from '../../scripts/demo-seed';
import { freePort } from '../../scripts/free-port';
import { dropDatabaseUrl, freshDatabaseUrl, type TestDatabaseKind } from './databases';

export interface Stack {
  baseUrl: string;
  sim: WecomSim;
  app: RunningServer;
  databaseUrl: string;
  close(): Promise<void>;
}

export interface StackOptions {
  db?: TestDatabaseKind;
  /** Configure WECOM_CONTACT_SECRET (sync through user/list_id). Default false. */
  contactSecret?: boolean;
  sim?: Partial<WecomSimOptions>;
  env?: Record<string, string>;
  /** Skip the first full sync (tests of the sync itself). */
  skipSync?: boolean;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0, ...opts.sim });
  const databaseUrl = await freshDatabaseUrl(opts.db ?? 'sqlite');
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: 'test-session-secret-0123456789abcdef',
    WECOM_CORP_ID: DEMO_CREDENTIALS.corpId,
    WECOM_AGENT_ID: DEMO_CREDENTIALS.agentId,
    WECOM_AGENT_SECRET: DEMO_CREDENTIALS.agentSecret,
    WECOM_CONTACT_SECRET: opts.contactSecret ? DEMO_CREDENTIALS.contactSecret : '',
    WECOM_CALLBACK_TOKEN: DEMO_CREDENTIALS.callbackToken,
    WECOM_CALLBACK_AES_KEY: DEMO_CREDENTIALS.callbackAesKey,
    WECOM_API_BASE: sim.url,
    WECOM_OAUTH_BASE: sim.url,
    WECOM_LOGIN_BASE: sim.url,
    ADMIN_USERIDS: DEMO_USERS.owner,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SHOPCREW_DEMO: '1',
    ...opts.env,
  });
  const app = await startServer(config, { background: false, logger: createLogger(config.LOG_LEVEL), worker: { pollMs: 100, retryBaseMs: 50 }, wecomRetryBaseMs: 5 });
  if (!opts.skipSync) await app.container.contactSync.run('test');
  await seedDemoBindings(app.container.roles);
  app.container.startBackground();
  const baseUrl = `http://127.0.0.1:${port}`;
  sim.setCallbackUrl(`${baseUrl}/wecom/callback`);
  return {
    baseUrl,
    sim,
    app,
    databaseUrl,
    async close() {
      await app.close();
      await sim.close();
      await dropDatabaseUrl(databaseUrl);
    },
  };
}
