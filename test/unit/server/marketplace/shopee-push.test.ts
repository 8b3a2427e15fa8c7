/** Shopee pushes as inbox rows (the official example payloads, ../shared/docs/marketplace.md §1.4.5). */
import { isVerifyPush, pushInboxRow, type ShopeePushBody } from '../../../../server/src/marketplace/shopee/push';

const row = (body: ShopeePushBody) => pushInboxRow(JSON.stringify(body), body);

describe('Shopee push → inbox row', () => {
  it('an order status push goes to the order’s stream under its msg_id', () => {
    const r = row({
      msg_id: '1ed4ce63',
      data: { items: [], ordersn: '220810QSK8S7BX', status: 'PROCESSED', update_time: 1660123127 },
      shop_id: 727720655,
      code: 3,
      timestamp: 1660123127,
    });
    expect(r).toMatchObject({
      source: 'shopee',
      type: 'order_status',
      streamKey: 'order:727720655:220810QSK8S7BX',
      dedupeKey: 'shopee:1ed4ce63',
      event: 'code_3',
    });
  });

  it('without msg_id, a status push is keyed by what changed, so a repeat is the same row and a new status is not', () => {
    const body = { data: { ordersn: 'A1', status: 'PROCESSED', update_time: 1 }, shop_id: 5, code: 3, timestamp: 1 };
    expect(row(body).dedupeKey).toBe(row({ ...body, timestamp: 2 }).dedupeKey);
    expect(row(body).dedupeKey).not.toBe(row({ ...body, data: { ...body.data, status: 'SHIPPED', update_time: 2 } }).dedupeKey);
  });

  it('a tracking-number push shares the order’s stream; shop pushes go to the shop’s (code 2 spells it shopid)', () => {
    expect(row({ data: { ordersn: 'B2', tracking_no: 'X', package_number: 'P' }, shop_id: 9, code: 4, timestamp: 1 })).toMatchObject({
      type: 'order_trackingno',
      streamKey: 'order:9:B2',
    });
    expect(row({ data: { authorize_type: 'expiry', shopid: 22000000, success: 1 }, code: 2, partner_id: 800000, timestamp: 1 })).toMatchObject({
      type: 'shop_authorization_canceled',
      streamKey: 'shop:22000000',
    });
    expect(row({ code: 12, timestamp: 1, data: { shop_expire_soon: [] } })).toMatchObject({ type: 'authorization_expiry', streamKey: 'shopee:partner' });
    expect(row({ code: 99, shop_id: 1, timestamp: 1, data: {} }).type).toBe('code_99');
  });

  it('recognises the console’s Verify message', () => {
    expect(isVerifyPush({ code: 0, data: { verify_info: 'This is a Verification message.Please respond in the certain format.' } })).toBe(true);
    expect(isVerifyPush({ code: 3, shop_id: 1, data: { ordersn: 'x' } })).toBe(false);
  });
});
