// HTML for one received message, roughly as the WeCom client shows it. Every string from a message is escaped first;
// only a few constructs the docs allow are turned back into markup afterwards (text <a href>, textcard
// <div class="gray|normal|highlight">, markdown headings / bold / links / <font color> / <@userid>), and only
// http(s) URLs become links. Nothing external is loaded (no icons or images).
import { buttonKeys, clickable } from './cards';
import type { Corp } from './corp';
import { escapeHtml as esc } from './http';
import { isObject, objectAt, type Json } from './input';
import type { CardMemberState, InboxItem, RobotMessage } from './messaging';

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const safeUrl = (u: unknown): string | undefined => (typeof u === 'string' && /^https?:\/\//i.test(u) ? u : undefined);
const link = (url: unknown, text: string): string => {
  const u = safeUrl(url);
  return u ? `<a href="${esc(u)}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
};

/** text: escaped, `<a href="http…">x</a>` kept as a link (https://developer.work.weixin.qq.com/document/path/90236), newlines kept. */
export function renderText(content: string): string {
  return esc(content)
    .replace(/&lt;a href=&quot;(https?:\/\/[^&"]*)&quot;&gt;(.*?)&lt;\/a&gt;/g, (_m, u: string, t: string) => link(u, t))
    .replace(/\n/g, '<br>');
}

/** Inline markdown on already-escaped text. */
function mdInline(line: string, corp: Corp): string {
  return line
    .replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, t: string, u: string) => link(u.replace(/&amp;/g, '&'), t))
    .replace(/&lt;font color=&quot;(info|comment|warning)&quot;&gt;(.*?)&lt;\/font&gt;/g, '<span class="md-$1">$2</span>')
    .replace(/&lt;@([^&\s]+)&gt;/g, (_m, id: string) => `<span class="at">@${esc(corp.members.get(id)?.name ?? id)}</span>`);
}

/** The markdown subset of https://developer.work.weixin.qq.com/document/path/90236 and 99110, line by line. */
export function renderMarkdown(md: string, corp: Corp): string {
  return md
    .split('\n')
    .map((raw) => {
      const line = esc(raw);
      const h = /^(#{1,6}) (.*)$/.exec(line);
      if (h) return `<div class="md-h${h[1]!.length}">${mdInline(h[2]!, corp)}</div>`;
      const quote = /^&gt; ?(.*)$/.exec(line);
      if (quote) return `<div class="md-q">${mdInline(quote[1]!, corp)}</div>`;
      return `<div>${mdInline(line, corp) || '&nbsp;'}</div>`;
    })
    .join('');
}

function renderTextcard(c: Json): string {
  const desc = esc(str(c['description'])).replace(/&lt;div class=&quot;(gray|normal|highlight)&quot;&gt;(.*?)&lt;\/div&gt;/g, '<div class="tcd-$1">$2</div>');
  return `<div class="textcard"><div class="tc-title">${esc(str(c['title']))}</div><div class="tc-body">${desc}</div><div class="tc-link">${link(c['url'], esc(str(c['btntxt']) || '详情'))}</div></div>`;
}

function renderNews(c: Json): string {
  const articles = Array.isArray(c['articles']) ? (c['articles'] as unknown[]).filter(isObject) : [];
  return `<div class="news">${articles
    .map((a) => `<div class="article">${link(a['url'], `<b>${esc(str(a['title']))}</b>`)}<div class="muted">${esc(str(a['description']))}</div></div>`)
    .join('')}</div>`;
}

function cardButtons(card: Json, st: CardMemberState | undefined): string {
  if (st?.status === 'button_replaced') return `<div class="tc-btns"><button class="btn done" disabled>${esc(st.replaceName ?? '')}</button></div>`;
  if (card['replace_text']) return `<div class="tc-btns"><button class="btn done" disabled>${esc(str(card['replace_text']))}</button></div>`;
  const list = Array.isArray(card['button_list']) ? (card['button_list'] as unknown[]).filter(isObject) : [];
  const live = st && clickable(st) ? new Set(buttonKeys(card)) : new Set<string>();
  const buttons = list.map((b) => {
    const style = [1, 2, 3, 4].includes(Number(b['style'])) ? Number(b['style']) : 1;
    if (b['type'] === 1)
      return `<a class="btn s${style}" href="${esc(safeUrl(b['url']) ?? '#')}" target="_blank" rel="noopener noreferrer">${esc(str(b['text']))}</a>`;
    const key = str(b['key']);
    const attrs = st && live.has(key) ? ` data-task="${esc(st.taskId)}" data-key="${esc(key)}"` : ' disabled';
    return `<button class="btn s${style}"${attrs}>${esc(str(b['text']))}</button>`;
  });
  return buttons.length ? `<div class="tc-btns">${buttons.join('')}</div>` : '';
}

function cardRows(card: Json): string {
  const rows = Array.isArray(card['horizontal_content_list']) ? (card['horizontal_content_list'] as unknown[]).filter(isObject) : [];
  if (!rows.length) return '';
  return `<dl class="tc-rows">${rows.map((r) => `<div><dt>${esc(str(r['keyname']))}</dt><dd>${link(r['url'], esc(str(r['value'])))}</dd></div>`).join('')}</dl>`;
}

/** A template card (approval style): source, main title, emphasis, sub title, rows, buttons or the replaced text. */
export function renderTemplateCard(card: Json, st?: CardMemberState): string {
  const source = objectAt(card, 'source');
  const main = objectAt(card, 'main_title');
  const emphasis = objectAt(card, 'emphasis_content');
  const parts = [
    source ? `<div class="tc-src">${esc(str(source['desc']))}</div>` : '',
    main ? `<div class="tc-title">${esc(str(main['title']))}</div><div class="muted">${esc(str(main['desc']))}</div>` : '',
    emphasis ? `<div class="tc-em">${esc(str(emphasis['title']))}</div><div class="muted">${esc(str(emphasis['desc']))}</div>` : '',
    card['sub_title_text'] !== undefined ? `<div class="tc-sub">${esc(str(card['sub_title_text']))}</div>` : '',
    cardRows(card),
    cardButtons(card, st),
  ];
  return `<div class="tcard" data-task="${esc(str(card['task_id']) || (st?.taskId ?? ''))}">${parts.join('')}</div>`;
}

export function renderBody(msgtype: string, content: Json, corp: Corp, st?: CardMemberState): string {
  switch (msgtype) {
    case 'text':
      return `<div class="text">${renderText(str(content['content']))}</div>`;
    case 'markdown':
    case 'markdown_v2':
      return `<div class="md">${renderMarkdown(str(content['content']), corp)}</div>`;
    case 'textcard':
      return renderTextcard(content);
    case 'news':
      return renderNews(content);
    case 'template_card':
      return renderTemplateCard(st?.card ?? content, st);
    default:
      return `<div class="muted">[${esc(msgtype)}]</div>`;
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');
export const timeLabel = (ms: number): string => {
  const d = new Date(ms);
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

export function renderInboxItem(item: InboxItem, corp: Corp, chatName: (chatid: string) => string): string {
  const from = item.source === 'appchat' ? `群聊 · ${esc(chatName(item.chatid ?? ''))}` : '应用消息';
  return `<article class="msg" data-seq="${item.seq}"><header><span>${from}</span><time>${timeLabel(item.at)}</time></header>${renderBody(item.msgtype, item.content, corp, item.card)}</article>`;
}

export function renderRobotMessage(m: RobotMessage, corp: Corp): string {
  const at = m.mentionedAll ? ['@所有人'] : [];
  const mentions = [...at, ...m.mentions.map((u) => `@${corp.members.get(u)?.name ?? u}`)];
  const note = mentions.length && m.msgtype === 'text' ? `<div class="mentions">${esc(mentions.join(' '))}</div>` : '';
  return `<article class="msg" data-seq="${m.seq}"><header><span>群机器人</span><time>${timeLabel(m.at)}</time></header>${renderBody(m.msgtype, m.content, corp)}${note}</article>`;
}
