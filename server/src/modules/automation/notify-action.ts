import type { RoleKey } from '@shopcrew/shared';
import { ValidationError } from '../../errors';
import type { AutomationActionDef } from '../../platform/automation-actions';
import type { OrgService } from '../org/org.service';
import type { RoleService } from '../roles/role.service';
import { param } from './params';

/**
 * 发送通知: a message to chosen members and to the holders of chosen roles in the event's shop. One
 * `automation.notified` per person, delivered by the notification engine (its corp-wide default rule).
 */
export function notifyAction(deps: { org: OrgService; roles: RoleService }): AutomationActionDef {
  const recipients = async (params: Record<string, unknown>, shopId: string | null): Promise<string[]> => {
    const members = params['members'] as string[];
    const holders = await Promise.all((params['roles'] as RoleKey[]).map((r) => deps.roles.membersWithRoleIn(r, shopId)));
    return [...new Set([...members, ...holders.flat()])];
  };
  const shopOf = (payload: Record<string, unknown>) => (typeof payload['shop_id'] === 'string' ? payload['shop_id'] : null);
  return {
    key: 'message.send',
    label: '发送通知',
    subject: null,
    params: {
      members: { label: '成员', kind: 'members', optional: true },
      roles: { label: '角色（事件所在店铺）', kind: 'roles', optional: true },
      text: { label: '内容（可用 {字段}）', kind: 'template_text' },
    },
    check: async (params, tx) => {
      const members = param.strings(params, 'members');
      const roles = param.roles(params, 'roles');
      const text = param.text(params, 'text', 500);
      if (!members.length && !roles.length) throw new ValidationError('请选择接收的成员或角色 (choose members or roles)', { field: 'params.members' });
      const known = await deps.org.namesOf(members, tx.manager);
      const unknown = members.find((m) => !known.has(m));
      if (unknown) throw new ValidationError(`成员 ${unknown} 不存在 (unknown member)`, { field: 'params.members' });
      return { members, roles, text };
    },
    preview: async ({ params, event, tx, fill }) => {
      const to = await recipients(params, shopOf(event.payload));
      const names = await deps.org.namesOf(to, tx.manager);
      const text = fill(String(params['text']));
      return to.length ? `通知 ${to.map((u) => names.get(u) ?? u).join('、')}：${text}` : `没有接收人（角色在该店铺无人）：${text}`;
    },
    run: async ({ params, event, rule, tx, fill }) => {
      const shopId = shopOf(event.payload);
      const to = await recipients(params, shopId);
      const text = fill(String(params['text']));
      const url = typeof event.payload['url'] === 'string' ? event.payload['url'] : undefined;
      await tx.publishMany(
        to.map((assignee) => ({
          type: 'automation.notified',
          payload: { rule_id: String(rule.id), rule_name: rule.name, text, assignee, ...(shopId ? { shop_id: shopId } : {}), ...(url ? { url } : {}) },
        })),
      );
      const names = await deps.org.namesOf(to, tx.manager);
      return to.length ? `已通知 ${to.map((u) => names.get(u) ?? u).join('、')}` : '没有接收人（角色在该店铺无人）';
    },
  };
}
