// Orders: the generated model and v2.order.get_order_list / get_order_detail
// (https://open.shopee.com/documents/v2/v2.order.get_order_list, …/v2.order.get_order_detail).
import type { ShopeeSim } from '../../../scripts/shopee-sim';
import { client, startTestSim, type ShopCreds } from './helpers';

const LIST = '/api/v2/order/get_order_list';
const DETAIL = '/api/v2/order/get_order_detail';

describe('shopee-sim orders', () => {
  let sim: ShopeeSim;
  let api: ReturnType<typeof client>;
  let creds: ShopCreds;

  beforeEach(async () => {
    sim = await startTestSim({ seed: 42 });
    api = client(sim);
    const shopId = sim.addShop({ name: 'Star River', region: 'SG' }).shopId;
    creds = await api.link(shopId);
  });
  afterEach(() => sim.close());

  test('createOrder: realistic defaults', () => {
    const before = sim.now();
    const o = sim.createOrder(creds.shopId);
    expect(o.order_sn).toMatch(/^\d{6}[0-9A-Z]{8}$/);
    expect(o.order_status).toBe('READY_TO_SHIP');
    expect(o.currency).toBe('SGD');
    expect(o.items.length).toBeGreaterThanOrEqual(1);
    expect(o.items.length).toBeLessThanOrEqual(3);
    expect(o.create_time).toBeGreaterThanOrEqual(before);
    expect(o.create_time).toBeLessThanOrEqual(sim.now());
    expect([2, 3]).toContain(o.days_to_ship);
    expect(o.ship_by_date).toBe(o.create_time + o.days_to_ship * 86400);
    expect(o.package.logistics_status).toBe('LOGISTICS_READY');
    const subtotal = o.items.reduce((s, it) => s + it.model_discounted_price * it.model_quantity_purchased, 0);
    expect(o.total_amount).toBeGreaterThanOrEqual(Math.round(subtotal * 100) / 100 - 0.01);
    expect(Math.round(o.total_amount * 100) / 100).toBe(o.total_amount);
  });

  test('status machine: Shopee transitions only (unless forced), update_time bumps', () => {
    const o = sim.createOrder(creds.shopId);
    expect(() => sim.setOrderStatus(o.order_sn, 'COMPLETED')).toThrow(/not a Shopee transition/);
    sim.advance(60);
    const c = sim.setOrderStatus(o.order_sn, 'CANCELLED');
    // The clock is real time + 60 s: the second may tick over in between.
    expect(c.update_time - o.update_time).toBeGreaterThanOrEqual(60);
    expect(c.update_time - o.update_time).toBeLessThanOrEqual(61);
    expect(c.package.logistics_status).toBe('LOGISTICS_INVALID');
    expect(() => sim.setOrderStatus(o.order_sn, 'READY_TO_SHIP')).toThrow();
    expect(sim.setOrderStatus(o.order_sn, 'READY_TO_SHIP', { force: true }).order_status).toBe('READY_TO_SHIP');
  });

  test('get_order_list: 15-day window, page_size, cursor paging, status filter, optional order_status', async () => {
    const now = sim.now();
    for (let i = 0; i < 7; i++) {
      sim.createOrder(creds.shopId, { create_time: now - i * 3600 });
    }
    const old = sim.createOrder(creds.shopId, { create_time: now - 20 * 86400 });
    const base = { time_range_field: 'create_time', time_from: now - 15 * 86400, time_to: now };

    const tooWide = await api.get(LIST, { ...base, time_from: now - 15 * 86400 - 1, page_size: 10 }, creds);
    expect(tooWide.body).toMatchObject({ error: 'order.order_list_invalid_time', message: 'Start time must be earlier than end time and diff in 15days.' });
    expect((await api.get(LIST, { ...base, time_from: now + 1, page_size: 10 }, creds)).body['error']).toBe('order.order_list_invalid_time');
    expect((await api.get(LIST, { ...base, page_size: 0 }, creds)).body['error']).toBe('error_param');
    expect((await api.get(LIST, { ...base, page_size: 101 }, creds)).body['error']).toBe('error_param');
    expect((await api.get(LIST, { ...base, time_range_field: 'pay_time', page_size: 10 }, creds)).body['error']).toBe('error_param');

    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    for (;;) {
      const r = await api.get(LIST, { ...base, page_size: 3, ...(cursor ? { cursor } : {}) }, creds);
      expect(r.body['error']).toBe('');
      const resp = r.body['response'];
      for (const o of resp['order_list']) {
        expect(Object.keys(o)).toEqual(['order_sn']);
        seen.push(o['order_sn']);
      }
      pages++;
      if (!resp['more']) {
        expect(resp['next_cursor']).toBe('');
        break;
      }
      cursor = resp['next_cursor'];
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen).not.toContain(old.order_sn);

    const one = seen[2]!;
    sim.setOrderStatus(one, 'CANCELLED');
    const filtered = await api.get(LIST, { ...base, page_size: 100, order_status: 'CANCELLED', response_optional_fields: 'order_status' }, creds);
    expect(filtered.body['response']['order_list']).toEqual([{ order_sn: one, order_status: 'CANCELLED' }]);
    expect((await api.get(LIST, { ...base, page_size: 100, order_status: 'LOST' }, creds)).body['error']).toBe('error_param');

    sim.advance(10);
    sim.setOrderStatus(seen[4]!, 'CANCELLED');
    const byUpdate = await api.get(LIST, { time_range_field: 'update_time', time_from: sim.now() - 5, time_to: sim.now(), page_size: 100 }, creds);
    expect(byUpdate.body['response']['order_list']).toEqual([{ order_sn: seen[4] }]);
  });

  test('get_order_detail: 1–50 order_sn, default fields, optional fields only when asked', async () => {
    const orders = Array.from({ length: 51 }, () => sim.createOrder(creds.shopId));
    const sns = orders.map((o) => o.order_sn);
    expect((await api.get(DETAIL, { order_sn_list: sns.join(',') }, creds)).body['error']).toBe('error_param');
    expect((await api.get(DETAIL, {}, creds)).body['error']).toBe('error_param');

    const plain = await api.get(DETAIL, { order_sn_list: sns.slice(0, 50).join(',') }, creds);
    expect(plain.body['error']).toBe('');
    const list = plain.body['response']['order_list'];
    expect(list).toHaveLength(50);
    expect(Object.keys(list[0]).sort()).toEqual(
      ['cod', 'create_time', 'currency', 'days_to_ship', 'message_to_seller', 'order_sn', 'order_status', 'region', 'ship_by_date', 'update_time'].sort(),
    );

    const rich = await api.get(
      DETAIL,
      { order_sn_list: sns[0]!, response_optional_fields: 'buyer_user_id,buyer_username,recipient_address,item_list,package_list,pay_time,total_amount,note' },
      creds,
    );
    const o = rich.body['response']['order_list'][0];
    expect(o).toMatchObject({ order_sn: sns[0], total_amount: orders[0]!.total_amount, note: '' });
    expect(o['item_list'][0]).toMatchObject({
      item_id: expect.any(Number),
      item_name: expect.any(String),
      model_quantity_purchased: expect.any(Number),
      order_item_id: expect.any(Number),
    });
    expect(o['package_list'][0]).toMatchObject({
      package_number: expect.stringMatching(/^OFG\d{15}$/),
      logistics_status: 'LOGISTICS_READY',
      shipping_carrier: expect.any(String),
    });
    expect(o['recipient_address']['name']).toMatch(/^.\*{6}.$/u);
    expect(o['recipient_address']['phone']).toMatch(/^\*{6}\d{2}$/);
    expect(o['shipping_carrier']).toBeUndefined();
  });

  test('get_order_detail: unknown order_sn are left out; none found is error_not_found', async () => {
    const o = sim.createOrder(creds.shopId);
    const mixed = await api.get(DETAIL, { order_sn_list: `${o.order_sn},220101AAAAAAAA` }, creds);
    expect(mixed.body['response']['order_list'].map((x: { order_sn: string }) => x.order_sn)).toEqual([o.order_sn]);
    const none = await api.get(DETAIL, { order_sn_list: '220101AAAAAAAA' }, creds);
    expect(none.body).toMatchObject({ error: 'error_not_found', message: 'Wrong parameters, detail: the order is not found.' });
  });

  test('orders of another shop are invisible', async () => {
    const other = sim.addShop({ name: 'Other', region: 'MY' });
    const theirs = sim.createOrder(other.shopId);
    expect((await api.get(DETAIL, { order_sn_list: theirs.order_sn }, creds)).body['error']).toBe('error_not_found');
  });

  test('maskBuyerUsername', async () => {
    await sim.close();
    sim = await startTestSim({ maskBuyerUsername: true });
    const shopId = sim.addShop({ name: 'S', region: 'TW' }).shopId;
    const o = sim.createOrder(shopId, { buyer_username: 'jasmine_tan88' });
    expect(o.buyer_username).toBe('j******8');
  });
});
