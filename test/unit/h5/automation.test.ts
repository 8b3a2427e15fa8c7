/**
 * The 自动化规则 editor's rules that need no browser (h5/src/components/automation/rule.ts): the form ⇄ the API body
 * (new rules never send `enabled`, empty optional params are left out, the version goes with a PUT), the examples,
 * cron presets, which actions fit a trigger, where a 422 belongs on the form, inserting a field at the caret; and the
 * area's messages.
 */
import { AUTOMATION_RUN_STATUS_ZH, type AutomationCatalogue, type AutomationRuleView } from '@shopcrew/shared';
import {
  cronPreset,
  exampleForm,
  fieldLabel,
  fieldOfError,
  formChanged,
  formFromRule,
  insertToken,
  isExampleKey,
  newAction,
  newRuleForm,
  ruleInput,
  RUN_STATUS_TAGS,
  unfit,
  type RuleForm,
} from '../../../h5/src/components/automation/rule';
import zh from '../../../h5/src/locales/automation/zh-CN';
import en from '../../../h5/src/locales/automation/en';
import { buildMessage, type MessageScope } from '../../../h5/src/locales/message-format';

const CATALOGUE: AutomationCatalogue = {
  events: [
    {
      type: 'order.created',
      label: '新订单待认领',
      fields: [
        { name: 'order_id', label: '订单号', type: 'string' },
        { name: 'total', label: '金额', type: 'number' },
        { name: 'currency', label: '币种', type: 'string' },
      ],
    },
    { type: 'member.joined', label: '成员加入', fields: [{ name: 'userid', label: '成员账号', type: 'string' }] },
  ],
  actions: [
    { key: 'order.assign', label: '分配订单', subject: 'order_id', params: [{ name: 'member', label: '分配给', kind: 'member', optional: false }] },
    { key: 'order.tag', label: '订单打标签', subject: 'order_id', params: [{ name: 'tag', label: '标签', kind: 'tag', optional: false }] },
    { key: 'checklist.start', label: '发起清单', subject: null, params: [{ name: 'templateId', label: '清单模板', kind: 'sop_template', optional: false }] },
    {
      key: 'task.create',
      label: '新建项目任务',
      subject: null,
      params: [
        { name: 'projectId', label: '项目', kind: 'project', optional: false },
        { name: 'title', label: '任务标题（可用 {字段}）', kind: 'template_text', optional: false },
        { name: 'owner', label: '负责人', kind: 'member', optional: true },
        { name: 'dueInDays', label: '几天内完成', kind: 'number', optional: false },
      ],
    },
    {
      key: 'message.send',
      label: '发送通知',
      subject: null,
      params: [
        { name: 'members', label: '成员', kind: 'members', optional: true },
        { name: 'roles', label: '角色', kind: 'roles', optional: true },
        { name: 'text', label: '内容', kind: 'template_text', optional: false },
      ],
    },
  ],
};
const action = (key: string) => CATALOGUE.actions.find((a) => a.key === key)!;

const saved: AutomationRuleView = {
  id: 7,
  name: '大额订单交给王芳',
  enabled: false,
  trigger: { kind: 'event', event: 'order.created' },
  triggerLabel: '新订单待认领',
  shopId: '100001',
  condition: 'total > 500 and currency == "SGD"',
  actions: [
    { key: 'order.assign', label: '分配订单', params: { member: 'wangfang' } },
    { key: 'task.create', label: '新建项目任务', params: { projectId: 3, title: '跟进 {order_id}', owner: null, dueInDays: 2 } },
  ],
  version: 4,
  createdBy: 'zhouqiang',
  updatedAt: 0,
  lastRun: null,
};

