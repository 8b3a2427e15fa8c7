// Returns (after-sales): the model, v2.returns.get_return_list / get_return_detail / get_available_solutions / confirm /
// offer / accept_offer / get_return_dispute_reason / dispute (https://open.shopee.com/documents/v2/v2.returns.<api>),
// push code 29 (return_updates_push; payload is the simulator's assumption) and failNextReturnAction.
import { createHmac } from 'node:crypto';
import type { Order, Return, ShopeeSim } from '../../../scripts/shopee-sim';
import { client, PARTNER, receiver, secondsAgo, startTestSim, waitFor, type Json, type ShopCreds } from './helpers';

const LIST = '/api/v2/returns/get_return_list';
const DETAIL = '/api/v2/returns/get_return_detail';
const SOLUTIONS = '/api/v2/returns/get_available_solutions';
const CONFIRM = '/api/v2/returns/confirm';
const OFFER = '/api/v2/returns/offer';
const ACCEPT = '/api/v2/returns/accept_offer';
const REASONS = '/api/v2/returns/get_return_dispute_reason';
const DISPUTE = '/api/v2/returns/dispute';
const DAY = 86400;

describe('shopee-sim returns', () => {
  let sim: ShopeeSim;
  let api: ReturnType<typeof client>;
  let creds: ShopCreds;
  let rx: Awaited<ReturnType<typeof receiver>>;

  beforeEach(async () => {
    rx = await receiver();
    sim = await startTestSim({ seed: 7, pushUrl: rx.url, retryDelaysMs: [50, 100, 150] });
    api = client(sim);
    creds = await api.link(sim.addShop({ name: 'Star River', region: 'SG' }).shopId);
  });
  afterEach(async () => {
    await sim.close();
    await rx.close();
  });

  /** A delivered order (TO_CONFIRM_RECEIVE) of two items, one of each. */
  const delivered = (extra: Parameters<ShopeeSim['createOrder']>[1] = {}): Order =>
    sim.createOrder(creds.shopId, {
      order_status: 'TO_CONFIRM_RECEIVE',
      create_time: sim.now() - 4 * DAY,
      items: [{ model_quantity_purchased: 1 }, { model_quantity_purchased: 2 }],
      ...extra,
    });
  /** A return & refund request on all of a delivered order's items. */
  const returnRefund = (o = delivered()): Return =>
    sim.createReturn(o.order_sn, { reason: 'ITEM_DAMAGED', return_solution: 0, items: o.items.map((it) => ({ item_id: it.item_id })) });
  const pushes29 = (): Json[] => rx.got.map((r) => JSON.parse(r.body) as Json).filter((b) => b['code'] === 29);

  test('createReturn: Shopee-like fields, deadlines, order → TO_RETURN, RRBOC / RRAOC, refund only', async () => {
    const o = delivered();
    const before = sim.now();
    const r = returnRefund(o);
    expect(r.return_sn).toMatch(/^\d{6}0[0-9A-Z]{8}$/);
    expect(r).toMatchObject({
      order_sn: o.order_sn,
      shopId: creds.shopId,
      currency: 'SGD',
      status: 'REQUESTED',
      reason: 'ITEM_DAMAGED',
      reassessed_request_reason: 'NONE',
      return_solution: 0,
      needs_logistics: true,
      return_refund_type: 'RRBOC',
      return_refund_request_type: 0,
      validation_type: 'seller_validation',
      logistics_status: 'LOGISTICS_PENDING_ARRANGE',
      tracking_number: '',
      negotiation: { negotiation_status: 'PENDING_RESPOND', latest_solution: 'RETURN_REFUND', latest_offer_creator: o.buyer_username, counter_limit: 2 },
      seller_proof: { seller_proof_status: 'NOT_NEEDED', seller_evidence_deadline: 0 },
      seller_compensation: { seller_compensation_status: 'COMPENSATION_NOT_APPLICABLE' },
    });
    expect(r.create_time).toBeGreaterThanOrEqual(before);
    expect(r.update_time).toBe(r.create_time);
    expect(r.due_date).toBe(r.create_time + 3 * DAY);
    expect(r.return_ship_due_date).toBeGreaterThan(r.due_date);
    expect(r.return_seller_due_date).toBeGreaterThan(r.return_ship_due_date);
    expect(r.negotiation.offer_due_date).toBe(r.due_date);
    expect(r.item).toHaveLength(2);
    expect(r.item[1]).toMatchObject({ item_id: o.items[1]!.item_id, model_id: o.items[1]!.model_id, name: o.items[1]!.item_name, amount: 2 });
    expect(r.item[1]!.item_price).toBe(o.items[1]!.model_discounted_price);
    expect(r.item[1]!.variation_sku).toBe(o.items[1]!.model_sku);
    const expected = o.items.reduce((s, it) => s + it.model_discounted_price * it.model_quantity_purchased, 0);
    expect(r.refund_amount).toBeCloseTo(expected, 2);
    expect(r.negotiation.latest_offer_amount).toBe(r.refund_amount);
    expect(r.user.username).toBe(o.buyer_username);
    expect(r.user.email).toMatch(/^\*{6,}.{2}@/);
    expect(r.return_pickup_address).toMatchObject({ name: o.recipient_address.name, zipcode: o.recipient_address.zipcode });
    expect(sim.order(o.order_sn)!.order_status).toBe('TO_RETURN');
    expect(sim.return(r.return_sn)).toEqual(r);

    const done = sim.createOrder(creds.shopId, { order_status: 'COMPLETED', create_time: sim.now() - 9 * DAY });
    const refundOnly = sim.createReturn(done.order_sn, { reason: 'NOT_RECEIPT' });
    expect(refundOnly).toMatchObject({
      return_refund_type: 'RRAOC',
      return_solution: 1,
      needs_logistics: false,
      return_ship_due_date: 0,
      return_seller_due_date: 0,
      logistics_status: '',
      return_pickup_address: null,
      image: [],
      negotiation: { negotiation_status: 'TERMINATED', latest_solution: 'REFUND', latest_offer_creator: '' },
    });
    expect(sim.order(done.order_sn)!.order_status).toBe('COMPLETED');
    expect(sim.returns(creds.shopId).map((x) => x.return_sn)).toEqual([r.return_sn, refundOnly.return_sn]);

    expect(() => sim.createReturn(sim.createOrder(creds.shopId).order_sn)).toThrow(/READY_TO_SHIP: a return needs/);
    expect(() => sim.createReturn('NOPE')).toThrow(/unknown order/);
    expect(() => sim.createReturn(o.order_sn, { items: [{ item_id: 1 }] })).toThrow(/has no item/);
    await sim.settled();
  });

  test('get_return_list: page_no from 0, page_size ≤ 100, `more`, newest first, the 15-day windows and their errors', async () => {
    const now = sim.now();
    const sns: string[] = [];
    for (let i = 0; i < 5; i++) sns.push(sim.createReturn(delivered().order_sn, { create_time: now - i * 3600 }).return_sn);
    const old = sim.createReturn(delivered().order_sn, { create_time: now - 20 * DAY }).return_sn;
    const window = { create_time_from: now - 15 * DAY, create_time_to: now };

    const seen: string[] = [];
    for (let page = 0; ; page++) {
      const r = await api.get(LIST, { page_no: page, page_size: 2, ...window }, creds);
      expect(r.body).toMatchObject({ error: '', message: '' });
      expect(Object.keys(r.body['response'])).toEqual(['more', 'return']);
      seen.push(...r.body['response']['return'].map((x: Json) => x['return_sn']));
      if (!r.body['response']['more']) break;
      expect(page).toBeLessThan(5);
    }
    expect(seen).toEqual(sns);

    const all = await api.get(LIST, { page_no: 0, page_size: 100 }, creds);
    expect(all.body['response']['return']).toHaveLength(6);

    const err = async (q: Record<string, number | string>): Promise<Json> => (await api.get(LIST, { page_no: 0, page_size: 10, ...q }, creds)).body;
    expect(await err({ create_time_from: now - 15 * DAY - 1, create_time_to: now })).toMatchObject({
      error: 'error_param',
      message: 'The period between create_time_from and created_time_of must not more than 15 days.',
    });
    expect(await err({ create_time_from: now, create_time_to: now - 1 })).toMatchObject({
      error: 'error_param',
      message: 'The create_time_to should be later than create_time_from.',
    });
    expect(await err({ update_time_from: now - 16 * DAY, update_time_to: now })).toMatchObject({
      error: 'error_param',
      message: 'The period between update_time_from and update_time_to must not more than 15 days.',
    });
    expect(await err({ update_time_from: now, update_time_to: now - 1 })).toMatchObject({
      error: 'error_param',
      message: 'The update_time_to should be later than update_time_from.',
    });
    expect(await err({ ...window, update_time_from: now - 16 * DAY + 1, update_time_to: now - 2 * DAY })).toMatchObject({
      error: 'error_param',
      message: 'The update_time_from must be after create_time_from.',
    });
    expect((await err({ create_time_from: now })).error).toBe('error_param');
    expect((await err({ status: 'DONE' })).error).toBe('error_param');
    expect((await api.get(LIST, { page_no: 0, page_size: 101 }, creds)).body['error']).toBe('error_param');
    expect((await api.get(LIST, { page_no: 0, page_size: 0 }, creds)).body['error']).toBe('error_param');
    // A missing page_no answers what a third-party integration captured from the live API.
    expect((await api.get(LIST, { page_size: 10 }, creds)).body).toMatchObject({ error: 'error_data', message: 'Inner error, please try later. [5].' });

    // Moving the clock applies deadlines: the 20-day-old request was never answered, so Shopee approved it.
    sim.advance(60);
    expect(sim.return(old)!.status).not.toBe('REQUESTED');
    sim.setReturnStatus(sns[2]!, 'CANCELLED');
    const updated = await api.get(LIST, { page_no: 0, page_size: 10, update_time_from: sim.now() - 5, update_time_to: sim.now() }, creds);
    expect(updated.body['response']['return'].map((x: Json) => x['return_sn'])).toEqual([sns[2], old]);
    const cancelled = await api.get(LIST, { page_no: 0, page_size: 10, status: 'CANCELLED' }, creds);
    expect(cancelled.body['response']['return'].map((x: Json) => [x['return_sn'], x['status']])).toEqual([[sns[2], 'CANCELLED']]);
    const negotiating = await api.get(LIST, { page_no: 0, page_size: 10, negotiation_status: 'TERMINATED' }, creds);
    expect(negotiating.body['response']['return'].map((x: Json) => x['return_sn'])).toContain(sns[2]);
    // The page's sample filters by "NOT_REQUIRED"; the data definition says COMPENSATION_NOT_REQUIRED. Both work.
    expect((await err({ seller_compensation_status: 'NOT_APPLICABLE' })).response.return).toHaveLength(6);
    expect((await err({ seller_compensation_status: 'COMPENSATION_NOT_APPLICABLE' })).response.return).toHaveLength(6);

    // Another shop's returns are not listed.
    const other = await api.link(sim.addShop({ name: 'Other', region: 'SG' }).shopId);
    expect((await api.get(LIST, { page_no: 0, page_size: 10 }, other)).body['response']).toEqual({ more: false, return: [] });
    await sim.settled();
  });

  test('list item and detail fields: the pages’ tables, in their order', async () => {
    const r = returnRefund();
    const list = await api.get(LIST, { page_no: 0, page_size: 10 }, creds);
    const item = list.body['response']['return'][0];
    expect(Object.keys(item)).toEqual([
      'image',
      'reason',
      'text_reason',
      'reassessed_request_reason',
      'return_sn',
      'refund_amount',
      'currency',
      'create_time',
      'update_time',
      'status',
      'due_date',
      'tracking_number',
      'dispute_reason',
      'dispute_text_reason',
      'needs_logistics',
      'amount_before_discount',
      'user',
      'item',
      'order_sn',
      'return_ship_due_date',
      'return_seller_due_date',
      'negotiation_status',
      'seller_proof_status',
      'seller_compensation_status',
      'return_refund_type',
      'return_solution',
      'is_seller_arrange',
      'is_shipping_proof_mandatory',
      'return_refund_request_type',
      'validation_type',
    ]);
    expect(Object.keys(item['user'])).toEqual(['username', 'email', 'portrait']);
    expect(Object.keys(item['item'][0])).toEqual([
      'model_id',
      'name',
      'images',
      'amount',
      'item_price',
      'is_add_on_deal',
      'is_main_item',
      'add_on_deal_id',
      'item_id',
      'item_sku',
      'variation_sku',
    ]);
    expect(item).toMatchObject({
      return_sn: r.return_sn,
      status: 'REQUESTED',
      negotiation_status: 'PENDING_RESPOND',
      return_solution: 0,
      due_date: r.due_date,
    });

    const d = await api.get(DETAIL, { return_sn: r.return_sn }, creds);
    expect(d.body['error']).toBe('');
    const detail = d.body['response'];
    expect(Object.keys(detail)).toEqual([
      'image',
      'buyer_videos',
      'reason',
      'text_reason',
      'reassessed_request_reason',
      'return_sn',
      'refund_amount',
      'currency',
      'create_time',
      'update_time',
      'status',
      'due_date',
      'tracking_number',
      'dispute_reason',
      'dispute_text_reason',
      'needs_logistics',
      'amount_before_discount',
      'user',
      'item',
      'order_sn',
      'return_ship_due_date',
      'return_seller_due_date',
      'activity',
      'seller_proof',
      'seller_compensation',
      'negotiation',
      'logistics_status',
      'reverse_logistics_status',
      'reverse_logistic_status',
      'return_pickup_address',
      'return_refund_type',
      'return_solution',
      'is_seller_arrange',
      'is_shipping_proof_mandatory',
      'has_uploaded_shipping_proof',
      'is_reverse_logistics_channel_integrated',
      'reverse_logistics_channel_name',
      'reverse_logistic_channel_name',
      'return_refund_request_type',
      'validation_type',
    ]);
    expect(Object.keys(detail['item'][0])).toContain('refund_amount');
    expect(detail['negotiation']).toEqual(r.negotiation);
    expect(Object.keys(detail['negotiation'])).toEqual([
      'negotiation_status',
      'latest_solution',
      'latest_offer_amount',
      'latest_offer_creator',
      'counter_limit',
      'offer_due_date',
    ]);
    expect(detail['seller_proof']).toEqual({ seller_proof_status: 'NOT_NEEDED', seller_evidence_deadline: 0 });
    expect(Object.keys(detail['seller_compensation'])).toEqual(['seller_compensation_status', 'seller_compensation_due_date', 'compensation_amount']);
    expect(Object.keys(detail['return_pickup_address'])).toEqual(['address', 'name', 'phone', 'town', 'district', 'city', 'state', 'region', 'zipcode']);

    expect((await api.get(DETAIL, { return_sn: '2401010ABCDEFGH' }, creds)).body).toMatchObject({
      error: 'error_data',
      message: "The return you queried doesn't exist",
    });
    expect((await api.get(DETAIL, {}, creds)).body['error']).toBe('error_param');
    const other = await api.link(sim.addShop({ name: 'Other', region: 'SG' }).shopId);
    expect((await api.get(DETAIL, { return_sn: r.return_sn }, other)).body).toMatchObject({
      error: 'error_permission',
      message: "You don't have permission to view this return data.",
    });

    const wh = sim.createReturn(delivered().order_sn, { return_solution: 0, validation_type: 'warehouse_validation' });
    const whDetail = (await api.get(DETAIL, { return_sn: wh.return_sn }, creds)).body['response'];
    expect(whDetail).toMatchObject({
      validation_type: 'warehouse_validation',
      is_arrived_at_warehouse: 1,
      follow_up_action_list: [],
      return_address: { whs_id: 'SGC' },
    });
    await sim.settled();
  });

  test('confirm: REQUESTED → ACCEPTED (order COMPLETED), then the documented wrong-state errors', async () => {
    const o = delivered();
    const r = returnRefund(o);
    sim.advance(30);
    const c = await api.post(CONFIRM, { return_sn: r.return_sn }, creds);
    expect(c.body).toMatchObject({ error: '', message: '', response: { return_sn: r.return_sn } });
    const after = sim.return(r.return_sn)!;
    expect(after).toMatchObject({
      status: 'ACCEPTED',
      refund_amount: r.refund_amount,
      negotiation: { negotiation_status: 'TERMINATED' },
      seller_compensation: { seller_compensation_status: 'COMPENSATION_PENDING_REQUEST', seller_compensation_due_date: secondsAgo(sim.now() + 7 * DAY) },
    });
    expect(after.update_time).toEqual(secondsAgo(sim.now()));
    expect(sim.order(o.order_sn)!.order_status).toBe('COMPLETED');

    expect((await api.post(CONFIRM, { return_sn: r.return_sn }, creds)).body).toMatchObject({
      error: 'error_data',
      message: 'Invalid return status: ACCEPTED',
    });
    expect((await api.post(CONFIRM, { return_sn: 'nope' }, creds)).body).toMatchObject({
      error: 'error_data',
      message: "The return you queried doesn't exist",
    });
    expect((await api.post(CONFIRM, {}, creds)).body['error']).toBe('error_param');

    const disputed = sim.setReturnStatus(returnRefund().return_sn, 'SELLER_DISPUTE');
    expect((await api.post(CONFIRM, { return_sn: disputed.return_sn }, creds)).body).toMatchObject({
      error: 'error_data',
      message: 'Shopee is reviewing the case and will get back to you.',
    });
    const wh = sim.createReturn(delivered().order_sn, { return_solution: 0, validation_type: 'warehouse_validation', status: 'PROCESSING' });
    expect((await api.post(CONFIRM, { return_sn: wh.return_sn }, creds)).body).toMatchObject({
      error: 'error_validation',
      message: 'Action cannot be performed by shop because the validation_type of Return/Refund request = warehouse_validation',
    });
    const refundOnly = sim.createReturn(delivered().order_sn, { reason: 'ITEM_MISSING' });
    expect((await api.post(CONFIRM, { return_sn: refundOnly.return_sn }, creds)).body['error']).toBe('');
    expect(sim.return(refundOnly.return_sn)!.status).toBe('ACCEPTED');
    await sim.settled();
  });

  test('get_available_solutions, offer, the buyer’s answers and accept_offer', async () => {
    const r = returnRefund();
    const full = r.refund_amount;
    const sol = await api.get(SOLUTIONS, { return_sn: r.return_sn }, creds);
    expect(sol.body['response']).toEqual({
      return_sn: r.return_sn,
      offer_return_refund: { eligibility: true, refund_amount_adjustable: true, max_refund_amount: full, min_refund_amount: expect.any(Number) },
      offer_refund: { eligibility: true, refund_amount_adjustable: true, max_refund_amount: full, min_refund_amount: expect.any(Number) },
    });
    const min = sol.body['response']['offer_refund']['min_refund_amount'] as number;
    expect(min).toBeGreaterThan(0);
    expect(min).toBeLessThan(full);

    const offer = (body: Json): Promise<Json> => api.post(OFFER, { return_sn: r.return_sn, ...body }, creds).then((x) => x.body);
    expect(await offer({ proposed_solution: 'EXCHANGE', proposed_adjusted_refund_amount: 1 })).toMatchObject({
      error: 'error_param',
      message: 'This proposed solution is not one of the available solutions for this return.',
    });
    expect(await offer({ proposed_solution: 'REFUND' })).toMatchObject({
      error: 'error_param',
      message: 'Please fill a value for proposed adjusted refund amount',
    });
    expect(await offer({ proposed_solution: 'REFUND', proposed_adjusted_refund_amount: -1 })).toMatchObject({
      message: 'The proposed adjusted refund amount must be positive',
    });
    expect(await offer({ proposed_solution: 'REFUND', proposed_adjusted_refund_amount: 1.234 })).toMatchObject({
      message: 'The proposed adjusted refund amount only accepts 2 digit(s) after decimal point',
    });
    expect(await offer({ proposed_solution: 'REFUND', proposed_adjusted_refund_amount: Math.round((full + 1) * 100) / 100 })).toMatchObject({
      message: 'The proposed adjusted refund amount can not exceed max refund amount',
    });
    expect(await offer({ proposed_solution: 'REFUND', proposed_adjusted_refund_amount: Math.floor(min * 50) / 100 })).toMatchObject({
      message: 'The proposed adjusted refund amount can not be lower than min refund amount',
    });

    // Accepting before offering accepts the buyer's own request (return & refund: the parcel comes back).
    const half = Math.round(full * 50) / 100;
    sim.advance(10);
    const before = sim.now();
    expect(await offer({ proposed_solution: 'REFUND', proposed_adjusted_refund_amount: half })).toMatchObject({
      error: '',
      response: { return_sn: r.return_sn },
    });
    const offered = sim.return(r.return_sn)!;
    expect(offered.negotiation).toEqual({
      negotiation_status: 'PENDING_BUYER_RESPOND',
      latest_solution: 'REFUND',
      latest_offer_amount: half,
      latest_offer_creator: 'starriver',
      counter_limit: 1,
      offer_due_date: expect.any(Number),
    });
    // Set when the offer was made (real time runs on: a second may tick over during the call).
    expect(offered.negotiation.offer_due_date - 2 * DAY).toBeGreaterThanOrEqual(before);
    expect(offered.negotiation.offer_due_date - 2 * DAY).toBeLessThanOrEqual(sim.now());
    expect(offered.status).toBe('REQUESTED');
    expect(offered.update_time).toBeGreaterThanOrEqual(before);
    expect((await api.post(ACCEPT, { return_sn: r.return_sn }, creds)).body).toMatchObject({ error: 'err_data', message: 'Cannot accept your own offer.' });
    expect(await offer({ proposed_solution: 'REFUND', proposed_adjusted_refund_amount: half })).toMatchObject({
      error: 'error_negotiation_status',
      message: 'The negotiation status cannot support this action',
    });

    // The buyer counters; the seller accepts the counter: a partial refund, the buyer keeps the item.
    const counter = Math.round(full * 75) / 100;
    sim.buyerRespondToOffer(r.return_sn, { solution: 'REFUND', amount: counter });
    expect(sim.return(r.return_sn)!.negotiation).toMatchObject({
      negotiation_status: 'PENDING_RESPOND',
      latest_offer_creator: r.user.username,
      latest_offer_amount: counter,
    });
    expect((await api.post(ACCEPT, { return_sn: r.return_sn }, creds)).body).toMatchObject({ error: '', response: { return_sn: r.return_sn } });
    expect(sim.return(r.return_sn)).toMatchObject({
      status: 'ACCEPTED',
      refund_amount: counter,
      return_solution: 1,
      needs_logistics: false,
      negotiation: { negotiation_status: 'TERMINATED' },
    });
    expect((await api.post(ACCEPT, { return_sn: r.return_sn }, creds)).body).toMatchObject({
      error: 'error_return_status',
      message: 'The return status cannot support this action',
    });
    expect(await offer({ proposed_solution: 'REFUND', proposed_adjusted_refund_amount: half })).toMatchObject({ error: 'error_return_status' });

    // The buyer rejects an offer without countering: nothing to accept.
    const r2 = returnRefund();
    await api.post(OFFER, { return_sn: r2.return_sn, proposed_solution: 'RETURN_REFUND', proposed_adjusted_refund_amount: r2.refund_amount }, creds);
    sim.buyerRespondToOffer(r2.return_sn, 'reject');
    expect((await api.post(ACCEPT, { return_sn: r2.return_sn }, creds)).body).toMatchObject({
      error: 'error_no_buyer_offer',
      message: 'cannot accept refund offer because there is no counter proposal from buyer',
    });

    // Accepting the buyer's original return & refund request: PROCESSING, the parcel has to come back.
    const r3 = returnRefund();
    expect((await api.post(ACCEPT, { return_sn: r3.return_sn }, creds)).body['error']).toBe('');
    const processing = sim.return(r3.return_sn)!;
    expect(processing).toMatchObject({ status: 'PROCESSING', return_solution: 0, needs_logistics: true, logistics_status: 'LOGISTICS_PENDING_ARRANGE' });
    expect(processing.return_ship_due_date).toBe(processing.update_time + 7 * DAY);
    expect(processing.due_date).toBe(processing.return_seller_due_date);
    const sol3 = await api.get(SOLUTIONS, { return_sn: r3.return_sn }, creds);
    expect(sol3.body['response']['offer_refund']).toEqual({ eligibility: false, refund_amount_adjustable: false });
    sim.advanceReturnLogistics(r3.return_sn);
    sim.advanceReturnLogistics(r3.return_sn);
    expect(sim.return(r3.return_sn)).toMatchObject({
      logistics_status: 'LOGISTICS_REQUEST_CREATED',
      tracking_number: expect.stringMatching(/^RN[A-Z]{3}\d{8}$/),
    });

    // Refund-only requests have no negotiation.
    const ro = sim.createReturn(delivered().order_sn, { reason: 'NOT_RECEIPT' });
    expect((await api.get(SOLUTIONS, { return_sn: ro.return_sn }, creds)).body).toMatchObject({
      error: 'error_data',
      message: 'Type of return does not allow seller to offer refund',
    });
    expect((await api.post(OFFER, { return_sn: ro.return_sn, proposed_solution: 'REFUND', proposed_adjusted_refund_amount: 1 }, creds)).body).toMatchObject({
      error: 'error_data',
      message: 'Type of return does not allow seller to offer refund',
    });
    expect((await api.post(ACCEPT, { return_sn: ro.return_sn }, creds)).body).toMatchObject({
      error: 'error_no_buyer_offer',
      message: 'cannot accept refund offer because there is no proposal from buyer',
    });

    const disputed = sim.setReturnStatus(returnRefund().return_sn, 'SELLER_DISPUTE');
    expect(
      (await api.post(OFFER, { return_sn: disputed.return_sn, proposed_solution: 'REFUND', proposed_adjusted_refund_amount: 1 }, creds)).body,
    ).toMatchObject({
      error: 'error_ongoing_dispute',
      message: 'cannot offer refund to buyer when return has ongoing dispute',
    });
    expect((await api.get(SOLUTIONS, { return_sn: disputed.return_sn }, creds)).body['message']).toBe('Shopee is reviewing the case and will get back to you.');
    await sim.settled();
  });

  test('get_return_dispute_reason and dispute: evidence rules, → SELLER_DISPUTE, then the documented refusals', async () => {
    const r = returnRefund();
    const reasons = await api.get(REASONS, { return_sn: r.return_sn }, creds);
    const list = reasons.body['response']['dispute_reason_list'] as Json[];
    expect(list.map((x) => x['dispute_reason'])).toEqual(['50', '49', '48', '47', '51']);
    expect(Object.keys(list[0]!)).toEqual(['dispute_reason', 'dispute_requirement', 'sample_evidence', 'evidence_module_list']);
    expect(list[0]!['evidence_module_list'][0]).toEqual({
      module_index: 1,
      requirement: 'Photo(s) or Video of unboxing the returned parcel with the consignment note (Airway Bill).',
      is_required: true,
    });
    expect((await api.get(REASONS, { return_sn: 'nope' }, creds)).body).toMatchObject({
      error: 'dispute.request.param.error',
      message: 'The return_sn you requested was not queried, please check it',
    });

    const modules = (list.find((x) => x['dispute_reason'] === '49')!['evidence_module_list'] as Json[]).map((m) => ({
      module_index: m['module_index'],
      requirement: m['requirement'],
      image_url: ['https://fileproxy.scsusercontent.com/api/v2/files/c2hvcGVlLWRyYzAx/a.jpg'],
    }));
    const dispute = (body: Json): Promise<Json> =>
      api.post(DISPUTE, { return_sn: r.return_sn, email: 'ops@starriver.sg', dispute_reason_id: 49, image_list: modules, ...body }, creds).then((x) => x.body);
    expect(await dispute({ email: '' })).toMatchObject({ error: 'dispute.request.param.error', message: 'Input invalid email=[]' });
    expect(await dispute({ dispute_reason_id: undefined })).toMatchObject({ message: "Can't raise dispute because the dispute reason is empty" });
    expect(await dispute({ dispute_reason_id: 12 })).toMatchObject({
      message: "Can't raise dispute because the return_sn and dispute_reason_id does not match.",
    });
    expect(await dispute({ image_list: modules.slice(1) })).toMatchObject({ message: 'Unable to raise dispute as mandatory module index is missing' });
    expect(await dispute({ image_list: [{ ...modules[0], image_url: [] }, ...modules.slice(1)] })).toMatchObject({
      message: "can't raise dispute because mandatory evidence is missing",
    });
    expect(await dispute({ image_list: [{ ...modules[0], requirement: 'x' }, ...modules.slice(1)] })).toMatchObject({
      message: "can't raise dispute because the requirement and dispute reason ID does not match",
    });
    expect(await dispute({ image_list: [{ ...modules[0], image_url: ['a', 'b', 'c', 'd'] }, ...modules.slice(1)] })).toMatchObject({
      message: 'Invalid images, images max size is 3 per module',
    });
    expect(sim.return(r.return_sn)!.status).toBe('REQUESTED');

    sim.advance(5);
    expect(await dispute({ dispute_text_reason: "Received return item(s), buyer's claim incorrect" })).toEqual({
      request_id: expect.any(String),
      error: '',
      message: '',
      response: { return_sn: r.return_sn, msg: 'dispute return success' },
    });
    expect(sim.return(r.return_sn)).toMatchObject({
      status: 'SELLER_DISPUTE',
      dispute_reason: ['UNKNOWN'],
      dispute_text_reason: ["Received return item(s), buyer's claim incorrect"],
      negotiation: { negotiation_status: 'TERMINATED' },
      seller_proof: { seller_proof_status: 'UPLOADED', seller_evidence_deadline: secondsAgo(sim.now() + 3 * DAY) },
      update_time: sim.now(),
    });
    expect(await dispute({})).toMatchObject({
      error: 'returnsn.illegal',
      message: 'Return status does not allow initiating a dispute case（From dispute side）',
    });
    sim.setReturnStatus(r.return_sn, 'JUDGING');
    sim.setReturnStatus(r.return_sn, 'CLOSED');
    expect(await dispute({})).toMatchObject({
      error: 'error_return_status',
      message: 'Cannot raise dispute because return SN is not in REQUESTED, RETURN_PROCESSING, or RETURN_ACCEPTED',
    });
    expect(() => sim.setReturnStatus(r.return_sn, 'REQUESTED')).toThrow(/not allowed/);

    // "Did not receive the return product" needs no images; without evidence the proof is PENDING until its deadline.
    const r2 = returnRefund();
    const d2 = await api.post(DISPUTE, { return_sn: r2.return_sn, email: 'ops@starriver.sg', dispute_reason_id: 51 }, creds);
    expect(d2.body['error']).toBe('');
    expect(sim.return(r2.return_sn)!.seller_proof.seller_proof_status).toBe('PENDING');
    sim.advance(3 * DAY);
    expect(sim.return(r2.return_sn)!.seller_proof.seller_proof_status).toBe('OVERDUE');
    creds = await api.link(creds.shopId); // the access token expired meanwhile

    // ACCEPTED: only a compensation dispute.
    const r3 = returnRefund();
    await api.post(CONFIRM, { return_sn: r3.return_sn }, creds);
    const d3 = await api.post(DISPUTE, { return_sn: r3.return_sn, email: 'ops@starriver.sg', dispute_reason_id: 51 }, creds);
    expect(d3.body['error']).toBe('');
    expect(sim.return(r3.return_sn)).toMatchObject({ status: 'ACCEPTED', seller_compensation: { seller_compensation_status: 'COMPENSATION_REQUESTED' } });
    expect((await api.post(DISPUTE, { return_sn: r3.return_sn, email: 'ops@starriver.sg', dispute_reason_id: 51 }, creds)).body['error']).toBe(
      'returnsn.illegal',
    );
    await sim.settled();
  });

  test('push code 29 on create and on every change, signed like the others; dropped ones reach the lost store', async () => {
    const o = delivered();
    await sim.settled();
    rx.got.length = 0;
    const r = returnRefund(o);
    await sim.settled();
    const bodies = (): Json[] => rx.got.map((x) => JSON.parse(x.body) as Json);
    // The return, and the order moving to TO_RETURN (separate deliveries: arrival order is not guaranteed).
    expect(bodies().map((b) => b['code'])).toEqual(expect.arrayContaining([29, 3]));
    expect(rx.got).toHaveLength(2);
    expect(bodies().find((b) => b['code'] === 3)!['data']).toMatchObject({ ordersn: o.order_sn, status: 'TO_RETURN' });
    const first = rx.got.find((x) => (JSON.parse(x.body) as Json)['code'] === 29)!;
    const expected = createHmac('sha256', PARTNER.partnerKey).update(`${rx.url}|${first.body}`).digest('hex');
    expect(first.headers['authorization']).toBe(expected);
    expect(JSON.parse(first.body)).toEqual({
      msg_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      data: { return_sn: r.return_sn, order_sn: o.order_sn, status: 'REQUESTED', update_time: r.update_time },
      shop_id: creds.shopId,
      code: 29,
      timestamp: expect.any(Number),
    });

    sim.advance(20);
    await api.post(CONFIRM, { return_sn: r.return_sn }, creds);
    await sim.settled();
    const last = pushes29().at(-1)!;
    expect(last['data']).toEqual({ return_sn: r.return_sn, order_sn: o.order_sn, status: 'ACCEPTED', update_time: sim.now() });
    expect(bodies().some((b) => b['code'] === 3 && b['data']['ordersn'] === o.order_sn && b['data']['status'] === 'COMPLETED')).toBe(true);

    const o2 = delivered();
    sim.pushFaults({ drop: 1 });
    const r2 = returnRefund(o2);
    await sim.settled();
    const lost = sim.lostPushes().filter((l) => l.code === 29);
    expect(lost).toHaveLength(1);
    expect(JSON.parse(lost[0]!.data)['data']['return_sn']).toBe(r2.return_sn);
    const page = await api.get('/api/v2/push/get_lost_push_message', {});
    expect(page.body['response']['push_message_list']).toEqual([{ shop_id: creds.shopId, code: 29, timestamp: lost[0]!.timestamp, data: lost[0]!.data }]);
  });

  test('failNextReturnAction: the next action answers the armed error once', async () => {
    const r = returnRefund();
    expect(() => sim.failNextReturnAction('nope', 'error_server', 'x')).toThrow(/unknown return/);
    sim.failNextReturnAction(r.return_sn, 'error_data', 'Query return info failed. Please try later.');
    const failed = await api.post(CONFIRM, { return_sn: r.return_sn }, creds);
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ error: 'error_data', message: 'Query return info failed. Please try later.' });
    expect(failed.body['response']).toBeUndefined();
    expect(sim.return(r.return_sn)!.status).toBe('REQUESTED');
    sim.failNextReturnAction(r.return_sn, 'error_server', 'Something wrong. Please try later.');
    expect((await api.post(ACCEPT, { return_sn: r.return_sn }, creds)).body['error']).toBe('error_server');
    expect((await api.post(CONFIRM, { return_sn: r.return_sn }, creds)).body['error']).toBe('');
    expect(sim.return(r.return_sn)!.status).toBe('ACCEPTED');
    await sim.settled();
  });

  test('deadlines on the simulator clock: Shopee approves the buyer, the buyer never ships, the seller never decides', async () => {
    const rr = returnRefund();
    const ro = sim.createReturn(delivered().order_sn, { reason: 'NOT_RECEIPT' });
    sim.advance(3 * DAY - 10);
    expect(sim.return(rr.return_sn)!.status).toBe('REQUESTED');
    sim.advance(10);
    expect(sim.return(rr.return_sn)).toMatchObject({ status: 'PROCESSING', update_time: sim.now() });
    expect(sim.return(ro.return_sn)!.status).toBe('ACCEPTED');
    sim.advance(7 * DAY);
    expect(sim.return(rr.return_sn)!.status).toBe('CANCELLED');

    const shipped = returnRefund();
    sim.setReturnStatus(shipped.return_sn, 'PROCESSING');
    for (let i = 0; i < 4; i++) sim.advanceReturnLogistics(shipped.return_sn);
    const back = sim.return(shipped.return_sn)!;
    expect(back).toMatchObject({
      logistics_status: 'LOGISTICS_DELIVERY_DONE',
      return_seller_due_date: secondsAgo(sim.now() + 3 * DAY),
      due_date: secondsAgo(sim.now() + 3 * DAY),
    });
    expect(() => sim.advanceReturnLogistics(shipped.return_sn)).toThrow(/already delivered/);
    sim.advance(3 * DAY);
    expect(sim.return(shipped.return_sn)!.status).toBe('ACCEPTED');
    await sim.settled();
  });

  test('the demo stream ships waiting orders and raises and moves returns', async () => {
    const old = sim.createOrder(creds.shopId, { order_status: 'COMPLETED', create_time: sim.now() - 5 * DAY });
    const waiting = sim.createOrder(creds.shopId, { create_time: sim.now() - DAY });
    sim.startOrderStream(creds.shopId, {
      firstWithinMs: 20,
      everyMs: [20, 30],
      cancelChance: 0,
      shipChance: 1,
      shipAfterS: 600,
      returnChance: 1,
      returnProgressChance: 1,
    });
    await waitFor(() => sim.returns().some((r) => r.order_sn === old.order_sn) && sim.order(waiting.order_sn)!.order_status !== 'READY_TO_SHIP');
    sim.stopOrderStream();
    expect(sim.order(waiting.order_sn)!.order_status).toBe('PROCESSED');
    expect(sim.returns().find((r) => r.order_sn === old.order_sn)).toMatchObject({ return_refund_type: 'RRAOC' });
    await sim.settled();
    expect(pushes29().length).toBeGreaterThanOrEqual(1);
  });
});
