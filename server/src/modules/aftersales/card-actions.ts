import type { CardActionDef } from '../../platform/card-actions';
import type { CaseService } from './case.service';

/**
 * 同意 / 驳回 on the 退款待审批 card (https://developer.work.weixin.qq.com/document/path/90236): a click decides as the
 * clicking member (aftersales:approve_refund in the case's shop). 同意 acts on Shopee at once and every approver's
 * card shows the outcome; 驳回 needs a reason, which a card cannot take: the clicker's card points to the H5, and
 * the others stay open until someone decides.
 */
export function approvalCardActions(cases: CaseService): CardActionDef[] {
  const shopOf = (target: string, tx: Parameters<NonNullable<CardActionDef['shopOf']>>[1]) => cases.shopOf(Number(target), tx);
  return [
    {
      key: 'case.approve',
      label: '同意',
      style: 1,
      permission: 'aftersales:approve_refund',
      shopOf,
      handle: async ({ userid, target, tx }) => {
        const outcome = await cases.decide(tx, Number(target), userid, { decision: 'approve' });
        return { text: outcome.text };
      },
    },
    {
      key: 'case.reject',
      label: '驳回',
      style: 4,
      permission: 'aftersales:approve_refund',
      shopOf,
      handle: () => Promise.resolve({ text: '请在店务通填写驳回理由', settle: false }),
    },
  ];
}
