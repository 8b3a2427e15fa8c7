/**
 * The whole product on localhost for API and browser tests: the WeCom simulator with the demo corp,
 * the real server (fresh database, migrations, first full contact sync, demo role bindings), and the
 * simulator's callback URL pointed at the server.
 */
import { loadConfig } from '../../server/src/config/config';
import { startServerOnPort, type RunningServer } from '../../server/src/server';
import type { ModuleDefinition } from '../../server/src/platform/module';
import { createLogger } from '../../server/src/lib/logger';
import { startWecomSim, DEMO_CREDENTIALS, type WecomSim, type WecomSimOptions } from '../../scripts/wecom-sim';
import { demoEnv } from './config';
import { linkDemoShop, seedDemoBindings } from '../../scripts/demo-seed';
import { DEMO_PARTNER, startShopeeSim, type ShopeeSim } from '../../scripts/shopee-sim';
import { DEMO_USERS } from '../../scripts/wecom-sim';
import { dropDatabaseUrl, freshDatabaseUrl, type TestDatabaseKind } from './databases';

export interface Stack {
  baseUrl: string;
  sim: WecomSim;
  app: RunningServer;
  databaseUrl: string;
  /** With `shopee: true`: the Shopee simulator and the shop linked in it (no order stream; tests make their orders). */
  shopee?: ShopeeSim;
  shopId?: string;
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
  /** The modules to build (default: all of server/src/modules/index.ts). */
  modules?: readonly ModuleDefinition[];
  /** Start the Shopee simulator, configure SHOPEE_* for it and link one shop (as the demo does). */
  shopee?: boolean;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0, ...opts.sim });
  const shopee = opts.shopee ? await startShopeeSim({ ...DEMO_PARTNER, port: 0, retryDelaysMs: [200, 400, 800] }) : undefined;
  const shopeeEnv: Record<string, string> = shopee
    ? { SHOPEE_PARTNER_ID: String(DEMO_PARTNER.partnerId), SHOPEE_PARTNER_KEY: DEMO_PARTNER.partnerKey, SHOPEE_API_BASE: shopee.url }
    : {};
  const databaseUrl = await freshDatabaseUrl(opts.db ?? 'sqlite');
  // Port 0: the server binds first and builds its config (PUBLIC_URL) from the port it got.
  const configFor = (port: number) =>
    loadConfig(demoEnv({ databaseUrl, simUrl: sim.url, port, contactSecret: opts.contactSecret }, { SHOPCREW_DEMO: '1', ...shopeeEnv, ...opts.env }));
  const app = await startServerOnPort(0, configFor, {
    background: false,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    worker: { pollMs: 100, retryBaseMs: 50 },
    wecomRetryBaseMs: 5,
    modules: opts.modules,
  });
  const port = app.port;
  if (!opts.skipSync) await app.container.contactSync.run('test');
  await seedDemoBindings(app.container.roles);
  app.container.startBackground();
  const baseUrl = `http://127.0.0.1:${port}`;
  sim.setCallbackUrl(`${baseUrl}/wecom/callback`);
  const shopId = shopee
    ? await linkDemoShop({ shops: app.container.shops, sim: shopee, owner: DEMO_USERS.owner, publicUrl: baseUrl, stream: false })
    : undefined;
  return {
    baseUrl,
    sim,
    app,
    databaseUrl,
    shopee,
    shopId,
    async close() {
      await app.close();
      await shopee?.close();
      await sim.close();
      await dropDatabaseUrl(databaseUrl);
    },
  };
}
