/** The seller-team guide's default templates and group naming convention. */
import type { EventTypeDef } from '../../../../server/src/platform/events/catalogue';
import {
  DEFAULT_TEMPLATES,
  GROUP_NAME_HINT,
  defaultTemplateFor,
  parseGroupName,
  suggestGroupName,
} from '../../../../server/src/modules/notifications/default-templates';
import { checkTemplate, placeholdersOf, renderTemplate } from '../../../../server/src/modules/notifications/templates';

test('the default templates are the guide’s, character for character', () => {
  expect(DEFAULT_TEMPLATES.map(({ key, label, eventTypes, text }) => ({ key, label, eventTypes, text }))).toEqual([
    {
      key: 'new_order',
      label: '新订单',
      eventTypes: ['order.created'],
      text: '订单号:{order_id} | 客户:{customer} | 商品:{items} | 数量:{qty} | 总价:{amount} | 预计发货:{ship_time}',
    },
    {
      key: 'order_shipped',
      label: '发货',
      eventTypes: ['order.shipped'],
      text: '订单号:{order_id} | 运单号:{tracking} | 物流:{logistics} | 预计签收:{delivery_date}',
    },
    {
      key: 'after_sales',
      label: '售后',
      eventTypes: ['case.opened', 'case.*'],
      text: '订单号:{order_id} | 问题类型:{issue} | 状态:{status} | 处理人:{operator} | 截止时间:{due_date}',
    },
  ]);
  // ASCII colons and pipes, as in the guide (not the full-width ：｜ an editor might substitute)
  for (const t of DEFAULT_TEMPLATES) expect(t.text).not.toMatch(/[：｜]/);
  expect(DEFAULT_TEMPLATES.map((t) => t.labelEn)).toEqual(['New order', 'Shipped', 'After-sales']);
});

test('each default template parses, with the guide’s placeholders', () => {
  expect(DEFAULT_TEMPLATES.map((t) => placeholdersOf(t.text))).toEqual([
    ['order_id', 'customer', 'items', 'qty', 'amount', 'ship_time'],
    ['order_id', 'tracking', 'logistics', 'delivery_date'],
    ['order_id', 'issue', 'status', 'operator', 'due_date'],
  ]);
});

test('the new-order template renders against an event that declares its fields', () => {
  const def: EventTypeDef = {
    type: 'order.created',
    label: '新订单',
    fields: {
      order_id: { label: '订单号', type: 'string' },
      customer: { label: '客户', type: 'string' },
      items: { label: '商品', type: 'string[]' },
      qty: { label: '数量', type: 'number' },
      amount: { label: '总价', type: 'string' },
      ship_time: { label: '预计发货', type: 'time', optional: true },
    },
  };
  const [newOrder] = DEFAULT_TEMPLATES;
  const text = newOrder?.text ?? '';
  expect(() => checkTemplate(text, def)).not.toThrow();
  const payload = { order_id: '240601ABC', customer: '王小明', items: ['口罩', '手套'], qty: 2, amount: 'S$12.50' };
  expect(renderTemplate(text, def, payload)).toBe('订单号:240601ABC | 客户:王小明 | 商品:口罩、手套 | 数量:2 | 总价:S$12.50 | 预计发货:—');
});

test('defaultTemplateFor: an exact event type first, then the noun wildcard', () => {
  expect(defaultTemplateFor('order.created')?.key).toBe('new_order');
  expect(defaultTemplateFor('order.shipped')?.key).toBe('order_shipped');
  expect(defaultTemplateFor('case.opened')?.key).toBe('after_sales');
  expect(defaultTemplateFor('case.escalated')?.key).toBe('after_sales');
  expect(defaultTemplateFor('order.cancelled')).toBeUndefined();
  expect(defaultTemplateFor('member.left')).toBeUndefined();
});

describe('group names', () => {
  test('the hint is the guide’s convention', () => {
    expect(GROUP_NAME_HINT).toBe('店名-部门-用途');
  });

  test.each([
    ['A店', '客服', '新单', 'A店-客服-新单'],
    ['A店', '仓储', '发货', 'A店-仓储-发货'],
    [' A店 ', '运营', ' 日报', 'A店-运营-日报'],
    ['Shopee   SG', '客服', '新单', 'Shopee SG-客服-新单'],
  ])('%j %j %j → %s with no problems', (shop, department, purpose, name) => {
    expect(suggestGroupName(shop, department, purpose)).toEqual({ name, problems: [] });
  });

  test('an empty part is reported', () => {
    const { name, problems } = suggestGroupName('A店', '  ', '');
    expect(name).toBe('A店--');
    expect(problems).toEqual(['部门不能为空 (department is required)', '用途不能为空 (purpose is required)']);
  });

  test('a dash inside a part is replaced so the name still has three parts', () => {
    const { name, problems } = suggestGroupName('sg-01', '客服—售后', '新单');
    expect(name).toBe('sg·01-客服·售后-新单');
    expect(problems).toEqual([
      '店名里的 - 已换成 · (a dash in the shop was replaced by ·)',
      '部门里的 - 已换成 · (a dash in the department was replaced by ·)',
    ]);
    expect(parseGroupName(name)).toEqual({ shop: 'sg·01', department: '客服·售后', purpose: '新单' });
  });

  test('parseGroupName accepts exactly three non-empty parts', () => {
    expect(parseGroupName('A店-客服-新单')).toEqual({ shop: 'A店', department: '客服', purpose: '新单' });
    expect(parseGroupName('A店 - 客服 - 新单')).toEqual({ shop: 'A店', department: '客服', purpose: '新单' });
    for (const bad of ['A店-客服', 'A店-客服-新单-2', 'A店--新单', '客服群', '']) expect(parseGroupName(bad)).toBeNull();
  });
});
