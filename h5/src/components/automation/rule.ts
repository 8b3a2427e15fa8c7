import type { AutomationCatalogue, AutomationParamKind, AutomationRuleInput, AutomationRuleView, AutomationRunStatus } from '@shopcrew/shared';

/**
 * The automation rule editor's rules that need no browser (pages/automations): the form ⇄ AutomationRuleInput, the
 * two example rules, cron presets, which actions fit a trigger (and why not), where a 422 belongs on the form, and
 * inserting a field name at the caret. No imports from '@/…' so unit tests load it as it is.
 */

export type CatalogueEvent = AutomationCatalogue['events'][number];
export type CatalogueAction = AutomationCatalogue['actions'][number];
export type CatalogueParam = CatalogueAction['params'][number];

/** At most this many actions per rule (the server's MAX_ACTIONS). */
export const MAX_ACTIONS = 5;
/** The dry run replays this many days (the server's DRY_RUN_DAYS). */
export const DRY_RUN_DAYS = 7;

export interface ActionDraft {
  /** A key for v-for that survives removing an action above it. */
  uid: number;
  key: string;
  params: Record<string, unknown>;
}

export interface RuleForm {
  name: string;
  triggerKind: 'event' | 'schedule';
  /** The event type (kept while 定时 is chosen, so switching back restores it). */
  event: string;
  cron: string;
  /** null: any shop. */
  shopId: string | null;
  condition: string;
  actions: ActionDraft[];
}

let nextUid = 1;
const uid = () => nextUid++;

export function newRuleForm(): RuleForm {
  return { name: '', triggerKind: 'event', event: '', cron: '', shopId: null, condition: '', actions: [] };
}

/** What a new param starts as, by its kind (a number: the server's default for `dueInDays`, 3). */
export function defaultParam(kind: AutomationParamKind): unknown {
  switch (kind) {
    case 'members':
    case 'roles':
      return [];
    case 'number':
      return 3;
    case 'sop_template':
    case 'project':
      return null;
    default:
      return '';
  }
}

/** A new action of `def` with every param at its default. */
export function newAction(def: CatalogueAction): ActionDraft {
  return { uid: uid(), key: def.key, params: Object.fromEntries(def.params.map((p) => [p.name, defaultParam(p.kind)])) };
}

/** The form for a saved rule: its params as saved, missing ones at their defaults. */
export function formFromRule(rule: AutomationRuleView, catalogue?: AutomationCatalogue | null): RuleForm {
  return {
    name: rule.name,
    triggerKind: rule.trigger.kind,
    event: rule.trigger.kind === 'event' ? rule.trigger.event : '',
    cron: rule.trigger.kind === 'schedule' ? rule.trigger.cron : '',
    shopId: rule.shopId,
    condition: rule.condition,
    actions: rule.actions.map((a) => {
      const def = catalogue?.actions.find((d) => d.key === a.key);
      const defaults = def ? Object.fromEntries(def.params.map((p) => [p.name, defaultParam(p.kind)])) : {};
      return { uid: uid(), key: a.key, params: { ...defaults, ...structuredCloneJson(a.params) } };
    }),
  };
}

const structuredCloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A param left empty is not sent (an optional member, priority); a required one the server then names. */
const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && !value.trim());

/**
 * The POST/PUT body. `enabled` is never sent: a new rule starts disabled, an edit keeps its switch (启用 / 停用 are
 * their own endpoints). `version` goes with a PUT.
 */
export function ruleInput(form: RuleForm, version?: number): AutomationRuleInput {
  return {
    name: form.name.trim(),
    trigger: form.triggerKind === 'event' ? { kind: 'event', event: form.event } : { kind: 'schedule', cron: form.cron.trim().replace(/\s+/g, ' ') },
    shopId: form.shopId,
    condition: form.triggerKind === 'event' ? form.condition.trim() : '',
    actions: form.actions.map((a) => ({
      key: a.key,
      params: Object.fromEntries(Object.entries(a.params).flatMap(([k, v]) => (blank(v) ? [] : [[k, typeof v === 'string' ? v.trim() : v]]))),
    })),
    ...(version !== undefined ? { version } : {}),
  };
}

