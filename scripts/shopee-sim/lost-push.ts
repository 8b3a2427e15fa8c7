// The lost-push store behind v2.push.get_lost_push_message / confirm_consumed_lost_push_message
// (https://open.shopee.com/documents/v2/v2.push.get_lost_push_message): the earliest 100 unconfirmed messages lost
// within the last 3 days; `data` is the push body as a JSON string; confirming a last_message_id consumes every
// message up to it.
import type { PushMessage } from './push-payloads';

export const LOST_PAGE_SIZE = 100;
export const LOST_WINDOW_S = 3 * 86400;

export interface LostPush {
  message_id: number;
  shop_id?: number;
  code: number;
  /** When the message was lost (simulator seconds). */
  timestamp: number;
  data: string;
  msgId: string;
  confirmed: boolean;
}

export class LostPushStore {
  private readonly items: LostPush[] = [];
  private nextId = 176601;

  add(msg: PushMessage, lostAt: number): LostPush {
    const item: LostPush = {
      message_id: this.nextId++,
      ...(msg.shopId === undefined ? {} : { shop_id: msg.shopId }),
      code: msg.code,
      timestamp: lostAt,
      data: msg.body,
      msgId: msg.msgId,
      confirmed: false,
    };
    this.items.push(item);
    return item;
  }

  all(): readonly LostPush[] {
    return this.items;
  }

  private pending(now: number): LostPush[] {
    return this.items.filter((m) => !m.confirmed && m.timestamp > now - LOST_WINDOW_S);
  }

  /** The get_lost_push_message response object. */
  page(now: number): { push_message_list: Record<string, unknown>[]; has_next_page: boolean; last_message_id: number } {
    const pending = this.pending(now);
    const page = pending.slice(0, LOST_PAGE_SIZE);
    return {
      push_message_list: page.map((m) => ({ ...(m.shop_id === undefined ? {} : { shop_id: m.shop_id }), code: m.code, timestamp: m.timestamp, data: m.data })),
      has_next_page: pending.length > LOST_PAGE_SIZE,
      last_message_id: page.at(-1)?.message_id ?? 0,
    };
  }

  /** Consume every message up to `lastMessageId`; false when that id was never handed out. */
  confirm(lastMessageId: number): boolean {
    if (!this.items.some((m) => m.message_id === lastMessageId)) return false;
    for (const m of this.items) if (m.message_id <= lastMessageId) m.confirmed = true;
    return true;
  }
}
