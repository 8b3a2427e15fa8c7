/**
 * The 售后 pages' rules that need no browser (h5/src/composables/cases.ts): the views and each member's default,
 * filters ⇄ URL query, 认领 on rows, the countdown to a deadline (its words, through the real zh-CN and English
 * messages, and its tone), the forms (新建售后单, a transition's reason, 驳回, 备注), the 售后规则 form ⇄
 * AftersalesPolicy (hours + minutes, business-hour ranges, holidays); the shared 30 s tick
 * (h5/src/composables/useNow.ts, on fake timers); who is offered 售后规则 in 设置 (h5/src/composables/adminPages.ts).
 */
import { effectScope } from 'vue';
import { CASE_STATE_ZH, ROLES, type AftersalesPolicy, type CaseDetail, type CaseHistoryEntry, type Permission, type RoleKey } from '@shopcrew/shared';
import {
  addHoliday,
  approvalInput,
  caseTabs,
  checkReason,
  conflictOf,
  countdown,
  defaultView,
  filtersFromQuery,
  filtersKey,
  formToPolicy,
  fromHoursMinutes,
  initialCaseDraft,
  isFiltered,
  isIsoDate,
  listQuery,
  newCaseInput,
  newestFirst,
  noteText,
  offersClaim,
  parseRanges,
  policyInput,
  policyChanged,
  policyToForm,
  queryFromFilters,
  reasonRequired,
  toHoursMinutes,
  toSummary,
  transitionInput,
  type Countdown,
  type NewCaseDraft,
} from '../../../h5/src/composables/cases';
import { nowTicking, useNow } from '../../../h5/src/composables/useNow';
import { adminPagesFor } from '../../../h5/src/composables/adminPages';
import { buildMessage, type MessageScope } from '../../../h5/src/locales/message-format';
import zhCases from '../../../h5/src/locales/cases/zh-CN';
import enCases from '../../../h5/src/locales/cases/en';

