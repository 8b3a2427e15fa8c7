import { UniqueKeys } from '../../platform/unique';
import type { CallbackFields } from './dedupe-key';

/** What applying an inbox event did; 'ignored' marks events the product does not act on (yet). */
export type ApplyOutcome = 'applied' | 'ignored';

export type EventHandler = (fields: CallbackFields) => Promise<ApplyOutcome>;

/**
 * Event registry (like wechatpy's https://github.com/wechatpy/wechatpy/blob/master/wechatpy/work/events.py): handlers
 * are looked up by `Event` or `Event:ChangeType`; unknown events (WeCom adds new ones,
 * https://developer.work.weixin.qq.com/document/path/90240) are stored and ignored, never rejected.
 */
export class EventRegistry {
  private readonly handlers = new Map<string, EventHandler>();
  private readonly keys = new UniqueKeys('inbox handler');

  /** Registers the handler of `key`; a second handler for the same key throws (it would replace the first). */
  on(key: string, handler: EventHandler, owner = 'unnamed'): this {
    this.keys.add(key, owner);
    this.handlers.set(key, handler);
    return this;
  }

  resolve(fields: CallbackFields): EventHandler | undefined {
    const event = fields.MsgType === 'event' ? fields.Event : `msg:${fields.MsgType}`;
    return this.handlers.get(`${event}:${fields.ChangeType ?? ''}`) ?? this.handlers.get(event ?? '');
  }
}
