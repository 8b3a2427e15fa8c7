/** Notification message templates: `{placeholder}` parsing, checking against the event catalogue, rendering. */
import type { EventTypeDef } from '../../../../server/src/platform/events/catalogue';
import {
  BUILTIN_PLACEHOLDERS,
  SAMPLE_EVENT,
  SAMPLE_TIME,
  TemplateError,
  checkTemplate,
  escapeMarkdown,
  formatTime,
  parseTemplate,
  placeholdersOf,
  renderTemplate,
  sampleFor,
  stringifyTemplate,
} from '../../../../server/src/modules/notifications/templates';

const ORDER: EventTypeDef = {
  type: 'order.created',
  label: '新订单',
  fields: {
    order_id: { label: '订单号', type: 'string' },
    customer: { label: '客户', type: 'string' },
    items: { label: '商品', type: 'string[]' },
    qty: { label: '数量', type: 'number' },
    amount: { label: '总价', type: 'number' },
    ship_time: { label: '预计发货', type: 'time' },
    paid: { label: '已付款', type: 'boolean' },
    note: { label: '备注', type: 'string', optional: true },
  },
};

/** 2024-01-01 16:05 UTC = 2024-01-02 00:05 in Shanghai (UTC+8, no DST): the date and hour both roll over. */
const JAN_2_0005_SHANGHAI = Date.UTC(2024, 0, 1, 16, 5);

const PAYLOAD = {
  order_id: '240601ABC',
  customer: '王小明',
  items: ['口罩', '酒精棉片'],
  qty: 3,
  amount: 12345.6,
  ship_time: JAN_2_0005_SHANGHAI,
  paid: true,
};

function thrown(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error('expected a TemplateError');
}

describe('parseTemplate', () => {
  test('splits literal text and placeholders', () => {
    expect(parseTemplate('订单号:{order_id} | 客户:{customer}')).toEqual([
      { kind: 'text', text: '订单号:' },
      { kind: 'field', name: 'order_id' },
      { kind: 'text', text: ' | 客户:' },
      { kind: 'field', name: 'customer' },
    ]);
    expect(parseTemplate('')).toEqual([]);
    expect(parseTemplate('{a}{b2_c}')).toEqual([
      { kind: 'field', name: 'a' },
      { kind: 'field', name: 'b2_c' },
    ]);
  });

  test('{{ and }} are literal braces, not placeholders', () => {
    expect(parseTemplate('{{order_id}} = {order_id}')).toEqual([
      { kind: 'text', text: '{order_id} = ' },
      { kind: 'field', name: 'order_id' },
    ]);
    expect(parseTemplate('}}{{')).toEqual([{ kind: 'text', text: '}{' }]);
  });

  test.each(['订单号:{order_id} | 客户:{customer}', '{{literal}} {x} }}{{ ', '', '纯文本 😀', '{a}{b}', '**{customer}**\n> {note}'])(
    'stringifyTemplate(parseTemplate(t)) === t for %j',
    (t) => {
      expect(stringifyTemplate(parseTemplate(t))).toBe(t);
      expect(parseTemplate(stringifyTemplate(parseTemplate(t)))).toEqual(parseTemplate(t));
    },
  );

  test.each([
    ['订单号:{order_id', 5, '{ 没有闭合'],
    ['{a{b}', 1, '{ 没有闭合'],
    ['x {Order} y', 3, '字段名 {Order} 无效'],
    ['{1a}', 1, '字段名 {1a} 无效'],
    ['{}', 1, '字段名 {} 无效'],
    ['{ order_id }', 1, '字段名 { order_id } 无效'],
    ['{a-b}', 1, '字段名 {a-b} 无效'],
    ['a } b', 3, '单独的 } 要写成 }}'],
  ])('%j is invalid at character %i', (text, column, zh) => {
    const err = thrown(() => parseTemplate(text));
    expect(err.code).toBe('invalid_template');
    expect(err.status).toBe(422);
    expect(err.message).toContain(`模板第 ${column} 个字符：${zh}`);
    expect(err.message).toContain(`(template character ${column}: `);
    expect(err.details).toMatchObject({ column });
  });

  test('the position counts an emoji as one character and also gives the UTF-16 index for editors', () => {
    const err = thrown(() => parseTemplate('😀😀{oops'));
    expect(err.details).toEqual({ index: 4, column: 3 });
  });

  test('placeholdersOf lists each name once, in order', () => {
    expect(placeholdersOf('{b} {a} {b} {{c}}')).toEqual(['b', 'a']);
  });
});