const NOW = Date.parse('2025-03-14T08:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

type Tree = { [key: string]: string | Tree };

/** A countdown in words, as the page shows it (cases.countdown.<key> with its numbers). */
function words(c: Countdown | null, messages: Tree = zhCases.cases.countdown): string {
  if (!c) return '';
  const source = c.key.split('.').reduce<string | Tree>((node, part) => (node as Tree)[part]!, messages);
  const params = c.params as Record<string, number>;
  const scope = { named: (k: string) => params[k], list: () => undefined, plural: (forms: string[]) => forms[0] } as unknown as MessageScope;
  return buildMessage(source as string)(scope);
}
const at = (offsetMs: number, flags?: { paused?: boolean; met?: boolean }) => countdown(iso(NOW + offsetMs), NOW, flags);

describe('views', () => {
  test('agents start on 我的, members who approve refunds (leads, owners) on 全部', () => {
    expect(defaultView(false)).toBe('mine');
    expect(defaultView(true)).toBe('all');
    const may = (role: RoleKey) => ROLES[role].permissions.includes('aftersales:approve_refund');
    expect(defaultView(may('cs_agent'))).toBe('mine');
    expect(defaultView(may('cs_lead'))).toBe('all');
    expect(defaultView(may('owner'))).toBe('all');
  });

  test('待审批 is a tab only for members who may approve', () => {
    expect(caseTabs(false)).toEqual(['mine', 'unassigned', 'all', 'due_soon', 'breached']);
    expect(caseTabs(true)).toEqual(['mine', 'unassigned', 'all', 'due_soon', 'breached', 'approval']);
  });

  test('/cases opens the member’s default; a link with every filter opens them all', () => {
    expect(filtersFromQuery({}, false)).toEqual({ view: 'mine' });
    expect(filtersFromQuery({}, true)).toEqual({ view: 'all' });
    expect(filtersFromQuery({ view: 'due_soon', shop: '1001', state: 'in_progress' }, false)).toEqual({ view: 'due_soon', shop: '1001', state: 'in_progress' });
  });

  test('unknown views and states, 待审批 for an agent, empty and repeated values do not break the page', () => {
    expect(filtersFromQuery({ view: 'everything', state: 'lost', shop: '' }, false)).toEqual({ view: 'mine' });
    expect(filtersFromQuery({ view: 'approval' }, false)).toEqual({ view: 'mine' });
    expect(filtersFromQuery({ view: 'approval' }, true)).toEqual({ view: 'approval' });
    expect(filtersFromQuery({ view: ['breached', 'all'], state: [null, 'closed'] }, false)).toEqual({ view: 'breached' });
  });

  test('the query leaves out the member’s default view and reads back to the same filters', () => {
    expect(queryFromFilters({ view: 'mine' }, false)).toEqual({});
    expect(queryFromFilters({ view: 'mine' }, true)).toEqual({ view: 'mine' });
    expect(queryFromFilters({ view: 'all' }, true)).toEqual({});
    const filters = { view: 'approval', shop: '7', state: 'reopened' } as const;
    expect(queryFromFilters(filters, true)).toEqual({ view: 'approval', shop: '7', state: 'reopened' });
    expect(filtersFromQuery(queryFromFilters(filters, true), true)).toEqual(filters);
  });

  test('filtersKey tells filter sets apart; isFiltered is about more than the view', () => {
    expect(filtersKey({ view: 'mine' })).not.toBe(filtersKey({ view: 'all' }));
    expect(filtersKey({ view: 'all', shop: '1' })).not.toBe(filtersKey({ view: 'all', state: 'new' }));
    expect(isFiltered({ view: 'breached' })).toBe(false);
    expect(isFiltered({ view: 'mine', state: 'new' })).toBe(true);
  });

  test('the API query: 待审批 is view=all&approval=pending', () => {
    expect(listQuery({ view: 'due_soon' }, null, 20)).toEqual({
      view: 'due_soon',
      approval: undefined,
      shop: undefined,
      state: undefined,
      cursor: undefined,
      limit: 20,
    });
    expect(listQuery({ view: 'approval', shop: '7' }, 'c2', 20)).toEqual({
      view: 'all',
      approval: 'pending',
      shop: '7',
      state: undefined,
      cursor: 'c2',
      limit: 20,
    });
  });
});

const summary = {
  id: 42,
  shopId: '1001',
  orderSn: '250314ABC',
  returnSn: 'R250314',
  type: 'return_refund',
  state: 'new',
  platformStatus: 'REQUESTED',
  reason: 'ITEM_DAMAGED',
  refund: { amount: 250, currency: 'SGD' },
  assignee: null,
  dueAt: iso(NOW + 3 * HOUR),
  breached: false,
  approvalPending: true,
  updateTime: iso(NOW - HOUR),
  tags: [] as string[],
} as const;

const entry = (kind: CaseHistoryEntry['kind'], ms: number, text: string = kind): CaseHistoryEntry => ({
  at: iso(ms),
  kind,
  actor: null,
  from: null,
  to: null,
  text,
});

describe('list rows', () => {
  const mayHandle = (shopId: string) => shopId === '1001';

  test('认领 for nobody’s open case, in a shop where the member handles after-sales', () => {
    expect(offersClaim(summary, mayHandle)).toBe(true);
    expect(offersClaim({ ...summary, shopId: '2002' }, mayHandle)).toBe(false);
    expect(offersClaim({ ...summary, assignee: { userid: 'lina', name: '李娜' } }, mayHandle)).toBe(false);
    expect(offersClaim({ ...summary, state: 'resolved' }, mayHandle)).toBe(false);
    expect(offersClaim({ ...summary, state: 'closed' }, mayHandle)).toBe(false);
    expect(offersClaim({ ...summary, state: 'reopened' }, mayHandle)).toBe(true);
  });

  test('a detail becomes a row without its detail fields', () => {
    const detail: CaseDetail = {
      ...summary,
      title: '商品破损',
      description: null,
      history: [entry('created', NOW - HOUR)],
      deadlines: [],
      approval: null,
      can: { claim: true, assign: false, transition: ['in_progress'], decide: false, note: true },
    };
    const row = toSummary(detail);
    expect(row).toEqual(summary);
    expect(Object.keys(row)).not.toContain('history');
  });

  test('the history newest first, equal times in reverse arrival', () => {
    const list = [entry('created', NOW - HOUR), entry('claimed', NOW, 'a'), entry('transition', NOW + 1000), entry('note', NOW, 'b')];
    expect(newestFirst(list).map((e) => e.text)).toEqual(['transition', 'b', 'a', 'created']);
  });

  test('a 409 from someone quicker: who, when the details say; other errors are not conflicts', () => {
    const claimed = { status: 409, code: 'already_claimed', message: '已被 王芳 认领', details: { assignee: { userid: 'wangfang', name: '王芳' } } };
    expect(conflictOf(claimed, 'already_claimed')).toEqual({ by: { userid: 'wangfang', name: '王芳' }, message: '已被 王芳 认领' });
    expect(conflictOf({ status: 409, code: 'already_decided', message: '已由 王芳 处理' }, 'already_decided')).toEqual({ by: null, message: '已由 王芳 处理' });
    expect(conflictOf(claimed, 'already_decided')).toBeNull();
    expect(conflictOf({ status: 409, code: 'illegal_transition', message: 'x' }, 'already_claimed')).toBeNull();
    expect(conflictOf({ status: 422, code: 'already_claimed', message: 'x' }, 'already_claimed')).toBeNull();
  });
});

describe('the countdown', () => {
  test('hours and minutes under a day; days and hours beyond; minutes under an hour', () => {
    expect(words(at(3 * HOUR + 12 * MIN + 30_000))).toBe('剩 3 小时 12 分');
    expect(words(at(2 * DAY + 3 * HOUR + 59 * MIN))).toBe('剩 2 天 3 小时');
    expect(words(at(2 * DAY + 20 * MIN))).toBe('剩 2 天');
    expect(words(at(5 * HOUR))).toBe('剩 5 小时');
    expect(words(at(45 * MIN + 59_000))).toBe('剩 45 分');
    expect(words(at(MIN))).toBe('剩 1 分');
  });

  test('under a minute it is 即将到期; past it says how long ago, at least a minute', () => {
    expect(words(at(59_999))).toBe('即将到期');
    expect(words(at(0))).toBe('即将到期');
    expect(words(at(-1))).toBe('已超时 1 分');
    expect(words(at(-(HOUR + 5 * MIN + 30_000)))).toBe('已超时 1 小时 5 分');
    expect(words(at(-(DAY + 2 * HOUR)))).toBe('已超时 1 天 2 小时');
  });

  test('paused and met deadlines say so, whatever the time', () => {
    expect(words(at(-HOUR, { paused: true }))).toBe('已暂停');
    expect(words(at(HOUR, { met: true }))).toBe('已达成');
    expect(at(-HOUR, { paused: true })).toMatchObject({ tone: 'paused', remainingMs: null });
  });

  test('the same in English', () => {
    const en = enCases.cases.countdown;
    expect(words(at(3 * HOUR + 12 * MIN), en)).toBe('3 h 12 min left');
    expect(words(at(2 * DAY + 3 * HOUR), en)).toBe('2 d 3 h left');
    expect(words(at(10_000), en)).toBe('Due now');
    expect(words(at(-(HOUR + 5 * MIN)), en)).toBe('1 h 5 min overdue');
  });

  test('tone: neutral beyond 24 h, orange within, red-ish within 2 h, red once past', () => {
    expect(at(25 * HOUR)?.tone).toBe('normal');
    expect(at(DAY + 1)?.tone).toBe('normal');
    expect(at(DAY)?.tone).toBe('warning');
    expect(at(3 * HOUR)?.tone).toBe('warning');
    expect(at(2 * HOUR)?.tone).toBe('urgent');
    expect(at(10_000)?.tone).toBe('urgent');
    expect(at(-1)?.tone).toBe('breached');
  });

  test('none without a deadline or with one that does not parse', () => {
    expect(countdown(null, NOW)).toBeNull();
    expect(countdown('soon', NOW)).toBeNull();
  });
});

describe('the shared 30 s tick', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  test('one timer for every user; it ticks every 30 s and stops with the last page', () => {
    const page = effectScope();
    const row = effectScope();
    const a = page.run(() => useNow())!;
    const b = row.run(() => useNow())!;
    expect(nowTicking()).toBe(true);
    expect(a.value).toBe(NOW);

    jest.advanceTimersByTime(29_999);
    expect(a.value).toBe(NOW);
    jest.advanceTimersByTime(1);
    expect(a.value).toBe(NOW + 30_000);
    expect(b.value).toBe(a.value);
    expect(jest.getTimerCount()).toBe(1);

    row.stop();
    expect(nowTicking()).toBe(true);
    page.stop();
    expect(nowTicking()).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('outside a component it is a snapshot and leaves no timer behind', () => {
    const now = useNow();
    expect(now.value).toBe(Date.now());
    expect(nowTicking()).toBe(false);
  });
});

describe('forms', () => {
  const draft = (over: Partial<NewCaseDraft>): NewCaseDraft => ({
    shopId: '1001',
    orderSn: '',
    type: 'complaint',
    title: '买家投诉发货慢',
    description: '',
    ...over,
  });
  const shops = ['1001', '2002'];

  test('新建售后单 opens with the only shop, or the one a link brought', () => {
    expect(initialCaseDraft(['1001'])).toEqual({ shopId: '1001', orderSn: '', type: null, title: '', description: '' });
    expect(initialCaseDraft(shops).shopId).toBeNull();
    expect(initialCaseDraft(shops, { shop: '2002', orderSn: ' 250314ABC ' })).toMatchObject({ shopId: '2002', orderSn: '250314ABC' });
    expect(initialCaseDraft(shops, { shop: '9999' }).shopId).toBeNull();
  });

  test('新建售后单: shop, type and title required; the order number optional but well-formed; trimmed', () => {
    expect(newCaseInput(draft({ shopId: null }), shops)).toEqual({ error: 'shop' });
    expect(newCaseInput(draft({ shopId: '9999' }), shops)).toEqual({ error: 'shop' });
    expect(newCaseInput(draft({ orderSn: '250 314' }), shops)).toEqual({ error: 'orderSn' });
    expect(newCaseInput(draft({ orderSn: '2503-14' }), shops)).toEqual({ error: 'orderSn' }); // letters and digits, as the server takes them
    expect(newCaseInput(draft({ orderSn: 'X'.repeat(65) }), shops)).toEqual({ error: 'orderSn' });
    expect(newCaseInput(draft({ type: null }), shops)).toEqual({ error: 'type' });
    expect(newCaseInput(draft({ title: '   ' }), shops)).toEqual({ error: 'title' });
    expect(newCaseInput(draft({ title: '字'.repeat(101) }), shops)).toEqual({ error: 'title' });
    expect(newCaseInput(draft({ description: 'x'.repeat(2001) }), shops)).toEqual({ error: 'description' });
    expect(newCaseInput(draft({}), shops)).toEqual({ input: { shopId: '1001', type: 'complaint', title: '买家投诉发货慢' } });
    expect(newCaseInput(draft({ orderSn: ' 250314ABC ', description: ' 聊天记录截图已发 ', title: ' 破损 ' }), shops)).toEqual({
      input: { shopId: '1001', type: 'complaint', title: '破损', orderSn: '250314ABC', description: '聊天记录截图已发' },
    });
  });

  test('a transition asks why for 已解决 / 已关闭 / 重新打开 (as the server does), optional otherwise', () => {
    expect(['resolved', 'closed', 'reopened'].every((s) => reasonRequired(s as 'resolved'))).toBe(true);
    expect(reasonRequired('in_progress')).toBe(false);
    expect(transitionInput('resolved', '  ')).toEqual({ error: 'required' });
    expect(transitionInput('resolved', ' 已补发 ')).toEqual({ input: { to: 'resolved', reason: '已补发' } });
    expect(transitionInput('in_progress', '')).toEqual({ input: { to: 'in_progress' } });
    expect(transitionInput('waiting_buyer', 'x'.repeat(501))).toEqual({ error: 'tooLong' });
  });

  test('驳回 needs a reason, 同意 does not; a note is 1–2000 characters', () => {
    expect(approvalInput('reject', ' ')).toEqual({ error: 'required' });
    expect(approvalInput('reject', '证据不足')).toEqual({ input: { decision: 'reject', reason: '证据不足' } });
    expect(approvalInput('approve')).toEqual({ input: { decision: 'approve' } });
    expect(noteText('  ')).toEqual({ error: 'required' });
    expect(noteText('x'.repeat(2001))).toEqual({ error: 'tooLong' });
    expect(noteText(' 已联系买家 ')).toEqual({ text: '已联系买家' });
    expect(checkReason('abc', true, 2)).toBe('tooLong');
    expect(checkReason('', false)).toBeNull();
  });
});

describe('售后规则: the form ⇄ AftersalesPolicy', () => {
  const policy: AftersalesPolicy = {
    shopId: '1001',
    approvalThreshold: 200,
    currency: 'SGD',
    approvalReasons: ['ITEM_FAKE', 'NOT_RECEIPT'],
    targets: {
      return_refund: { firstResponseMinutes: 120, resolutionMinutes: 2880 },
      refund_only: { firstResponseMinutes: 60, resolutionMinutes: 1440 },
      complaint: { firstResponseMinutes: 30, resolutionMinutes: 510 },
      other: { firstResponseMinutes: 240, resolutionMinutes: 4320 },
    },
    dueSoonMinutes: 60,
    hours: {
      week: {
        '0': [],
        '1': ['09:00-12:00', '13:30-18:00'],
        '2': ['09:00-18:00'],
        '3': ['09:00-18:00'],
        '4': ['09:00-18:00'],
        '5': ['09:00-18:00'],
        '6': ['10:00-16:00'],
      },
      holidays: ['2025-05-01', '2025-01-29'],
    },
  };

  test('minutes ⇄ hours + minutes', () => {
    expect(toHoursMinutes(510)).toEqual({ hours: '8', minutes: '30' });
    expect(toHoursMinutes(0)).toEqual({ hours: '0', minutes: '0' });
    expect(fromHoursMinutes({ hours: '8', minutes: '30' })).toBe(510);
    expect(fromHoursMinutes({ hours: '', minutes: '45' })).toBe(45);
    expect(fromHoursMinutes({ hours: ' 2 ', minutes: '' })).toBe(120);
    expect(fromHoursMinutes({ hours: '1.5', minutes: '0' })).toBeNaN();
    expect(fromHoursMinutes({ hours: '1', minutes: '60' })).toBeNaN();
    expect(fromHoursMinutes({ hours: '-1', minutes: '0' })).toBeNaN();
  });

  test('business hours: ranges as typed, normalized; the gap between them is the lunch break', () => {
    expect(parseRanges('09:00-12:00, 13:30-18:00')).toEqual(['09:00-12:00', '13:30-18:00']);
    expect(parseRanges('13:30-18:00，9:00~12:00')).toEqual(['09:00-12:00', '13:30-18:00']);
    expect(parseRanges('  ')).toEqual([]);
    expect(parseRanges('20:00-24:00')).toEqual(['20:00-24:00']);
    expect(parseRanges('09:00-12:00 12:00-13:00')).toEqual(['09:00-12:00', '12:00-13:00']);
    expect(parseRanges('09:00-12:00, 11:00-13:00')).toBeNull(); // overlap
    expect(parseRanges('18:00-09:00')).toBeNull(); // ends before it starts
    expect(parseRanges('09:00-09:00')).toBeNull();
    expect(parseRanges('9-18')).toBeNull();
    expect(parseRanges('25:00-26:00')).toBeNull();
    expect(parseRanges('09:00')).toBeNull();
  });

  test('holidays: real dates, no repeats, in order', () => {
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-1-1')).toBe(false);
    expect(addHoliday(['2025-05-01'], '2025-01-29')).toEqual(['2025-01-29', '2025-05-01']);
    expect(addHoliday(['2025-05-01'], '2025-05-01')).toEqual(['2025-05-01']);
  });

  test('the form for a policy, and back to the same policy', () => {
    const form = policyToForm(policy);
    expect(form.threshold).toBe('200');
    expect(form.targets.complaint).toEqual({ firstResponse: { hours: '0', minutes: '30' }, resolution: { hours: '8', minutes: '30' } });
    expect(form.week['1']).toBe('09:00-12:00, 13:30-18:00');
    expect(form.week['0']).toBe('');
    expect(form.dueSoonMinutes).toBe('60');
    expect(form.holidays).toEqual(['2025-01-29', '2025-05-01']);
    const back = formToPolicy(form, '1001');
    // Reasons come back in the picker's order, holidays sorted: the same policy otherwise.
    expect(back).toEqual({
      policy: { ...policy, approvalReasons: ['NOT_RECEIPT', 'ITEM_FAKE'], hours: { ...policy.hours, holidays: ['2025-01-29', '2025-05-01'] } },
    });
    expect(policyChanged(form, policy)).toBe(false);
    expect(policyChanged({ ...form, threshold: '250.5' }, policy)).toBe(true);
    expect(policyChanged(form, null)).toBe(false);
  });

  test('PUT takes the policy without its shop and currency (the server keeps those)', () => {
    expect(policyInput(policy)).toEqual({
      approvalThreshold: 200,
      approvalReasons: ['ITEM_FAKE', 'NOT_RECEIPT'],
      targets: policy.targets,
      dueSoonMinutes: 60,
      hours: policy.hours,
    });
  });

  test('reasons this H5 does not know are kept', () => {
    const form = policyToForm({ ...policy, approvalReasons: ['SOMETHING_NEW', 'WRONG_ITEM'] });
    const back = formToPolicy(form, '1001');
    expect('policy' in back && back.policy.approvalReasons).toEqual(['WRONG_ITEM', 'SOMETHING_NEW']);
  });

  test('every field that will not do is named', () => {
    const form = policyToForm(policy);
    form.threshold = '-1';
    form.targets.complaint.firstResponse = { hours: '0', minutes: '0' };
    form.targets.refund_only = { firstResponse: { hours: '3', minutes: '0' }, resolution: { hours: '1', minutes: '0' } };
    form.dueSoonMinutes = '0';
    form.week['6'] = '10:00-09:00';
    form.holidays = ['2025-13-01'];
    expect(formToPolicy(form, '1001')).toEqual({
      errors: ['threshold', 'targets.refund_only.order', 'targets.complaint.firstResponse', 'dueSoonMinutes', 'week.6', 'holidays'],
    });
    expect(formToPolicy({ ...policyToForm(policy), threshold: '12.345' }, '1001')).toEqual({ errors: ['threshold'] });
    expect(formToPolicy({ ...policyToForm(policy), threshold: '0' }, '1001')).toMatchObject({ policy: { approvalThreshold: 0 } });
    expect(formToPolicy({ ...policyToForm(policy), dueSoonMinutes: '1441' }, '1001')).toEqual({ errors: ['dueSoonMinutes'] });
  });
});

describe('messages', () => {
  test('the zh-CN state names are the API’s own', () => {
    expect(zhCases.cases.states).toEqual(CASE_STATE_ZH);
  });

  test('设置 lists 售后规则 for members who manage settings only', () => {
    const pages = (role: RoleKey) => adminPagesFor((p: Permission) => ROLES[role].permissions.includes(p)).map((p) => p.key);
    expect(pages('owner')).toContain('aftersales');
    for (const role of ['ops_manager', 'cs_lead', 'cs_agent', 'finance'] as const) expect(pages(role)).not.toContain('aftersales');
  });
});
