import { createHash } from 'node:crypto';

export type CallbackFields = Record<string, string | undefined>;

const short = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/**
 * Deduplication key for the inbox. 接收消息与事件 https://developer.work.weixin.qq.com/document/path/90238 says WeCom retries 3 times and
 * recommends MsgId for messages and FromUserName + CreateTime for events; the rest is our choice:
 * - messages: MsgId
 * - template_card_event: ResponseCode (new for every click)
 * - change_contact: CreateTime + ChangeType + the id, plus a hash of the plaintext. FromUserName is
 *   always `sys`, so the documented FromUserName+CreateTime key would merge every contact change in
 *   the same second (bulk imports); a retry carries the same plaintext, so it still collapses.
 * - other events: FromUserName + CreateTime + Event + EventKey + plaintext hash.
 */
export function dedupeKey(fields: CallbackFields, plaintext: string): string {
  if (fields.MsgType !== 'event') return fields.MsgId ? `msg:${fields.MsgId}` : `msg:${short(plaintext)}`;
  if (fields.Event === 'template_card_event' && fields.ResponseCode) return `card:${fields.ResponseCode}`.slice(0, 191);
  if (fields.Event === 'change_contact') {
    const id = fields.UserID ?? fields.Id ?? fields.TagId ?? '';
    return `cc:${fields.CreateTime}:${fields.ChangeType}:${id}:${short(plaintext)}`.slice(0, 191);
  }
  return `ev:${fields.FromUserName}:${fields.CreateTime}:${fields.Event}:${fields.EventKey ?? ''}:${short(plaintext)}`.slice(0, 191);
}
