// CLI: `npm run sim:wecom` (tsx scripts/wecom-sim/main.ts). Env (all optional, demo defaults from
// DEMO_CREDENTIALS): WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_AGENT_SECRET, WECOM_CONTACT_SECRET,
// WECOM_CALLBACK_TOKEN, WECOM_CALLBACK_AES_KEY, SIM_PORT (3100), SIM_HOST (127.0.0.1),
// SIM_CALLBACK_URL, SIM_LATENCY_MS, SIM_MESSAGING_LATENCY_MS, SIM_FULL_EVENTS=1, SIM_LOG=1.
import { DEMO_CREDENTIALS } from './demo-corp';
import { startWecomSim } from './server';

async function main(): Promise<void> {
  const env = process.env;
  const sim = await startWecomSim({
    port: Number(env['SIM_PORT'] ?? 3100),
    host: env['SIM_HOST'] || '127.0.0.1',
    corpId: env['WECOM_CORP_ID'] || DEMO_CREDENTIALS.corpId,
    agentId: env['WECOM_AGENT_ID'] || DEMO_CREDENTIALS.agentId,
    agentSecret: env['WECOM_AGENT_SECRET'] || DEMO_CREDENTIALS.agentSecret,
    contactSecret: env['WECOM_CONTACT_SECRET'] || DEMO_CREDENTIALS.contactSecret,
    callbackToken: env['WECOM_CALLBACK_TOKEN'] || DEMO_CREDENTIALS.callbackToken,
    callbackAesKey: env['WECOM_CALLBACK_AES_KEY'] || DEMO_CREDENTIALS.callbackAesKey,
    callbackUrl: env['SIM_CALLBACK_URL'] || undefined,
    latencyMs: Number(env['SIM_LATENCY_MS'] ?? 0),
    messagingLatencyMs: Number(env['SIM_MESSAGING_LATENCY_MS'] ?? 0),
    fullEvents: env['SIM_FULL_EVENTS'] === '1',
    log: env['SIM_LOG'] === '1',
  });
  const o = sim.options;
  console.log(`WeCom simulator listening on ${sim.url}`);
  console.log(`  corp ${o.corpId} (${sim.corp.name}), agent ${o.agentId}, ${sim.corp.members.size} members, ${sim.corp.departments.size} departments`);
  console.log(`  callback URL: ${o.callbackUrl ?? '(none; POST /__sim/callback-url {"url": ...})'}`);
  console.log(
    `  OAuth: ${sim.url}/connect/oauth2/authorize?appid=${o.corpId}&redirect_uri=...&response_type=code&scope=snsapi_base&state=...&agentid=${o.agentId}`,
  );
  console.log(`  member inboxes: ${sim.url}/__sim/inbox`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
