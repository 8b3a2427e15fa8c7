/**
 * The SOP API (server/src/modules/sop), shared by server and H5. Times are ISO 8601 strings in UTC.
 * A template is a versioned checklist (editing publishes a new version); a run is one checklist being worked
 * through, pinned to the version it started with; a rule starts runs when something happens (an order reaches a
 * status, a case is opened, a member joins or leaves).
 */
import type { RoleKey } from '../auth/roles';
import type { OrderPerson } from './orders';

export const SOP_CATEGORIES = ['order', 'aftersales', 'daily', 'promotion', 'onboarding', 'offboarding', 'other'] as const;
/** 订单 / 售后 / 日常 / 大促 / 入职 / 离职 / 其他. */
export type SopCategory = (typeof SOP_CATEGORIES)[number];

export const EVIDENCE_TYPES = ['none', 'note', 'photo', 'link'] as const;
/** 无 / 备注 / 照片 / 链接. */
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

/**
 * Who does a step: anyone holding a role (in the run's shop), the assignee of the run's subject (the order's or the
 * case's; for a member's run, the member), the lead (of the subject member, else of whoever started the run), or a
 * named member.
 */
export type StepAssigneeSpec = { kind: 'role'; role: RoleKey } | { kind: 'subject_assignee' } | { kind: 'lead' } | { kind: 'member'; userid: string };

export interface SopStepSpec {
  title: string;
  description: string;
  assignee: StepAssigneeSpec;
  evidence: EvidenceType;
  /** A required step cannot be ticked done without its evidence (422 evidence_required). */
  evidenceRequired: boolean;
  /** Due this many minutes after the run starts; null: no due time. */
  dueOffsetMinutes: number | null;
}

export interface SopTemplateSummary {
  id: number;
  name: string;
  category: SopCategory;
  description: string;
  version: number;
  stepCount: number;
  updatedAt: string;
}

export interface SopTemplateVersion {
  version: number;
  steps: SopStepSpec[];
  publishedBy: OrderPerson | null;
  publishedAt: string;
}

/** GET /api/sop/templates/:id: the current version's steps and every version (newest first). */
export interface SopTemplateDetail extends SopTemplateSummary {
  steps: SopStepSpec[];
  versions: SopTemplateVersion[];
}

/** POST /api/sop/templates and PUT /api/sop/templates/:id (publishes a new version). */
export interface SopTemplateInput {
  name: string;
  category: SopCategory;
  description?: string;
  steps: SopStepSpec[];
}

export const SOP_TRIGGERS = ['order_status', 'case_opened', 'member_joined', 'member_left', 'manual'] as const;
/** 订单状态 / 新售后工单 / 成员入职 / 成员离职或调岗 / 手动. */
export type SopTrigger = (typeof SOP_TRIGGERS)[number];

/** A rule: when `trigger` fires and the conditions hold (null = any), a run of the template's current version starts. */
export interface SopRule {
  id: number;
  templateId: number;
  templateName: string;
  trigger: SopTrigger;
  /** null: any shop. */
  shopId: string | null;
  /** order_status only: the order status that starts it (e.g. READY_TO_SHIP). */
  orderStatus: string | null;
  /** case_opened only: the case type (return_refund, refund_only, complaint, other). */
  caseType: string | null;
  enabled: boolean;
  createdAt: string;
}

export interface SopRuleInput {
  templateId: number;
  trigger: SopTrigger;
  shopId?: string | null;
  orderStatus?: string | null;
  caseType?: string | null;
  enabled?: boolean;
}

export const SUBJECT_TYPES = ['order', 'case', 'member'] as const;
export type SopSubjectType = (typeof SUBJECT_TYPES)[number];

/** What a run is about: `order:250101ABC`, `case:42`, `member:zhangsan`; the H5 links to it. */
export interface SopSubject {
  type: SopSubjectType;
  id: string;
  /** zh-CN label, e.g. 订单 250101ABC, 售后 #42, 成员 张三. */
  label: string;
}

