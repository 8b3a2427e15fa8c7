import type { AftersalesPolicy, CaseType } from '@shopcrew/shared';
import type { Case } from './case.entity';

export const TYPE_ZH: Record<CaseType, string> = { return_refund: '退货退款', refund_only: '仅退款', complaint: '投诉', other: '其他' };

/** Shopee's ReturnReason values (https://open.shopee.com/developer-guide/227) in the team's words. */
export const REASON_ZH: Record<string, string> = {
  NONE: '无',
  NOT_RECEIPT: '未收到货',
  WRONG_ITEM: '发错货',
  ITEM_DAMAGED: '商品损坏',
  DIFFERENT_DESCRIPTION: '与描述不符',
  MUTUAL_AGREE: '协商一致',
  OTHER: '其他',
  ITEM_WRONGDAMAGED: '错发或损坏',
  CHANGE_MIND: '不想要了',
  ITEM_MISSING: '缺件',
  EXPECTATION_FAILED: '不符合预期',
  ITEM_FAKE: '假货',
  PHYSICAL_DMG: '外观损坏',
  FUNCTIONAL_DMG: '功能故障',
};

export const caseTitle = (type: CaseType, reason: string | null): string => `${TYPE_ZH[type]}${reason ? ` · ${REASON_ZH[reason] ?? reason}` : ''}`;

export const formatRefund = (c: Pick<Case, 'refund' | 'currency'>): string => (c.refund === null ? '—' : `${c.currency} ${Number(c.refund).toFixed(2)}`.trim());

/** Why a refund needs approval under the shop's policy, or null when the assignee may act directly. */
export function approvalRule(policy: AftersalesPolicy, refund: number, reason: string | null): string | null {
  if (refund >= policy.approvalThreshold) return `退款金额 ${policy.currency} ${refund.toFixed(2)} ≥ ${policy.approvalThreshold}`.replace('  ', ' ');
  if (reason && policy.approvalReasons.includes(reason)) return `退款原因「${REASON_ZH[reason] ?? reason}」需审批`;
  return null;
}
