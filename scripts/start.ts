// `npm start`: the whole product on one machine.
// - With WECOM_CORP_ID set (in the environment or ./.env): the real server against real WeCom.
// - Without it: demo mode. The WeCom simulator starts alongside with the demo corp 星河电商, the
//   server uses the embedded SQLite database, and the sign-in page lets you choose who to be.
// `npm run dev` does the same and also starts Vite's dev server with hot reload.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { loadConfigOrExit } from '../server/src/config/load-env';
import { startServer } from '../server/src/server';
import { startWecomSim, DEMO_CREDENTIALS, DEMO_USERS, type WecomSim } from './wecom-sim';
import { linkDemoShop, seedDemoAutomation, seedDemoBindings, seedDemoHistory, seedDemoNotifications, seedDemoProject, seedDemoSop } from './demo-seed';
import { todayIn } from '../server/src/modules/projects/days';
import { DEMO_PARTNER, startShopeeSim, type ShopeeSim } from './shopee-sim';
import { ensureH5Built } from './h5-build';

const root = join(__dirname, '..');
const dev = process.argv.includes('--dev');

/**
 * The demo's SESSION_SECRET and SECRETS_KEY: made once and kept in data/demo-secrets.json (git-ignored, beside the
 * demo database), so sign-ins and the robot keys sealed in data/demo.db survive a restart. Set in the environment,
 * they win.
 */
function demoSecrets(): { SESSION_SECRET: string; SECRETS_KEY: string } {
  const file = join(root, 'data', 'demo-secrets.json');
  let saved: Partial<Record<'SESSION_SECRET' | 'SECRETS_KEY', string>> = {};
  if (existsSync(file)) saved = JSON.parse(readFileSync(file, 'utf8')) as typeof saved;
  const secrets = {
    SESSION_SECRET: process.env.SESSION_SECRET ?? saved.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    SECRETS_KEY: process.env.SECRETS_KEY ?? saved.SECRETS_KEY ?? randomBytes(32).toString('hex'),
  };
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ SESSION_SECRET: secrets.SESSION_SECRET, SECRETS_KEY: secrets.SECRETS_KEY }), { mode: 0o600 });
  }
  return secrets;
}

async function startDemoSimulator(): Promise<WecomSim> {
  const port = Number(process.env.PORT ?? 3000);
  // Any free port unless SIM_PORT says otherwise: the simulator must never collide with PORT.
  const simPort = Number(process.env.SIM_PORT || 0);
  const sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: simPort, host: '127.0.0.1' });
  Object.assign(process.env, {
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
    ...demoSecrets(),
    WECOM_CORP_ID: DEMO_CREDENTIALS.corpId,
    WECOM_AGENT_ID: DEMO_CREDENTIALS.agentId,
    WECOM_AGENT_SECRET: DEMO_CREDENTIALS.agentSecret,
    WECOM_CONTACT_SECRET: DEMO_CREDENTIALS.contactSecret,
    WECOM_CALLBACK_TOKEN: DEMO_CREDENTIALS.callbackToken,
    WECOM_CALLBACK_AES_KEY: DEMO_CREDENTIALS.callbackAesKey,
    WECOM_API_BASE: sim.url,
    WECOM_OAUTH_BASE: sim.url.replace('127.0.0.1', 'localhost'),
    WECOM_LOGIN_BASE: sim.url.replace('127.0.0.1', 'localhost'),
    ADMIN_USERIDS: process.env.ADMIN_USERIDS ?? DEMO_USERS.owner,
    DATABASE_URL: process.env.DATABASE_URL ?? 'sqlite:./data/demo.db',
    SHOPCREW_DEMO: '1',
  });
  sim.setCallbackUrl(`http://127.0.0.1:${port}/wecom/callback`);
  console.log(`企业微信模拟器 (WeCom simulator): ${sim.url}`);
  return sim;
}

/**
 * The demo's Shopee: the simulator on a free port (SHOPEE_SIM_PORT to pin it) with the demo partner's credentials,
 * unless SHOPEE_PARTNER_ID points the product at a real Shopee app.
 */
async function startDemoShopee(): Promise<ShopeeSim | null> {
  if (process.env.SHOPEE_PARTNER_ID) return null;
  const shopee = await startShopeeSim({ ...DEMO_PARTNER, port: Number(process.env.SHOPEE_SIM_PORT || 0), host: '127.0.0.1' });
  Object.assign(process.env, {
    SHOPEE_PARTNER_ID: String(DEMO_PARTNER.partnerId),
    SHOPEE_PARTNER_KEY: DEMO_PARTNER.partnerKey,
    SHOPEE_PUSH_KEY: '',
    SHOPEE_API_BASE: shopee.url,
  });
  console.log(`Shopee 模拟器 (Shopee simulator): ${shopee.url}`);
  return shopee;
}

async function main(): Promise<void> {
  if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
  const demo = !process.env.WECOM_CORP_ID;
  if (!dev) ensureH5Built(root);
  const sim = demo ? await startDemoSimulator() : null;
  const shopee = demo ? await startDemoShopee() : null;
  const config = loadConfigOrExit();
  const running = await startServer(config, { background: false });
  const c = running.container;
  if (demo) {
    if (await c.contactSyncSchedule.dueAtStart()) await c.contactSync.run('demo-start');
    await seedDemoBindings(c.roles);
    if (sim)
      await seedDemoNotifications({
        rules: c.notificationRules,
        robots: c.notificationRobots,
        uow: c.uow,
        createRobot: (name, key) => sim.createRobot(name, key),
      });
  }
  if (demo) await seedDemoSop({ templates: c.sopTemplates, rules: c.sopRules, uow: c.uow });
  if (demo) await seedDemoProject({ projects: c.projects, tasks: c.projectTasks, comments: c.projectComments, today: todayIn(config.TZ_CORP, Date.now()) });
  if (shopee) {
    // One linked demo shop whose orders keep arriving (the first within 30 s), with signed pushes.
    const shopId = await linkDemoShop({ shops: c.shops, sim: shopee, owner: DEMO_USERS.owner, publicUrl: config.PUBLIC_URL });
    // Six weeks of its figures (demo data), once, so 数据 has trends, an alert line fired and an early warning.
    await seedDemoHistory({ c, shopId, timeZone: config.TZ_CORP, now: Date.now() });
    await seedDemoAutomation({ c, shopId });
  }
  c.startBackground();
  console.log(`\n店务通 ShopCrew 已启动: ${config.PUBLIC_URL}${demo ? '  (演示模式 demo mode)' : ''}`);
  if (demo) console.log(`登录时选择任一演示成员，例如 店长 ${DEMO_USERS.owner} 或 客服 ${DEMO_USERS.csAgent}。`);
  if (dev) {
    const vite = spawn('npm', ['run', 'dev', '-w', 'h5'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, SHOPCREW_API: `http://127.0.0.1:${config.PORT}` },
    });
    process.on('exit', () => vite.kill());
  }
  const stop = () => void Promise.all([running.close(), shopee?.close()]).finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`ShopCrew failed to start: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
