import { CASE_STATE_ZH, CASE_STATES, type CaseState } from '@shopcrew/shared';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import { checkTag, withTag } from '../../lib/tags';
import type { AutomationActionDef } from '../../platform/automation-actions';
import type { Tx } from '../../platform/tx';
import { Case } from './case.entity';
import { caseState } from './case-state';
import type { CaseDeps, CaseService } from './case.service';

async function caseOf(tx: Tx, target: string | null): Promise<Case> {
  const id = Number(target);
  const c = Number.isSafeInteger(id) && id > 0 ? await tx.manager.findOneBy(Case, { id }) : null;
  if (!c) throw new NotFoundError(`工单 #${target ?? ''} 不存在 (case not found)`);
  return c;
}

const by = (ruleName: string) => `自动化「${ruleName}」`;

/**
 * What automation rules may do with after-sales cases: give an unheld case to a member, move it to another state (by
 * the case's own state machine, a reason where the H5 needs one), and label it.
 */
export function caseAutomationActions(cases: CaseService, deps: CaseDeps): AutomationActionDef[] {
  return [
    {
      key: 'case.assign',
      label: '分配售后工单',
      subject: 'case_id',
      params: { member: { label: '分配给', kind: 'member' } },
      check: async (params, tx) => {
        const member = params['member'];
        if (typeof member !== 'string' || !(await deps.namesOf([member], tx.manager)).has(member))
          throw new ValidationError('请选择存在的成员 (params.member)', { field: 'params.member' });
        return { member };
      },
      preview: async ({ params, target, tx }) => {
        const c = await caseOf(tx, target);
        const member = String(params['member']);
        const names = await deps.namesOf([member, ...(c.assignee ? [c.assignee] : [])], tx.manager);
        if (c.assignee && c.assignee !== member) return `工单 #${c.id} 已由 ${names.get(c.assignee) ?? c.assignee} 处理，不改派`;
        return `把工单 #${c.id} 分配给 ${names.get(member) ?? member}`;
      },
      run: async ({ params, target, rule, tx }) => {
        const c = await caseOf(tx, target);
        const member = String(params['member']);
        const names = await deps.namesOf([member, ...(c.assignee ? [c.assignee] : [])], tx.manager);
        if (c.assignee === member) return `工单 #${c.id} 已由 ${names.get(member) ?? member} 处理`;
        if (c.assignee) throw new AppError(409, 'already_claimed', `工单已由 ${names.get(c.assignee) ?? c.assignee} 处理，不改派 (held by someone else)`);
        await cases.assignIn(tx, c, member, null, by(rule.name));
        return `已把工单 #${c.id} 分配给 ${names.get(member) ?? member}`;
      },
    },
    {
      key: 'case.transition',
      label: '变更工单状态',
      subject: 'case_id',
      params: { to: { label: '改为', kind: 'case_state' }, reason: { label: '原因', kind: 'text', optional: true } },
      check: (params) => {
        const to = params['to'];
        if (typeof to !== 'string' || !(CASE_STATES as readonly string[]).includes(to))
          throw new ValidationError('请选择工单状态 (params.to)', { field: 'params.to' });
        const reason = typeof params['reason'] === 'string' ? params['reason'].trim().slice(0, 200) : '';
        return Promise.resolve({ to, reason });
      },
      preview: async ({ params, target, tx }) => {
        const c = await caseOf(tx, target);
        const to = params['to'] as CaseState;
        if (c.state === to) return `工单 #${c.id} 已是「${CASE_STATE_ZH[to]}」`;
        if (!caseState.can(c.state, to)) return `工单 #${c.id} 不能从「${CASE_STATE_ZH[c.state]}」改为「${CASE_STATE_ZH[to]}」`;
        return `把工单 #${c.id} 从「${CASE_STATE_ZH[c.state]}」改为「${CASE_STATE_ZH[to]}」`;
      },
      run: async ({ params, target, rule, tx }) => {
        const c = await caseOf(tx, target);
        const to = params['to'] as CaseState;
        if (c.state === to) return `工单 #${c.id} 已是「${CASE_STATE_ZH[to]}」`;
        const reason = typeof params['reason'] === 'string' && params['reason'] ? params['reason'] : `自动化规则「${rule.name}」`;
        await cases.transitionIn(tx, c, to, reason, null, by(rule.name));
        return `已把工单 #${c.id} 改为「${CASE_STATE_ZH[to]}」`;
      },
    },
    {
      key: 'case.tag',
      label: '工单打标签',
      subject: 'case_id',
      params: { tag: { label: '标签', kind: 'tag' } },
      check: (params) => Promise.resolve({ tag: checkTag(params['tag'], 'params.tag') }),
      preview: async ({ params, target, tx }) => {
        const c = await caseOf(tx, target);
        const tag = String(params['tag']);
        return (c.tags ?? []).includes(tag) ? `工单 #${c.id} 已有标签「${tag}」` : `给工单 #${c.id} 打上「${tag}」`;
      },
      run: async ({ params, target, tx }) => {
        const c = await caseOf(tx, target);
        const tag = String(params['tag']);
        const tags = withTag(c.tags ?? [], tag);
        if (!tags) return `工单 #${c.id} 已有标签「${tag}」`;
        const res = await tx.manager
          .createQueryBuilder()
          .update(Case)
          .set({ tags })
          .where('id = :id AND tags = :before', { id: c.id, before: JSON.stringify(c.tags ?? []) })
          .execute();
        if (res.affected !== 1) throw new Error(`case ${c.id} tags changed meanwhile`); // the event is retried
        await tx.audit({ action: 'aftersales.case_tagged', targetType: 'case', targetId: String(c.id), before: { tags: c.tags }, after: { tags } });
        return `已给工单 #${c.id} 打上「${tag}」`;
      },
    },
  ];
}
