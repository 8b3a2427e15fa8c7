import { UniqueKeys } from '../../platform/unique';
import { parseCallbackXml } from '../crypto/callback-xml';
import type { CallbackFields } from './dedupe-key';

/** Where an inbox row came from. `wecom` callbacks today; marketplace webhooks and card actions later. */
export const INBOX_SOURCES = ['wecom', 'shopee', 'taobao', 'card'] as const;
export type InboxSource = (typeof INBOX_SOURCES)[number];

/** What applying an inbox event did; 'ignored' marks events the product does not act on (yet). */
export type ApplyOutcome = 'applied' | 'ignored';

/** A stored inbox row as its handler sees it: parsed, with the keys it was stored under. */
export interface InboxEvent<F = Record<string, unknown>> {
  /** The inbox row id (increasing in arrival order). */
  id: number;
  source: InboxSource;
  /** The handler key (WeCom: `Event:ChangeType`, `Event` or `msg:<MsgType>`). */
  type: string;
  /** Rows of one stream are applied in arrival order; see inbox-keys.ts. */
  streamKey: string;
  /** When the row was stored (epoch ms). */
  receivedAt: number;
  /** The payload, parsed: WeCom's XML fields; JSON for the other sources. */
  fields: F;
}

/** A WeCom callback: its fields are the decrypted XML's top-level elements. */
export type WeComEvent = InboxEvent<CallbackFields> & { source: 'wecom' };

export type InboxHandler<E extends InboxEvent<unknown> = InboxEvent> = (event: E) => Promise<ApplyOutcome>;
/** The handler of a WeCom callback. */
export type EventHandler = InboxHandler<WeComEvent>;

/**
 * What a module registers: handlers by source, then by type. WeCom types are `Event:ChangeType`, `Event` (matches
 * every ChangeType of that event that has no handler of its own) or `msg:<MsgType>`.
 */
export interface InboxHandlers {
  wecom?: Record<string, EventHandler>;
  shopee?: Record<string, InboxHandler>;
  taobao?: Record<string, InboxHandler>;
  card?: Record<string, InboxHandler>;
}

/** Turns a stored payload into the fields its handler gets. */
export function decodePayload(source: InboxSource, payload: string): Record<string, unknown> {
  if (source === 'wecom') return parseCallbackXml(payload);
  const parsed = JSON.parse(payload) as unknown;
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { value: parsed };
}

/**
 * Event registry (like wechatpy's https://github.com/wechatpy/wechatpy/blob/master/wechatpy/work/events.py), keyed by
 * (source, type). For WeCom a handler of `Event` also takes every `Event:ChangeType` without a handler of its own.
 * Unknown events (WeCom adds new ones, https://developer.work.weixin.qq.com/document/path/90240) are stored and
 * marked ignored, never rejected.
 */
export class EventRegistry {
  private readonly handlers = new Map<string, InboxHandler>();
  private readonly keys = new UniqueKeys('inbox handler');

  /** Registers the handler of (`source`, `type`); a second handler for the same pair throws (it would replace the first). */
  on<S extends InboxSource>(source: S, type: string, handler: S extends 'wecom' ? EventHandler : InboxHandler, owner = 'unnamed'): this {
    const key = `${source}/${type}`;
    this.keys.add(key, owner);
    this.handlers.set(key, handler as unknown as InboxHandler);
    return this;
  }

  /** Registers a module's handlers (ModuleParts.inboxHandlers). */
  addAll(handlers: InboxHandlers, owner: string): this {
    for (const source of INBOX_SOURCES) {
      for (const [type, handler] of Object.entries(handlers[source] ?? {})) this.on(source, type, handler, owner);
    }
    return this;
  }

  resolve(source: InboxSource, type: string): InboxHandler | undefined {
    const exact = this.handlers.get(`${source}/${type}`);
    if (exact || source !== 'wecom') return exact;
    const colon = type.indexOf(':');
    return colon > 0 && !type.startsWith('msg:') ? this.handlers.get(`${source}/${type.slice(0, colon)}`) : undefined;
  }
}
