import {
  HANDOVER_KINDS,
  ROLE_KEYS,
  RUN_STATES,
  RUN_VIEWS,
  SUBJECT_TYPES,
  type EvidenceType,
  type HandoverItem,
  type HandoverKind,
  type RoleKey,
  type SopCategory,
  type SopEvidence,
  type SopFileUploaded,
  type SopRule,
  type SopRuleInput,
  type SopRunInput,
  type SopRunState,
  type SopRunStep,
  type SopRunSummary,
  type SopRunView,
  type SopStepInput,
  type SopSubject,
  type SopSubjectType,
  type SopTemplateDetail,
  type SopTemplateInput,
  type SopTrigger,
  type StepAssigneeSpec,
} from '@shopcrew/shared';
import { checkReason, type ReasonError } from './cases';

/**
 * The rules behind the 清单 pages that need no Vue, no store and no messages: the list's views ⇄ URL query, a run's
 * subject and its link, 新建清单, a step's 完成 (its evidence) / 跳过 (a reason) / 撤销, the photo checks, the
 * template editor's form ⇄ SopTemplateInput, the rule form ⇄ SopRuleInput, and a handover's items by kind. Pure,
 * so test/unit/h5/sop.test.ts runs them as they are.
 */

type QueryValue = string | null | readonly (string | null)[] | undefined;

const first = (v: QueryValue): string | undefined => {
  const value = Array.isArray(v) ? v[0] : v;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

// ---- the list: views ⇄ URL query (/checklists?view=team&state=done&subject=order:SN) ----

export interface RunFilters {
  view: SopRunView;
  state?: SopRunState;
  /** `order:<sn>`, `case:<id>`, `member:<userid>`: the runs about one thing (a link from it). */
  subject?: string;
}

/** 我的, and 团队 for members who manage checklists. */
export function runTabs(mayManage: boolean): SopRunView[] {
  return mayManage ? [...RUN_VIEWS] : ['mine'];
}

const isRunState = (value: string | undefined): value is SopRunState => !!value && (RUN_STATES as readonly string[]).includes(value);

export function filtersFromQuery(query: Readonly<Record<string, QueryValue>>, mayManage: boolean): RunFilters {
  const view = first(query['view']);
  const state = first(query['state']);
  const subject = first(query['subject']);
  return {
    view: view && (runTabs(mayManage) as string[]).includes(view) ? (view as SopRunView) : 'mine',
    ...(isRunState(state) ? { state } : {}),
    ...(subject && parseSubject(subject) ? { subject } : {}),
  };
}

/** Only what is set; 我的 (where everyone starts) left out. */
export function queryFromFilters(filters: RunFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.view !== 'mine') query['view'] = filters.view;
  if (filters.state) query['state'] = filters.state;
  if (filters.subject) query['subject'] = filters.subject;
  return query;
}

export function filtersKey(filters: RunFilters): string {
  return JSON.stringify([filters.view, filters.state ?? '', filters.subject ?? '']);
}

export const isFiltered = (filters: RunFilters): boolean => !!(filters.state || filters.subject);

/** GET /api/sop/runs's query for one page. */
export function listQuery(filters: RunFilters, cursor: string | null, limit: number): Record<string, string | number | undefined> {
  return { view: filters.view, state: filters.state, subject: filters.subject, cursor: cursor ?? undefined, limit };
}

/** A list row from a fresher detail (the answer of every step). */
export function toRunSummary(run: SopRunSummary): SopRunSummary {
  const { id, templateId, templateName, version, category, subject, shopId, state, progress, next, overdueSteps, startedBy, startedAt, completedAt } = run;
  return { id, templateId, templateName, version, category, subject, shopId, state, progress, next, overdueSteps, startedBy, startedAt, completedAt };
}

/** Done (or skipped) out of all, as a whole percentage for the progress bar. */
export function progressPercent(progress: { done: number; total: number }): number {
  if (!(progress.total > 0)) return 0;
  return Math.max(0, Math.min(100, Math.round((progress.done / progress.total) * 100)));
}

// ---- a run's subject ----

const isSubjectType = (value: string): value is SopSubjectType => (SUBJECT_TYPES as readonly string[]).includes(value);

const SUBJECT_ID: Record<SopSubjectType, RegExp> = {
  order: /^[A-Za-z0-9]{1,64}$/,
  case: /^[1-9]\d{0,15}$/,
  member: /^[A-Za-z0-9_.@-]{1,64}$/,
};

