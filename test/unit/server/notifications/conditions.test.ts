/** Rule conditions: tokenizer + recursive-descent parser, type checks against an event, evaluation. */
import type { EventTypeDef } from '../../../../server/src/platform/events/catalogue';
import {
  ConditionError,
  MAX_DEPTH,
  MAX_LENGTH,
  checkCondition,
  conditionToString,
  evaluateCondition,
  parseCondition,
  type ConditionNode,
} from '../../../../server/src/modules/notifications/conditions';

const ORDER: EventTypeDef = {
  type: 'order.created',
  label: '新订单',
  fields: {
    shop_id: { label: '店铺', type: 'string' },
    customer: { label: '客户', type: 'string' },
    items: { label: '商品', type: 'string[]' },
    amount: { label: '总价', type: 'number' },
    ship_time: { label: '预计发货', type: 'time' },
    vip: { label: '会员', type: 'boolean' },
    note: { label: '备注', type: 'string', optional: true },
    a: { label: 'a', type: 'boolean' },
    b: { label: 'b', type: 'boolean' },
    c: { label: 'c', type: 'boolean' },
  },
};

const PAYLOAD = {
  shop_id: 'sg-01',
  customer: '王小明 "VIP"',
  items: ['医用口罩', '酒精棉片'],
  amount: 520,
  ship_time: Date.UTC(2024, 5, 1),
  vip: false,
};

function thrown(fn: () => unknown): ConditionError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConditionError) return err;
    throw err;
  }
  throw new Error('expected a ConditionError');
}

/** Parse, check against ORDER, evaluate. */
const holds = (text: string, payload: Record<string, unknown> = PAYLOAD): boolean => {
  const ast = parseCondition(text);
  checkCondition(ast, ORDER);
  return evaluateCondition(ast, payload);
};

const cmp = (field: string, op: '==' | '!=' | '>' | '>=' | '<' | '<=', value: string | number | boolean): ConditionNode => ({
  kind: 'compare',
  field,
  op,
  value,
});

