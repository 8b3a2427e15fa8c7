// CLI: `npm run sim:shopee` (tsx scripts/shopee-sim/main.ts). Env (all optional): SHOPEE_PARTNER_ID (2001887),
// SHOPEE_PARTNER_KEY (a demo key), SHOPEE_PUSH_KEY (defaults to the partner key), SHOPEE_SIM_PORT (3200),
// SHOPEE_SIM_HOST (127.0.0.1), SHOPEE_SIM_PUSH_URL, SHOPEE_SIM_LATENCY_MS, SHOPEE_SIM_STREAM=0 (no demo orders),
// SHOPEE_SIM_LOG=1. Two demo shops (SG, TW) get a few orders (and two returns) at start and a stream of new ones.
import { DEMO_PARTNER } from './demo';
import { startShopeeSim } from './server';

async function main(): Promise<void> {
  const env = process.env;
  const sim = await startShopeeSim({
    partnerId: Number(env['SHOPEE_PARTNER_ID'] || DEMO_PARTNER.partnerId),
    partnerKey: env['SHOPEE_PARTNER_KEY'] || DEMO_PARTNER.partnerKey,
    pushKey: env['SHOPEE_PUSH_KEY'] || undefined,
    port: Number(env['SHOPEE_SIM_PORT'] ?? 3200),
    host: env['SHOPEE_SIM_HOST'] || '127.0.0.1',
    pushUrl: env['SHOPEE_SIM_PUSH_URL'] || undefined,
    latencyMs: Number(env['SHOPEE_SIM_LATENCY_MS'] ?? 0),
    log: env['SHOPEE_SIM_LOG'] === '1',
  });
  const sg = sim.addShop({ name: 'Star River Official Store', region: 'SG' });
  const tw = sim.addShop({ name: '星河生活館', region: 'TW' });
  for (let i = 0; i < 3; i++) sim.createOrder(sg.shopId);
  sim.createOrder(tw.shopId);
  // Two returns to look at: a return & refund on a delivered order, a refund-only request on a completed one.
  const now = sim.now();
  sim.createReturn(sim.createOrder(sg.shopId, { order_status: 'TO_CONFIRM_RECEIVE', create_time: now - 5 * 86400 }).order_sn, {
    reason: 'ITEM_DAMAGED',
    return_solution: 0,
  });
  sim.createReturn(sim.createOrder(sg.shopId, { order_status: 'COMPLETED', create_time: now - 9 * 86400 }).order_sn, { reason: 'ITEM_MISSING' });
  if (env['SHOPEE_SIM_STREAM'] !== '0') {
    sim.startOrderStream(sg.shopId);
    sim.startOrderStream(tw.shopId, { firstWithinMs: 40_000, everyMs: [20_000, 40_000] });
  }
  console.log(`Shopee simulator listening on ${sim.url} (use it as the Shopee host)`);
  console.log(
    `  partner_id ${sim.options.partnerId}; shops: ${sim
      .shops()
      .map((s) => `${s.shopId} ${s.name} (${s.region})`)
      .join(', ')}`,
  );
  console.log(`  push URL: ${sim.options.pushUrl ?? '(none; POST /__sim/push-url {"url": ...})'}`);
  console.log(`  authorize: ${sim.url}/__sim/auth-url?redirect=<your redirect URL>  → a signed auth_partner link`);
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
