import { ORDER_STATUSES, type Money, type OrderPerson, type OrderStatus, type OrderTimelineEntry } from '@shopcrew/shared';
import { i18n, t } from '@/locales';
import { localized } from './bilingual';
import { formatMoney, shipByInfo } from './orders';

/** The 订单 pages' words for what the API returns: statuses, amounts, deadlines, timeline entries, in the UI language. */

const locale = () => (i18n.global.locale.value === 'en' ? 'en-US' : 'zh-CN');

const isStatus = (value: string | null | undefined): value is OrderStatus => !!value && (ORDER_STATUSES as readonly string[]).includes(value);

/** 待发货 / Ready to ship; a status this H5 does not know yet as it is. */
export function statusLabel(status: string): string {
  return isStatus(status) ? t(`orders.statuses.${status}`) : status;
}

/** The amount with its currency (`S$12.30`); empty when the member may not see amounts. */
export function money(value: Money | null | undefined): string {
  return value ? formatMoney(value, locale()) : '';
}

/** 剩 5 小时 / 已超时 2 小时 / 剩 3 天; empty without a deadline. */
export function shipByText(shipBy: string | null | undefined, now = Date.now()): string {
  const info = shipByInfo(shipBy, now);
  if (!info) return '';
  return t(`orders.shipBy.${info.overdue ? 'overdue' : 'left'}.${info.unit}`, { n: info.n });
}

/** Whether the deadline is less than a day away (or past): shown in red. */
export function shipByUrgent(shipBy: string | null | undefined, now = Date.now()): boolean {
  return shipByInfo(shipBy, now)?.urgent ?? false;
}

/** Who did a timeline entry: the member, or the marketplace. */
export function actorName(actor: OrderPerson | null): string {
  return actor?.name ?? t('orders.timeline.marketplace');
}

/**
 * A timeline entry as a sentence. In Chinese the server's own (it names everyone involved); in English one
 * built from its kind, actor and statuses.
 */
export function timelineText(entry: OrderTimelineEntry): string {
  if (i18n.global.locale.value !== 'en' || entry.kind === 'note') return entry.text;
  const name = actorName(entry.actor);
  switch (entry.kind) {
    case 'status':
      return isStatus(entry.from) && isStatus(entry.to)
        ? t('orders.timeline.status', { from: statusLabel(entry.from), to: statusLabel(entry.to) })
        : t('orders.timeline.statusChanged');
    case 'tracking':
      return entry.to ? t('orders.timeline.trackingNumber', { number: entry.to }) : t('orders.timeline.tracking');
    default:
      return t(`orders.timeline.${entry.kind}`, { name });
  }
}

/** The toast when someone else claimed the order first: 已被 王芳 认领. */
export function takenMessage(by: OrderPerson | null, message: string): string {
  return by ? t('orders.claim.taken', { name: by.name }) : localized(message) || t('orders.claim.takenSomeone');
}
