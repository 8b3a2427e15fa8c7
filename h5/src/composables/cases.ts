import {
  CASE_STATES,
  CASE_TYPES,
  CASE_VIEWS,
  type AftersalesPolicy,
  type ApprovalInput,
  type BusinessHours,
  type CaseHistoryEntry,
  type CaseState,
  type CaseSummary,
  type CaseType,
  type CaseView,
  type NewCaseInput,
  type OrderPerson,
  type TransitionInput,
} from '@shopcrew/shared';

/**
 * The rules behind the 售后 pages that need no Vue, no store and no messages: the views and their defaults,
 * filters ⇄ URL query, the countdown to a deadline (its message key and tone), the forms (新建售后单, a
 * transition's reason, 驳回, 备注) and the 售后规则 form ⇄ AftersalesPolicy. Pure, so
 * test/unit/h5/cases.test.ts runs them as they are.
 */

// ---- views ⇄ URL query (/cases?view=due_soon&shop=…&state=…) ----

/** The list's tabs: the API's views, and 待审批 (view=all&approval=pending) for members who may approve refunds. */
export type CaseTab = CaseView | 'approval';

export interface CaseFilters {
  view: CaseTab;
  shop?: string;
  state?: CaseState;
}

/** Who opens 售后 and what they see first: agents their own cases, leads and owners (who approve refunds) all of them. */
export function defaultView(mayApprove: boolean): CaseView {
  return mayApprove ? 'all' : 'mine';
}

/** The tabs in the order they are shown: 我的, 待分配, 全部, 即将超时, 已超时 (+ 待审批). */
export function caseTabs(mayApprove: boolean): CaseTab[] {
  return mayApprove ? [...CASE_VIEWS, 'approval'] : [...CASE_VIEWS];
}

type QueryValue = string | null | readonly (string | null)[] | undefined;

const first = (v: QueryValue): string | undefined => {
  const value = Array.isArray(v) ? v[0] : v;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

const isState = (value: string | null | undefined): value is CaseState => !!value && (CASE_STATES as readonly string[]).includes(value);
const isType = (value: string | null | undefined): value is CaseType => !!value && (CASE_TYPES as readonly string[]).includes(value);

/** The filters a URL query asks for; an unknown view (or 待审批 for a member who may not approve) opens the member's default. */
export function filtersFromQuery(query: Readonly<Record<string, QueryValue>>, mayApprove: boolean): CaseFilters {
  const view = first(query['view']);
  const state = first(query['state']);
  const shop = first(query['shop']);
  return {
    view: view && (caseTabs(mayApprove) as string[]).includes(view) ? (view as CaseTab) : defaultView(mayApprove),
    ...(shop ? { shop } : {}),
    ...(isState(state) ? { state } : {}),
  };
}

/** The URL query for `filters`: only what is set, the member's default view left out (so /cases is where they start). */
export function queryFromFilters(filters: CaseFilters, mayApprove: boolean): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.view !== defaultView(mayApprove)) query['view'] = filters.view;
  if (filters.shop) query['shop'] = filters.shop;
  if (filters.state) query['state'] = filters.state;
  return query;
}

/** One string per distinct filter set (whether a load is for the list on screen). */
export function filtersKey(filters: CaseFilters): string {
  return JSON.stringify([filters.view, filters.shop ?? '', filters.state ?? '']);
}

/** Filters beyond the view: the empty list then says "nothing matches", not "nothing to do". */
export function isFiltered(filters: CaseFilters): boolean {
  return !!(filters.shop || filters.state);
}

/** GET /api/cases's query for one page (待审批 is every case whose approval is pending). */
export function listQuery(filters: CaseFilters, cursor: string | null, limit: number): Record<string, string | number | undefined> {
  const approval = filters.view === 'approval';
  return {
    view: approval ? 'all' : filters.view,
    approval: approval ? 'pending' : undefined,
    shop: filters.shop,
    state: filters.state,
    cursor: cursor ?? undefined,
    limit,
  };
}

// ---- list rows ----

/** Cases that are over: nothing to claim or count down. */
export const FINISHED_STATES: readonly CaseState[] = ['resolved', 'closed'];

/**
 * 认领 on a row. Rows carry no `can`, so the list asks the permission table: nobody holds the case, it is not
 * over, and the member may handle cases of its shop. The server has the last word (409 already_claimed).
 */
