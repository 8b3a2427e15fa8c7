// Ship flow: get_shipping_parameter → ship_order → get_tracking_number (empty until the 3PL answers, then push
// code 4). https://open.shopee.com/documents/v2/v2.logistics.ship_order and neighbours.
import type { ShopeeSim } from '../../../scripts/shopee-sim';
import { client, receiver, startTestSim, waitFor, type ShopCreds } from './helpers';

const PARAM = '/api/v2/logistics/get_shipping_parameter';
const SHIP = '/api/v2/logistics/ship_order';
const TRACK = '/api/v2/logistics/get_tracking_number';

describe('shopee-sim logistics', () => {
  let sim: ShopeeSim;
  let api: ReturnType<typeof client>;
  let creds: ShopCreds;
  let rx: Awaited<ReturnType<typeof receiver>>;

  beforeEach(async () => {
    rx = await receiver();
    sim = await startTestSim({ pushUrl: rx.url, trackingDelayMs: 300 });
    api = client(sim);
    creds = await api.link(sim.addShop({ name: 'Star River', region: 'MY' }).shopId);
  });
  afterEach(async () => {
    await sim.close();
    await rx.close();
  });

  test('pickup: parameters, ship, tracking number after the delay, pushes 3 and 4', async () => {
    const o = sim.createOrder(creds.shopId);
    const p = await api.get(PARAM, { order_sn: o.order_sn }, creds);
    expect(p.body['error']).toBe('');
    const resp = p.body['response'];
    expect(resp['info_needed']).toEqual({ pickup: ['address_id', 'pickup_time_id'], dropoff: ['branch_id'] });
    const address = resp['pickup']['address_list'][0];
    expect(address).toMatchObject({ address_id: expect.any(Number), region: 'MY', address_flag: expect.arrayContaining(['pickup_address']) });
    const slot = address['time_slot_list'][0];
    expect(slot).toMatchObject({ date: expect.any(Number), time_text: expect.any(String), pickup_time_id: expect.any(String) });
    expect(resp['dropoff']['branch_list'][0]).toMatchObject({ branch_id: expect.any(Number) });

    const shipped = await api.post(
      SHIP,
      { order_sn: o.order_sn, pickup: { address_id: address['address_id'], pickup_time_id: slot['pickup_time_id'] } },
      creds,
    );
    expect(shipped.body).toEqual({ request_id: expect.any(String), error: '', message: '' });
    expect(sim.order(o.order_sn)!.order_status).toBe('PROCESSED');
    expect(sim.order(o.order_sn)!.package.logistics_status).toBe('LOGISTICS_REQUEST_CREATED');

    const early = await api.get(TRACK, { order_sn: o.order_sn }, creds);
    expect(early.body['response']['tracking_number']).toBe('');
    expect(early.body['response']['hint']).toEqual(expect.any(String));

    await waitFor(() => sim.pushes.some((a) => a.code === 4));
    const later = await api.get(TRACK, { order_sn: o.order_sn, response_optional_fields: 'first_mile_tracking_number' }, creds);
    expect(later.body['response']).toEqual({ tracking_number: expect.stringMatching(/^SPXMY\d{11}$/), first_mile_tracking_number: '' });
    await sim.settled();
    const bodies = rx.got.map((g) => JSON.parse(g.body));
    expect(bodies.map((b) => [b.code, b.data.status ?? b.data.tracking_no])).toEqual([
      [3, 'READY_TO_SHIP'],
      [3, 'PROCESSED'],
      [4, later.body['response']['tracking_number']],
    ]);
    expect(bodies[2]).toMatchObject({
      shop_id: creds.shopId,
      data: { ordersn: o.order_sn, package_number: o.package.package_number, forder_id: expect.any(String) },
    });

    const again = await api.post(SHIP, { order_sn: o.order_sn, dropoff: { branch_id: resp['dropoff']['branch_list'][0]['branch_id'] } }, creds);
    expect(again.body['error']).toBe('logistics.package_already_shipped');
    expect((await api.get(PARAM, { order_sn: o.order_sn }, creds)).body).toMatchObject({
      error: 'error_param',
      message: 'Shipping parameters can only be obtained when package is ready to be shipped',
    });
  });

  test('tracking delay follows the sim clock too (setTrackingDelay + advance)', async () => {
    sim.setTrackingDelay(3_600_000);
    const o = sim.createOrder(creds.shopId);
    const p = (await api.get(PARAM, { order_sn: o.order_sn }, creds)).body['response'];
    const branch = p['dropoff']['branch_list'][0]['branch_id'];
    expect((await api.post(SHIP, { order_sn: o.order_sn, dropoff: { branch_id: branch } }, creds)).body['error']).toBe('');
    expect((await api.get(TRACK, { order_sn: o.order_sn }, creds)).body['response']['tracking_number']).toBe('');
    sim.advance(3601);
    expect((await api.get(TRACK, { order_sn: o.order_sn }, creds)).body['response']['tracking_number']).not.toBe('');
  });

  test('ship_order validation: one method, known ids, supported method, status', async () => {
    const o = sim.createOrder(creds.shopId);
    const p = (await api.get(PARAM, { order_sn: o.order_sn }, creds)).body['response'];
    const addressId = p['pickup']['address_list'][0]['address_id'];
    const timeId = p['pickup']['address_list'][0]['time_slot_list'][0]['pickup_time_id'];
    const ship = async (body: Record<string, unknown>): Promise<string> => (await api.post(SHIP, { order_sn: o.order_sn, ...body }, creds)).body['error'];

    expect(await ship({})).toBe('logistics.ship_order_only_support_one_type');
    expect(await ship({ pickup: { address_id: addressId, pickup_time_id: timeId }, dropoff: {} })).toBe('logistics.ship_order_only_support_one_type');
    expect(await ship({ pickup: {} })).toBe('logistics.ship_order_need_address_pickup_time');
    expect(await ship({ pickup: { address_id: 1, pickup_time_id: timeId } })).toBe('logistics.address_not_found');
    expect(await ship({ pickup: { address_id: addressId, pickup_time_id: '123' } })).toBe('logistics.ship_order_pickup_time_invalid');
    expect(await ship({ dropoff: {} })).toBe('logistics.ship_order_need_branch_id');
    expect(await ship({ non_integrated: { tracking_number: 'X1' } })).toBe('logistics.ship_order_unsupport_non_integrated');
    expect(await ship({ pickup: { address_id: addressId, pickup_time_id: timeId }, package_number: 'OFG0' })).toBe('logistics.package_not_exist');
    expect((await api.post(SHIP, { order_sn: '220101AAAAAAAA', dropoff: {} }, creds)).body['error']).toBe('error_not_found');

    const unpaid = sim.createOrder(creds.shopId, { order_status: 'UNPAID' });
    expect((await api.post(SHIP, { order_sn: unpaid.order_sn, dropoff: {} }, creds)).body['error']).toBe('logistics.ship_order_not_ready_to_ship');
    sim.setOrderStatus(unpaid.order_sn, 'CANCELLED');
    expect((await api.get(PARAM, { order_sn: unpaid.order_sn }, creds)).body).toMatchObject({
      error: 'error_status',
      message: 'The order has been cancelled.',
    });
    expect((await api.get(TRACK, { order_sn: '220101AAAAAAAA' }, creds)).body).toMatchObject({
      error: 'logistics.invalid_error',
      message: 'The order is not exist.',
    });
  });

  test('non-integrated channel: the seller’s tracking number, picked up at once', async () => {
    const o = sim.createOrder(creds.shopId, { shipping: 'non_integrated' });
    const p = (await api.get(PARAM, { order_sn: o.order_sn }, creds)).body['response'];
    expect(p).toEqual({ info_needed: { non_integrated: ['tracking_no'] }, dropoff: null, pickup: null });
    expect((await api.post(SHIP, { order_sn: o.order_sn, pickup: {} }, creds)).body['error']).toBe('logistics.ship_order_unsupport_pickup');
    expect((await api.post(SHIP, { order_sn: o.order_sn, non_integrated: { tracking_number: 'JNE0001' } }, creds)).body['error']).toBe('');
    const after = sim.order(o.order_sn)!;
    expect(after.order_status).toBe('SHIPPED');
    expect(after.package.logistics_status).toBe('LOGISTICS_PICKUP_DONE');
    expect((await api.get(TRACK, { order_sn: o.order_sn }, creds)).body['response']['tracking_number']).toBe('JNE0001');
  });

  test('RETRY_SHIP: parameters again, then update_shipping_order', async () => {
    const o = sim.createOrder(creds.shopId);
    sim.setOrderStatus(o.order_sn, 'PROCESSED');
    sim.setOrderStatus(o.order_sn, 'RETRY_SHIP');
    const p = (await api.get(PARAM, { order_sn: o.order_sn }, creds)).body['response'];
    const a = p['pickup']['address_list'][1];
    const r = await api.post(
      '/api/v2/logistics/update_shipping_order',
      { order_sn: o.order_sn, pickup: { address_id: a['address_id'], pickup_time_id: a['time_slot_list'][1]['pickup_time_id'] } },
      creds,
    );
    expect(r.body['error']).toBe('');
    expect(sim.order(o.order_sn)!.order_status).toBe('PROCESSED');
  });
});
