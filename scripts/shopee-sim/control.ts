// /__sim/* JSON control endpoints, so another process (the demo, an e2e runner) can drive the simulator. Not part of
// Shopee. Model errors answer 400 {ok: false, error}.
import Router from '@koa/router';
import type { Context } from 'koa';
import { readRawBody } from './http';
import type { OrderStatus } from './orders';
import type { ReturnSolution, ReturnStatus } from './returns';
import type { ShopeeSim } from './server';
import type { ShopInput } from './shops';

async function body(ctx: Context): Promise<Record<string, unknown>> {
  const raw = await readRawBody(ctx.req);
  const v: unknown = raw.trim() ? JSON.parse(raw) : {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('JSON object expected');
  return v as Record<string, unknown>;
}

export function controlRouter(sim: ShopeeSim): Router {
  const r = new Router({ prefix: '/__sim' });
  r.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = 400;
      ctx.body = { ok: false, error: (err as Error).message };
    }
  });
  r.get('/health', (ctx) => {
    ctx.body = { ok: true, url: sim.url, partnerId: sim.options.partnerId, now: sim.now(), pushUrl: sim.options.pushUrl ?? null };
  });
  r.get('/shops', (ctx) => {
    ctx.body = { shops: sim.shops() };
  });
  r.post('/shops', async (ctx) => {
    ctx.body = { ok: true, shop: sim.addShop((await body(ctx)) as unknown as ShopInput) };
  });
  r.post('/auth-code', async (ctx) => {
    const shopId = Number((await body(ctx))['shopId']);
    ctx.body = { ok: true, shopId, code: sim.issueAuthCode(shopId) };
  });
  r.get('/auth-url', (ctx) => {
    ctx.body = { url: sim.authorizationUrl(String(ctx.query['redirect'] ?? '')) };
  });
  r.post('/expire-tokens', async (ctx) => {
    ctx.body = { ok: true, expired: sim.expireAccessTokens(Number((await body(ctx))['shopId'])) };
  });
  r.get('/orders', (ctx) => {
    ctx.body = { orders: sim.orders(ctx.query['shopId'] ? Number(ctx.query['shopId']) : undefined) };
  });
  r.post('/orders', async (ctx) => {
    const { shopId, ...partial } = await body(ctx);
    ctx.body = { ok: true, order: sim.createOrder(Number(shopId), partial) };
  });
  r.post('/orders/:sn/status', async (ctx) => {
    const b = await body(ctx);
    ctx.body = { ok: true, order: sim.setOrderStatus(ctx.params['sn']!, b['status'] as OrderStatus, { force: b['force'] === true }) };
  });
  r.get('/returns', (ctx) => {
    ctx.body = { returns: sim.returns(ctx.query['shopId'] ? Number(ctx.query['shopId']) : undefined) };
  });
  r.post('/returns', async (ctx) => {
    const { orderSn, ...partial } = await body(ctx);
    ctx.body = { ok: true, return: sim.createReturn(String(orderSn), partial) };
  });
  r.post('/returns/:sn/status', async (ctx) => {
    const b = await body(ctx);
    ctx.body = { ok: true, return: sim.setReturnStatus(ctx.params['sn']!, b['status'] as ReturnStatus, { force: b['force'] === true }) };
  });
  r.post('/returns/:sn/fail-next', async (ctx) => {
    const b = await body(ctx);
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    sim.failNextReturnAction(ctx.params['sn']!, str(b['error']), str(b['message']));
    ctx.body = { ok: true };
  });
  r.post('/returns/:sn/buyer-response', async (ctx) => {
    const b = await body(ctx);
    const answer =
      b['answer'] === 'accept' || b['answer'] === 'reject' ? b['answer'] : { solution: b['solution'] as ReturnSolution, amount: Number(b['amount']) };
    ctx.body = { ok: true, return: sim.buyerRespondToOffer(ctx.params['sn']!, answer) };
  });
  r.post('/returns/:sn/logistics', (ctx) => {
    ctx.body = { ok: true, return: sim.advanceReturnLogistics(ctx.params['sn']!) };
  });
  r.get('/pushes', (ctx) => {
    ctx.body = { pushes: sim.pushes, lost: sim.lostPushes() };
  });
  r.post('/push-url', async (ctx) => {
    const u = (await body(ctx))['url'];
    sim.setPushUrl(typeof u === 'string' && u ? u : undefined);
    ctx.body = { ok: true, pushUrl: sim.options.pushUrl ?? null };
  });
  r.post('/push-faults', async (ctx) => {
    sim.pushFaults(await body(ctx));
    ctx.body = { ok: true };
  });
  r.post('/advance', async (ctx) => {
    sim.advance(Number((await body(ctx))['seconds'] ?? 0));
    ctx.body = { ok: true, now: sim.now() };
  });
  r.post('/stream/start', async (ctx) => {
    const { shopId, ...o } = await body(ctx);
    sim.startOrderStream(Number(shopId), o);
    ctx.body = { ok: true };
  });
  r.post('/stream/stop', async (ctx) => {
    const shopId = (await body(ctx))['shopId'];
    sim.stopOrderStream(shopId === undefined ? undefined : Number(shopId));
    ctx.body = { ok: true };
  });
  return r;
}