/** `order:250101ABC` → its type and id; null when it is not one the API takes. */
export function parseSubject(text: string): { type: SopSubjectType; id: string } | null {
  const at = text.indexOf(':');
  if (at < 0) return null;
  const type = text.slice(0, at);
  const id = text.slice(at + 1).trim();
  return isSubjectType(type) && SUBJECT_ID[type].test(id) ? { type, id } : null;
}

/** Where a subject's link goes: the order, the case; a member has no page of their own (null). */
export function subjectRoute(
  subject: Pick<SopSubject, 'type' | 'id'> | null,
): { name: 'order'; params: { orderSn: string } } | { name: 'case'; params: { id: string } } | null {
  if (!subject) return null;
  if (subject.type === 'order') return { name: 'order', params: { orderSn: subject.id } };
  if (subject.type === 'case') return { name: 'case', params: { id: subject.id } };
  return null;
}

// ---- 新建清单 ----

export interface StartDraft {
  templateId: number | null;
  subjectType: SopSubjectType | 'none';
  subjectId: string;
}

export type StartError = 'template' | 'subject';

/** The sheet as it opens: a subject brought by the list's filter (/checklists?subject=order:SN) is filled in. */
export function initialStartDraft(subject?: string): StartDraft {
  const parsed = subject ? parseSubject(subject) : null;
  return { templateId: null, subjectType: parsed?.type ?? 'none', subjectId: parsed?.id ?? '' };
}

/** POST /api/sop/runs's body, or what is missing: a template, or a subject id that reads (订单号, 售后单号, 成员账号). */
export function startInput(draft: StartDraft): { input: SopRunInput } | { error: StartError } {
  if (draft.templateId === null) return { error: 'template' };
  if (draft.subjectType === 'none') return { input: { templateId: draft.templateId } };
  const id = draft.subjectId.trim();
  if (!SUBJECT_ID[draft.subjectType].test(id)) return { error: 'subject' };
  return { input: { templateId: draft.templateId, subject: `${draft.subjectType}:${id}` } };
}

// ---- a step: 完成 / 跳过 / 撤销 ----

export interface StepActions {
  done: boolean;
  skip: boolean;
  undo: boolean;
}

/** What the member may do with a step: only while the run is running and the server says it is theirs (`canTick`). */
export function stepActions(step: Pick<SopRunStep, 'state' | 'canTick'>, runState: SopRunState): StepActions {
  const open = runState === 'running' && step.canTick;
  return { done: open && step.state === 'todo', skip: open && step.state === 'todo', undo: open && step.state !== 'todo' };
}

export const EVIDENCE_NOTE_MAX = 2000;
export const EVIDENCE_LINK_MAX = 2000;
export const SKIP_REASON_MAX = 500;

export interface EvidenceDraft {
  note: string;
  link: string;
  /** The uploaded photo (POST /api/sop/files). */
  file: SopFileUploaded | null;
}

export const emptyEvidence = (): EvidenceDraft => ({ note: '', link: '', file: null });

/** `required`: the evidence is missing on a step that needs it; `link`: not an http(s) address; `tooLong`: a note or link over its limit. */
export type EvidenceError = 'required' | 'link' | 'tooLong';

/** An http(s) address, or null (nothing else is ever shown as a link: no `javascript:`). */
export function safeLink(text: string | null | undefined): string | null {
  const value = text?.trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * 完成's body: the step's kind of evidence (a note, a link, a photo; an optional note beside a link or a photo). A
 * step whose evidence is required cannot go without it (the server answers 422 evidence_required too).
 */
export function doneInput(
  evidence: EvidenceType,
  required: boolean,
  draft: EvidenceDraft,
): { input: SopStepInput } | { error: EvidenceError; field: 'note' | 'link' | 'photo' } {
  const note = draft.note.trim();
  if (note.length > EVIDENCE_NOTE_MAX) return { error: 'tooLong', field: 'note' };
  const proof: SopEvidence = {};
  if (evidence === 'note' && required && !note) return { error: 'required', field: 'note' };
  if (evidence === 'link') {
    const text = draft.link.trim();
    if (!text && required) return { error: 'required', field: 'link' };
    if (text.length > EVIDENCE_LINK_MAX) return { error: 'tooLong', field: 'link' };
    if (text) {
      const link = safeLink(text);
      if (!link) return { error: 'link', field: 'link' };
      proof.link = link;
    }
  }
  if (evidence === 'photo') {
    if (!draft.file && required) return { error: 'required', field: 'photo' };
    if (draft.file) Object.assign(proof, { fileId: draft.file.fileId, fileName: draft.file.fileName });
  }
  if (note && evidence !== 'none') proof.note = note;
  return { input: Object.keys(proof).length ? { state: 'done', evidence: proof } : { state: 'done' } };
}

/**
 * What goes on the wire for a step (POST /api/sop/runs/:id/steps/:stepId): the evidence without the photo's
 * `fileName`, which the server takes from the upload itself (its body schema refuses any other key, 422).
 */
export function stepBody(input: SopStepInput): SopStepInput {
  if (!input.evidence || !('fileName' in input.evidence)) return input;
  const evidence: SopEvidence = { ...input.evidence };
  delete evidence.fileName;
  return { ...input, evidence };
}

/** 跳过's body: a reason is required. */
export function skipInput(reason: string): { input: SopStepInput } | { error: ReasonError } {
  const error = checkReason(reason, true, SKIP_REASON_MAX);
  return error ? { error } : { input: { state: 'skipped', reason: reason.trim() } };
}

/** 撤销: the step back to be done. */
export const UNDO_INPUT: SopStepInput = { state: 'todo' };

// ---- evidence photos ----

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;

/** What the server will refuse in a chosen file (415 unsupported_file_type, 413 file_too_large), said before uploading it. */
export function photoProblem(file: { type: string; size: number }): 'type' | 'size' | null {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) return 'type';
  return file.size > PHOTO_MAX_BYTES ? 'size' : null;
}

