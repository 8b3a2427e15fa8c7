// Pushes (https://open.shopee.com/developer-guide/18, push pages e.g. https://open.shopee.com/push-mechanism/3):
// signature a receiver can verify, empty-2xx success rule, retries, faults, and the lost-push APIs
// (https://open.shopee.com/documents/v2/v2.push.get_lost_push_message).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ShopeeSim } from '../../../scripts/shopee-sim';
import { client, PARTNER, receiver, startTestSim, waitFor, type Received } from './helpers';

const PUSH_KEY = 'live-push-partner-key-0123456789abcdef';

/** What a receiver does: HMAC over the registered URL + "|" + the raw body, compared in constant time. */
function verify(registeredUrl: string, r: Received, key = PUSH_KEY): boolean {
  const expected = Buffer.from(createHmac('sha256', key).update(`${registeredUrl}|${r.body}`).digest('hex'));
  const got = Buffer.from(String(r.headers['authorization'] ?? '').trim());
  return got.length === expected.length && timingSafeEqual(got, expected);
}

describe('shopee-sim pushes', () => {
  let sim: ShopeeSim;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let shopId: number;

  afterEach(async () => {
    await sim.close();
    await rx.close();
  });

  const start = async (handle?: Parameters<typeof receiver>[0], extra: Parameters<typeof startTestSim>[0] = {}): Promise<void> => {
    rx = await receiver(handle);
    sim = await startTestSim({ pushKey: PUSH_KEY, pushUrl: rx.url, retryDelaysMs: [50, 100, 150], ...extra });
    shopId = sim.addShop({ name: 'Star River', region: 'SG' }).shopId;
  };

  test('code 3 payload and a signature the receiver can verify (push key, URL as registered)', async () => {
    await start();
    const o = sim.createOrder(shopId);
    await sim.settled();
    expect(rx.got).toHaveLength(1);
    const r = rx.got[0]!;
    expect(r.headers['content-type']).toBe('application/json');
    expect(verify(rx.url, r)).toBe(true);
    expect(verify(rx.url, r, PARTNER.partnerKey)).toBe(false);
    expect(verify(rx.url.replace('?env=test', ''), r)).toBe(false);
    expect(JSON.parse(r.body)).toEqual({
      msg_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      data: { items: [], ordersn: o.order_sn, status: 'READY_TO_SHIP', completed_scenario: '', update_time: o.update_time },
      shop_id: shopId,
      code: 3,
      timestamp: expect.any(Number),
    });
    expect(Math.abs(JSON.parse(r.body).timestamp - o.update_time)).toBeLessThanOrEqual(1);
    expect(sim.pushes[0]).toMatchObject({ code: 3, attempt: 0, outcome: 'delivered', status: 204, response: '' });
    expect(sim.lostPushes()).toHaveLength(0);
  });

  test('without pushKey the partner key signs', async () => {
    rx = await receiver();
    sim = await startTestSim({ pushUrl: rx.url });
    sim.createOrder(sim.addShop({ name: 'S', region: 'SG' }).shopId);
    await sim.settled();
    expect(verify(rx.url, rx.got[0]!, PARTNER.partnerKey)).toBe(true);
  });

  test('a 200 with a body ("OK") is a failure: lost store, then retries with the identical body', async () => {
    let answers = 0;
    await start((_r, res) => {
      answers++;
      if (answers < 3) res.end('OK');
      else res.writeHead(200).end();
    });
    sim.createOrder(shopId);
    await waitFor(() => rx.got.length === 3, 3000);
    await sim.settled();
    expect(new Set(rx.got.map((g) => g.body)).size).toBe(1);
    expect(sim.pushes.map((p) => [p.attempt, p.outcome])).toEqual([
      [0, 'failed'],
      [1, 'failed'],
      [2, 'delivered'],
    ]);
    expect(sim.lostPushes()).toHaveLength(1);
  });

  test('no answer within the timeout is a failure; after three retries Shopee gives up', async () => {
    await start(() => undefined, { pushTimeoutMs: 100, retryDelaysMs: [20, 20, 20] });
    sim.createOrder(shopId);
    await waitFor(() => sim.pushes.length === 4, 3000);
    await new Promise((r) => setTimeout(r, 150));
    expect(sim.pushes).toHaveLength(4);
    expect(sim.pushes.every((p) => p.outcome === 'failed' && /no answer/.test(p.error ?? ''))).toBe(true);
  });

  test('faults: drop (lost, never sent), repeat (twice), reorder (after the next one)', async () => {
    await start();
    const a = sim.createOrder(shopId);
    await sim.settled();
    sim.pushFaults({ drop: 1 });
    sim.setOrderStatus(a.order_sn, 'IN_CANCEL');
    await sim.settled();
    expect(rx.got).toHaveLength(1);
    expect(sim.lostPushes().map((l) => JSON.parse(l.data).data.status)).toEqual(['IN_CANCEL']);
    expect(sim.pushes.at(-1)).toMatchObject({ outcome: 'dropped', fault: 'drop' });

    sim.pushFaults({ repeat: 1 });
    sim.setOrderStatus(a.order_sn, 'READY_TO_SHIP');
    await sim.settled();
    expect(rx.got.slice(1).map((g) => JSON.parse(g.body).data.status)).toEqual(['READY_TO_SHIP', 'READY_TO_SHIP']);
    expect(rx.got[1]!.body).toBe(rx.got[2]!.body);

    sim.pushFaults({ reorder: 1 });
    sim.setOrderStatus(a.order_sn, 'PROCESSED');
    sim.setOrderStatus(a.order_sn, 'SHIPPED');
    await sim.settled();
    expect(rx.got.slice(3).map((g) => JSON.parse(g.body).data.status)).toEqual(['SHIPPED', 'PROCESSED']);
  });

  test('a reordered push with nothing after it goes out after reorderHoldMs', async () => {
    await start(undefined, { reorderHoldMs: 50 });
    sim.pushFaults({ reorder: 1 });
    sim.createOrder(shopId);
    expect(rx.got).toHaveLength(0);
    await waitFor(() => rx.got.length === 1);
  });

  test('get_lost_push_message / confirm_consumed_lost_push_message', async () => {
    await start();
    const api = client(sim);
    sim.pushFaults({ drop: 3 });
    const orders = [sim.createOrder(shopId), sim.createOrder(shopId), sim.createOrder(shopId)];
    const page = await api.get('/api/v2/push/get_lost_push_message');
    expect(page.body['error']).toBe('');
    const resp = page.body['response'];
    expect(resp['has_next_page']).toBe(false);
    expect(resp['push_message_list']).toHaveLength(3);
    const first = resp['push_message_list'][0];
    expect(first).toEqual({ shop_id: shopId, code: 3, timestamp: expect.any(Number), data: expect.any(String) });
    expect(JSON.parse(first['data'])).toMatchObject({ code: 3, shop_id: shopId, data: { ordersn: orders[0]!.order_sn } });

    const ids = sim.lostPushes().map((l) => l.message_id);
    expect(resp['last_message_id']).toBe(ids[2]);
    expect((await api.post('/api/v2/push/confirm_consumed_lost_push_message', { last_message_id: ids[1] })).body['error']).toBe('');
    const rest = (await api.get('/api/v2/push/get_lost_push_message')).body['response'];
    expect(rest['push_message_list'].map((m: { data: string }) => JSON.parse(m.data).data.ordersn)).toEqual([orders[2]!.order_sn]);
    expect((await api.post('/api/v2/push/confirm_consumed_lost_push_message', { last_message_id: 1 })).body['error']).toBe('error_param');
    expect((await api.post('/api/v2/push/confirm_consumed_lost_push_message', {})).body['error']).toBe('error_param');
  });

  test('lost pushes: the earliest 100, has_next_page, only the last 3 days', async () => {
    await start();
    const api = client(sim);
    sim.pushFaults({ drop: { probability: 1 } });
    const first = sim.createOrder(shopId);
    sim.advance(3 * 86400 - 100);
    for (let i = 0; i < 100; i++) sim.createOrder(shopId);
    let r = (await api.get('/api/v2/push/get_lost_push_message')).body['response'];
    expect(r['push_message_list']).toHaveLength(100);
    expect(r['has_next_page']).toBe(true);
    expect(JSON.parse(r['push_message_list'][0].data).data.ordersn).toBe(first.order_sn);
    sim.advance(200); // the first one is now older than 3 days
    r = (await api.get('/api/v2/push/get_lost_push_message')).body['response'];
    expect(r['push_message_list']).toHaveLength(100);
    expect(r['has_next_page']).toBe(false);
    expect(rx.got).toHaveLength(0);
  });

  test('code 12 lists shops whose authorization ends within 7 days', async () => {
    await start();
    await client(sim).link(shopId);
    expect(sim.sendAuthorizationExpiryPush()).toBeUndefined();
    sim.advance(360 * 86400);
    sim.sendAuthorizationExpiryPush();
    await sim.settled();
    const body = JSON.parse(rx.got.at(-1)!.body);
    expect(body).toMatchObject({ code: 12, data: { shop_expire_soon: [shopId], merchant_expire_soon: [], page_no: 1, total_page: 1 } });
    expect(body.shop_id).toBeUndefined();
  });

  test('setPushUrl(undefined) stops pushing; the demo stream creates orders', async () => {
    await start();
    sim.setPushUrl(undefined);
    sim.createOrder(shopId);
    expect(sim.pushes.at(-1)).toMatchObject({ outcome: 'no_push_url' });
    sim.setPushUrl(rx.url);
    sim.startOrderStream(shopId, { firstWithinMs: 30, everyMs: [20, 30] });
    await waitFor(() => rx.got.length >= 2);
    sim.stopOrderStream();
    expect(sim.orders(shopId).length).toBeGreaterThanOrEqual(3);
  });
});