describe('parseCondition', () => {
  test.each(['', '   ', '\n\t'])('blank %j means always', (text) => {
    expect(parseCondition(text)).toEqual({ kind: 'always' });
    expect(evaluateCondition(parseCondition(text), {})).toBe(true);
  });

  test('comparisons, contains and in', () => {
    expect(parseCondition('amount >= 500')).toEqual(cmp('amount', '>=', 500));
    expect(parseCondition('shop_id=="sg-01"')).toEqual(cmp('shop_id', '==', 'sg-01'));
    expect(parseCondition('items contains "口罩"')).toEqual({ kind: 'contains', field: 'items', value: '口罩' });
    expect(parseCondition('shop_id in ["sg-01", "my-02"]')).toEqual({ kind: 'in', field: 'shop_id', values: ['sg-01', 'my-02'] });
    expect(parseCondition('vip == true')).toEqual(cmp('vip', '==', true));
    expect(parseCondition('amount > -1.5')).toEqual(cmp('amount', '>', -1.5));
  });

  test('and binds tighter than or: a or b and c is a or (b and c)', () => {
    const a = cmp('a', '==', true);
    const b = cmp('b', '==', true);
    const c = cmp('c', '==', true);
    expect(parseCondition('a == true or b == true and c == true')).toEqual({ kind: 'or', items: [a, { kind: 'and', items: [b, c] }] });
    expect(parseCondition('a == true and b == true or c == true')).toEqual({ kind: 'or', items: [{ kind: 'and', items: [a, b] }, c] });
    expect(parseCondition('(a == true or b == true) and c == true')).toEqual({ kind: 'and', items: [{ kind: 'or', items: [a, b] }, c] });
    expect(parseCondition('not a == true and b == true')).toEqual({ kind: 'and', items: [{ kind: 'not', item: a }, b] });
  });

  test('keywords are case-insensitive', () => {
    expect(parseCondition('NOT vip == TRUE AND amount > 1 Or note Contains "x"')).toEqual(
      parseCondition('not vip == true and amount > 1 or note contains "x"'),
    );
  });

  test('string literals take \\" and \\\\ escapes', () => {
    expect(parseCondition(String.raw`customer == "王小明 \"VIP\" \\"`)).toEqual(cmp('customer', '==', '王小明 "VIP" \\'));
  });

  test.each([
    ['amount >', 9, '这里应为 数字、"文本"、true 或 false，实际是 结尾'],
    ['amount = 5', 8, '相等要写成 =='],
    ["shop_id == 'sg'", 12, '文本要用双引号'],
    ['(amount > 1', 12, '这里应为 )'],
    ['amount >= 500 extra', 15, '这里应为 and / or 或结尾，实际是 extra'],
    ['shop_id == "sg', 12, '文本缺少结尾的 "'],
    ['shop_id == "a\\n"', 14, '只支持'],
    ['shop_id in []', 13, '这里应为 数字'],
    ['shop_id in ["a" "b"]', 17, '这里应为 , 或 ]'],
    ['shop_id in "a"', 12, '这里应为 ['],
    ['amount 500', 8, '这里应为 比较运算符'],
    ['and amount > 1', 1, '这里应为 字段名'],
    ['Amount > 1', 1, '字段名 Amount 无效'],
    ['items contains 5', 16, 'contains 后面要写文本'],
    ['金额 > 1', 1, '无法识别的字符 金'],
    ['😀 > 1', 1, '无法识别的字符'],
    ['amount > 1 and', 15, '这里应为 字段名'],
  ])('%j is invalid at character %i', (text, column, zh) => {
    const err = thrown(() => parseCondition(text));
    expect(err.code).toBe('invalid_condition');
    expect(err.status).toBe(422);
    expect(err.message).toContain(`条件第 ${column} 个字符：`);
    expect(err.message).toContain(zh);
    expect(err.message).toContain(`(condition character ${column}: `);
    expect(err.details).toMatchObject({ column });
  });

  test(`at most ${MAX_LENGTH} characters (code points)`, () => {
    const fits = `customer == "${'口'.repeat(MAX_LENGTH - 14)}"`;
    expect([...fits]).toHaveLength(MAX_LENGTH);
    expect(() => parseCondition(fits)).not.toThrow();
    const err = thrown(() => parseCondition(`customer == "${'口'.repeat(MAX_LENGTH - 13)}"`));
    expect(err.code).toBe('invalid_condition');
    expect(err.message).toContain(`条件最长 ${MAX_LENGTH} 个字符`);
  });

  test(`nesting of parentheses and not stops at ${MAX_DEPTH}`, () => {
    const nested = (n: number) => '('.repeat(n) + 'amount > 1' + ')'.repeat(n);
    expect(holds(nested(MAX_DEPTH))).toBe(true);
    expect(thrown(() => parseCondition(nested(MAX_DEPTH + 1))).message).toContain(`最多嵌套 ${MAX_DEPTH} 层`);
    expect(holds('not '.repeat(MAX_DEPTH) + 'amount > 1')).toBe(true);
    expect(() => parseCondition('not '.repeat(MAX_DEPTH + 1) + 'amount > 1')).toThrow(ConditionError);
    // a long flat chain is not nesting
    expect(holds(Array.from({ length: 20 }, () => 'amount > 1').join(' and '))).toBe(true);
  });

  test.each([
    'amount >= 500',
    'a == true or b == true and c == true',
    '(a == true or b == true) and c == true',
    'a == true and (b == true and c == true)',
    'not (amount > 1 or vip == false)',
    'not not vip == true',
    'customer == "say \\"hi\\" \\\\" and items contains "口罩" and shop_id in ["sg-01", "my-02"]',
    'amount in [1, 2.5, -3]',
  ])('conditionToString round trip: %s', (text) => {
    const ast = parseCondition(text);
    expect(parseCondition(conditionToString(ast))).toEqual(ast);
  });
});