// ---- the template editor ----

export const TEMPLATE_NAME_MAX = 64;
export const TEMPLATE_DESCRIPTION_MAX = 500;
export const STEP_TITLE_MAX = 100;
export const STEP_DESCRIPTION_MAX = 1000;
export const STEPS_MAX = 50;
/** A step is due at most 90 days after the run starts. */
export const DUE_MAX_HOURS = 90 * 24;

export type AssigneeKind = StepAssigneeSpec['kind'];
export const ASSIGNEE_KINDS: readonly AssigneeKind[] = ['role', 'subject_assignee', 'lead', 'member'];

export interface StepForm {
  /** A stable key for v-for while steps move. */
  key: number;
  title: string;
  description: string;
  assigneeKind: AssigneeKind;
  role: RoleKey;
  userid: string;
  evidence: EvidenceType;
  evidenceRequired: boolean;
  /** Hours after the run starts, as typed (empty: no due time). */
  dueHours: string;
}

export interface TemplateForm {
  name: string;
  category: SopCategory;
  description: string;
  steps: StepForm[];
}

let nextKey = 1;

export function newStepForm(): StepForm {
  return {
    key: nextKey++,
    title: '',
    description: '',
    assigneeKind: 'subject_assignee',
    role: 'cs_agent',
    userid: '',
    evidence: 'none',
    evidenceRequired: false,
    dueHours: '',
  };
}

export function newTemplateForm(category: SopCategory = 'order'): TemplateForm {
  return { name: '', category, description: '', steps: [newStepForm()] };
}

/** 90 minutes as the form shows them: `1.5` (hours); null → empty. */
export function hoursText(minutes: number | null): string {
  if (minutes === null || !Number.isFinite(minutes) || minutes < 0) return '';
  return String(Math.round((minutes / 60) * 100) / 100);
}

/** Hours as typed → whole minutes (`1.5` → 90; empty → null); NaN for anything else or beyond 90 days. */
export function minutesFromHours(text: string): number | null {
  const value = text.trim();
  if (!value) return null;
  if (!/^\d+(\.\d{1,2})?$/.test(value)) return Number.NaN;
  const hours = Number(value);
  return hours > DUE_MAX_HOURS ? Number.NaN : Math.round(hours * 60);
}

export function formFromTemplate(template: Pick<SopTemplateDetail, 'name' | 'category' | 'description' | 'steps'>): TemplateForm {
  return {
    name: template.name,
    category: template.category,
    description: template.description,
    steps: template.steps.map((s) => ({
      ...newStepForm(),
      title: s.title,
      description: s.description,
      assigneeKind: s.assignee.kind,
      role: s.assignee.kind === 'role' ? s.assignee.role : 'cs_agent',
      userid: s.assignee.kind === 'member' ? s.assignee.userid : '',
      evidence: s.evidence,
      evidenceRequired: s.evidence !== 'none' && s.evidenceRequired,
      dueHours: hoursText(s.dueOffsetMinutes),
    })),
  };
}

function assigneeSpec(step: StepForm): StepAssigneeSpec | null {
  switch (step.assigneeKind) {
    case 'role':
      return (ROLE_KEYS as readonly string[]).includes(step.role) ? { kind: 'role', role: step.role } : null;
    case 'member':
      return step.userid.trim() ? { kind: 'member', userid: step.userid.trim() } : null;
    default:
      return { kind: step.assigneeKind };
  }
}

