/**
 * The automation API (server/src/modules/automation), shared by server and H5: rules (trigger + condition + actions),
 * their run log and dry runs. Permission: automation:manage.
 */

export type AutomationTrigger = { kind: 'event'; event: string } | { kind: 'schedule'; cron: string };

export interface AutomationActionInput {
  /** An action key from GET /api/automations/catalogue, e.g. `order.assign`. */
  key: string;
  params: Record<string, unknown>;
}

export interface AutomationRuleInput {
  name: string;
  /** New rules start disabled: dry-run first, then enable. */
  enabled?: boolean;
  trigger: AutomationTrigger;
  /** Only events of this shop; null/absent: any shop. */
  shopId?: string | null;
  /** The notification rules' condition language, e.g. `total >= 500 and currency == "SGD"`; '' = always. */
  condition?: string;
  actions: AutomationActionInput[];
  /** For PUT: the version read (compare-and-set; 409 rule_changed when someone saved in between). */
  version?: number;
}

export interface AutomationRuleView {
  id: number;
  name: string;
  enabled: boolean;
  trigger: AutomationTrigger;
  triggerLabel: string;
  shopId: string | null;
  condition: string;
  actions: Array<AutomationActionInput & { label: string }>;
  version: number;
  createdBy: string;
  updatedAt: number;
  lastRun: { at: number; status: AutomationRunStatus } | null;
}

export type AutomationParamKind = 'member' | 'members' | 'roles' | 'text' | 'template_text' | 'number' | 'sop_template' | 'project' | 'case_state' | 'tag';

/** What the rule editor offers: event types with their fields, and actions with their params. */
export interface AutomationCatalogue {
  events: Array<{ type: string; label: string; fields: Array<{ name: string; label: string; type: string }> }>;
  actions: Array<{
    key: string;
    label: string;
    /** The event field it works on; the action fits only events that have it (null: any event and schedules). */
    subject: string | null;
    params: Array<{ name: string; label: string; kind: AutomationParamKind; optional: boolean }>;
  }>;
}

export type AutomationRunStatus = 'done' | 'partial' | 'failed' | 'skipped_loop' | 'skipped_depth';

export const AUTOMATION_RUN_STATUS_ZH: Record<AutomationRunStatus, string> = {
  done: '已执行',
  partial: '部分失败',
  failed: '失败',
  skipped_loop: '已跳过（循环）',
  skipped_depth: '已跳过（链过深）',
};

export interface AutomationRunView {
  id: number;
  ruleId: number;
  eventId: string;
  eventType: string;
  depth: number;
  status: AutomationRunStatus;
  matched: string;
  steps: Array<{ key: string; label: string; ok: boolean; text: string }>;
  at: number;
}

export interface AutomationDryRun {
  /** The window replayed: the last 7 days of the trigger's events. */
  from: number;
  to: number;
  /** Events of the trigger's type in the window (or schedule occurrences). */
  checked: number;
  matched: number;
  /** The first matches (newest first), each with what every action would have done. */
  items: Array<{ eventId: string; at: number; matched: string; steps: Array<{ key: string; label: string; ok: boolean; text: string }> }>;
  /** More matches than listed. */
  truncated: boolean;
}
