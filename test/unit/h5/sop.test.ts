/**
 * The 清单 pages' rules that need no browser (h5/src/composables/sop.ts): the views (团队 only for members who manage
 * checklists) ⇄ URL query, a run's subject and where it links, 新建清单's body, what a step offers (完成 / 跳过 / 撤销),
 * the evidence a step asks for (required, http(s) links only, the photo checks), the template editor's form ⇄
 * SopTemplateInput (hours ⇄ minutes, moving steps, unchanged forms), the rule form's body, and a handover's items by kind.
 */
import type { HandoverItem, SopRule, SopRunDetail, SopTemplateDetail } from '@shopcrew/shared';
import {
  doneInput,
  emptyEvidence,
  filtersFromQuery,
  filtersKey,
  formFromRule,
  formFromTemplate,
  groupHandoverItems,
  hoursText,
  initialStartDraft,
  internalPath,
  listQuery,
  minutesFromHours,
  moveStep,
  newRuleForm,
  newTemplateForm,
  parseSubject,
  photoProblem,
  PHOTO_MAX_BYTES,
  progressPercent,
  queryFromFilters,
  ruleInput,
  runTabs,
  safeLink,
  skipInput,
  startInput,
  stepActions,
  subjectRoute,
  templateChanged,
  templateInput,
  toRunSummary,
} from '../../../h5/src/composables/sop';

const person = (userid: string, name: string) => ({ userid, name });

describe('the list: views ⇄ URL query', () => {
  test('everyone starts on 我的; 团队 only for members who manage checklists', () => {
    expect(runTabs(false)).toEqual(['mine']);
    expect(runTabs(true)).toEqual(['mine', 'team']);
    expect(filtersFromQuery({}, true)).toEqual({ view: 'mine' });
    expect(filtersFromQuery({ view: 'team' }, false)).toEqual({ view: 'mine' });
    expect(filtersFromQuery({ view: 'team', state: 'done', subject: 'order:250101ABC' }, true)).toEqual({
      view: 'team',
      state: 'done',
      subject: 'order:250101ABC',
    });
  });

  test('unknown states and subjects are dropped; the query holds only what is set', () => {
    expect(filtersFromQuery({ state: 'paused', subject: 'shop:1' }, true)).toEqual({ view: 'mine' });
    expect(queryFromFilters({ view: 'mine' })).toEqual({});
    expect(queryFromFilters({ view: 'team', state: 'running', subject: 'case:42' })).toEqual({ view: 'team', state: 'running', subject: 'case:42' });
    expect(filtersKey({ view: 'mine' })).not.toBe(filtersKey({ view: 'mine', state: 'done' }));
    expect(listQuery({ view: 'team', state: 'done' }, 'c1', 20)).toEqual({ view: 'team', state: 'done', subject: undefined, cursor: 'c1', limit: 20 });
  });

  test('progress as a whole percentage, never beyond 0–100', () => {
    expect(progressPercent({ done: 1, total: 3 })).toBe(33);
    expect(progressPercent({ done: 0, total: 0 })).toBe(0);
    expect(progressPercent({ done: 5, total: 4 })).toBe(100);
  });

  test('a detail back to a row drops its steps', () => {
    const detail = {
      id: 7,
      templateId: 1,
      templateName: '发货前检查',
      version: 2,
      category: 'order',
      subject: { type: 'order', id: 'SN1', label: '订单 SN1' },
      shopId: 's1',
      state: 'running',
      progress: { done: 1, total: 2 },
      next: null,
      overdueSteps: 0,
      startedBy: null,
      startedAt: '2025-03-14T08:00:00Z',
      completedAt: null,
      steps: [],
    } satisfies SopRunDetail;
    const row = toRunSummary(detail);
    expect(row).not.toHaveProperty('steps');
    expect(row).toEqual(Object.fromEntries(Object.entries(detail).filter(([key]) => key !== 'steps')));
  });
});

