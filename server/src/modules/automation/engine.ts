import type { EntityManager } from 'typeorm';
import { AppError } from '../../errors';
import type { Logger } from '../../lib/logger';
import type { AutomationActionContext, AutomationActionRegistry } from '../../platform/automation-actions';
import { ALL_EVENTS, type DomainEvent, type EventCatalogue, type Subscriber } from '../../platform/events';
import type { Tx } from '../../platform/tx';
import { evaluateCondition, parseCondition, type ConditionNode } from '../notifications/conditions';
import { AutomationRule, AutomationRun, type RuleAction, type RunStatus, type RunStep } from './automation.entity';
import { fillText } from './params';
import { chainOf, chainRequestId, chainVerdict } from './chain';

/** Who acts when a rule acts (audit trail, timelines). */
export const AUTOMATION_ACTOR = 'automation';
const SUBJECT_FIELDS = ['order_id', 'case_id', 'task_id', 'shop_id', 'assignee'];

/**
 * Runs enabled rules on every domain event. The dispatcher hands each event to this subscriber once, in a unit that
 * also marks its delivery done, so each rule acts once per event however many instances run; the run log's unique
 * (rule, event) is a second lock on that. Each rule's actions run inside a savepoint: a refused action (an AppError,
 * e.g. the order was claimed meanwhile) rolls back that rule's writes and is logged, without failing the event for the
 * other rules; a database error fails the whole delivery, which the dispatcher retries.
 */
export class AutomationEngine {
  constructor(
    private readonly actions: AutomationActionRegistry,
    private readonly catalogue: EventCatalogue,
    private readonly logger: Logger,
    private readonly timeZone: string,
    private readonly now: () => number,
  ) {}

  /** The context an action is given (for a run or, read-only, for a dry run). */
  context(rule: Pick<AutomationRule, 'id' | 'name'>, event: DomainEvent, step: RuleAction, subject: string | null, tx: Tx): AutomationActionContext {
    return {
      rule: { id: rule.id, name: rule.name },
      event,
      params: step.params,
      target: targetOf(subject, event),
      tx,
      fill: (text) => fillText(text, event, this.catalogue, this.timeZone),
    };
  }

  subscriber(): Subscriber {
    return { key: 'automation.rules', on: [ALL_EVENTS], handle: (event, tx) => this.onEvent(event, tx) };
  }

  async onEvent(event: DomainEvent, tx: Tx): Promise<void> {
    const rules = await tx.manager.find(AutomationRule, { where: { enabled: 1, triggerKind: 'event', eventType: event.type }, order: { id: 'ASC' } });
    if (!rules.length) return;
    const chain = chainOf(event.requestId);
    for (const rule of rules) {
      const condition = matches(rule, event);
      if (!condition) continue;
      const verdict = chainVerdict(chain, rule.id);
      if (verdict !== 'run') {
        await this.log(tx.manager, rule, event, chain.length + 1, verdict, this.describe(event, condition), []);
        continue;
      }
      await this.run(rule, event, tx, chain, this.describe(event, condition));
    }
  }

  /** One rule's actions on one event (or schedule occurrence), each in its own savepoint, then the run log entry. */
  async run(rule: AutomationRule, event: DomainEvent, tx: Tx, chain: readonly number[], matched: string): Promise<RunStatus> {
    const ruleTx = tx.as({ actor: AUTOMATION_ACTOR, requestId: chainRequestId([...chain, rule.id]) });
    const steps: RunStep[] = [];
    for (const step of rule.actions) {
      const def = this.actions.get(step.key);
      if (!def) {
        steps.push({ key: step.key, label: step.key, ok: false, text: '动作已不存在 (unknown action)' });
        continue;
      }
      const ctx = this.context(rule, event, step, def.subject, ruleTx);
      try {
        const text = await tx.manager.transaction(() => def.run(ctx)); // a savepoint: a refusal undoes this action only
        steps.push({ key: def.key, label: def.label, ok: true, text });
      } catch (err) {
        if (!(err instanceof AppError)) throw err; // a database error: the dispatcher retries the whole event
        steps.push({ key: def.key, label: def.label, ok: false, text: err.message });
      }
    }
    const ok = steps.filter((s) => s.ok).length;
    const status: RunStatus = ok === steps.length ? 'done' : ok === 0 ? 'failed' : 'partial';
    await this.log(tx.manager, rule, event, chain.length + 1, status, matched, steps);
    if (status !== 'done') this.logger.warn({ rule: rule.id, event: event.id, status }, 'automation rule did not do everything');
    return status;
  }

  /** `新订单 · order_id=2208… · total=620`: the subject and the fields the condition read. */
  describe(event: DomainEvent, condition: ConditionNode): string {
    const def = this.catalogue.get(event.type);
    const names = [...new Set([...SUBJECT_FIELDS, ...fieldsOf(condition)])].filter((f) => event.payload[f] !== undefined && event.payload[f] !== null);
    const parts = names.map((f) => `${def?.fields[f]?.label ?? f}=${formatValue(event.payload[f])}`);
    return [def?.label ?? event.type, ...parts].join(' · ').slice(0, 500);
  }

  private async log(
    m: EntityManager,
    rule: AutomationRule,
    event: DomainEvent,
    depth: number,
    status: RunStatus,
    matched: string,
    steps: RunStep[],
  ): Promise<void> {
    await m
      .createQueryBuilder()
      .insert()
      .into(AutomationRun)
      .values({ ruleId: rule.id, eventId: event.id, eventType: event.type, depth, status, matched, steps: steps as never, at: this.now() })
      .updateEntity(false)
      .execute();
  }
}

/** The rule's parsed condition when the event is of its shop and satisfies it; null otherwise. */
export function matches(rule: AutomationRule, event: DomainEvent): ConditionNode | null {
  if (rule.shopId && event.payload['shop_id'] !== rule.shopId) return null;
  const condition = parseCondition(rule.condition);
  return evaluateCondition(condition, event.payload) ? condition : null;
}

export function targetOf(subject: string | null, event: DomainEvent): string | null {
  if (!subject) return null;
  const value = event.payload[subject];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function fieldsOf(node: ConditionNode): string[] {
  switch (node.kind) {
    case 'always':
      return [];
    case 'and':
    case 'or':
      return node.items.flatMap(fieldsOf);
    case 'not':
      return fieldsOf(node.item);
    default:
      return [node.field];
  }
}

function formatValue(value: unknown): string {
  const text = Array.isArray(value) ? value.join('、') : String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