export function offersClaim(row: Pick<CaseSummary, 'shopId' | 'assignee' | 'state'>, mayHandle: (shopId: string) => boolean): boolean {
  return !row.assignee && !FINISHED_STATES.includes(row.state) && mayHandle(row.shopId);
}

/** The fields of a list row, taken from a fresher detail (the answer of every action). */
export function toSummary(c: CaseSummary): CaseSummary {
  const { id, shopId, orderSn, returnSn, type, state, platformStatus, reason, refund, assignee, dueAt, breached, approvalPending, updateTime, tags } = c;
  return { id, shopId, orderSn, returnSn, type, state, platformStatus, reason, refund, assignee, dueAt, breached, approvalPending, updateTime, tags };
}

/** The history newest first, whatever order it came in (equal times: the later entry first). */
export function newestFirst(history: readonly CaseHistoryEntry[]): CaseHistoryEntry[] {
  return history
    .map((entry, i) => ({ entry, i, at: Date.parse(entry.at) }))
    .sort((a, b) => b.at - a.at || b.i - a.i)
    .map((x) => x.entry);
}

/** What a 409 from 认领 / 审批 says: someone else was first (`already_claimed`, `already_decided`), and who, when the details name them. */
export interface ConflictError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

export function conflictOf(error: ConflictError, code: 'already_claimed' | 'already_decided'): { by: OrderPerson | null; message: string } | null {
  if (error.status !== 409 || error.code !== code) return null;
  const details = (error.details ?? {}) as { assignee?: Partial<OrderPerson>; decidedBy?: Partial<OrderPerson>; by?: Partial<OrderPerson> };
  const person = details.assignee ?? details.decidedBy ?? details.by;
  const by = person && typeof person.name === 'string' && typeof person.userid === 'string' ? { userid: person.userid, name: person.name } : null;
  return { by, message: error.message };
}

// ---- the countdown to a deadline ----

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How the countdown looks: > 24 h neutral, ≤ 24 h orange, ≤ 2 h red-ish, past red; paused and met ones grey. */
export type CountdownTone = 'normal' | 'warning' | 'urgent' | 'breached' | 'paused' | 'met';

export interface Countdown {
  tone: CountdownTone;
  /** The message under `cases.countdown.` (e.g. `left.hm`: 剩 {h} 小时 {m} 分) and its numbers. */
  key: string;
  params: { d: number; h: number; m: number };
  /** Milliseconds to the deadline (negative once past); null for paused and met ones. */
  remainingMs: number | null;
}

/**
 * The countdown to `at` as it reads at `now`: 剩 2 天 3 小时 (a day or more: days and hours), 剩 3 小时 12 分
 * (hours and minutes), 剩 45 分, 即将到期 (under a minute), 已超时 1 小时 5 分 once past. A paused deadline (SLA
 * targets while the case waits for the buyer or the platform) says 已暂停, a met one 已达成. Null without a
 * deadline (or with a time that does not parse).
 */
export function countdown(at: string | null | undefined, now: number, flags: { paused?: boolean; met?: boolean } = {}): Countdown | null {
  const params = { d: 0, h: 0, m: 0 };
  if (flags.met) return { tone: 'met', key: 'met', params, remainingMs: null };
  if (flags.paused) return { tone: 'paused', key: 'paused', params, remainingMs: null };
  if (!at) return null;
  const due = Date.parse(at);
  if (Number.isNaN(due)) return null;
  const diff = due - now;
  if (diff >= 0 && diff < MINUTE) return { tone: 'urgent', key: 'soon', params, remainingMs: diff };
  const overdue = diff < 0;
  // Left: whole minutes (never more than is left). Past: at least one minute.
  const minutes = overdue ? Math.max(1, Math.floor(-diff / MINUTE)) : Math.floor(diff / MINUTE);
  const d = Math.floor(minutes / (24 * 60));
  const h = Math.floor((minutes % (24 * 60)) / 60);
  const m = minutes % 60;
  let unit: string;
  if (d > 0) unit = h > 0 ? 'dh' : 'd';
  else if (h > 0) unit = m > 0 ? 'hm' : 'h';
  else unit = 'm';
  const tone: CountdownTone = overdue ? 'breached' : diff <= 2 * HOUR ? 'urgent' : diff <= DAY ? 'warning' : 'normal';
  return { tone, key: `${overdue ? 'overdue' : 'left'}.${unit}`, params: { d, h, m }, remainingMs: diff };
}