describe('the form ⇄ the API body', () => {
  test('a saved rule fills the form (missing params at their defaults) and gives back the same body, with its version for a PUT', () => {
    const form = formFromRule(saved, CATALOGUE);
    expect(form).toMatchObject({ name: saved.name, triggerKind: 'event', event: 'order.created', shopId: '100001', condition: saved.condition });
    expect(form.actions.map((a) => a.params)).toEqual([{ member: 'wangfang' }, { projectId: 3, title: '跟进 {order_id}', owner: null, dueInDays: 2 }]);
    expect(ruleInput(form, 4)).toEqual({
      name: saved.name,
      trigger: { kind: 'event', event: 'order.created' },
      shopId: '100001',
      condition: saved.condition,
      actions: [
        { key: 'order.assign', params: { member: 'wangfang' } },
        { key: 'task.create', params: { projectId: 3, title: '跟进 {order_id}', dueInDays: 2 } },
      ],
      version: 4,
    });
    expect(formChanged(form, saved, CATALOGUE)).toBe(false);
    form.actions[0]!.params['member'] = 'lina';
    expect(formChanged(form, saved, CATALOGUE)).toBe(true);
    expect(formChanged(newRuleForm(), undefined)).toBe(true);
  });

  test('never sends enabled; trims texts; a schedule sends its cron (one space apart) and no condition', () => {
    const form: RuleForm = {
      ...newRuleForm(),
      name: '  周报  ',
      triggerKind: 'schedule',
      event: 'order.created',
      cron: ' 0  9 * *   1 ',
      condition: 'total > 1',
    };
    form.actions.push({ ...newAction(action('message.send')), params: { members: [], roles: ['ops_manager'], text: ' 本周数据 ' } });
    const body = ruleInput(form);
    expect(body).toEqual({
      name: '周报',
      trigger: { kind: 'schedule', cron: '0 9 * * 1' },
      shopId: null,
      condition: '',
      actions: [{ key: 'message.send', params: { members: [], roles: ['ops_manager'], text: '本周数据' } }],
    });
    expect('enabled' in body).toBe(false);
  });

  test('a new action starts with every param at its kind’s default; each has its own key for the list', () => {
    const a = newAction(action('task.create'));
    const b = newAction(action('task.create'));
    expect(a.params).toEqual({ projectId: null, title: '', owner: '', dueInDays: 3 });
    expect(newAction(action('message.send')).params).toEqual({ members: [], roles: [], text: '' });
    expect(a.uid).not.toBe(b.uid);
  });
});

describe('examples and presets', () => {
  const words = (w: string) => `<${w}>`;
  test('大额订单交给专人: order.created over 500 SGD → assign (member to pick), checklist (to pick), tag', () => {
    const form = exampleForm('bigOrder', words);
    expect(form).toMatchObject({ name: '<name>', triggerKind: 'event', event: 'order.created', condition: 'total > 500 and currency == "SGD"' });
    expect(form.actions.map((a) => [a.key, a.params])).toEqual([
      ['order.assign', { member: '' }],
      ['checklist.start', { templateId: null }],
      ['order.tag', { tag: '<tag>' }],
    ]);
  });

  test('SKU 连续低于目标提醒运营: metric.alert → tell the ops role, create a task', () => {
    const form = exampleForm('skuBelowTarget', words);
    expect(form.event).toBe('metric.alert');
    expect(form.actions.map((a) => a.key)).toEqual(['message.send', 'task.create']);
    expect(form.actions[0]!.params).toEqual({ members: [], roles: ['ops_manager'], text: '<message>' });
    expect(form.actions[1]!.params).toMatchObject({ title: '<taskTitle>', dueInDays: 3 });
    expect([isExampleKey('bigOrder'), isExampleKey('nope'), isExampleKey(undefined)]).toEqual([true, false, false]);
  });

  test('cron presets are recognised however spaced', () => {
    expect([cronPreset('0 9 * * *'), cronPreset(' 0  9 * * 1 '), cronPreset('5 9 * * *')]).toEqual(['daily9', 'monday9', null]);
  });
});

describe('which actions fit the trigger', () => {
  const created = CATALOGUE.events[0];
  const joined = CATALOGUE.events[1];
  test('an order action needs an event with order_id; any-event actions fit everything', () => {
    expect(unfit(action('order.assign'), 'event', created)).toBeNull();
    expect(unfit(action('order.assign'), 'event', joined)).toEqual({ subject: 'order_id', schedule: false });
    expect(unfit(action('order.assign'), 'schedule', undefined)).toEqual({ subject: 'order_id', schedule: true });
    expect(unfit(action('checklist.start'), 'schedule', undefined)).toBeNull();
    // No event chosen yet: nothing is ruled out.
    expect(unfit(action('order.assign'), 'event', undefined)).toBeNull();
    expect([fieldLabel(CATALOGUE, 'order_id'), fieldLabel(CATALOGUE, 'case_id')]).toEqual(['订单号', 'case_id']);
  });
});

