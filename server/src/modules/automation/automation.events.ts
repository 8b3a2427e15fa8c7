import type { EventTypeDef } from '../../platform/events';

/** What automation tells: a rule's message to one member (a corp-wide default rule delivers it as an app message). */
export const AUTOMATION_EVENTS: EventTypeDef[] = [
  {
    type: 'automation.notified',
    label: '自动化规则通知',
    fields: {
      rule_id: { label: '规则ID', type: 'string', example: '3' },
      rule_name: { label: '规则', type: 'string', example: '大额订单交给王芳' },
      text: { label: '内容', type: 'string', example: '订单 220810QSK8S7BX 金额 620 SGD，已分配给王芳' },
      assignee: { label: '接收人账号', type: 'string', example: 'wangfang' },
      shop_id: { label: '店铺ID', type: 'string', optional: true },
      url: { label: '链接', type: 'string', optional: true },
    },
    template: '【{rule_name}】{text}',
    defaultRules: [{ name: '自动化规则通知', format: 'text', people: ['assignee'], scope: 'corp' }],
  },
];
