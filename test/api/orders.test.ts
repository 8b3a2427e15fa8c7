/**
 * Orders from the Shopee simulator end to end: signed pushes into the inbox (bad signatures refused, nothing stored),
 * repeats and reordering ending in the right state, a dropped push repaired by the sweep, the claim as one
 * compare-and-set (200 concurrent claims: one winner), data scope, the 新订单 card (claim by click, a losing click, a
 * double click, a claim in the H5 settling the cards), shipping with the tracking number read back, and a refresh
 * token whose answer is lost. On every database of the matrix.
 */
import { createHmac } from 'node:crypto';
import type { OrderDetail, OrderListResponse, ShippingOptions } from '@shopcrew/shared';
import { DEMO_PARTNER } from '../../scripts/shopee-sim';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { Shop } from '../../server/src/modules/shops/shop.entity';
import { InboxEntry } from '../../server/src/wecom/callbacks/inbox-entry.entity';
import { testDatabases } from '../support/databases';
import { type Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const post = (body: unknown = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
interface ErrorBody {
  error: { code: string; message: string };
}

describe.each(testDatabases())('orders from Shopee ($label)', ({ kind }) => {
  let stack: Stack;
  let agent: Browser;
  let agent2: Browser;
  let warehouse: Browser;
  let lead: Browser;
  let designer: Browser;
  const shopId = () => Number(stack.shopId);

  beforeAll(async () => {
    stack = await startStack({ db: kind, shopee: true });
    const browsers = await Promise.all([U.csAgent, U.csAgent2, U.warehouse, U.csLead, U.designer].map(async (u) => (await signIn(stack, u)).browser));
    [agent, agent2, warehouse, lead, designer] = browsers as [Browser, Browser, Browser, Browser, Browser];
  }, 60_000);
  afterAll(() => stack?.close());

  /** A new READY_TO_SHIP order in the simulator (its push goes out), and the moment ShopCrew has it. */
  const newOrder = async () => {
    const order = stack.shopee!.createOrder(shopId());
    await waitFor(async () => (await agent.json<OrderDetail>(`/api/orders/${order.order_sn}`)).status === 200, `order ${order.order_sn} arrived`);
    return order.order_sn;
  };
  const inboxRows = () => stack.app.container.ds.getRepository(InboxEntry).countBy({ source: 'shopee' });
  const sign = (url: string, body: string, key: string = DEMO_PARTNER.partnerKey) => createHmac('sha256', key).update(`${url}|${body}`).digest('hex');

  it('links the shop: its name and region from Shopee, tokens sealed at rest', async () => {
    const res = await agent.json<{ configured: boolean; shops: Array<{ shopId: string; name: string; region: string; currency: string; status: string }> }>(
      '/api/shops',
    );
    expect(res.body).toMatchObject({
      configured: true,
      shops: [{ shopId: stack.shopId, name: '星河旗舰店 (Shopee SG)', region: 'SG', currency: 'SGD', status: 'active' }],
    });
    expect(res.body).not.toHaveProperty('linkUrl'); // cs agents cannot link shops
    const row = await stack.app.container.ds.getRepository(Shop).findOneByOrFail({ shopId: stack.shopId! });
    expect(row.accessToken).toMatch(/^v1:/);
    expect(row.refreshToken).toMatch(/^v1:/);
  });

  it('links a shop through Shopee’s authorization page: owners only, the state single use and bound to the browser', async () => {
    const owner = (await signIn(stack, U.owner)).browser;
    expect((await agent.request('/shopee/auth/start')).status).toBe(403);
    const start = await owner.request('/shopee/auth/start');
    expect(start.status).toBe(302);
    const authUrl = new URL(start.headers.get('location')!);
    expect(authUrl.origin + authUrl.pathname).toBe(`${stack.shopee!.url}/api/v2/shop/auth_partner`);
    expect(authUrl.searchParams.get('partner_id')).toBe(String(DEMO_PARTNER.partnerId));
    const redirect = new URL(authUrl.searchParams.get('redirect')!);
    expect(redirect.origin + redirect.pathname).toBe(`${stack.baseUrl}/shopee/auth/callback`);
    // The seller picks a second shop on Shopee's page and comes back with its code.
    const second = stack.shopee!.addShop({ name: '星河 MY 店', region: 'MY' });
    const page = await (await fetch(authUrl)).text();
    const href = [...page.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).find((h) => h.includes(`shop_id=${second.shopId}`))!;
    // Another browser (no nonce cookie) cannot use the state.
    const stranger = await agent.request(href);
    expect(stranger.headers.get('location')).toBe('/settings/shops?link_error=bad_state');
    const back = await owner.request(href);
    expect(back.headers.get('location')).toBe(`/settings/shops?linked=${second.shopId}`);
    expect((await owner.request(href)).headers.get('location')).toBe('/settings/shops?link_error=bad_state');
    const shops = await owner.json<{ shops: Array<{ shopId: string; name: string; currency: string }>; linkUrl?: string }>('/api/shops');
    expect(shops.body.shops.find((s) => s.shopId === String(second.shopId))).toMatchObject({ name: '星河 MY 店', currency: 'MYR' });
    expect(shops.body.linkUrl).toBe('/shopee/auth/start');
  });

  it('refuses a push with a bad or missing signature (401) and stores nothing', async () => {
    const url = `${stack.baseUrl}/shopee/push`;
    const body = JSON.stringify({
      data: { items: [], ordersn: '260101FAKE0001', status: 'READY_TO_SHIP', update_time: 1 },
      shop_id: shopId(),
      code: 3,
      timestamp: 1,
    });
    const before = await inboxRows();
    for (const authorization of [undefined, sign(url, body, 'wrong-key'), sign(`${url}/other`, body), 'x'.repeat(64)]) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body });
      expect([res.status, ((await res.json()) as ErrorBody).error.code]).toEqual([401, 'bad_signature']);
    }
    expect(await inboxRows()).toBe(before);
    const good = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: sign(url, body) }, body });
    expect([good.status, await good.text()]).toEqual([204, '']);
    expect(await inboxRows()).toBe(before + 1);
  });

  it('a new order arrives by push into 待认领, with amounts hidden from warehouse staff', async () => {
    const sn = await newOrder();
    const list = await agent.json<OrderListResponse>('/api/orders?view=unclaimed&limit=50');
    const row = list.body.items.find((o) => o.orderSn === sn)!;
    expect(row).toMatchObject({ shopId: stack.shopId, status: 'READY_TO_SHIP', assignee: null });
    expect(row.total).toEqual({ amount: stack.shopee!.order(sn)!.total_amount, currency: 'SGD' });
    const hidden = await warehouse.json<OrderDetail>(`/api/orders/${sn}`);
    expect([hidden.body.total, hidden.body.buyer]).toEqual([null, null]);
    expect((await designer.json<ErrorBody>(`/api/orders/${sn}`)).status).toBe(403); // no orders:read at all
    expect((await designer.json<ErrorBody>('/api/orders')).status).toBe(403);
  });

  it('a role scoped to another shop sees none of this shop’s orders and cannot claim them', async () => {
    const sn = await newOrder();
    const owner = (await signIn(stack, U.owner)).browser;
    const bound = await owner.json<{ id: number }>(
      '/api/roles/bindings',
      post({ role: 'cs_agent', subjectType: 'user', subjectId: U.designer, shops: ['999001'] }),
    );
    expect(bound.status).toBe(201);
    try {
      expect((await designer.json<OrderListResponse>('/api/orders?view=all')).body.items).toEqual([]);
      const one = await designer.json<ErrorBody>(`/api/orders/${sn}`);
      expect([one.status, one.body.error.code]).toEqual([403, 'forbidden']);
      expect((await designer.json<ErrorBody>(`/api/orders/${sn}/claim`, post())).status).toBe(403);
      expect((await designer.json<ErrorBody>(`/api/orders?shop=${stack.shopId}`)).status).toBe(403);
      expect((await designer.json<OrderDetail>(`/api/orders/${sn}`)).status).toBe(403);
      expect((await agent.json<OrderDetail>(`/api/orders/${sn}`)).body.assignee).toBeNull(); // nothing changed
    } finally {
      await owner.request(`/api/roles/bindings/${bound.body.id}`, { method: 'DELETE' });
    }
  });

  it('repeated and reordered pushes end in the latest state', async () => {
    const sn = await newOrder();
    stack.shopee!.pushFaults({ repeat: 1, reorder: 1 });
    stack.shopee!.setOrderStatus(sn, 'PROCESSED');
    stack.shopee!.setOrderStatus(sn, 'SHIPPED');
    stack.shopee!.releaseHeldPush();
    await stack.shopee!.settled();
    await waitFor(async () => (await agent.json<OrderDetail>(`/api/orders/${sn}`)).body.status === 'SHIPPED', 'order shipped');
    const detail = (await agent.json<OrderDetail>(`/api/orders/${sn}`)).body;
    expect(detail.timeline.filter((t) => t.kind === 'status').map((t) => t.to)).toEqual(['SHIPPED']);
  });

  it('a dropped push is repaired by the reconciliation sweep', async () => {
    stack.shopee!.pushFaults({ drop: 1 });
    const order = stack.shopee!.createOrder(shopId());
    await stack.shopee!.settled();
    expect((await agent.json<ErrorBody>(`/api/orders/${order.order_sn}`)).status).toBe(404);
    expect(await stack.app.container.orderReconciler.sweep(stack.shopId!)).toBeGreaterThanOrEqual(1);
    expect((await agent.json<OrderDetail>(`/api/orders/${order.order_sn}`)).body.status).toBe('READY_TO_SHIP');
  });

  it('a dropped push is also recovered from Shopee’s lost pushes, then confirmed', async () => {
    stack.shopee!.pushFaults({ drop: 1 });
    const order = stack.shopee!.createOrder(shopId());
    await stack.shopee!.settled();
    expect(stack.shopee!.lostPushes().filter((m) => !m.confirmed)).not.toHaveLength(0);
    expect(await stack.app.container.shops.drainLostPushes(stack.app.container.inbox)).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await agent.json<OrderDetail>(`/api/orders/${order.order_sn}`)).status === 200, 'order applied from the lost push');
    expect(stack.shopee!.lostPushes().filter((m) => !m.confirmed)).toHaveLength(0);
  });

  it('200 concurrent claims on one order: exactly one 200, 199 × 409 already_claimed', async () => {
    const sn = await newOrder();
    const browsers = [agent, agent2, lead];
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => browsers[i % 3]!.json<OrderDetail & ErrorBody>(`/api/orders/${sn}/claim`, post())));
    const winners = results.filter((r) => r.status === 200);
    const holder = (await agent.json<OrderDetail>(`/api/orders/${sn}`)).body.assignee!;
    // A claimer who already holds it gets 200 again: every 200 is the winner's.
    expect(new Set(winners.map((w) => w.body.assignee?.userid))).toEqual(new Set([holder.userid]));
    const losers = results.filter((r) => r.status === 409);
    expect(losers.length + winners.length).toBe(200);
    expect(new Set(losers.map((l) => l.body.error.code))).toEqual(new Set(['already_claimed']));
    expect(losers[0]!.body.error.message).toBe(`已被 ${holder.name} 认领`);
    const timeline = (await agent.json<OrderDetail>(`/api/orders/${sn}`)).body.timeline.filter((t) => t.kind === 'claimed');
    expect(timeline).toHaveLength(1);
  });

  it('the 新订单 card: a click claims, the other cards show the winner, a losing or repeated click changes nothing', async () => {
    const sn = await newOrder();
    const cardOf = async (userid: string) => {
      await waitFor(() => stack.sim.inboxOf(userid).some((m) => m.card && JSON.stringify(m.content).includes(sn)), `${userid} got the card`);
      return stack.sim.inboxOf(userid).find((m) => m.card && JSON.stringify(m.content).includes(sn))!.card!;
    };
    const [a, b] = await Promise.all([cardOf(U.csAgent), cardOf(U.csAgent2)]);
    const key = (a.card as { button_list: Array<{ key: string; text: string }> }).button_list[0]!;
    expect(key).toMatchObject({ key: `order.claim:${sn}`, text: '认领' });
    await stack.sim.clickCard(U.csAgent, a.taskId, key.key, { times: 2 });
    await waitFor(() => stack.sim.cardState(b.taskId, U.csAgent2)?.replaceName === '已由 李娜 认领', 'the other card shows the winner');
    await stack.sim.clickCard(U.csAgent2, b.taskId, key.key).catch(() => undefined);
    const detail = (await agent.json<OrderDetail>(`/api/orders/${sn}`)).body;
    expect(detail.assignee?.userid).toBe(U.csAgent);
    expect(detail.timeline.filter((t) => t.kind === 'claimed')).toHaveLength(1);
  });

  it('a claim in the H5 settles the cards; assign and release by a lead', async () => {
    const sn = await newOrder();
    await waitFor(() => stack.sim.inboxOf(U.csAgent2).some((m) => m.card && JSON.stringify(m.content).includes(sn)), 'card sent');
    const card = stack.sim.inboxOf(U.csAgent2).find((m) => m.card && JSON.stringify(m.content).includes(sn))!.card!;
    expect((await agent2.json<OrderDetail>(`/api/orders/${sn}/claim`, post())).status).toBe(200);
    await waitFor(() => stack.sim.cardState(card.taskId, U.csAgent2)?.replaceName === '已由 赵磊 认领', 'card settled by the H5 claim');

    const bad = await lead.json<ErrorBody>(`/api/orders/${sn}/assign`, post({ userid: U.designer }));
    expect([bad.status, bad.body.error.code]).toEqual([422, 'validation_failed']);
    expect((await agent.json<ErrorBody>(`/api/orders/${sn}/assign`, post({ userid: U.csAgent }))).status).toBe(403);
    const moved = await lead.json<OrderDetail>(`/api/orders/${sn}/assign`, post({ userid: U.csAgent }));
    expect(moved.body.assignee?.userid).toBe(U.csAgent);
    expect((await agent2.json<ErrorBody>(`/api/orders/${sn}/release`, post())).status).toBe(403);
    const released = await agent.json<OrderDetail>(`/api/orders/${sn}/release`, post());
    expect(released.body.assignee).toBeNull();
    const unclaimed = await agent.json<OrderListResponse>('/api/orders?view=unclaimed&limit=100');
    expect(unclaimed.body.items.map((o) => o.orderSn)).toContain(sn);
  });

  it('ships to a drop-off branch and reads the tracking number back once the carrier assigns it', async () => {
    const sn = await newOrder();
    await agent.json(`/api/orders/${sn}/claim`, post());
    const options = await agent.json<ShippingOptions>(`/api/orders/${sn}/shipping`);
    expect(options.body.modes).toContain('dropoff');
    const branchId = options.body.dropoff!.branches[0]!.branchId;
    const missing = await agent.json<ErrorBody>(`/api/orders/${sn}/ship`, post({ mode: 'dropoff' }));
    expect([missing.status, missing.body.error.code]).toEqual([422, 'validation_failed']);
    expect((await agent.json<ErrorBody>(`/api/orders/${sn}/ship`, post({ mode: 'teleport' }))).status).toBe(422);
    const shipped = await agent.json<OrderDetail>(`/api/orders/${sn}/ship`, post({ mode: 'dropoff', branchId }));
    expect([shipped.status, shipped.body.status]).toEqual([200, 'PROCESSED']);
    // The carrier assigns the number later; Shopee's code 4 push brings it.
    const tracked = await waitFor(async () => (await agent.json<OrderDetail>(`/api/orders/${sn}`)).body.trackingNumber, 'tracking number', 15_000);
    expect(tracked).toBe(stack.shopee!.order(sn)!.package.tracking_number);
    const detail = (await agent.json<OrderDetail>(`/api/orders/${sn}`)).body;
    expect(detail.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(['shipped', 'tracking', 'claimed', 'status']));
    const again = await agent.json<ErrorBody>(`/api/orders/${sn}/ship`, post({ mode: 'dropoff', branchId }));
    expect([again.status, again.body.error.code]).toEqual([409, 'not_shippable']);
  });

  it('round-robin gives new orders to on-duty members under the cap; beyond it they wait in the pool', async () => {
    const owner = (await signIn(stack, U.owner)).browser;
    const put = (body: unknown): RequestInit => ({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await owner.json<ErrorBody>(`/api/shops/${stack.shopId}/assignment`, put({ mode: 'round_robin', cap: 0 }));
    expect([bad.status, bad.body.error.code]).toEqual([422, 'validation_failed']);
    expect((await agent.json<ErrorBody>(`/api/shops/${stack.shopId}/assignment`, put({ mode: 'round_robin', cap: 1 }))).status).toBe(403);
    expect((await owner.json<{ assignment: unknown }>(`/api/shops/${stack.shopId}/assignment`, put({ mode: 'round_robin', cap: 1 }))).body.assignment).toEqual({
      mode: 'round_robin',
      cap: 1,
    });
    // Only 孙浩 is on duty, and holds nothing open yet.
    const sunhao = (await signIn(stack, U.csAgent4)).browser;
    expect((await sunhao.json<{ onDuty: boolean }>('/api/orders/duty')).body).toEqual({ onDuty: false });
    expect((await sunhao.json<{ onDuty: boolean }>('/api/orders/duty', put({ onDuty: true }))).body).toEqual({ onDuty: true });
    try {
      const first = await newOrder();
      const given = (await agent.json<OrderDetail>(`/api/orders/${first}`)).body;
      expect(given.assignee?.userid).toBe(U.csAgent4);
      expect(given.timeline.find((t) => t.kind === 'assigned')?.text).toBe('自动分配 把订单分配给 孙浩');
      const second = await newOrder(); // 孙浩 is at his cap of 1
      expect((await agent.json<OrderDetail>(`/api/orders/${second}`)).body.assignee).toBeNull();
      expect((await agent.json<OrderListResponse>('/api/orders?view=unclaimed&limit=100')).body.items.map((o) => o.orderSn)).toContain(second);
    } finally {
      await owner.json(`/api/shops/${stack.shopId}/assignment`, put({ mode: 'manual', cap: 20 }));
      await sunhao.json('/api/orders/duty', put({ onDuty: false }));
    }
  });

  it('an authorization-expiry push (code 12) marks the shop 即将到期 and tells its owners', async () => {
    const url = `${stack.baseUrl}/shopee/push`;
    const expireBefore = Math.floor(Date.now() / 1000) + 6 * 86_400;
    const body = JSON.stringify({
      code: 12,
      timestamp: Math.floor(Date.now() / 1000),
      data: { merchant_expire_soon: [], shop_expire_soon: [shopId()], user_expire_soon: [], expire_before: expireBefore, page_no: 1, total_page: 1 },
    });
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: sign(url, body) }, body })).status).toBe(204);
    const owner = (await signIn(stack, U.owner)).browser;
    await waitFor(
      async () =>
        (await owner.json<{ shops: Array<{ shopId: string; status: string }> }>('/api/shops')).body.shops.find((s) => s.shopId === stack.shopId)?.status ===
        'expiring',
      'shop expiring',
    );
    await waitFor(() => stack.sim.inboxOf(U.owner).some((m) => JSON.stringify(m.content).includes('授权将于')), 'the owner was told');
  });

  it('a refresh whose answer is lost is retried with the same token; Shopee refuses it and the shop needs re-authorization', async () => {
    const tokens = stack.app.container.shopTokens;
    const version = await tokens.version(stack.shopId!);
    // A proactive refresh works and rotates the pair.
    await tokens.refresh(stack.shopId!, version);
    expect(await tokens.version(stack.shopId!)).toBe(version + 1);
    // Two instances refreshing the same stale version at once: one refresh reaches Shopee.
    const calls = stack.shopee!.refreshStats(shopId()).calls;
    await Promise.all([tokens.refresh(stack.shopId!, version + 1), tokens.refresh(stack.shopId!, version + 1)]);
    expect(stack.shopee!.refreshStats(shopId()).calls).toBe(calls + 1);
    // The answer is lost: the retry with the same (now used) token is refused.
    stack.shopee!.loseNextRefreshResponse(shopId());
    await expect(tokens.refresh(stack.shopId!, version + 2)).rejects.toThrow(/re-authorization/);
    const shops = await agent.json<{ shops: Array<{ status: string }> }>('/api/shops');
    expect(shops.body.shops[0]!.status).toBe('needs_reauth');
  });
});