describe('where a refusal belongs', () => {
  const form = exampleForm('bigOrder', (w) => w);
  const err = (code: string, details?: unknown, status = 422) => ({ status, code, details });

  test('by code: the condition, the event, the cron', () => {
    expect(fieldOfError(err('unknown_field', { field: 'price' }), form)).toBe('condition');
    expect(fieldOfError(err('invalid_condition'), form)).toBe('condition');
    expect(fieldOfError(err('unknown_event', { field: 'trigger.event' }), form)).toBe('trigger.event');
    expect(fieldOfError(err('invalid_cron', { field: 'trigger.cron' }), form)).toBe('trigger.cron');
  });

  test('details.field: an action’s key as named; a param on the first action with it left empty, else the first with it', () => {
    expect(fieldOfError(err('action_not_applicable', { field: 'actions.2.key', needs: 'order_id' }), form)).toBe('actions.2.key');
    expect(fieldOfError(err('validation_failed', { field: 'params.member' }), form, CATALOGUE)).toBe('actions.0.params.member');
    expect(fieldOfError(err('validation_failed', { field: 'params.templateId' }), form, CATALOGUE)).toBe('actions.1.params.templateId');
    const filled = { ...form, actions: [{ ...form.actions[0]!, params: { member: 'nobody' } }, ...form.actions.slice(1)] };
    expect(fieldOfError(err('validation_failed', { field: 'params.member' }), filled, CATALOGUE)).toBe('actions.0.params.member');
    expect(fieldOfError(err('validation_failed', { field: 'params.nothing' }), form, CATALOGUE)).toBeNull();
    expect(fieldOfError(err('validation_failed', { field: 'condition' }), form)).toBe('condition');
  });

  test('a schema error by its path; other failures are about no field', () => {
    expect(fieldOfError(err('validation_failed', [{ path: ['name'], message: 'x' }]), form)).toBe('name');
    expect(fieldOfError(err('validation_failed', [{ path: ['actions'], message: 'x' }]), form)).toBe('actions');
    expect(fieldOfError(err('validation_failed', [{ path: ['actions', 1, 'key'] }]), form)).toBe('actions.1.key');
    expect(fieldOfError(err('validation_failed', [{ path: ['trigger', 'cron'] }]), { ...form, triggerKind: 'schedule' })).toBe('trigger.cron');
    expect(fieldOfError(err('rule_changed', undefined, 409), form)).toBeNull();
    expect(fieldOfError(err('server_error', undefined, 500), form)).toBeNull();
  });
});

describe('a field inserted at the caret', () => {
  test('a condition word gets a space either side where it would touch another', () => {
    expect(insertToken('', null, 'total')).toEqual({ text: 'total ', caret: 6 });
    expect(insertToken('total > 500 and', null, 'currency')).toEqual({ text: 'total > 500 and currency ', caret: 25 });
    expect(insertToken('total > 500 and  == "SGD"', [16, 16], 'currency')).toEqual({ text: 'total > 500 and currency == "SGD"', caret: 24 });
    expect(insertToken('(', [1, 1], 'qty')).toEqual({ text: '(qty ', caret: 5 });
    expect(insertToken('a > 1', [0, 1], 'total')).toEqual({ text: 'total > 1', caret: 5 });
  });

  test('a `{field}` in a message goes in as it is; a caret past the text counts as the end', () => {
    expect(insertToken('订单已分配', [2, 2], '{order_id}', false)).toEqual({ text: '订单{order_id}已分配', caret: 12 });
    expect(insertToken('ab', [5, 5], '{x}', false)).toEqual({ text: 'ab{x}', caret: 5 });
  });
});

describe('messages', () => {
  const scope = (named: Record<string, unknown>) =>
    ({ named: (k: string) => named[k], list: () => undefined, plural: (forms: string[]) => forms[0] }) as unknown as MessageScope;
  test('run statuses are the API’s own Chinese, each with a tag colour and an English name', () => {
    expect(zh.automation.runs.statuses).toEqual(AUTOMATION_RUN_STATUS_ZH);
    expect(Object.keys(en.automation.runs.statuses).sort()).toEqual(Object.keys(AUTOMATION_RUN_STATUS_ZH).sort());
    expect(Object.keys(RUN_STATUS_TAGS).sort()).toEqual(Object.keys(AUTOMATION_RUN_STATUS_ZH).sort());
  });

  test('the example texts keep their `{field}` placeholders when given back as themselves', () => {
    const keep = Object.fromEntries(['name', 'sku', 'metric', 'value', 'line', 'day'].map((f) => [f, `{${f}}`]));
    expect(buildMessage(zh.automation.examples.skuBelowTarget.message)(scope(keep))).toBe(zh.automation.examples.skuBelowTarget.message);
    expect(buildMessage(en.automation.examples.skuBelowTarget.taskTitle)(scope(keep))).toBe(en.automation.examples.skuBelowTarget.taskTitle);
    // '可用 {字段}' is literal in the hint's example (not a placeholder of the message syntax).
    expect(buildMessage(zh.automation.editor.placeholderHint)(scope({ example: '{字段}' }))).toBe('可用 {字段} 插入事件字段');
  });
});