describe('checkTemplate', () => {
  test('accepts the event fields and the built-ins, and returns the parts', () => {
    expect(checkTemplate('{event_label} {occurred_at} {actor}: {order_id} {note}', ORDER)).toHaveLength(9);
    expect(Object.keys(BUILTIN_PLACEHOLDERS)).toEqual(['event_label', 'occurred_at', 'actor']);
  });

  test('an unknown placeholder names itself and the event, in Chinese and English, and lists what is available', () => {
    const err = thrown(() => checkTemplate('订单号:{order_id} {foo}', ORDER));
    expect(err.code).toBe('unknown_placeholder');
    expect(err.message).toBe('未知字段 {foo}：事件 order.created 没有这个字段 (unknown placeholder {foo} for order.created)');
    const details = err.details as { placeholder: string; eventType: string; available: string[] };
    expect(details.placeholder).toBe('foo');
    expect(details.eventType).toBe('order.created');
    expect(details.available).toEqual(expect.arrayContaining(['order_id', 'customer', 'note', 'event_label', 'occurred_at', 'actor']));
    expect(details.available).not.toContain('foo');
  });

  test('names inherited from Object.prototype are not fields', () => {
    expect(thrown(() => checkTemplate('{constructor}', ORDER)).code).toBe('unknown_placeholder');
  });

  test('a syntax error wins over field checks', () => {
    expect(thrown(() => checkTemplate('{foo', ORDER)).code).toBe('invalid_template');
  });
});

