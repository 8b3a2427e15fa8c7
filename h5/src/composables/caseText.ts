import { CASE_STATE_ZH, CASE_STATES, CASE_TYPES, type CaseDeadline, type CaseHistoryEntry, type CaseState, type OrderPerson } from '@shopcrew/shared';
import { i18n, t } from '@/locales';
import { localized } from './bilingual';
import { countdown, isReturnReason, type Countdown } from './cases';

/** The 售后 pages' words for what the API returns: states, types, reasons, countdowns, history entries, in the UI language. */

const english = () => i18n.global.locale.value === 'en';

const isState = (value: string | null | undefined): value is CaseState => !!value && (CASE_STATES as readonly string[]).includes(value);

/** 处理中 / In progress (in Chinese the API's own names, CASE_STATE_ZH); a state this H5 does not know yet as it is. */
export function stateLabel(state: string): string {
  if (!isState(state)) return state;
  return english() ? t(`cases.states.${state}`) : CASE_STATE_ZH[state];
}

/** 退货退款 / Return & refund. */
export function typeLabel(type: string): string {
  return (CASE_TYPES as readonly string[]).includes(type) ? t(`cases.types.${type}`) : type;
}

const PLATFORM_STATUSES = ['REQUESTED', 'ACCEPTED', 'CANCELLED', 'JUDGING', 'REFUND_PAID', 'CLOSED', 'PROCESSING', 'SELLER_DISPUTE'];

/** The marketplace's return status in words (REQUESTED → 买家已申请); one this H5 does not know as it is. */
export function platformStatusLabel(status: string | null): string {
  if (!status) return '';
  return PLATFORM_STATUSES.includes(status) ? t(`cases.platformStatuses.${status}`) : status;
}

/** A Shopee ReturnReason in words (NOT_RECEIPT → 未收到货); anything else as it is. */
export function reasonLabel(reason: string | null): string {
  if (!reason) return '';
  return isReturnReason(reason) ? t(`cases.reasons.${reason}`) : reason;
}

/** A countdown (composables/cases.ts) as words: 剩 3 小时 12 分, 即将到期, 已超时 1 小时 5 分, 已暂停. */
export function countdownText(c: Countdown | null): string {
  return c ? t(`cases.countdown.${c.key}`, c.params) : '';
}

/** The countdown to `at` as words at `now`. */
export const dueText = (at: string | null, now: number): string => countdownText(countdown(at, now));

const DEADLINE_EN: Record<CaseDeadline['key'], string> = {
  first_response: 'First response',
  resolution: 'Resolution',
  due_date: 'Platform deadline',
  return_ship_due_date: 'Buyer ships the return by',
  return_seller_due_date: 'Seller responds by',
  offer_due_date: 'Offer due',
  seller_evidence_deadline: 'Evidence due',
  seller_compensation_due_date: 'Compensation claim due',
};

/** A deadline's name: the server's (Chinese) label, or its English name by key. */
export function deadlineLabel(deadline: CaseDeadline): string {
  return english() ? (DEADLINE_EN[deadline.key] ?? deadline.label) : deadline.label;
}

/** Who did a history entry: the member, or 系统 (the marketplace, a reminder). */
export function actorName(actor: OrderPerson | null): string {
  return actor?.name ?? t('cases.detail.system');
}

/**
 * A history entry as a sentence. In Chinese the server's own (it names everyone involved and the reason given);
 * in English one built from its kind, actor and states (notes and decisions keep the words they were given in).
 */
export function historyText(entry: CaseHistoryEntry): string {
  if (!english() || entry.kind === 'note' || entry.kind === 'approval') return entry.text;
  const name = actorName(entry.actor);
  if (entry.kind === 'transition') {
    return isState(entry.from) && isState(entry.to)
      ? t('cases.history.transition', { name, from: stateLabel(entry.from), to: stateLabel(entry.to) })
      : entry.text;
  }
  return t(`cases.history.${entry.kind}`, { name });
}

/** The toast when someone else was first: the server's sentence (已被 王芳 认领, 已由 王芳 处理) in the UI language. */
export function conflictMessage(message: string, fallbackKey: 'cases.claim.takenSomeone' | 'cases.approval.decidedSomeone'): string {
  return localized(message) || t(fallbackKey);
}
