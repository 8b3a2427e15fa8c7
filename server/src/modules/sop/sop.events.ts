import type { EventTypeDef } from '../../platform/events';

const RUN = {
  run_id: { label: '清单ID', type: 'string' as const, example: '12' },
  template: { label: '清单', type: 'string' as const, example: '入职' },
  subject: { label: '对象', type: 'string' as const, example: '成员 张三' },
  shop_id: { label: '店铺ID', type: 'string' as const, optional: true },
  url: { label: '链接', type: 'string' as const, optional: true },
};

/**
 * What the SOP module tells the others. Checklists of members are about no shop, so their default rules are the
 * corp's (`scope: 'corp'`), one rule for every shop and none.
 */
export const SOP_EVENTS: EventTypeDef[] = [
  {
    type: 'checklist.assigned',
    label: '清单步骤待办',
    fields: {
      ...RUN,
      assignee: { label: '负责人账号', type: 'string', example: 'lina' },
      steps: { label: '步骤', type: 'string', example: '配置二步验证；培训' },
    },
    template: '【{template}】{subject}：请完成 {steps}',
    defaultRules: [{ name: '清单步骤待办', format: 'text', people: ['assignee'], scope: 'corp' }],
  },
  {
    type: 'checklist.overdue',
    label: '清单步骤超时',
    fields: {
      ...RUN,
      step_id: { label: '步骤ID', type: 'string', example: '88' },
      step: { label: '步骤', type: 'string', example: '配置二步验证' },
      due_at: { label: '截止时间', type: 'time', example: 1796200000000 },
      assignee: { label: '负责人账号', type: 'string', optional: true },
    },
    template: '【{template}】{subject} 的步骤「{step}」已于 {due_at} 超时，请尽快完成。',
    defaultRules: [{ name: '清单步骤超时', format: 'text', people: ['assignee', 'lead_of_assignee'], scope: 'corp' }],
  },
  {
    type: 'checklist.completed',
    label: '清单已完成',
    fields: { ...RUN, started_by: { label: '发起人账号', type: 'string', example: 'wangfang' } },
  },
  {
    type: 'member.handed_over',
    label: '离职交接',
    fields: {
      userid: { label: '成员账号', type: 'string', example: 'zhangsan' },
      name: { label: '成员', type: 'string', example: '张三' },
      reason: { label: '原因', type: 'string', example: '离职' },
      assignee: { label: '接收人（上级）账号', type: 'string', optional: true },
      count: { label: '交接项', type: 'number', example: 5 },
      summary: { label: '明细', type: 'string', example: '订单 3 · 售后 1 · 清单步骤 1' },
      url: { label: '链接', type: 'string', optional: true },
    },
    template: '{name}（{reason}）的工作已交接：{summary}，共 {count} 项。',
    defaultRules: [{ name: '离职交接报告', format: 'text', people: ['assignee'], scope: 'corp' }],
  },
];