describe('subjects and 新建清单', () => {
  test('a subject reads as type:id; orders and cases link, members do not', () => {
    expect(parseSubject('order:250101ABC')).toEqual({ type: 'order', id: '250101ABC' });
    expect(parseSubject('case:42')).toEqual({ type: 'case', id: '42' });
    expect(parseSubject('member:zhang.san')).toEqual({ type: 'member', id: 'zhang.san' });
    for (const bad of ['order', 'order:', 'case:abc', 'toString:x', 'order:../x', 'member:a b']) expect(parseSubject(bad)).toBeNull();
    expect(subjectRoute({ type: 'order', id: 'SN1' })).toEqual({ name: 'order', params: { orderSn: 'SN1' } });
    expect(subjectRoute({ type: 'case', id: '42' })).toEqual({ name: 'case', params: { id: '42' } });
    expect(subjectRoute({ type: 'member', id: 'zhangsan' })).toBeNull();
    expect(subjectRoute(null)).toBeNull();
  });

  test('the sheet needs a template; a subject, when chosen, must read', () => {
    expect(startInput(initialStartDraft())).toEqual({ error: 'template' });
    expect(startInput({ templateId: 3, subjectType: 'none', subjectId: 'ignored' })).toEqual({ input: { templateId: 3 } });
    expect(startInput({ templateId: 3, subjectType: 'order', subjectId: ' SN9 ' })).toEqual({ input: { templateId: 3, subject: 'order:SN9' } });
    expect(startInput({ templateId: 3, subjectType: 'case', subjectId: 'x' })).toEqual({ error: 'subject' });
    expect(initialStartDraft('case:42')).toEqual({ templateId: null, subjectType: 'case', subjectId: '42' });
  });
});

describe('a step', () => {
  test('完成 and 跳过 while it is to do, 撤销 once ticked: only for whoever may tick it, only while the run runs', () => {
    expect(stepActions({ state: 'todo', canTick: true }, 'running')).toEqual({ done: true, skip: true, undo: false });
    expect(stepActions({ state: 'done', canTick: true }, 'running')).toEqual({ done: false, skip: false, undo: true });
    expect(stepActions({ state: 'skipped', canTick: true }, 'running')).toEqual({ done: false, skip: false, undo: true });
    expect(stepActions({ state: 'todo', canTick: false }, 'running')).toEqual({ done: false, skip: false, undo: false });
    expect(stepActions({ state: 'done', canTick: true }, 'done')).toEqual({ done: false, skip: false, undo: false });
  });

  test('the evidence a step asks for: required ones cannot go without it', () => {
    const draft = (change: Partial<ReturnType<typeof emptyEvidence>>) => ({ ...emptyEvidence(), ...change });
    expect(doneInput('none', false, draft({ note: 'ignored' }))).toEqual({ input: { state: 'done' } });
    expect(doneInput('note', true, draft({}))).toEqual({ error: 'required', field: 'note' });
    expect(doneInput('note', true, draft({ note: ' 已核对 ' }))).toEqual({ input: { state: 'done', evidence: { note: '已核对' } } });
    expect(doneInput('note', false, draft({}))).toEqual({ input: { state: 'done' } });
    expect(doneInput('link', true, draft({}))).toEqual({ error: 'required', field: 'link' });
    expect(doneInput('link', true, draft({ link: 'javascript:alert(1)' }))).toEqual({ error: 'link', field: 'link' });
    expect(doneInput('link', true, draft({ link: 'https://shopee.sg/x', note: '见链接' }))).toEqual({
      input: { state: 'done', evidence: { link: 'https://shopee.sg/x', note: '见链接' } },
    });
    expect(doneInput('photo', true, draft({}))).toEqual({ error: 'required', field: 'photo' });
    const file = { fileId: 5, fileName: 'box.jpg', size: 1000, mime: 'image/jpeg' };
    expect(doneInput('photo', true, draft({ file }))).toEqual({ input: { state: 'done', evidence: { fileId: 5, fileName: 'box.jpg' } } });
    expect(doneInput('note', false, draft({ note: 'x'.repeat(2001) }))).toEqual({ error: 'tooLong', field: 'note' });
  });

  test('only http(s) links are links', () => {
    expect(safeLink('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeLink('http://example.com')).toBe('http://example.com/');
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'example.com', '', null, undefined]) expect(safeLink(bad)).toBeNull();
  });

  test('跳过 needs a reason', () => {
    expect(skipInput('  ')).toEqual({ error: 'required' });
    expect(skipInput(' 买家取消 ')).toEqual({ input: { state: 'skipped', reason: '买家取消' } });
    expect(skipInput('x'.repeat(501))).toEqual({ error: 'tooLong' });
  });

  test('photos the server would refuse are said before uploading', () => {
    expect(photoProblem({ type: 'image/jpeg', size: 1000 })).toBeNull();
    expect(photoProblem({ type: 'image/heic', size: 1000 })).toBe('type');
    expect(photoProblem({ type: 'image/png', size: PHOTO_MAX_BYTES + 1 })).toBe('size');
  });
});