/** Whether the form differs from `rule` as saved (a new rule: always). */
export function formChanged(form: RuleForm, rule: AutomationRuleView | undefined, catalogue?: AutomationCatalogue | null): boolean {
  if (!rule) return true;
  return JSON.stringify(ruleInput(form)) !== JSON.stringify(ruleInput(formFromRule(rule, catalogue)));
}

// ---- which actions fit the trigger ----

/** Why `action` cannot run on the trigger, or null when it can: it needs a field (its subject) the trigger lacks. */
export function unfit(
  action: Pick<CatalogueAction, 'subject'>,
  triggerKind: RuleForm['triggerKind'],
  event: CatalogueEvent | undefined,
): { subject: string; schedule: boolean } | null {
  if (!action.subject) return null;
  if (triggerKind === 'schedule') return { subject: action.subject, schedule: true };
  if (!event || event.fields.some((f) => f.name === action.subject)) return null;
  return { subject: action.subject, schedule: false };
}

/** A field's label from any event that has it (`order_id` → 订单号), for saying what an action needs. */
export function fieldLabel(catalogue: AutomationCatalogue | null | undefined, name: string): string {
  for (const e of catalogue?.events ?? []) {
    const f = e.fields.find((x) => x.name === name);
    if (f) return f.label;
  }
  return name;
}

// ---- examples and presets ----

export const EXAMPLE_KEYS = ['bigOrder', 'skuBelowTarget'] as const;
export type ExampleKey = (typeof EXAMPLE_KEYS)[number];
export const isExampleKey = (value: unknown): value is ExampleKey => typeof value === 'string' && (EXAMPLE_KEYS as readonly string[]).includes(value);

/**
 * An example rule to start from, its words in the UI language (`text('name')`, …):
 * 大额订单交给专人 (a new order over 500 SGD: assign it, start a checklist, tag it 大额; the member and checklist are
 * left to pick) and SKU 连续低于目标提醒运营 (a SKU's alert line against its target: tell 运营 and make a task).
 */
export function exampleForm(key: ExampleKey, text: (word: 'name' | 'tag' | 'message' | 'taskTitle') => string): RuleForm {
  const action = (k: string, params: Record<string, unknown>): ActionDraft => ({ uid: uid(), key: k, params });
  if (key === 'bigOrder') {
    return {
      ...newRuleForm(),
      name: text('name'),
      event: 'order.created',
      condition: 'total > 500 and currency == "SGD"',
      actions: [action('order.assign', { member: '' }), action('checklist.start', { templateId: null }), action('order.tag', { tag: text('tag') })],
    };
  }
  return {
    ...newRuleForm(),
    name: text('name'),
    event: 'metric.alert',
    condition: 'sku != "" and line contains "目标"',
    actions: [
      // 运营: the ops role (ops_manager, 运营总监) in the alert's shop.
      action('message.send', { members: [], roles: ['ops_manager'], text: text('message') }),
      action('task.create', { projectId: null, title: text('taskTitle'), owner: '', dueInDays: 3, priority: '' }),
    ],
  };
}

/** Schedules offered as chips; any other 5-field cron may be typed. */
export const CRON_PRESETS = [
  { key: 'daily9', cron: '0 9 * * *' },
  { key: 'monday9', cron: '0 9 * * 1' },
  { key: 'weekdays18', cron: '0 18 * * 1-5' },
  { key: 'monthly1', cron: '0 9 1 * *' },
] as const;
export type CronPresetKey = (typeof CRON_PRESETS)[number]['key'];

export function cronPreset(cron: string): CronPresetKey | null {
  const normal = cron.trim().replace(/\s+/g, ' ');
  return CRON_PRESETS.find((p) => p.cron === normal)?.key ?? null;
}

// ---- where a refusal belongs ----

