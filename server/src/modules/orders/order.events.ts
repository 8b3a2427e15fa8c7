import type { EventTypeDef } from '../../platform/events';

const ORDER = {
  order_id: { label: '订单号', type: 'string' as const, example: '220810QSK8S7BX' },
  shop_id: { label: '店铺ID', type: 'string' as const, example: '100001' },
};
const URL = { url: { label: '链接', type: 'string' as const, optional: true } };
const ASSIGNEE = {
  assignee: { label: '处理人账号', type: 'string' as const, example: 'lina' },
  assignee_name: { label: '处理人', type: 'string' as const, example: '李娜' },
};

/**
 * What the orders module tells the others. order.created is the 新订单 card (the guide's template, a 认领 button
 * for the members who may claim in the shop); a claim or an assignment, in the H5 or on a card, settles every open
 * 新订单 card of that order.
 */
export const ORDER_EVENTS: EventTypeDef[] = [
  {
    type: 'order.created',
    label: '新订单待认领',
    fields: {
      ...ORDER,
      shop_name: { label: '店铺', type: 'string', example: '星河旗舰店' },
      customer: { label: '客户', type: 'string', example: 'j*****n' },
      items: { label: '商品', type: 'string', example: '保温杯 ×2' },
      qty: { label: '数量', type: 'number', example: 2 },
      amount: { label: '总价', type: 'string', example: 'SGD 25.80' },
      // For conditions ('total >= 500 and currency == "SGD"'): the amount as a number, in the order's currency.
      total: { label: '金额', type: 'number', optional: true, example: 25.8 },
      currency: { label: '币种', type: 'string', optional: true, example: 'SGD' },
      ship_time: { label: '预计发货', type: 'time', example: 1796200000000 },
      // For SOP rules, which start checklists by the raw status (READY_TO_SHIP, RETRY_SHIP). `assignee` is never set today:
      // only an unheld order is announced (round-robin's orders get order.assigned instead of this).
      status: { label: '订单状态', type: 'string', example: 'READY_TO_SHIP' },
      assignee: { label: '处理人账号', type: 'string', optional: true },
      ...URL,
    },
    card: { actions: ['order.claim'], target: 'order_id' },
    defaultRules: [{ name: '新订单认领', format: 'card', permissions: ['orders:claim'] }],
  },
  {
    type: 'order.claimed',
    label: '订单已认领',
    fields: { ...ORDER, ...ASSIGNEE, ...URL },
    settlesCards: { subject: 'order_id', text: '已由 {assignee_name} 认领' },
  },
  {
    type: 'order.assigned',
    label: '订单已分配',
    fields: {
      ...ORDER,
      ...ASSIGNEE,
      by_name: { label: '分配人', type: 'string', example: '王芳' },
      status: { label: '订单状态', type: 'string', optional: true },
      ...URL,
    },
    settlesCards: { subject: 'order_id', text: '已分配给 {assignee_name}' },
    template: '{by_name} 把订单 {order_id} 分配给了 {assignee_name}',
    defaultRules: [{ name: '订单分配通知', format: 'text', people: ['assignee'] }],
  },
  {
    type: 'order.released',
    label: '订单已释放',
    fields: { ...ORDER, by: { label: '操作人', type: 'string', example: 'lina' }, ...URL },
  },
  {
    type: 'order.status_changed',
    label: '订单状态变化',
    fields: {
      ...ORDER,
      from: { label: '原状态', type: 'string', example: 'READY_TO_SHIP' },
      to: { label: '新状态', type: 'string', example: 'PROCESSED' },
      assignee: { label: '处理人账号', type: 'string', optional: true },
      ...URL,
    },
  },
  {
    type: 'order.shipped',
    label: '订单已发货',
    fields: {
      ...ORDER,
      tracking: { label: '运单号', type: 'string', example: 'SPXSG0123456789' },
      logistics: { label: '物流', type: 'string', example: 'Shopee Xpress' },
      delivery_date: { label: '预计签收', type: 'string', example: '3-5 天' },
      assignee: { label: '处理人账号', type: 'string', optional: true },
      ...URL,
    },
    defaultRules: [{ name: '发货通知', format: 'text', people: ['assignee'] }],
  },
  {
    // For figures, not for people (no default rule): what the order is now, each time a newer version is applied.
    type: 'order.synced',
    label: '订单数据更新',
    fields: {
      order_id: ORDER.order_id,
      shop_id: ORDER.shop_id,
      status: { label: '状态', type: 'string', example: 'SHIPPED' },
      currency: { label: '币种', type: 'string', example: 'SGD' },
      total: { label: '总价', type: 'number', example: 25.8 },
      create_time: { label: '下单时间', type: 'time', example: 1796200000000 },
      update_time: { label: '更新时间', type: 'time', example: 1796200000000 },
      ship_by: { label: '发货截止', type: 'time', optional: true },
      items: { label: '商品（JSON）', type: 'string', example: '[{"sku":"CUP-01","qty":2,"amount":25.8}]' },
    },
  },
];
