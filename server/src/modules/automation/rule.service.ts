import type { AutomationCatalogue, AutomationRuleView, AutomationRunView } from '@shopcrew/shared';
import type { DataSource } from 'typeorm';
import { In, LessThan } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { z } from 'zod';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors';
import type { AutomationActionRegistry } from '../../platform/automation-actions';
import type { EventCatalogue, EventTypeDef } from '../../platform/events';
import { CronError, parseCron } from '../../platform/scheduler';
import type { Tx, UnitOfWork } from '../../platform/tx';
import { checkCondition, parseCondition } from '../notifications/conditions';
import { AutomationRule, AutomationRun, type RuleAction } from './automation.entity';

export const MAX_ACTIONS = 5;

export const ruleBody = z
  .object({
    name: z.string().trim().min(1, '请填写规则名称 (name is required)').max(100),
    enabled: z.boolean().optional(),
    trigger: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('event'), event: z.string().min(1).max(64) }).strict(),
      z.object({ kind: z.literal('schedule'), cron: z.string().trim().min(1).max(64) }).strict(),
    ]),
    shopId: z
      .string()
      .regex(/^\d{1,32}$/, '店铺ID 应为数字 (shop id is digits)')
      .nullable()
      .optional(),
    condition: z.string().max(500).optional(),
    actions: z
      .array(z.object({ key: z.string().min(1).max(64), params: z.record(z.string(), z.unknown()).default({}) }).strict())
      .min(1, '至少要有一个动作 (at least one action)')
      .max(MAX_ACTIONS, `最多 ${MAX_ACTIONS} 个动作 (at most ${MAX_ACTIONS} actions)`),
    version: z.number().int().positive().optional(),
  })
  .strict();
export type RuleInput = z.infer<typeof ruleBody>;

