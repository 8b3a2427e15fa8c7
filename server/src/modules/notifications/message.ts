import type { MessageFormat } from './rule.entity';
import { CHANNEL_LIMITS, fitLimit, truncateChars, truncateUtf8, utf8Bytes } from './text-limits';

/** A button on an approval-style card: its key comes back as the click's EventKey (card-actions.ts). */
export interface CardButton {
  text: string;
  key: string;
  /** 1 强调, 2 次强调, 3 中性, 4 负向 (https://developer.work.weixin.qq.com/document/path/90236). */
  style?: 1 | 2 | 3 | 4;
}

/** What a delivery sends, independent of the channel; rendered into WeCom's JSON when it goes out. */
export interface OutgoingMessage {
  format: MessageFormat;
  /** The event's label or the card's main title. */
  title: string;
  /** The rendered template. */
  text: string;
  /** Where tapping the message leads (the H5 page of the thing it is about). */
  url?: string;
  /** Members to @ in a group (robot text and markdown: `<@userid>`). */
  mentions?: string[];
  /**
   * A summary standing for several messages (delivery.worker.ts): the first one's own content and the ids of the
   * deliveries merged into it; `GET /api/notifications/batches/:id` lists them all (the summary's link opens that list).
   */
  batch?: { first: { title: string; text: string; url?: string }; mergedIds: number[] };
  /** For `card`: the task id (unique per app) and its buttons. */
  card?: { taskId: string; buttons: CardButton[]; rows?: Array<{ keyname: string; value: string }> };
}

/** The interval for WeCom's own duplicate check on app messages (s): a retried send inside it is not shown twice. */
export const DUPLICATE_CHECK_SECONDS = 1800;

/** WeCom limits on template cards (https://developer.work.weixin.qq.com/document/path/90236): 6 buttons, 6 rows. */
const MAX_BUTTONS = 6;
const MAX_ROWS = 6;

/** message/send body for one member (agentid is added by the client). */
export function appMessageBody(msg: OutgoingMessage, touser: string): Record<string, unknown> {
  const common = { touser, enable_duplicate_check: 1, duplicate_check_interval: DUPLICATE_CHECK_SECONDS };
  const limits = CHANNEL_LIMITS.app;
  switch (msg.format) {
    case 'markdown':
      return {
        ...common,
        msgtype: 'markdown',
        markdown: { content: fitLimit(withLink(`**${msg.title}**\n${msg.text}`, msg.url, 'markdown'), limits.markdown.content) },
      };
    case 'textcard':
      return {
        ...common,
        msgtype: 'textcard',
        textcard: {
          title: fitLimit(msg.title, limits.textcard.title),
          description: fitLimit(msg.text, limits.textcard.description),
          url: msg.url ?? '',
          btntxt: truncateChars('详情', limits.textcard.btntxt.max),
        },
      };
    case 'card':
      return { ...common, msgtype: 'template_card', template_card: templateCard(msg) };
    default:
      return { ...common, msgtype: 'text', text: { content: fitLimit(withLink(`${msg.title}\n${msg.text}`, msg.url, 'text'), limits.text.content) } };
  }
}

/** The button_interaction card (https://developer.work.weixin.qq.com/document/path/90236, 模板卡片消息). */
export function templateCard(msg: OutgoingMessage): Record<string, unknown> {
  const card = msg.card;
  if (!card) throw new Error('a card message needs its task id and buttons');
  return {
    card_type: 'button_interaction',
    source: { desc: '店务通', desc_color: 1 },
    main_title: { title: truncateUtf8(msg.title, 108) },
    sub_title_text: truncateUtf8(msg.text, 1000),
    horizontal_content_list: (card.rows ?? []).slice(0, MAX_ROWS).map((r) => ({ keyname: truncateUtf8(r.keyname, 15), value: truncateUtf8(r.value, 90) })),
    ...(msg.url ? { card_action: { type: 1, url: msg.url } } : { card_action: { type: 0 } }),
    task_id: card.taskId,
    button_list: card.buttons.slice(0, MAX_BUTTONS).map((b) => ({ text: truncateChars(b.text, 10), style: b.style ?? 1, key: b.key })),
  };
}

/** webhook/send body (https://developer.work.weixin.qq.com/document/path/99110): cards become markdown (robots get no clicks). */
export function robotBody(msg: OutgoingMessage): Record<string, unknown> {
  const mentions = msg.mentions ?? [];
  if (msg.format === 'text') {
    const content = fitLimit(withLink(`${msg.title}\n${msg.text}`, msg.url, 'text'), CHANNEL_LIMITS.robot.text.content);
    return { msgtype: 'text', text: { content, ...(mentions.length ? { mentioned_list: mentions } : {}) } };
  }
  const at = mentions.map((u) => `<@${u}>`).join(' ');
  const body = withLink(`**${msg.title}**\n${msg.text}`, msg.url, 'markdown');
  // The mentions go last and are never cut off: they are who must act.
  const content = at
    ? `${fitLimit(body, { ...CHANNEL_LIMITS.robot.markdown.content, max: CHANNEL_LIMITS.robot.markdown.content.max - utf8Bytes(at) - 1 })}\n${at}`
    : fitLimit(body, CHANNEL_LIMITS.robot.markdown.content);
  return { msgtype: 'markdown', markdown: { content } };
}

/** appchat/send body (https://developer.work.weixin.qq.com/document/path/90248). */
export function appChatBody(msg: OutgoingMessage, chatid: string): Record<string, unknown> {
  if (msg.format === 'text')
    return {
      chatid,
      msgtype: 'text',
      text: { content: fitLimit(withLink(`${msg.title}\n${msg.text}`, msg.url, 'text'), CHANNEL_LIMITS.appchat.text.content) },
    };
  return {
    chatid,
    msgtype: 'markdown',
    markdown: { content: fitLimit(withLink(`**${msg.title}**\n${msg.text}`, msg.url, 'markdown'), CHANNEL_LIMITS.appchat.markdown.content) },
  };
}

/** The link goes first in line to be kept: the text is cut, never the link. */
function withLink(body: string, url: string | undefined, format: 'text' | 'markdown'): string {
  if (!url) return body;
  return format === 'markdown' ? `[查看详情](${url})\n${body}` : `<a href="${url}">查看详情</a>\n${body}`;
}
