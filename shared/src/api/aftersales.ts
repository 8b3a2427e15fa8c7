/**
 * The after-sales API (server/src/modules/aftersales), shared by server and H5. Times are ISO 8601 strings in UTC.
 * A case is one return or refund request from the marketplace, or one opened by hand (a complaint from chat).
 */
import type { Money, OrderPerson } from './orders';

export const CASE_STATES = ['new', 'in_progress', 'waiting_buyer', 'waiting_platform', 'resolved', 'closed', 'reopened'] as const;
/** 受理 / 处理中 / 待买家 / 待平台 / 已解决 / 已关闭 / 重新打开. */
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_STATE_ZH: Readonly<Record<CaseState, string>> = {
  new: '受理',
  in_progress: '处理中',
  waiting_buyer: '待买家',
  waiting_platform: '待平台',
  resolved: '已解决',
  closed: '已关闭',
  reopened: '重新打开',
};

export const CASE_TYPES = ['return_refund', 'refund_only', 'complaint', 'other'] as const;
/** 退货退款 / 仅退款 / 投诉 / 其他. */
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_VIEWS = ['mine', 'unassigned', 'all', 'due_soon', 'breached'] as const;
export type CaseView = (typeof CASE_VIEWS)[number];

/** One row of GET /api/cases. `dueAt`: the earliest running deadline (SLA target or the platform's). */
export interface CaseSummary {
  id: number;
  shopId: string;
  orderSn: string | null;
  returnSn: string | null;
  type: CaseType;
  state: CaseState;
  /** The marketplace's return status (REQUESTED, ACCEPTED …), null for a manual case. */
  platformStatus: string | null;
  reason: string | null;
  refund: Money | null;
  assignee: OrderPerson | null;
  dueAt: string | null;
  breached: boolean;
  /** Waiting for an approver's decision. */
  approvalPending: boolean;
  updateTime: string;
  /** Labels set by hand or by an automation rule. */
  tags: string[];
}

export interface CaseListResponse {
  items: CaseSummary[];
  nextCursor: string | null;
}

export interface CaseHistoryEntry {
  at: string;
  kind: 'created' | 'transition' | 'platform' | 'assigned' | 'claimed' | 'note' | 'approval' | 'reminder' | 'breach';
  actor: OrderPerson | null;
  from: CaseState | null;
  to: CaseState | null;
  /** zh-CN sentence (with the reason given, if any). */
  text: string;
}

/** A deadline on the case: an SLA target (first response, resolution) or one of the platform's. */
export interface CaseDeadline {
  key:
    | 'first_response'
    | 'resolution'
    | 'due_date'
    | 'return_ship_due_date'
    | 'return_seller_due_date'
    | 'offer_due_date'
    | 'seller_evidence_deadline'
    | 'seller_compensation_due_date';
  label: string;
  at: string;
  /** SLA targets pause while the case waits for the buyer or the platform. */
  paused: boolean;
  met: boolean;
  breached: boolean;
}

export interface CaseApproval {
  status: 'pending' | 'approved' | 'rejected' | 'failed';
  /** Why approval is needed, e.g. '退款金额 SGD 250.00 ≥ 200'. */
  rule: string;
  decidedBy: OrderPerson | null;
  decidedAt: string | null;
  reason: string | null;
  /** Shopee's answer when acting on the decision failed. */
  error: string | null;
}

export interface CaseAbilities {
  claim: boolean;
  assign: boolean;
  transition: CaseState[];
  decide: boolean;
  note: boolean;
}

/** GET /api/cases/:id, and the answer of every action on a case. */
export interface CaseDetail extends CaseSummary {
  title: string;
  description: string | null;
  history: CaseHistoryEntry[];
  deadlines: CaseDeadline[];
  approval: CaseApproval | null;
  can: CaseAbilities;
}

/** POST /api/cases: a case opened by hand. */
export interface NewCaseInput {
  shopId: string;
  orderSn?: string;
  type: CaseType;
  title: string;
  description?: string;
}

export interface TransitionInput {
  to: CaseState;
  reason?: string;
}

export interface ApprovalInput {
  decision: 'approve' | 'reject';
  reason?: string;
}

/** Business hours of an SLA policy: per weekday (0 = Sunday) the open hours as 'HH:mm-HH:mm' ranges. */
export interface BusinessHours {
  week: Record<'0' | '1' | '2' | '3' | '4' | '5' | '6', string[]>;
  /** Dates (YYYY-MM-DD in the corp's time zone) that are not business days. */
  holidays: string[];
}

/** GET|PUT /api/aftersales/policies/:shopId. */
export interface AftersalesPolicy {
  shopId: string;
  /** Refunds at or above this (in the shop's currency) need a lead's approval. */
  approvalThreshold: number;
  currency: string;
  /** Reasons (Shopee ReturnReason values) that always need approval. */
  approvalReasons: string[];
  /** Business minutes to the first response and to resolution, per case type. */
  targets: Record<CaseType, { firstResponseMinutes: number; resolutionMinutes: number }>;
  /** Minutes before a deadline when the assignee is reminded. */
  dueSoonMinutes: number;
  hours: BusinessHours;
}