/**
 * A field of the form a 422 can be about: `name`, `trigger.event`, `trigger.cron`, `shopId`, `condition`, `actions`
 * (the list), `actions.<i>.key` (that action), `actions.<i>.params.<name>` (one of its params).
 */
export type RuleField = string;

interface ErrorLike {
  status: number;
  code: string;
  details?: unknown;
}

const BY_CODE: Record<string, RuleField> = {
  unknown_event: 'trigger.event',
  unknown_field: 'condition',
  invalid_condition: 'condition',
  invalid_cron: 'trigger.cron',
};
const TOP = new Set(['name', 'shopId', 'condition', 'actions']);

/**
 * Which field of `form` a refusal from saving (or dry-running) it is about, or null for none. The server names it in
 * `details.field`; a param's (`params.member`) does not say which action, so it is the first action with that param
 * left empty, else the first with that param. A schema error (`validation_failed` with the zod issues) by its path.
 */
export function fieldOfError(error: ErrorLike, form: RuleForm, catalogue?: AutomationCatalogue | null): RuleField | null {
  if (error.status !== 422) return null;
  const byCode = BY_CODE[error.code];
  if (byCode) return byCode;
  const details = error.details;
  if (Array.isArray(details)) {
    const path = (details[0] as { path?: unknown[] } | undefined)?.path;
    if (!Array.isArray(path) || !path.length) return null;
    const [first, second, third] = path.map(String);
    if (first === 'trigger') return form.triggerKind === 'schedule' ? 'trigger.cron' : 'trigger.event';
    if (first === 'actions' && second !== undefined && /^\d+$/.test(second))
      return third === 'params' && path.length > 3 ? `actions.${second}.params.${String(path[3])}` : `actions.${second}.key`;
    return first && TOP.has(first) ? first : null;
  }
  const field = details && typeof details === 'object' ? (details as { field?: unknown }).field : undefined;
  if (typeof field !== 'string' || !field) return null;
  if (/^actions\.\d+\./.test(field) || field === 'trigger.event' || field === 'trigger.cron' || TOP.has(field)) return field;
  const param = /^params\.([A-Za-z0-9_]+)$/.exec(field)?.[1];
  if (!param) return null;
  const has = (a: ActionDraft) => Object.hasOwn(a.params, param) || !!catalogue?.actions.find((d) => d.key === a.key)?.params.some((p) => p.name === param);
  const empty = (v: unknown) => blank(v) || (Array.isArray(v) && !v.length);
  let index = form.actions.findIndex((a) => has(a) && empty(a.params[param]));
  if (index < 0) index = form.actions.findIndex(has);
  return index < 0 ? null : `actions.${index}.params.${param}`;
}

// ---- the condition's field chips ----

/**
 * `token` put into `text` over the selection `[start, end]` (the end when there is none), with a space either side
 * where it would touch a word: tapping 金额 then 币种 gives `total currency`, never `totalcurrency`. `pad` false: as it is
 * (a `{field}` placeholder in a message text).
 */
export function insertToken(text: string, range: readonly [number, number] | null, token: string, pad = true): { text: string; caret: number } {
  const [start, end] = range && range[0] <= range[1] && range[1] <= text.length ? range : [text.length, text.length];
  const before = text.slice(0, start);
  const after = text.slice(end);
  if (!pad) return { text: before + token + after, caret: before.length + token.length };
  const lead = before && !/[\s(]$/.test(before) ? ' ' : '';
  const trail = after && !/^[\s)]/.test(after) ? ' ' : after ? '' : ' ';
  const inserted = `${lead}${token}${trail}`;
  return { text: before + inserted + after, caret: before.length + inserted.length };
}

// ---- runs ----

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'default';

/** van-tag type of a run's status: done green, partial amber, failed red, skipped quiet. */
export const RUN_STATUS_TAGS: Record<AutomationRunStatus, TagType> = {
  done: 'success',
  partial: 'warning',
  failed: 'danger',
  skipped_loop: 'default',
  skipped_depth: 'default',
};
