import type { EventTypeDef } from '../../platform/events';

const CASE = {
  case_id: { label: '工单ID', type: 'string' as const, example: '42' },
  shop_id: { label: '店铺ID', type: 'string' as const, example: '100001' },
  order_id: { label: '订单号', type: 'string' as const, example: '220810QSK8S7BX' },
};
const URL = { url: { label: '链接', type: 'string' as const, optional: true } };
const DEADLINE = {
  deadline: { label: '时限', type: 'string' as const, example: '解决时限' },
  due_at: { label: '截止时间', type: 'time' as const, example: 1796200000000 },
  assignee: { label: '处理人账号', type: 'string' as const, optional: true },
};

/**
 * What the after-sales module tells the others. The guide's 售后 template (`订单号 | 问题类型 | 状态 | 处理人 | 截止时间`)
 * fits case.opened and case.approval_requested; reminders go to the assignee, breaches to the leads, the second level
 * to the owner; approvals are cards with 同意 / 驳回 for whoever may approve refunds in the shop.
 */
export const CASE_EVENTS: EventTypeDef[] = [
  {
    type: 'case.opened',
    label: '新售后工单',
    fields: {
      ...CASE,
      issue: { label: '问题类型', type: 'string', example: '退货退款 · 商品损坏' },
      status: { label: '状态', type: 'string', example: '受理' },
      operator: { label: '处理人', type: 'string', example: '未分配' },
      due_date: { label: '截止时间', type: 'time', example: 1796200000000 },
      // The raw type and the assignee's userid, for SOP rules (which start checklists by case type) and routing.
      case_type: { label: '工单类型', type: 'string', example: 'return_refund' },
      assignee: { label: '处理人账号', type: 'string', optional: true },
      ...URL,
    },
    defaultRules: [{ name: '新售后工单', format: 'text', permissions: ['aftersales:handle'] }],
  },
  {
    // Whenever a case gets an assignee: a claim, a lead's assignment, round-robin, or a handover from a member who left.
    type: 'case.assigned',
    label: '售后已分配',
    fields: {
      ...CASE,
      assignee: { label: '处理人账号', type: 'string', example: 'lina' },
      assignee_name: { label: '处理人', type: 'string', example: '李娜' },
      by_name: { label: '分配人', type: 'string', optional: true, example: '王芳' },
      ...URL,
    },
    template: '售后工单 #{case_id}（订单 {order_id}）已分配给 {assignee_name}',
  },
  {
    type: 'case.due_soon',
    label: '售后即将超时',
    fields: { ...CASE, ...DEADLINE, ...URL },
    template: '售后工单 #{case_id}（订单 {order_id}）的{deadline}将于 {due_at} 到期，请尽快处理。',
    defaultRules: [{ name: '售后即将超时提醒', format: 'text', people: ['assignee'] }],
  },
  {
    type: 'case.breached',
    label: '售后已超时',
    fields: { ...CASE, ...DEADLINE, ...URL },
    template: '售后工单 #{case_id}（订单 {order_id}）的{deadline}已于 {due_at} 超时。',
    defaultRules: [{ name: '售后超时通知组长', format: 'text', roles: ['cs_lead'] }],
  },
  {
    type: 'case.escalated',
    label: '售后超时升级',
    fields: { ...CASE, ...DEADLINE, ...URL },
    template: '售后工单 #{case_id}（订单 {order_id}）的{deadline}超时已久（{due_at}），请店长关注。',
    defaultRules: [{ name: '售后超时升级店长', format: 'text', roles: ['owner'] }],
  },
  {
    type: 'case.approval_requested',
    label: '退款待审批',
    fields: {
      ...CASE,
      issue: { label: '问题类型', type: 'string', example: '仅退款 · 未收到货' },
      status: { label: '状态', type: 'string', example: '待审批' },
      operator: { label: '处理人', type: 'string', example: '李娜' },
      due_date: { label: '截止时间', type: 'time', example: 1796200000000 },
      amount: { label: '退款金额', type: 'string', example: 'SGD 250.00' },
      reason: { label: '原因', type: 'string', example: '商品损坏' },
      ...URL,
    },
    template: '订单号:{order_id} | 问题类型:{issue} | 状态:{status} | 处理人:{operator} | 截止时间:{due_date} | 退款:{amount}',
    card: { actions: ['case.approve', 'case.reject'], target: 'case_id' },
    defaultRules: [{ name: '退款审批', format: 'card', permissions: ['aftersales:approve_refund'] }],
  },
  {
    type: 'case.approval_decided',
    label: '退款审批结果',
    fields: {
      ...CASE,
      decision: { label: '决定', type: 'string', example: '同意' },
      approver_name: { label: '审批人', type: 'string', example: '王芳' },
      result: { label: '结果', type: 'string', example: '已由 王芳 同意，已退款' },
      assignee: { label: '处理人账号', type: 'string', optional: true },
      ...URL,
    },
    settlesCards: { subject: 'case_id', text: '{result}' },
    template: '售后工单 #{case_id}（订单 {order_id}）：{result}',
    defaultRules: [{ name: '退款审批结果', format: 'text', people: ['assignee'] }],
  },
  {
    type: 'case.agent_digest',
    label: '我的售后日报',
    fields: {
      shop_id: CASE.shop_id,
      assignee: { label: '处理人账号', type: 'string', example: 'lina' },
      period: { label: '日期', type: 'string', example: '2025-06-01' },
      open: { label: '处理中', type: 'number', example: 4 },
      due_soon: { label: '即将超时', type: 'number', example: 1 },
      breached: { label: '已超时', type: 'number', example: 0 },
      cases: { label: '工单', type: 'string', example: '#42 220810QSK8S7BX · 处理中 · 剩 3 小时 12 分' },
      ...URL,
    },
    template: '{event_label} | {period}\n处理中 {open} · 即将超时 {due_soon} · 已超时 {breached}\n{cases}',
    defaultRules: [{ name: '我的售后日报', format: 'text', people: ['assignee'] }],
  },
  {
    type: 'case.state_changed',
    label: '售后状态变化',
    fields: { ...CASE, from: { label: '原状态', type: 'string', example: '处理中' }, to: { label: '新状态', type: 'string', example: '已解决' }, ...URL },
  },
  {
    // For figures (no default rule): a return's refund went through on the marketplace, once per case.
    type: 'return.refunded',
    label: '退款完成',
    fields: {
      ...CASE,
      amount: { label: '退款金额', type: 'number', example: 25.8 },
      currency: { label: '币种', type: 'string', example: 'SGD' },
      at: { label: '退款时间', type: 'time', example: 1796200000000 },
    },
  },
];