/** Rules: checked when saved (the event exists, the condition reads its fields right, each action fits and its params hold). */
export class AutomationRules {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly catalogue: EventCatalogue,
    private readonly actions: AutomationActionRegistry,
    private readonly timeZone: string,
    private readonly now: () => number,
  ) {}

  catalogueView(): AutomationCatalogue {
    return {
      events: this.catalogue
        .all()
        .filter((d) => !d.type.startsWith('automation.'))
        .map((d) => ({ type: d.type, label: d.label, fields: Object.entries(d.fields).map(([name, f]) => ({ name, label: f.label, type: f.type })) })),
      actions: this.actions.all().map((a) => ({
        key: a.key,
        label: a.label,
        subject: a.subject,
        params: Object.entries(a.params).map(([name, p]) => ({ name, label: p.label, kind: p.kind, optional: Boolean(p.optional) })),
      })),
    };
  }

  async list(): Promise<AutomationRuleView[]> {
    const rules = await this.ds.getRepository(AutomationRule).find({ order: { id: 'ASC' } });
    return this.views(rules);
  }

  async get(id: number): Promise<AutomationRuleView> {
    return (await this.views([await this.find(id)]))[0] as AutomationRuleView;
  }

  async find(id: number): Promise<AutomationRule> {
    const rule = await this.ds.getRepository(AutomationRule).findOneBy({ id });
    if (!rule) throw new NotFoundError('自动化规则不存在 (rule not found)');
    return rule;
  }

  async create(userid: string, input: RuleInput, requestId?: string): Promise<AutomationRuleView> {
    const id = await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const fields = await this.checked(input, tx);
      const now = this.now();
      const res = await tx.manager.insert(AutomationRule, {
        ...row(fields),
        enabled: input.enabled ? 1 : 0,
        version: 1,
        lastFiredAt: now,
        createdBy: userid,
        createdAt: now,
        updatedAt: now,
      });
      const ruleId = Number((res.identifiers[0] as { id: number }).id);
      await tx.audit({
        action: 'automation.rule_created',
        targetType: 'automation_rule',
        targetId: String(ruleId),
        after: { ...fields, enabled: Boolean(input.enabled) },
      });
      return ruleId;
    });
    return this.get(id);
  }

  async update(userid: string, id: number, input: RuleInput, requestId?: string): Promise<AutomationRuleView> {
    await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const before = await tx.manager.findOneBy(AutomationRule, { id });
      if (!before) throw new NotFoundError('自动化规则不存在 (rule not found)');
      const fields = await this.checked(input, tx);
      const enabled = input.enabled === undefined ? before.enabled : input.enabled ? 1 : 0;
      const version = input.version ?? before.version;
      const res = await tx.manager.update(AutomationRule, { id, version }, { ...row(fields), enabled, version: version + 1, updatedAt: this.now() });
      if (res.affected !== 1) throw new ConflictError('规则刚被他人修改，请刷新后再保存 (the rule changed meanwhile; reload)', 'rule_changed');
      await tx.audit({
        action: 'automation.rule_updated',
        targetType: 'automation_rule',
        targetId: String(id),
        before: summary(before),
        after: { ...fields, enabled: Boolean(enabled) },
      });
    });
    return this.get(id);
  }

  /** Turns a rule on or off; a schedule switched on starts from now (no catch-up of occurrences while it was off). */
  async setEnabled(userid: string, id: number, enabled: boolean, requestId?: string): Promise<AutomationRuleView> {
    await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const rule = await tx.manager.findOneBy(AutomationRule, { id });
      if (!rule) throw new NotFoundError('自动化规则不存在 (rule not found)');
      if (Boolean(rule.enabled) === enabled) return;
      await tx.manager.update(
        AutomationRule,
        { id },
        { enabled: enabled ? 1 : 0, version: rule.version + 1, updatedAt: this.now(), ...(enabled ? { lastFiredAt: this.now() } : {}) },
      );
      await tx.audit({ action: enabled ? 'automation.rule_enabled' : 'automation.rule_disabled', targetType: 'automation_rule', targetId: String(id) });
    });
    return this.get(id);
  }

  async remove(userid: string, id: number, requestId?: string): Promise<void> {
    await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const rule = await tx.manager.findOneBy(AutomationRule, { id });
      if (!rule) throw new NotFoundError('自动化规则不存在 (rule not found)');
      await tx.manager.delete(AutomationRule, { id });
      await tx.manager.delete(AutomationRun, { ruleId: id });
      await tx.audit({ action: 'automation.rule_deleted', targetType: 'automation_rule', targetId: String(id), before: summary(rule) });
    });
  }

  /** An unsaved rule, checked like a saved one (a dry run from the editor before the first save). */
  async draft(userid: string, input: RuleInput): Promise<AutomationRule> {
    const fields = await this.checked(input, this.uow.wrap(this.ds.manager, { actor: userid }));
    const now = this.now();
    return { id: 0, ...fields, enabled: 0, version: 0, lastFiredAt: null, createdBy: userid, createdAt: now, updatedAt: now };
  }

  async runs(id: number, before: number | null, limit: number): Promise<{ items: AutomationRunView[]; next: number | null }> {
    await this.find(id);
    const rows = await this.ds.getRepository(AutomationRun).find({
      where: { ruleId: id, ...(before ? { id: LessThan(before) } : {}) },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        ruleId: r.ruleId,
        eventId: r.eventId,
        eventType: r.eventType,
        depth: r.depth,
        status: r.status,
        matched: r.matched,
        steps: r.steps,
        at: r.at,
      })),
      next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  }

  /** The event type's declaration (422 unknown_event). */
  eventDef(type: string): EventTypeDef {
    const def = this.catalogue.get(type);
    if (!def) throw new AppError(422, 'unknown_event', `未知事件 ${type} (unknown event type)`, { field: 'trigger.event' });
    return def;
  }

  private async checked(
    input: RuleInput,
    tx: Tx,
  ): Promise<Omit<AutomationRule, 'id' | 'enabled' | 'version' | 'lastFiredAt' | 'createdBy' | 'createdAt' | 'updatedAt'>> {
    const condition = input.condition?.trim() ?? '';
    let def: EventTypeDef | null = null;
    if (input.trigger.kind === 'event') {
      def = this.eventDef(input.trigger.event);
      checkCondition(parseCondition(condition), def);
    } else {
      try {
        parseCron(input.trigger.cron, this.timeZone);
      } catch (err) {
        if (err instanceof CronError)
          throw new AppError(422, 'invalid_cron', `定时格式无效：${err.message} (use 5 fields, e.g. 0 9 * * 1)`, { field: 'trigger.cron' });
        throw err;
      }
      if (condition) throw new ValidationError('定时规则没有事件字段可比较，请留空条件 (a schedule has no fields to compare)', { field: 'condition' });
    }
    const actions: RuleAction[] = [];
    for (const [i, step] of input.actions.entries()) {
      const action = this.actions.get(step.key);
      if (!action) throw new AppError(422, 'unknown_action', `未知动作 ${step.key} (unknown action)`, { field: `actions.${i}.key` });
      if (action.subject && !(def && Object.hasOwn(def.fields, action.subject)))
        throw new AppError(
          422,
          'action_not_applicable',
          `「${action.label}」需要带 ${action.subject} 的事件，${def ? `事件「${def.label}」没有` : '定时规则没有'} (the trigger has no ${action.subject})`,
          { field: `actions.${i}.key`, needs: action.subject },
        );
      actions.push({ key: action.key, params: await action.check(step.params, tx) });
    }
    return {
      name: input.name,
      triggerKind: input.trigger.kind,
      eventType: input.trigger.kind === 'event' ? input.trigger.event : null,
      cron: input.trigger.kind === 'schedule' ? input.trigger.cron.replace(/\s+/g, ' ') : null,
      condition,
      shopId: input.shopId ?? null,
      actions,
    };
  }

  private async views(rules: AutomationRule[]): Promise<AutomationRuleView[]> {
    const last = new Map<number, AutomationRun>();
    if (rules.length) {
      const latest = await this.ds
        .getRepository(AutomationRun)
        .createQueryBuilder('r')
        .select('MAX(r.id)', 'id')
        .where({ ruleId: In(rules.map((r) => r.id)) })
        .groupBy('r.rule_id')
        .getRawMany<{ id: number }>();
      const runs = latest.length ? await this.ds.getRepository(AutomationRun).findBy({ id: In(latest.map((l) => Number(l.id))) }) : [];
      for (const run of runs) last.set(run.ruleId, run);
    }
    return rules.map((r) => {
      const run = last.get(r.id);
      return {
        id: r.id,
        name: r.name,
        enabled: Boolean(r.enabled),
        trigger: r.triggerKind === 'event' ? { kind: 'event', event: r.eventType ?? '' } : { kind: 'schedule', cron: r.cron ?? '' },
        triggerLabel: r.triggerKind === 'event' ? (this.catalogue.get(r.eventType ?? '')?.label ?? r.eventType ?? '') : `定时 ${r.cron ?? ''}`,
        shopId: r.shopId,
        condition: r.condition,
        actions: r.actions.map((a) => ({ ...a, label: this.actions.get(a.key)?.label ?? a.key })),
        version: r.version,
        createdBy: r.createdBy,
        updatedAt: r.updatedAt,
        lastRun: run ? { at: run.at, status: run.status } : null,
      };
    });
  }
}

/** TypeORM's partial-entity type cannot see that a JSON column takes whole objects. */
const row = <T extends { actions: RuleAction[] }>(fields: T) => ({ ...fields, actions: fields.actions as QueryDeepPartialEntity<RuleAction>[] });

const summary = (r: AutomationRule) => ({
  name: r.name,
  eventType: r.eventType,
  cron: r.cron,
  condition: r.condition,
  shopId: r.shopId,
  actions: r.actions,
  enabled: Boolean(r.enabled),
});
