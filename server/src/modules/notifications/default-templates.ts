/**
 * The notification templates and group naming convention that seller teams already use, from the
 * Shopee × WeCom team guide (/work/shared/seeds/wecom-shopee-team-guide.txt, 「三、典型的群组使用规则」 and
 * 「3) 通知模板」). The template texts are the guide's, character for character (ASCII `:` and ` | `), so a
 * team recognises its own messages; edit copies, not these.
 *
 * The events they are for must declare these fields (the guide's placeholders): order.created `order_id
 * customer items qty amount ship_time`; order.shipped `order_id tracking logistics delivery_date`; case
 * events `order_id issue status operator due_date`.
 */

export interface DefaultTemplate {
  key: string;
  /** zh-CN, as the guide names the template. */
  label: string;
  labelEn: string;
  /** Event types it is meant for; `noun.*` stands for every event type of that noun (see defaultTemplateFor). */
  eventTypes: string[];
  text: string;
}

export const DEFAULT_TEMPLATES: DefaultTemplate[] = [
  {
    key: 'new_order',
    label: '新订单',
    labelEn: 'New order',
    eventTypes: ['order.created'],
    text: '订单号:{order_id} | 客户:{customer} | 商品:{items} | 数量:{qty} | 总价:{amount} | 预计发货:{ship_time}',
  },
  {
    key: 'order_shipped',
    label: '发货',
    labelEn: 'Shipped',
    eventTypes: ['order.shipped'],
    text: '订单号:{order_id} | 运单号:{tracking} | 物流:{logistics} | 预计签收:{delivery_date}',
  },
  {
    // The guide calls it 退款/售后模板; refunds are after-sales cases here.
    key: 'after_sales',
    label: '售后',
    labelEn: 'After-sales',
    // case.opened by name; the other case events are not declared yet, hence the wildcard.
    eventTypes: ['case.opened', 'case.*'],
    text: '订单号:{order_id} | 问题类型:{issue} | 状态:{status} | 处理人:{operator} | 截止时间:{due_date}',
  },
];

/** The default template for an event type: one naming it exactly, else one with its `noun.*`, else undefined. */
export function defaultTemplateFor(eventType: string): DefaultTemplate | undefined {
  const wildcard = `${eventType.split('.')[0]}.*`;
  return DEFAULT_TEMPLATES.find((t) => t.eventTypes.includes(eventType)) ?? DEFAULT_TEMPLATES.find((t) => t.eventTypes.includes(wildcard));
}

/** The guide's group naming convention, e.g. A店-客服-新单, A店-仓储-发货, A店-运营-日报. */
export const GROUP_NAME_HINT = '店名-部门-用途';

export interface GroupNameSuggestion {
  /** The name to use: the parts trimmed and joined with `-`. */
  name: string;
  /** zh-CN (English) notes on what was wrong or changed; empty when the inputs were fine as given. */
  problems: string[];
}

/** Dashes a person might type; any of them inside a part would make the name read as more than three parts. */
const DASH = /[-－—–]/;

/**
 * Builds a group name by the convention and says what did not fit it: an empty part, or a dash inside a
 * part (replaced by ·, so the name still splits back into its three parts).
 */
export function suggestGroupName(shop: string, department: string, purpose: string): GroupNameSuggestion {
  const problems: string[] = [];
  const parts = [
    cleanPart(shop, '店名', 'shop', problems),
    cleanPart(department, '部门', 'department', problems),
    cleanPart(purpose, '用途', 'purpose', problems),
  ];
  return { name: parts.join('-'), problems };
}

function cleanPart(raw: string, zh: string, en: string, problems: string[]): string {
  const part = raw.trim().replace(/\s+/g, ' ');
  if (!part) problems.push(`${zh}不能为空 (${en} is required)`);
  if (DASH.test(part)) problems.push(`${zh}里的 - 已换成 · (a dash in the ${en} was replaced by ·)`);
  return part.replace(new RegExp(DASH.source, 'g'), '·');
}

/** The three parts of a name that follows the convention, or null. */
export function parseGroupName(name: string): { shop: string; department: string; purpose: string } | null {
  const parts = name.split('-').map((p) => p.trim());
  if (parts.length !== 3 || parts.some((p) => !p)) return null;
  const [shop = '', department = '', purpose = ''] = parts;
  return { shop, department, purpose };
}