describe('renderTemplate', () => {
  test('formats each field by its type: string[] with 、, numbers without grouping, times in Asia/Shanghai, booleans as 是/否', () => {
    const text = '订单号:{order_id} | 客户:{customer} | 商品:{items} | 数量:{qty} | 总价:{amount} | 预计发货:{ship_time} | 付款:{paid}';
    expect(renderTemplate(text, ORDER, PAYLOAD)).toBe(
      '订单号:240601ABC | 客户:王小明 | 商品:口罩、酒精棉片 | 数量:3 | 总价:12345.6 | 预计发货:2024-01-02 00:05 | 付款:是',
    );
    expect(renderTemplate('{paid}', ORDER, { ...PAYLOAD, paid: false })).toBe('否');
  });

  test('an amount that arrives as a formatted string is kept as is', () => {
    expect(renderTemplate('{amount}', ORDER, { ...PAYLOAD, amount: '¥1,280.00' })).toBe('¥1,280.00');
  });

  test('a missing optional field renders as —', () => {
    expect(renderTemplate('备注:{note}', ORDER, PAYLOAD)).toBe('备注:—');
    expect(renderTemplate('备注:{note}', ORDER, { ...PAYLOAD, note: null })).toBe('备注:—');
    expect(renderTemplate('备注:{note}', ORDER, { ...PAYLOAD, note: '请尽快' })).toBe('备注:请尽快');
  });

  test('literal braces render once', () => {
    expect(renderTemplate('{{{order_id}}}', ORDER, PAYLOAD)).toBe('{240601ABC}');
  });

  test('times follow the time zone option', () => {
    expect(renderTemplate('{ship_time}', ORDER, PAYLOAD, { timeZone: 'UTC' })).toBe('2024-01-01 16:05');
    expect(renderTemplate('{ship_time}', ORDER, PAYLOAD, { timeZone: 'America/New_York' })).toBe('2024-01-01 11:05');
    expect(() => renderTemplate('{ship_time}', ORDER, PAYLOAD, { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  test('formatTime pads fields and uses a 24-hour clock', () => {
    expect(formatTime(Date.UTC(2025, 2, 4, 5, 6), 'Asia/Shanghai')).toBe('2025-03-04 13:06');
    expect(formatTime(Date.UTC(2025, 11, 31, 15, 59), 'Asia/Shanghai')).toBe('2025-12-31 23:59');
    expect(formatTime(Date.UTC(2025, 11, 31, 16, 0), 'Asia/Shanghai')).toBe('2026-01-01 00:00');
  });

  test('built-ins: the event label, and occurred_at / actor from the event envelope', () => {
    const event = { occurredAt: JAN_2_0005_SHANGHAI, actor: 'lina' };
    expect(renderTemplate('[{event_label}] {occurred_at} {actor}', ORDER, PAYLOAD, { event })).toBe('[新订单] 2024-01-02 00:05 lina');
    expect(renderTemplate('{occurred_at} {actor}', ORDER, PAYLOAD)).toBe('— —');
  });

  test('an event field named like a built-in wins over the built-in', () => {
    const def: EventTypeDef = { type: 'case.opened', label: '售后', fields: { actor: { label: '客户', type: 'string' } } };
    expect(renderTemplate('{actor}', def, { actor: '买家' }, { event: { actor: 'system' } })).toBe('买家');
  });

  test('throws like checkTemplate when the template names a field the event does not have', () => {
    expect(() => renderTemplate('{tracking}', ORDER, PAYLOAD)).toThrow(TemplateError);
  });

  test('text format: values cannot add a link or a mention', () => {
    const out = renderTemplate('客户:{customer}', ORDER, { ...PAYLOAD, customer: '<a href="http://evil">退款</a> <@all>' });
    expect(out).toBe('客户:＜a href="http://evil"＞退款＜/a＞ ＜@all＞');
  });

  describe('markdown format', () => {
    const md = (customer: string, text = '**客户**: {customer}') => renderTemplate(text, ORDER, { ...PAYLOAD, customer }, { format: 'markdown' });

    test("the template's own markdown stays while markup in values is neutralised", () => {
      const out = md('**大客户** <font color="warning">急</font> [点我](http://evil) `x` &lt; *');
      expect(out.startsWith('**客户**: ')).toBe(true);
      const value = out.slice('**客户**: '.length);
      expect(value).toBe('＊＊大客户＊＊ ＜font color="warning"＞急＜/font＞ ［点我］(http://evil) ｀x｀ ＆lt; ＊');
      expect(value).not.toMatch(/[<>&`[\]*]/);
    });

    test('# and - are neutralised only where they would start a line', () => {
      expect(md('# 标题', '{customer}')).toBe('＃ 标题');
      // after the template's own quote marker a value still starts a (quoted) line
      expect(md('  - 列表', '> {customer}\n{customer}')).toBe('>   － 列表\n  － 列表');
      expect(md('-5 #1', '客户:{customer}')).toBe('客户:-5 #1');
      expect(md('a\n# b\n - c', '客户:{customer}')).toBe('客户:a\n＃ b\n － c');
    });

    test('list values are escaped too', () => {
      expect(renderTemplate('{items}', ORDER, { ...PAYLOAD, items: ['<b>', '*x*'] }, { format: 'markdown' })).toBe('＜b＞、＊x＊');
    });

    test('escapeMarkdown leaves ordinary text alone', () => {
      expect(escapeMarkdown('王小明 订单 240601-ABC (2 件) 50% ok!')).toBe('王小明 订单 240601-ABC (2 件) 50% ok!');
    });
  });
});

describe('sampleFor', () => {
  test('fills every field with an example by type', () => {
    expect(sampleFor(ORDER)).toEqual({
      order_id: '订单号',
      customer: '客户',
      items: ['商品'],
      qty: 1,
      amount: 1,
      ship_time: SAMPLE_TIME,
      paid: true,
      note: '备注',
    });
    expect(formatTime(SAMPLE_TIME, 'Asia/Shanghai')).toBe('2025-06-01 10:30');
  });

  test('given values win, null included (to preview a missing optional field); keys the event lacks are dropped', () => {
    const payload = sampleFor(ORDER, { customer: '李四', note: null, bogus: 1 });
    expect(payload).toMatchObject({ customer: '李四', note: null, order_id: '订单号' });
    expect(payload).not.toHaveProperty('bogus');
    expect(renderTemplate('{customer} {note}', ORDER, payload)).toBe('李四 —');
  });

  test("uses a field's declared example when it has the field's type", () => {
    const withExamples = {
      type: 'order.created',
      label: '新订单',
      fields: {
        order_id: { label: '订单号', type: 'string', example: '240601XYZ' },
        qty: { label: '数量', type: 'number', example: 'not a number' },
      },
    } as EventTypeDef;
    expect(sampleFor(withExamples)).toEqual({ order_id: '240601XYZ', qty: 1 });
  });

  test('a sample payload renders every default-style template with the sample envelope', () => {
    const out = renderTemplate('{event_label} {occurred_at} {actor} {ship_time}', ORDER, sampleFor(ORDER), { event: SAMPLE_EVENT });
    expect(out).toBe('新订单 2025-06-01 10:30 示例成员 2025-06-01 10:30');
  });
});