/** How often the countdowns on screen are brought up to date. */
export const COUNTDOWN_TICK_MS = 30_000;

// ---- forms: 新建售后单, a transition's reason, 驳回, 备注 ----

export const TITLE_MAX = 100;
export const DESCRIPTION_MAX = 2000;
export const ORDER_SN_MAX = 64;
export const REASON_MAX = 500;
export const NOTE_MAX = 2000;

/** Moving a case to these asks why (the server answers 422 validation_failed without a reason). */
export const REASON_REQUIRED: readonly CaseState[] = ['resolved', 'closed', 'reopened'];

export const reasonRequired = (to: CaseState): boolean => REASON_REQUIRED.includes(to);

export interface NewCaseDraft {
  shopId: string | null;
  orderSn: string;
  type: CaseType | null;
  title: string;
  description: string;
}

export type NewCaseError = 'shop' | 'orderSn' | 'type' | 'title' | 'description';

/** The form as it opens: the only shop chosen, and whatever a link from an order brought (?shop=&orderSn=). */
export function initialCaseDraft(shopIds: readonly string[], prefill: { shop?: string; orderSn?: string } = {}): NewCaseDraft {
  const shopId = prefill.shop && shopIds.includes(prefill.shop) ? prefill.shop : shopIds.length === 1 ? shopIds[0]! : null;
  return { shopId, orderSn: prefill.orderSn?.trim() ?? '', type: null, title: '', description: '' };
}

/** POST /api/cases's body for the form, or the first field that is missing or wrong. */
export function newCaseInput(draft: NewCaseDraft, shopIds: readonly string[]): { input: NewCaseInput } | { error: NewCaseError } {
  if (!draft.shopId || !shopIds.includes(draft.shopId)) return { error: 'shop' };
  const orderSn = draft.orderSn.trim();
  if (orderSn && (orderSn.length > ORDER_SN_MAX || !/^[A-Za-z0-9]+$/.test(orderSn))) return { error: 'orderSn' };
  if (!isType(draft.type)) return { error: 'type' };
  const title = draft.title.trim();
  if (!title || title.length > TITLE_MAX) return { error: 'title' };
  const description = draft.description.trim();
  if (description.length > DESCRIPTION_MAX) return { error: 'description' };
  return {
    input: { shopId: draft.shopId, type: draft.type, title, ...(orderSn ? { orderSn } : {}), ...(description ? { description } : {}) },
  };
}

export type ReasonError = 'required' | 'tooLong';

/** What is wrong with a reason (or note) as typed: missing where one is needed, or longer than `max` once trimmed; null when fine. */
export function checkReason(text: string, required: boolean, max = REASON_MAX): ReasonError | null {
  const trimmed = text.trim();
  if (required && !trimmed) return 'required';
  return trimmed.length > max ? 'tooLong' : null;
}

/** POST /api/cases/:id/transition's body, or why the reason will not do (required for 已解决 / 已关闭 / 重新打开). */
export function transitionInput(to: CaseState, reason: string): { input: TransitionInput } | { error: ReasonError } {
  const error = checkReason(reason, reasonRequired(to));
  if (error) return { error };
  const text = reason.trim();
  return { input: text ? { to, reason: text } : { to } };
}

/** POST /api/cases/:id/approval's body: 驳回 needs a reason, 同意 may carry one. */
export function approvalInput(decision: ApprovalInput['decision'], reason = ''): { input: ApprovalInput } | { error: ReasonError } {
  const error = checkReason(reason, decision === 'reject');
  if (error) return { error };
  const text = reason.trim();
  return { input: text ? { decision, reason: text } : { decision } };
}

/** A note's text (trimmed), or why not: empty, or longer than 2000 characters. */
export function noteText(text: string): { text: string } | { error: ReasonError } {
  const error = checkReason(text, true, NOTE_MAX);
  return error ? { error } : { text: text.trim() };
}

// ---- 售后规则: the policy form ⇄ AftersalesPolicy ----

