import type { DomainEvent } from './events';
import type { Tx } from './tx';
import { UniqueKeys } from './unique';

/** How the rule editor asks for a parameter (and how the server checks it). */
export type ActionParamKind = 'member' | 'members' | 'roles' | 'text' | 'template_text' | 'number' | 'sop_template' | 'project' | 'case_state' | 'tag';

export interface ActionParamDef {
  /** zh-CN label in the rule editor. */
  label: string;
  kind: ActionParamKind;
  optional?: boolean;
}

/** What an action is given when a rule runs (or is dry-run): the rule, the event that matched, its checked params. */
export interface AutomationActionContext {
  rule: { id: number; name: string };
  event: DomainEvent;
  params: Record<string, unknown>;
  /** The event's subject (`payload[subject]`), when the action declares one. */
  target: string | null;
  tx: Tx;
  /** A rule text with its `{field}` placeholders filled from the event (times in the corp's zone). */
  readonly fill: (text: string) => string;
}

/**
 * A thing an automation rule may do (assign an order, start a checklist, create a project task …). The module that
 * owns the data registers it, so the automation module never touches another module's tables: it only calls
 * `run` inside the unit of work of the event it handles (its writes and events commit with the run's log entry).
 */
export interface AutomationActionDef {
  /** `<noun>.<verb>`, e.g. `order.assign`. */
  key: string;
  /** zh-CN, e.g. 分配订单. */
  label: string;
  /** The event field this action works on (order_id, case_id); null: any event (and schedules). */
  subject: string | null;
  params: Record<string, ActionParamDef>;
  /**
   * Checks and normalises the params when a rule is saved (the member exists and may take the work, the template
   * exists): returns them, or throws a ValidationError naming the field.
   */
  check(params: Record<string, unknown>, tx: Tx): Promise<Record<string, unknown>>;
  /** What it would do for this event, reading only (the dry run), e.g. `把订单 2208… 分配给 王芳`. */
  preview(ctx: AutomationActionContext): Promise<string>;
  /** Does it in ctx.tx and says what it did; an AppError means refused (logged on the run, not retried). */
  run(ctx: AutomationActionContext): Promise<string>;
}

/** Every module's automation actions by key; a second action with one key stops the boot. */
export class AutomationActionRegistry {
  private readonly actions = new Map<string, AutomationActionDef>();
  private readonly keys = new UniqueKeys('automation action');

  register(def: AutomationActionDef, owner: string): void {
    if (!/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/.test(def.key)) throw new Error(`automation action "${def.key}" (${owner}): use <noun>.<verb>, e.g. order.assign`);
    this.keys.add(def.key, owner);
    this.actions.set(def.key, def);
  }

  get(key: string): AutomationActionDef | undefined {
    return this.actions.get(key);
  }

  all(): AutomationActionDef[] {
    return [...this.actions.values()];
  }
}
