// Template cards: the template_card body of message/send (https://developer.work.weixin.qq.com/document/path/90236,
// 模板卡片消息) and message/update_template_card (https://developer.work.weixin.qq.com/document/path/94888).
import { ApiError } from './errors';
import { checkBytes, isObject, objectAt, stringAt, utf8Bytes, type Json } from './input';
import type { CardMemberState, CardRecord } from './messaging';

const CARD_TYPES = new Set(['text_notice', 'news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction']);
/** Cards that call back and get a response_code (https://developer.work.weixin.qq.com/document/path/90236). */
export const INTERACTIVE = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);
/** "只能由数字、字母和“_-@”组成，最长128字节" (https://developer.work.weixin.qq.com/document/path/90236). */
const TASK_ID = /^[A-Za-z0-9_\-@]+$/;

const bad = (detail: string): ApiError => new ApiError(40058, `template_card.${detail}`);

export interface CheckedCard {
  cardType: string;
  taskId?: string;
}

function checkTaskId(card: Json, required: boolean): string | undefined {
  const taskId = card['task_id'];
  if (taskId === undefined && !required) return undefined;
  if (typeof taskId !== 'string' || taskId === '') throw bad('task_id missing');
  if (utf8Bytes(taskId) > 128 || !TASK_ID.test(taskId)) throw bad('task_id invalid');
  return taskId;
}

/** button_list: 1..6 buttons; callback buttons need a unique key ≤ 1024 bytes, link buttons (type 1) a url. */
function checkButtons(card: Json): void {
  const list = card['button_list'];
  if (!Array.isArray(list) || list.length < 1 || list.length > 6) throw bad('button_list size must be 1..6');
  const keys = new Set<string>();
  for (const b of list as unknown[]) {
    if (!isObject(b) || typeof b['text'] !== 'string' || b['text'] === '') throw bad('button_list.text missing');
    if (b['type'] === 1) {
      if (typeof b['url'] !== 'string' || !b['url']) throw bad('button_list.url missing');
      continue;
    }
    const key = b['key'];
    if (typeof key !== 'string' || key === '') throw bad('button_list.key missing');
    checkBytes('template_card.button_list.key', key, 1024);
    if (keys.has(key)) throw bad('button_list.key duplicated');
    keys.add(key);
  }
}

/**
 * Validate a template_card. On update (`forUpdate`) the task is named by the response_code, so task_id is optional.
 * text_notice needs main_title.title or sub_title_text; button_interaction needs main_title.
 */
export function checkTemplateCard(card: Json, forUpdate = false): CheckedCard {
  const cardType = stringAt(card, 'card_type') ?? '';
  if (!CARD_TYPES.has(cardType)) throw bad('card_type invalid');
  const needsTask = !forUpdate && (INTERACTIVE.has(cardType) || card['action_menu'] !== undefined);
  const taskId = checkTaskId(card, needsTask);
  const mainTitle = objectAt(card, 'main_title');
  const title = mainTitle && typeof mainTitle['title'] === 'string' ? mainTitle['title'] : '';
  if (cardType === 'text_notice' && !title && typeof card['sub_title_text'] !== 'string') throw bad('main_title.title or sub_title_text required');
  if (cardType === 'button_interaction') {
    if (!title) throw bad('main_title missing');
    checkButtons(card);
  }
  const rows = card['horizontal_content_list'];
  if (Array.isArray(rows) && rows.length > 6) throw bad('horizontal_content_list exceed max size 6');
  return { cardType, ...(taskId !== undefined ? { taskId } : {}) };
}

/** A card whose buttons still call back: not replaced (button.replace_name or a card-level replace_text). */
export function clickable(st: CardMemberState): boolean {
  return st.status !== 'button_replaced' && stringAt(st.card, 'card_type') === 'button_interaction' && !st.card['replace_text'];
}

/** The callback keys of the card's buttons (link buttons excluded). */
export function buttonKeys(card: Json): string[] {
  const list = Array.isArray(card['button_list']) ? (card['button_list'] as unknown[]) : [];
  return list.filter(isObject).flatMap((b) => (b['type'] !== 1 && typeof b['key'] === 'string' ? [b['key']] : []));
}

export function newCardRecord(taskId: string, cardType: string, msgid: string, now: number): CardRecord {
  return { taskId, cardType, msgid, sentAt: now, members: new Map() };
}

export function addCardMember(rec: CardRecord, userid: string, card: Json): CardMemberState {
  const st: CardMemberState = { taskId: rec.taskId, userid, status: 'active', card };
  rec.members.set(userid, st);
  return st;
}

/** Apply an update to one member's card: buttons replaced by text, or the whole card replaced. */
export function applyCardUpdate(st: CardMemberState, now: number, u: { replaceName?: string; templateCard?: Json }): void {
  if (u.templateCard) {
    st.card = u.templateCard;
    st.status = 'card_replaced';
    delete st.replaceName;
  } else if (u.replaceName !== undefined) {
    st.status = 'button_replaced';
    st.replaceName = u.replaceName;
  }
  st.updatedAt = now;
}
