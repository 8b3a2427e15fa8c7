import type { EventTypeDef } from '../../platform/events';

const TASK = {
  project_id: { label: '项目ID', type: 'string' as const, example: '3' },
  project: { label: '项目', type: 'string' as const, example: '双11大促' },
  task_id: { label: '任务ID', type: 'string' as const, example: '41' },
  task: { label: '任务', type: 'string' as const, example: '主图优化' },
  shop_id: { label: '店铺ID', type: 'string' as const, optional: true },
  url: { label: '链接', type: 'string' as const, optional: true },
};
const ASSIGNEE = { assignee: { label: '接收人账号', type: 'string' as const, example: 'luoxin' } };
const DUE = { due: { label: '截止日', type: 'string' as const, example: '2026-11-01' } };

/**
 * What the projects module tells the others. A project may be about no shop, so the default rules are the corp's
 * (`scope: 'corp'`): a mention, an assignment, a reminder reach the person with no rule to set up.
 */
export const PROJECT_EVENTS: EventTypeDef[] = [
  {
    type: 'task.assigned',
    label: '项目任务分配',
    fields: { ...TASK, ...ASSIGNEE, ...DUE, by_name: { label: '分配人', type: 'string', example: '周强' } },
    template: '{by_name} 把「{project}」的任务「{task}」交给了你，截止 {due}',
    defaultRules: [{ name: '项目任务分配', format: 'text', people: ['assignee'], scope: 'corp' }],
  },
  {
    type: 'task.due_tomorrow',
    label: '项目任务明天到期',
    fields: { ...TASK, ...ASSIGNEE, ...DUE },
    template: '「{project}」的任务「{task}」明天（{due}）到期',
    defaultRules: [{ name: '项目任务到期提醒', format: 'text', people: ['assignee'], scope: 'corp' }],
  },
  {
    type: 'task.overdue',
    label: '项目任务已逾期',
    fields: { ...TASK, ...ASSIGNEE, ...DUE },
    template: '「{project}」的任务「{task}」已于 {due} 到期，尚未完成',
    defaultRules: [{ name: '项目任务逾期', format: 'text', people: ['assignee'], scope: 'corp' }],
  },
  {
    type: 'task.mentioned',
    label: '项目评论提到你',
    fields: {
      ...TASK,
      ...ASSIGNEE,
      by_name: { label: '评论人', type: 'string', example: '周强' },
      excerpt: { label: '摘要', type: 'string', example: '@罗欣 主图第二版看一下' },
    },
    template: '{by_name} 在「{task}」中提到了你：{excerpt}',
    defaultRules: [{ name: '评论提及', format: 'text', people: ['assignee'], scope: 'corp' }],
  },
  {
    type: 'task.unblocked',
    label: '前置任务已完成',
    fields: { ...TASK, ...ASSIGNEE, done_task: { label: '已完成的前置任务', type: 'string', example: '选品策划' } },
    template: '「{done_task}」已完成，你的任务「{task}」可以开始了',
    defaultRules: [{ name: '可以开始了', format: 'text', people: ['assignee'], scope: 'corp' }],
  },
  {
    type: 'project.slipping',
    label: '项目延期风险',
    fields: {
      project_id: TASK.project_id,
      project: TASK.project,
      shop_id: TASK.shop_id,
      ...ASSIGNEE,
      end: { label: '计划结束', type: 'string', example: '2026-11-11' },
      last_due: { label: '预计结束', type: 'string', example: '2026-11-14' },
      url: TASK.url,
    },
    template: '项目「{project}」预计 {last_due} 才能完成，晚于计划的 {end}',
    defaultRules: [{ name: '项目延期提醒', format: 'text', people: ['assignee'], scope: 'corp' }],
  },
];