describe('the template editor', () => {
  const detail: SopTemplateDetail = {
    id: 1,
    name: '发货前检查',
    category: 'order',
    description: '',
    version: 3,
    stepCount: 2,
    updatedAt: '2025-03-14T08:00:00Z',
    steps: [
      { title: '核对商品', description: '', assignee: { kind: 'role', role: 'warehouse' }, evidence: 'photo', evidenceRequired: true, dueOffsetMinutes: 90 },
      {
        title: '主管确认',
        description: '看照片',
        assignee: { kind: 'member', userid: 'chenjing' },
        evidence: 'none',
        evidenceRequired: false,
        dueOffsetMinutes: null,
      },
    ],
    versions: [],
  };

  test('hours as typed ⇄ minutes', () => {
    expect(hoursText(90)).toBe('1.5');
    expect(hoursText(null)).toBe('');
    expect(minutesFromHours('')).toBeNull();
    expect(minutesFromHours('1.5')).toBe(90);
    expect(minutesFromHours('0')).toBe(0);
    expect(minutesFromHours('-1')).toBeNaN();
    expect(minutesFromHours('2161')).toBeNaN();
    expect(minutesFromHours('1.234')).toBeNaN();
  });

  test('a saved template comes back from its form unchanged', () => {
    const form = formFromTemplate(detail);
    const result = templateInput(form);
    expect(result).toEqual({ input: { name: detail.name, category: 'order', description: '', steps: detail.steps } });
    expect(templateChanged(form, detail)).toBe(false);
    form.steps[1]!.title = '店长确认';
    expect(templateChanged(form, detail)).toBe(true);
  });

  test('every field that will not do is named', () => {
    const form = newTemplateForm();
    form.steps[0]!.assigneeKind = 'member';
    form.steps[0]!.dueHours = 'abc';
    expect(templateInput(form)).toEqual({ errors: ['name', 'steps.0.title', 'steps.0.assignee', 'steps.0.due'] });
    expect(templateInput({ ...form, name: 'x', steps: [] })).toEqual({ errors: ['steps'] });
  });

  test('evidence `none` is never required', () => {
    const form = formFromTemplate(detail);
    form.steps[0]!.evidence = 'none';
    const result = templateInput(form);
    expect('input' in result && result.input.steps[0]!.evidenceRequired).toBe(false);
  });

  test('steps move up and down within the list', () => {
    expect(moveStep(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveStep(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveStep(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveStep(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('rules', () => {
  test('a rule keeps only the conditions of its trigger', () => {
    expect(ruleInput(newRuleForm())).toEqual({ error: 'template' });
    expect(ruleInput({ ...newRuleForm(), templateId: 2, shopId: 's1', caseType: 'complaint' })).toEqual({
      input: { templateId: 2, trigger: 'order_status', shopId: 's1', orderStatus: 'READY_TO_SHIP', caseType: null, enabled: true },
    });
    expect(ruleInput({ ...newRuleForm(), templateId: 2, trigger: 'member_left', shopId: 's1' })).toEqual({
      input: { templateId: 2, trigger: 'member_left', shopId: null, orderStatus: null, caseType: null, enabled: true },
    });
    const rule: SopRule = {
      id: 4,
      templateId: 2,
      templateName: '售后跟进',
      trigger: 'case_opened',
      shopId: null,
      orderStatus: null,
      caseType: 'return_refund',
      enabled: false,
      createdAt: '2025-03-14T08:00:00Z',
    };
    expect(ruleInput(formFromRule(rule))).toEqual({
      input: { templateId: 2, trigger: 'case_opened', shopId: null, orderStatus: null, caseType: 'return_refund', enabled: false },
    });
  });
});

describe('handovers', () => {
  test('items by kind, in the order 订单, 售后, 清单步骤; empty kinds left out', () => {
    const item = (kind: HandoverItem['kind'], id: string): HandoverItem => ({ kind, id, label: id, to: person('wangfang', '王芳'), link: `/x/${id}` });
    const groups = groupHandoverItems([item('sop_step', '9'), item('order', 'SN1'), item('order', 'SN2')]);
    expect(groups.map((g) => [g.kind, g.items.map((i) => i.id)])).toEqual([
      ['order', ['SN1', 'SN2']],
      ['sop_step', ['9']],
    ]);
  });

  test('only in-app paths are links', () => {
    expect(internalPath('/orders/SN1')).toBe('/orders/SN1');
    for (const bad of ['//evil.example/x', '/\\evil', 'https://evil.example', '', null]) expect(internalPath(bad)).toBeNull();
  });
});