/** A form field that will not do: `name`, `steps` (none, or too many), or a step's `title` / `assignee` / `due`. */
export type TemplateField = 'name' | 'description' | 'steps' | `steps.${number}.${'title' | 'description' | 'assignee' | 'due'}`;

/** POST / PUT /api/sop/templates's body for the form, or every field that will not do. */
export function templateInput(form: TemplateForm): { input: SopTemplateInput } | { errors: TemplateField[] } {
  const errors: TemplateField[] = [];
  const name = form.name.trim();
  if (!name || name.length > TEMPLATE_NAME_MAX) errors.push('name');
  const description = form.description.trim();
  if (description.length > TEMPLATE_DESCRIPTION_MAX) errors.push('description');
  if (!form.steps.length || form.steps.length > STEPS_MAX) errors.push('steps');
  const steps: SopTemplateInput['steps'] = [];
  form.steps.forEach((step, i) => {
    const title = step.title.trim();
    if (!title || title.length > STEP_TITLE_MAX) errors.push(`steps.${i}.title`);
    const text = step.description.trim();
    if (text.length > STEP_DESCRIPTION_MAX) errors.push(`steps.${i}.description`);
    const assignee = assigneeSpec(step);
    if (!assignee) errors.push(`steps.${i}.assignee`);
    const due = minutesFromHours(step.dueHours);
    if (Number.isNaN(due)) errors.push(`steps.${i}.due`);
    if (assignee) {
      steps.push({
        title,
        description: text,
        assignee,
        evidence: step.evidence,
        evidenceRequired: step.evidence !== 'none' && step.evidenceRequired,
        dueOffsetMinutes: due,
      });
    }
  });
  if (errors.length) return { errors };
  return { input: { name, category: form.category, description, steps } };
}

/** Whether saving would change anything (保存 says 已是最新 otherwise, instead of publishing an identical version). */
export function templateChanged(form: TemplateForm, template: SopTemplateDetail | null): boolean {
  if (!template) return true;
  const result = templateInput(form);
  if ('errors' in result) return true;
  const saved = templateInput(formFromTemplate(template));
  return 'errors' in saved || JSON.stringify(result.input) !== JSON.stringify(saved.input);
}

/** The steps with one moved `delta` places (up: -1, down: +1); the same list when it cannot move. */
export function moveStep<T>(steps: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  if (index < 0 || index >= steps.length || to < 0 || to >= steps.length) return [...steps];
  const next = [...steps];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}

// ---- rules ----

/** Triggers whose events happen in a shop (the rule may be limited to one). */
export const SHOP_TRIGGERS: readonly SopTrigger[] = ['order_status', 'case_opened'];

export interface RuleForm {
  templateId: number | null;
  trigger: SopTrigger;
  shopId: string | null;
  orderStatus: string | null;
  caseType: string | null;
  enabled: boolean;
}

export const newRuleForm = (): RuleForm => ({
  templateId: null,
  trigger: 'order_status',
  shopId: null,
  orderStatus: 'READY_TO_SHIP',
  caseType: null,
  enabled: true,
});

export function formFromRule(rule: SopRule): RuleForm {
  const { templateId, trigger, shopId, orderStatus, caseType, enabled } = rule;
  return { templateId, trigger, shopId, orderStatus, caseType, enabled };
}

/** The rule's body: only the conditions its trigger has (null = any). */
export function ruleInput(form: RuleForm): { input: SopRuleInput } | { error: 'template' } {
  if (form.templateId === null) return { error: 'template' };
  return {
    input: {
      templateId: form.templateId,
      trigger: form.trigger,
      shopId: SHOP_TRIGGERS.includes(form.trigger) ? form.shopId : null,
      orderStatus: form.trigger === 'order_status' ? form.orderStatus : null,
      caseType: form.trigger === 'case_opened' ? form.caseType : null,
      enabled: form.enabled,
    },
  };
}

// ---- handovers ----

/** A handover's items by kind (订单, 售后, 清单步骤), in that order, kinds without items left out. */
export function groupHandoverItems(items: readonly HandoverItem[]): Array<{ kind: HandoverKind; items: HandoverItem[] }> {
  return HANDOVER_KINDS.map((kind) => ({ kind, items: items.filter((item) => item.kind === kind) })).filter((group) => group.items.length > 0);
}

/** An in-app path (`/orders/SN`) to link to; anything else (another site, `//host`) is not a link. */
export function internalPath(link: string | null | undefined): string | null {
  return link && link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') ? link : null;
}
