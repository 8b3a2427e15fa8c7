// A member clicks a button of a button_interaction card: WeCom POSTs a signed, encrypted template_card_event to the
// app's callback URL (模板卡片事件推送, https://developer.work.weixin.qq.com/document/path/90240; fields as in WxJava's
// WxCpXmlMessageTest fixture and PR #2497) carrying a fresh one-shot ResponseCode for update_template_card
// (https://developer.work.weixin.qq.com/document/path/94888). An update_button passive reply is applied
// (https://developer.work.weixin.qq.com/document/path/90241).
import { applyCardUpdate, buttonKeys, clickable } from './cards';
import { eventXml, type CallbackSender } from './callbacks';
import type { CardMemberState } from './messaging';
import { parsePassiveReply, type PassiveReply } from './passive-reply';
import type { DeliveryResult, SimState } from './state';

export interface ClickOptions {
  /** Send the identical envelope this many times (WeCom's retries). Default 1. */
  times?: number;
}

export interface ClickResult {
  responseCode: string;
  deliveries: DeliveryResult[];
  /** The app's passive reply to the first delivery answered with HTTP 200 and a body, if any. */
  passiveReply?: PassiveReply;
}

/** A click the member could not make in the client (HTTP 409 on the control API). */
export class ClickRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClickRefused';
  }
}

function clickableState(s: SimState, userid: string, taskId: string, key: string): CardMemberState {
  const rec = s.msg.cards.get(taskId);
  if (!rec) throw new ClickRefused(`no card with task_id ${taskId}`);
  const st = rec.members.get(userid);
  if (!st) throw new ClickRefused(`${userid} did not receive card ${taskId}`);
  if (!clickable(st)) throw new ClickRefused(`card ${taskId} of ${userid} has no clickable buttons (${st.replaceName ?? st.status})`);
  if (!buttonKeys(st.card).includes(key)) throw new ClickRefused(`card ${taskId} has no callback button with key ${key}`);
  return st;
}

export function templateCardEventXml(s: SimState, userid: string, st: CardMemberState, key: string, responseCode: string): string {
  return eventXml([
    ['ToUserName', s.opts.corpId],
    ['FromUserName', userid],
    ['CreateTime', Math.floor(s.now() / 1000)],
    ['MsgType', 'event'],
    ['Event', 'template_card_event'],
    ['EventKey', key],
    ['TaskId', st.taskId],
    ['CardType', String(st.card['card_type'])],
    ['ResponseCode', responseCode],
    ['AgentID', Number(s.opts.agentId)],
  ]);
}

export async function clickCard(
  s: SimState,
  sender: CallbackSender,
  userid: string,
  taskId: string,
  key: string,
  opts: ClickOptions = {},
): Promise<ClickResult> {
  const st = clickableState(s, userid, taskId, key);
  if (!s.opts.callbackUrl) throw new Error('wecom-sim: no callbackUrl set (setCallbackUrl or SIM_CALLBACK_URL)');
  const now = s.now();
  const responseCode = s.msg.issueResponseCode(taskId, now, userid);
  const times = Math.max(1, opts.times ?? 1);
  s.stats.cardClicks.push({ at: now, userid, taskId, key, responseCode, times });
  const deliveries = await sender.deliver(templateCardEventXml(s, userid, st, key, responseCode), { times });
  const first = deliveries.find((d) => d.status === 200 && d.body.trim());
  const { callbackToken: token, callbackAesKey: aesKey, corpId } = s.opts;
  const passiveReply = first ? parsePassiveReply(first.body, userid, { token, aesKey, corpId }) : undefined;
  if (passiveReply?.ok && passiveReply.replaceName) {
    applyCardUpdate(st, s.now(), { replaceName: passiveReply.replaceName });
    s.stats.cardUpdates.push({ at: s.now(), taskId, via: 'passive', userids: [userid], replaceName: passiveReply.replaceName });
  }
  return { responseCode, deliveries, ...(passiveReply ? { passiveReply } : {}) };
}
