import type { CallbackFields } from './dedupe-key';

/** What applying an inbox event did; 'ignored' marks events the product does not act on (yet). */
export type ApplyOutcome = 'applied' | 'ignored';

export type EventHandler = (fields: CallbackFields) => Promise<ApplyOutcome>;

/**
 * Event registry (wechatpy events.py): handlers are looked up by `Event` or `Event:ChangeType`;
 * unknown events are stored and ignored, never rejected (doc section 5).
 */
export class EventRegistry {
  private readonly handlers = new Map<string, EventHandler>();

  on(key: string, handler: EventHandler): this {
    this.handlers.set(key, handler);
    return this;
  }

  resolve(fields: CallbackFields): EventHandler | undefined {
    const event = fields.MsgType === 'event' ? fields.Event : `msg:${fields.MsgType}`;
    return this.handlers.get(`${event}:${fields.ChangeType ?? ''}`) ?? this.handlers.get(event ?? '');
  }
}