/** Shopee's ReturnReason values, in the order the approval-reason picker lists them (labels: cases.reasons.*). */
export const RETURN_REASONS = [
  'NOT_RECEIPT',
  'WRONG_ITEM',
  'ITEM_DAMAGED',
  'DIFFERENT_DESCRIPTION',
  'MUTUAL_AGREE',
  'OTHER',
  'ITEM_MISSING',
  'CHANGE_MIND',
  'ITEM_FAKE',
  'PHYSICAL_DMG',
  'FUNCTIONAL_DMG',
  'EXPECTATION_FAILED',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const isReturnReason = (value: string | null | undefined): value is ReturnReason => !!value && (RETURN_REASONS as readonly string[]).includes(value);

export type Weekday = keyof BusinessHours['week'];
/** The week as the form lists it: Monday first, Sunday last (0 = Sunday, as the API keys it). */
export const WEEKDAYS: readonly Weekday[] = ['1', '2', '3', '4', '5', '6', '0'];

/** A duration as the form edits it: hours and minutes as typed. */
export interface HoursMinutes {
  hours: string;
  minutes: string;
}

export interface PolicyForm {
  /** As typed (a decimal in the shop's currency). */
  threshold: string;
  currency: string;
  reasons: string[];
  targets: Record<CaseType, { firstResponse: HoursMinutes; resolution: HoursMinutes }>;
  /** As typed. */
  dueSoonMinutes: string;
  /** Per weekday the open hours as typed: `09:00-12:00, 13:30-18:00` (empty: closed all day). */
  week: Record<Weekday, string>;
  holidays: string[];
}

export type PolicyField =
  | 'threshold'
  | 'dueSoonMinutes'
  | `targets.${CaseType}.firstResponse`
  | `targets.${CaseType}.resolution`
  | `targets.${CaseType}.order`
  | `week.${Weekday}`
  | 'holidays';

export const DUE_SOON_MIN = 1;
export const DUE_SOON_MAX = 24 * 60;
/** A target at most 90 business days (in minutes). */
export const TARGET_MAX_MINUTES = 90 * 24 * 60;

/** 150 minutes as the form shows them: 2 hours 30 minutes. */
export function toHoursMinutes(total: number): HoursMinutes {
  const minutes = Number.isFinite(total) && total > 0 ? Math.round(total) : 0;
  return { hours: String(Math.floor(minutes / 60)), minutes: String(minutes % 60) };
}

/** A whole non-negative number as typed ('' is 0); NaN for anything else. */
const wholeNumber = (text: string): number => {
  const trimmed = text.trim();
  if (!trimmed) return 0;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
};

/** Whole minutes of an hours + minutes pair as typed (an empty field is 0); NaN when either is not a whole number or minutes exceed 59. */
export function fromHoursMinutes(value: HoursMinutes): number {
  const hours = wholeNumber(value.hours);
  const minutes = wholeNumber(value.minutes);
  if (Number.isNaN(hours) || Number.isNaN(minutes) || minutes > 59) return Number.NaN;
  return hours * 60 + minutes;
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$|^(24):(00)$/;

/** `9:00` → 540 (minutes since midnight); `24:00` is the end of the day; null for anything else. */
function minuteOfDay(text: string): number | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * A weekday's open hours as typed, `09:00-12:00, 13:30-18:00` (the gap is the lunch break; also `，`, `;` or
 * spaces between ranges, `~` or `–` within one, `9:00` for `09:00`), as the API keeps them: `HH:mm-HH:mm`, in
 * order, none overlapping, each ending after it starts. Empty: closed all day. Null when it does not read.
 */
export function parseRanges(text: string): string[] | null {
  const parts = text
    .split(/[,，;；、\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const ranges: Array<[number, number]> = [];
  for (const part of parts) {
    const pieces = part.split(/[-~–—至]/);
    if (pieces.length !== 2) return null;
    const start = minuteOfDay(pieces[0]!);
    const end = minuteOfDay(pieces[1]!);
    if (start === null || end === null || end <= start) return null;
    ranges.push([start, end]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) if (ranges[i]![0] < ranges[i - 1]![1]) return null;
  return ranges.map(([s, e]) => `${hhmm(s)}-${hhmm(e)}`);
}

/** The ranges as the form shows them. */
export const formatRanges = (ranges: readonly string[]): string => ranges.join(', ');

/** Whether `text` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The holidays with `date` added: no repeats, in date order. */
export function addHoliday(holidays: readonly string[], date: string): string[] {
  return [...new Set([...holidays, date])].sort();
}

/** The form for a policy as the API has it. */
export function policyToForm(policy: AftersalesPolicy): PolicyForm {
  const targets = {} as PolicyForm['targets'];
  for (const type of CASE_TYPES) {
    const target = policy.targets[type] ?? { firstResponseMinutes: 0, resolutionMinutes: 0 };
    targets[type] = { firstResponse: toHoursMinutes(target.firstResponseMinutes), resolution: toHoursMinutes(target.resolutionMinutes) };
  }
  const week = {} as PolicyForm['week'];
  for (const day of WEEKDAYS) week[day] = formatRanges(policy.hours.week[day] ?? []);
  return {
    threshold: String(policy.approvalThreshold),
    currency: policy.currency,
    reasons: [...policy.approvalReasons],
    targets,
    dueSoonMinutes: String(policy.dueSoonMinutes),
    week,
    holidays: [...policy.hours.holidays].sort(),
  };
}

/**
 * PUT /api/aftersales/policies/:shopId's body for the form, or every field that will not do: the threshold a
 * non-negative amount (at most two decimals), each target at least a minute (resolution no sooner than the
 * first response), the reminder 1–1440 minutes before, each weekday's hours readable (parseRanges), holidays
 * real dates.
 */
export function formToPolicy(form: PolicyForm, shopId: string): { policy: AftersalesPolicy } | { errors: PolicyField[] } {
  const errors: PolicyField[] = [];
  const thresholdText = form.threshold.trim();
  const threshold = Number(thresholdText);
  if (!/^\d+(\.\d{1,2})?$/.test(thresholdText) || !Number.isFinite(threshold)) errors.push('threshold');

  const targets = {} as AftersalesPolicy['targets'];
  for (const type of CASE_TYPES) {
    const firstResponseMinutes = fromHoursMinutes(form.targets[type].firstResponse);
    const resolutionMinutes = fromHoursMinutes(form.targets[type].resolution);
    const firstOk = firstResponseMinutes >= 1 && firstResponseMinutes <= TARGET_MAX_MINUTES;
    const resolutionOk = resolutionMinutes >= 1 && resolutionMinutes <= TARGET_MAX_MINUTES;
    if (!firstOk) errors.push(`targets.${type}.firstResponse`);
    if (!resolutionOk) errors.push(`targets.${type}.resolution`);
    if (firstOk && resolutionOk && resolutionMinutes < firstResponseMinutes) errors.push(`targets.${type}.order`);
    targets[type] = { firstResponseMinutes, resolutionMinutes };
  }

  const dueSoonText = form.dueSoonMinutes.trim();
  const dueSoon = /^\d+$/.test(dueSoonText) ? Number(dueSoonText) : Number.NaN;
  if (!(dueSoon >= DUE_SOON_MIN && dueSoon <= DUE_SOON_MAX)) errors.push('dueSoonMinutes');

  const week = {} as BusinessHours['week'];
  for (const day of WEEKDAYS) {
    const ranges = parseRanges(form.week[day]);
    if (ranges === null) errors.push(`week.${day}`);
    week[day] = ranges ?? [];
  }

  if (!form.holidays.every(isIsoDate)) errors.push('holidays');

  if (errors.length) return { errors };
  return {
    policy: {
      shopId,
      approvalThreshold: threshold,
      currency: form.currency,
      // Known reasons in the picker's order, then any the server has that this H5 does not list yet.
      approvalReasons: [...RETURN_REASONS.filter((r) => form.reasons.includes(r)), ...form.reasons.filter((r) => !isReturnReason(r))],
      targets,
      dueSoonMinutes: dueSoon,
      hours: { week, holidays: [...new Set(form.holidays)].sort() },
    },
  };
}

/** What PUT /api/aftersales/policies/:shopId takes: the policy without its shop and currency (the server's own). */
export type PolicyInput = Omit<AftersalesPolicy, 'shopId' | 'currency'>;

export function policyInput(policy: AftersalesPolicy): PolicyInput {
  const { approvalThreshold, approvalReasons, targets, dueSoonMinutes, hours } = policy;
  return { approvalThreshold, approvalReasons, targets, dueSoonMinutes, hours };
}

/** Whether the form says something else than `policy` (保存 is offered then). */
export function policyChanged(form: PolicyForm, policy: AftersalesPolicy | null): boolean {
  if (!policy) return false;
  const result = formToPolicy(form, policy.shopId);
  if ('errors' in result) return true;
  const normalized = formToPolicy(policyToForm(policy), policy.shopId);
  return 'errors' in normalized || JSON.stringify(result.policy) !== JSON.stringify(normalized.policy);
}