describe('checkCondition', () => {
  test('a field the event lacks is unknown_field, named in the message and details', () => {
    const err = thrown(() => checkCondition(parseCondition('amount > 1 and (vip == true or coupon == "x")'), ORDER));
    expect(err.code).toBe('unknown_field');
    expect(err.message).toBe('未知字段 coupon：事件 order.created 没有这个字段 (unknown field coupon for order.created)');
    expect(err.details).toMatchObject({ field: 'coupon', eventType: 'order.created' });
    expect((err.details as { available: string[] }).available).toContain('amount');
    expect(thrown(() => checkCondition(parseCondition('constructor == "x"'), ORDER)).code).toBe('unknown_field');
  });

  test.each([
    ['customer > 5', 'customer'],
    ['customer >= "a"', 'customer'],
    ['customer == 5', 'customer'],
    ['amount == "500"', 'amount'],
    ['amount contains "5"', 'amount'],
    ['vip > 0', 'vip'],
    ['vip == "true"', 'vip'],
    ['items == "口罩"', 'items'],
    ['items in ["口罩"]', 'items'],
    ['shop_id in ["sg-01", 2]', 'shop_id'],
    ['ship_time > "2024-06-01"', 'ship_time'],
    ['not (amount > 1 and customer < 3)', 'customer'],
  ])('type mismatch %j is invalid_condition naming %s', (text, field) => {
    const err = thrown(() => checkCondition(parseCondition(text), ORDER));
    expect(err.code).toBe('invalid_condition');
    expect(err.message).toContain(`类型不符：${field}`);
    expect(err.message).toContain(`(type mismatch: ${field} is `);
    expect(err.details).toMatchObject({ field });
  });

  test.each([
    'amount >= 500',
    'ship_time < 1717200000000',
    'shop_id == "sg-01"',
    'shop_id != "sg-01"',
    'customer contains "王"',
    'items contains "口罩"',
    'amount in [1, 2]',
    'vip == false',
    'vip in [true]',
    'note contains "x"',
    '',
  ])('%j type-checks', (text) => {
    expect(() => checkCondition(parseCondition(text), ORDER)).not.toThrow();
  });
});

describe('evaluateCondition', () => {
  test('numbers and times compare numerically', () => {
    expect(holds('amount >= 500')).toBe(true);
    expect(holds('amount >= 520 and amount <= 520 and amount == 520')).toBe(true);
    expect(holds('amount > 520 or amount < 520 or amount != 520')).toBe(false);
    expect(holds(`ship_time >= ${Date.UTC(2024, 5, 1)} and ship_time < ${Date.UTC(2024, 5, 2)}`)).toBe(true);
  });

  test('strings: ==, !=, in, and contains (substring; on a list, within any element)', () => {
    expect(holds('shop_id == "sg-01"')).toBe(true);
    expect(holds('shop_id != "sg-01"')).toBe(false);
    expect(holds('shop_id in ["my-02", "sg-01"]')).toBe(true);
    expect(holds('shop_id in ["my-02"]')).toBe(false);
    expect(holds('customer == "王小明 \\"VIP\\""')).toBe(true);
    expect(holds('customer contains "小明"')).toBe(true);
    expect(holds('items contains "口罩"')).toBe(true);
    expect(holds('items contains "酒精棉片"')).toBe(true);
    expect(holds('items contains "手套"')).toBe(false);
  });

  test('precedence decides the result: a or b and c', () => {
    for (const a of [true, false])
      for (const b of [true, false])
        for (const c of [true, false]) {
          const payload = { ...PAYLOAD, a, b, c };
          expect(holds('a == true or b == true and c == true', payload)).toBe(a || (b && c));
          expect(holds('(a == true or b == true) and c == true', payload)).toBe((a || b) && c);
          expect(holds('not a == true or b == true', payload)).toBe(!a || b);
        }
  });

  test('a missing optional field makes comparisons false (also !=), and not turns that into true', () => {
    expect(holds('note == "x"')).toBe(false);
    expect(holds('note != "x"')).toBe(false);
    expect(holds('note contains "x"')).toBe(false);
    expect(holds('note in ["x"]')).toBe(false);
    expect(holds('not note == "x"')).toBe(true);
    expect(holds('note != "x"', { ...PAYLOAD, note: null })).toBe(false);
    expect(holds('note != "x"', { ...PAYLOAD, note: 'y' })).toBe(true);
  });

  test('never throws on payloads of the wrong shape', () => {
    const ast = parseCondition('amount > 1 or customer == "x" or items contains "y" or vip in [true] or shop_id in ["a"]');
    for (const payload of [{}, { amount: '2' }, { items: [1, null] }, { customer: ['x'] }, { vip: 'true' }, { amount: null }, { shop_id: 7 }]) {
      expect(evaluateCondition(ast, payload)).toBe(false);
    }
    expect(evaluateCondition(parseCondition('items contains "y"'), { items: 'xyz' })).toBe(true);
  });
});
