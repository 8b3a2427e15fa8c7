// POST /cgi-bin/message/send (https://developer.work.weixin.qq.com/document/path/90236) for text, markdown, textcard
// and template_card: agentid, recipients (touser "a|b" ≤ 1000 or "@all", toparty / totag ≤ 100), body limits,
// duplicate check, unique task_id, per-member limits; answers invaliduser / invalidparty / invalidtag, msgid and, for
// interactive cards, a response_code.
import { createHash, randomBytes } from 'node:crypto';
import { addCardMember, checkTemplateCard, INTERACTIVE, newCardRecord, type CheckedCard } from './cards';
import { checkMarkdown, checkText, checkTextcard } from './content';
import { fanOut } from './delivery';
import { ApiError } from './errors';
import { objectAt, stringAt, type Json } from './input';
import { checkListSizes, everyone, resolveRecipients, splitBar, type Resolved } from './recipients';
import type { SimState } from './state';

const MSGTYPES = new Set(['text', 'markdown', 'textcard', 'template_card']);

/**
 * agentid is required (41011); any value other than this app's is 40056 "invalid agentid" (the simulator models one
 * app, so another agentid is not an app of the corp; 301002 would need a second app).
 */
export function checkAgent(body: Json, s: SimState): void {
  const agentid = body['agentid'];
  if (agentid === undefined || agentid === null || agentid === '') throw new ApiError(41011);
  if (stringAt(body, 'agentid') !== s.opts.agentId) throw new ApiError(40056);
}

/**
 * Interactive cards need the app's callback URL: "没有配置回调接口的应用不可发送支持回调的卡片"
 * (https://developer.work.weixin.qq.com/document/path/90236); 43012 "应用需配置回调url" in the global codes.
 */
function checkContent(msgtype: string, c: Json, s: SimState): CheckedCard | undefined {
  if (msgtype !== 'template_card') {
    if (msgtype === 'text') checkText(c);
    else if (msgtype === 'markdown') checkMarkdown(c);
    else checkTextcard(c);
    return undefined;
  }
  const card = checkTemplateCard(c);
  if (INTERACTIVE.has(card.cardType) && !s.opts.callbackUrl) throw new ApiError(43012, 'interactive template_card needs a callback url');
  return card;
}

/** duplicate_check_interval in ms: default 1800 s, at most 4 hours (https://developer.work.weixin.qq.com/document/path/90236). */
function duplicateInterval(body: Json): number {
  const v = body['duplicate_check_interval'];
  if (v === undefined) return 1800_000;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 14400) throw new ApiError(40058, 'duplicate_check_interval must be 1..14400');
  return v * 1000;
}

/** "Identical" = same msgtype, same content and the same touser / toparty / totag strings. */
function duplicateHash(body: Json, msgtype: string, content: Json): string {
  const key = JSON.stringify([msgtype, content, body['touser'] ?? '', body['toparty'] ?? '', body['totag'] ?? '']);
  return createHash('sha256').update(key).digest('hex');
}

function recipients(body: Json, s: SimState): Resolved {
  const lists = { users: splitBar(body['touser']), parties: splitBar(body['toparty']), tags: splitBar(body['totag']) };
  checkListSizes(lists);
  if (lists.users.includes('@all')) return { userids: everyone(s.corp), invaliduser: [], invalidparty: [], invalidtag: [] };
  if (!lists.users.length && !lists.parties.length && !lists.tags.length) throw new ApiError(82001);
  const r = resolveRecipients(s.corp, lists);
  const valid = lists.users.length - r.invaliduser.length + lists.parties.length - r.invalidparty.length + lists.tags.length - r.invalidtag.length;
  if (valid <= 0) throw new ApiError(81013);
  return r;
}

export function sendAppMessage(body: Json, s: SimState): Json {
  checkAgent(body, s);
  const msgtype = stringAt(body, 'msgtype') ?? '';
  const content = objectAt(body, msgtype);
  if (!MSGTYPES.has(msgtype)) throw new ApiError(40008, msgtype ? `msgtype ${msgtype} is not simulated` : undefined);
  if (!content) throw new ApiError(40008, `${msgtype} missing`);
  const card = checkContent(msgtype, content, s);
  const interval = duplicateInterval(body);
  const r = recipients(body, s);
  const answer = { invaliduser: r.invaliduser.join('|'), invalidparty: r.invalidparty.join('|'), invalidtag: r.invalidtag.join('|') };
  const now = s.now();
  const hash = duplicateHash(body, msgtype, content);
  const earlier = body['enable_duplicate_check'] === 1 ? s.msg.findDuplicate(hash, now, interval) : undefined;
  if (earlier) {
    s.stats.duplicateSuppressed.push({ at: now, msgid: earlier, body });
    return { ...answer, msgid: earlier };
  }
  // task_id: "同一个应用任务id不能重复"; no dedicated errcode is documented, so 40058 (README).
  if (card?.taskId && s.msg.cards.has(card.taskId)) throw new ApiError(40058, `template_card.task_id ${card.taskId} duplicated`);
  const msgid = randomBytes(24).toString('base64url');
  s.msg.remember(hash, msgid, now);
  const rec = card?.taskId ? newCardRecord(card.taskId, card.cardType, msgid, now) : undefined;
  if (rec) s.msg.cards.set(rec.taskId, rec);
  const out = fanOut(s, r.userids, { now, msgid }, (userid) => ({
    at: now,
    source: 'app',
    msgid,
    msgtype,
    content,
    ...(rec ? { card: addCardMember(rec, userid, content) } : {}),
  }));
  s.stats.messages.push({ at: now, msgid, body, ...out });
  const interactive = rec && card && INTERACTIVE.has(card.cardType);
  return { ...answer, msgid, ...(interactive ? { response_code: s.msg.issueResponseCode(rec.taskId, now) } : {}) };
}
