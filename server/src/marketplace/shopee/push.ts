import { createHash } from 'node:crypto';
import { scalarText } from '../../lib/text';
import type { InboxRow } from '../../wecom/callbacks/inbox-writer';

/**
 * A Shopee push as an inbox row (https://open.shopee.com/developer-guide/18; payloads in ../shared/docs/marketplace.md
 * §1.4.5). Pushes are hints: they repeat and arrive out of order, so the row only says what to re-read. Order pushes
 * of one order share a stream (applied one after another); the dedupe key is Shopee's `msg_id` when present, else the
 * fields that identify the change, else the body's hash.
 */
export const PUSH_TYPES: Record<number, string> = {
  1: 'shop_authorization',
  2: 'shop_authorization_canceled',
  3: 'order_status',
  4: 'order_trackingno',
  12: 'authorization_expiry',
  15: 'shipping_document_status',
  // No official example payload (../shared/docs/marketplace.md §1.4.4): handled as "re-read this return".
  29: 'return_updates',
};

export interface ShopeePushBody {
  code?: number;
  shop_id?: number;
  partner_id?: number;
  timestamp?: number;
  msg_id?: string;
  data?: Record<string, unknown>;
}

/** The console's Verify message (`{"code":0,"data":{"verify_info":…}}`): answered 2xx, not stored. */
export const isVerifyPush = (p: ShopeePushBody): boolean => p.code === 0 || Boolean(p.data && 'verify_info' in p.data);

export function pushInboxRow(raw: string, p: ShopeePushBody): InboxRow {
  const code = Number(p.code);
  const type = PUSH_TYPES[code] ?? `code_${code}`;
  const data = p.data ?? {};
  const shopId = scalarText(p.shop_id ?? data['shop_id'] ?? data['shopid']);
  const orderSn = typeof data['ordersn'] === 'string' ? data['ordersn'] : null;
  const returnSn = scalarText(data['return_sn']) || null;
  const streamKey = returnSn ? `return:${shopId}:${returnSn}` : orderSn ? `order:${shopId}:${orderSn}` : shopId ? `shop:${shopId}` : 'shopee:partner';
  const identity =
    p.msg_id ??
    (code === 3 && orderSn ? `${shopId}:3:${orderSn}:${scalarText(data['status'])}:${scalarText(data['update_time'])}` : null) ??
    (code === 29 && returnSn ? `${shopId}:29:${returnSn}:${scalarText(data['status'])}:${scalarText(data['update_time'])}` : null) ??
    createHash('sha256').update(raw).digest('hex');
  return {
    source: 'shopee',
    type,
    streamKey: streamKey.slice(0, 128),
    dedupeKey: `shopee:${identity}`.slice(0, 191),
    msgType: 'push',
    event: `code_${code}`,
    changeType: null,
    payload: raw,
  };
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