export const RUN_STATES = ['running', 'done', 'cancelled'] as const;
export type SopRunState = (typeof RUN_STATES)[number];

export const STEP_STATES = ['todo', 'done', 'skipped'] as const;
export type SopStepState = (typeof STEP_STATES)[number];

export interface SopEvidence {
  note?: string;
  link?: string;
  /** Photo: an uploaded file (POST /api/sop/files); GET /api/sop/files/:fileId downloads it. */
  fileId?: number;
  fileName?: string;
}

export interface SopRunStep {
  id: number;
  index: number;
  title: string;
  description: string;
  /** The member who does it, or null when it is a role's (see `role`). */
  assignee: OrderPerson | null;
  role: RoleKey | null;
  evidence: EvidenceType;
  evidenceRequired: boolean;
  dueAt: string | null;
  overdue: boolean;
  state: SopStepState;
  /** Who ticked (or skipped) it, and when. */
  doneBy: OrderPerson | null;
  doneAt: string | null;
  /** A skip's reason. */
  reason: string | null;
  proof: SopEvidence | null;
  /** Whether the asking member may tick it. */
  canTick: boolean;
}

export interface SopRunSummary {
  id: number;
  templateId: number;
  templateName: string;
  version: number;
  category: SopCategory;
  subject: SopSubject | null;
  shopId: string | null;
  state: SopRunState;
  /** Steps done or skipped, out of all. */
  progress: { done: number; total: number };
  /** The first step still to do, if any. */
  next: { id: number; title: string; assignee: OrderPerson | null; role: RoleKey | null; dueAt: string | null } | null;
  overdueSteps: number;
  startedBy: OrderPerson | null;
  startedAt: string;
  completedAt: string | null;
}

export interface SopRunDetail extends SopRunSummary {
  steps: SopRunStep[];
}

export const RUN_VIEWS = ['mine', 'team'] as const;
/** mine: runs with a step for me to do; team: every run the member may see (leads, sop:manage). */
export type SopRunView = (typeof RUN_VIEWS)[number];

/** GET /api/sop/runs?view=&subject=type:id&state=&cursor=&limit= */
export interface SopRunListResponse {
  items: SopRunSummary[];
  nextCursor: string | null;
}

/** POST /api/sop/runs */
export interface SopRunInput {
  templateId: number;
  /** `order:<sn>`, `case:<id>`, `member:<userid>`; omitted: a run on nothing in particular (a daily check). */
  subject?: string;
}

/** POST /api/sop/runs/:id/steps/:stepId */
export interface SopStepInput {
  state: 'done' | 'skipped' | 'todo';
  evidence?: SopEvidence;
  /** Required to skip. */
  reason?: string;
}

/** POST /api/sop/files (multipart, field `file`; jpeg/png/webp/gif up to 10 MB) → */
export interface SopFileUploaded {
  fileId: number;
  fileName: string;
  size: number;
  mime: string;
}

export const HANDOVER_KINDS = ['order', 'case', 'sop_step'] as const;
export type HandoverKind = (typeof HANDOVER_KINDS)[number];

/** One piece of work that moved from a member who left to someone else. */
export interface HandoverItem {
  kind: HandoverKind;
  /** order_sn, case id, run step id. */
  id: string;
  /** zh-CN: 订单 250101ABC（待发货）. */
  label: string;
  to: OrderPerson | null;
  /** H5 path to it. */
  link: string;
}

/** GET /api/handovers/:userid: the handovers of a member who left (newest first). */
export interface Handover {
  id: number;
  member: OrderPerson;
  /** deleted: removed from the corp; moved: left their department. */
  reason: 'deleted' | 'moved';
  lead: OrderPerson | null;
  at: string;
  items: HandoverItem[];
  /** The offboarding checklist it started, if a rule is set. */
  runId: number | null;
}

export interface HandoverResponse {
  items: Handover[];
}
