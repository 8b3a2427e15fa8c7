import type { CallbackFields } from './dedupe-key';

/** Longest stored `type` and `stream_key` (the columns' lengths). */
export const TYPE_MAX = 160;
export const STREAM_MAX = 128;

/**
 * The inbox type of a WeCom callback, the key its handler is registered by: `Event:ChangeType` for an event with a
 * ChangeType (`change_contact:update_user`), `Event` for one without (`template_card_event`), `msg:<MsgType>` for a
 * message (`msg:text`).
 */
export function wecomType(fields: CallbackFields): string {
  if (fields.MsgType !== 'event') return `msg:${fields.MsgType ?? ''}`.slice(0, TYPE_MAX);
  const event = fields.Event ?? '';
  return (fields.ChangeType ? `${event}:${fields.ChangeType}` : event).slice(0, TYPE_MAX);
}

/**
 * The stream a WeCom callback is ordered in. Rows of one stream are applied in arrival order, one after another;
 * different streams do not wait for each other.
 * - member events: `contact:<UserID>`; for a rename (update_user with NewUserID) UserID is the OLD id, so the rename
 *   stays behind the member's earlier events;
 * - department events: `department:<Id>`; tag events: `tag:<TagId>`;
 * - card clicks (template_card_event): `card:<TaskId>`, so two clicks on one card apply one after the other;
 * - any other event: `wecom:<Event>`; messages: `wecom:msg:<MsgType>`.
 */
export function wecomStreamKey(fields: CallbackFields): string {
  if (fields.MsgType !== 'event') return `wecom:msg:${fields.MsgType ?? ''}`.slice(0, STREAM_MAX);
  const event = fields.Event ?? '';
  if (event === 'change_contact') {
    const change = fields.ChangeType ?? '';
    const id = change.endsWith('_user') ? fields.UserID : change.endsWith('_party') ? fields.Id : change.endsWith('_tag') ? fields.TagId : undefined;
    const kind = change.endsWith('_user') ? 'contact' : change.endsWith('_party') ? 'department' : 'tag';
    if (id) return `${kind}:${id}`.slice(0, STREAM_MAX);
  }
  if ((event === 'template_card_event' || event === 'template_card_menu_event') && fields.TaskId) return `card:${fields.TaskId}`.slice(0, STREAM_MAX);
  return `wecom:${event}`.slice(0, STREAM_MAX);
}
