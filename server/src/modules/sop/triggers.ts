import type { DomainEvent, Subscriber } from '../../platform/events';
import type { Tx } from '../../platform/tx';
import type { TriggerFacts } from './rule.service';
import type { RuleService } from './rule.service';
import type { RunService, RunSubject } from './run.service';

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/**
 * Rules start runs when their trigger's event arrives: an order reaching a status, a case opened, a member joining.
 * Each event is handled once (subscribers are), and each subject has one run per template version (run_key), so a
 * trigger firing twice starts nothing new. Steps that follow the subject's assignee follow its claims and assignments.
 */
export function triggerSubscribers(rules: RuleService, runs: RunService, nameOf: (userid: string, tx: Tx) => Promise<string>): Subscriber[] {
  const startAll = async (tx: Tx, facts: TriggerFacts, subject: RunSubject, subjectAssignee: string | null) => {
    for (const rule of await rules.matching(tx, facts))
      await runs.start(tx, { templateId: rule.templateId, subject, shopId: facts.shopId ?? null, startedBy: 'system', ruleId: rule.id, subjectAssignee });
  };
  return [
    {
      key: 'sop.order-created',
      on: ['order.created'],
      handle: (e, tx) =>
        startAll(
          tx,
          { trigger: 'order_status', shopId: str(e.payload['shop_id']), orderStatus: str(e.payload['status']) },
          orderSubject(e),
          str(e.payload['assignee']),
        ),
    },
    {
      key: 'sop.order-status',
      on: ['order.status_changed'],
      handle: async (e, tx) => {
        // A rule without a status starts on the order's arrival only; with one, when the order reaches it.
        const facts = { trigger: 'order_status' as const, shopId: str(e.payload['shop_id']), orderStatus: str(e.payload['to']) };
        for (const rule of (await rules.matching(tx, facts)).filter((r) => r.orderStatus !== null))
          await runs.start(tx, {
            templateId: rule.templateId,
            subject: orderSubject(e),
            shopId: facts.shopId,
            startedBy: 'system',
            ruleId: rule.id,
            subjectAssignee: str(e.payload['assignee']),
          });
      },
    },
    {
      key: 'sop.case-opened',
      on: ['case.opened'],
      handle: (e, tx) =>
        startAll(
          tx,
          { trigger: 'case_opened', shopId: str(e.payload['shop_id']), caseType: str(e.payload['case_type']) },
          { type: 'case', id: String(e.payload['case_id']), label: `售后 #${String(e.payload['case_id'])}` },
          str(e.payload['assignee']),
        ),
    },
    {
      key: 'sop.member-joined',
      on: ['member.joined'],
      handle: async (e, tx) => {
        const userid = String(e.payload['userid']);
        const name = str(e.payload['name']) ?? (await nameOf(userid, tx));
        await startAll(tx, { trigger: 'member_joined' }, { type: 'member', id: userid, label: `成员 ${name}` }, userid);
      },
    },
    {
      // A shop assigning by round-robin announces a new order as order.assigned, not order.created: the same start.
      key: 'sop.order-assigned',
      on: ['order.assigned'],
      handle: async (e, tx) => {
        const status = str(e.payload['status']);
        if (status)
          await startAll(tx, { trigger: 'order_status', shopId: str(e.payload['shop_id']), orderStatus: status }, orderSubject(e), str(e.payload['assignee']));
      },
    },
    {
      key: 'sop.follow-order-assignee',
      on: ['order.claimed', 'order.assigned'],
      handle: async (e, tx) => {
        const assignee = str(e.payload['assignee']);
        if (assignee) await runs.followSubjectAssignee(tx, 'order', String(e.payload['order_id']), assignee);
      },
    },
    {
      key: 'sop.follow-case-assignee',
      on: ['case.assigned'],
      handle: async (e, tx) => {
        const assignee = str(e.payload['assignee']);
        if (assignee) await runs.followSubjectAssignee(tx, 'case', String(e.payload['case_id']), assignee);
      },
    },
  ];
}

const orderSubject = (e: DomainEvent): RunSubject => ({ type: 'order', id: String(e.payload['order_id']), label: `订单 ${String(e.payload['order_id'])}` });
