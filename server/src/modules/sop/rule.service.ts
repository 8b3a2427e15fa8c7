import { In, type DataSource } from 'typeorm';
import { z } from 'zod';
import { CASE_TYPES, SOP_TRIGGERS, type SopRule, type SopRuleInput, type SopTrigger } from '@shopcrew/shared';
import { NotFoundError, ValidationError } from '../../errors';
import type { Tx, UnitOfWork } from '../../platform/tx';
import { SopRuleRow, SopTemplate } from './sop.entity';

export const ruleBody = z
  .object({
    templateId: z.number().int().positive(),
    trigger: z.enum(SOP_TRIGGERS),
    shopId: z
      .string()
      .regex(/^\d{1,32}$/)
      .nullable()
      .optional(),
    orderStatus: z
      .string()
      .regex(/^[A-Z_]{2,32}$/, 'orderStatus 须为订单状态，如 READY_TO_SHIP')
      .nullable()
      .optional(),
    caseType: z.enum(CASE_TYPES).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

/** What happened, to find the rules it starts. */
export interface TriggerFacts {
  trigger: SopTrigger;
  shopId?: string | null;
  orderStatus?: string | null;
  caseType?: string | null;
}

/** Attach rules: template + trigger + conditions (null = any) → runs. */
export class RuleService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly now: () => number,
  ) {}

  async list(): Promise<SopRule[]> {
    const rows = await this.ds.getRepository(SopRuleRow).find({ order: { id: 'ASC' } });
    return this.views(rows);
  }

  async create(userid: string, input: SopRuleInput, requestId?: string): Promise<SopRule> {
    const values = await this.validate(input);
    const id = await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const res = await tx.manager.insert(SopRuleRow, { ...values, createdBy: userid, createdAt: this.now() });
      const ruleId = Number((res.identifiers[0] as { id: number }).id);
      await tx.audit({ action: 'sop.rule_created', targetType: 'sop_rule', targetId: String(ruleId), after: values });
      return ruleId;
    });
    return this.get(id);
  }

  async update(userid: string, id: number, input: SopRuleInput, requestId?: string): Promise<SopRule> {
    const values = await this.validate(input);
    await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const before = await tx.manager.findOneBy(SopRuleRow, { id });
      if (!before) throw new NotFoundError('规则不存在 (rule not found)');
      await tx.manager.update(SopRuleRow, { id }, values);
      await tx.audit({ action: 'sop.rule_updated', targetType: 'sop_rule', targetId: String(id), before, after: values });
    });
    return this.get(id);
  }

  async remove(userid: string, id: number, requestId?: string): Promise<void> {
    await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const before = await tx.manager.findOneBy(SopRuleRow, { id });
      if (!before) throw new NotFoundError('规则不存在 (rule not found)');
      await tx.manager.delete(SopRuleRow, { id });
      await tx.audit({ action: 'sop.rule_deleted', targetType: 'sop_rule', targetId: String(id), before });
    });
  }

  /** The enabled rules the facts match, in the caller's unit. */
  async matching(tx: Tx, facts: TriggerFacts): Promise<SopRuleRow[]> {
    const rows = await tx.manager.findBy(SopRuleRow, { trigger: facts.trigger, enabled: 1 });
    return rows.filter(
      (r) =>
        (r.shopId === null || r.shopId === facts.shopId) &&
        (r.orderStatus === null || r.orderStatus === facts.orderStatus) &&
        (r.caseType === null || r.caseType === facts.caseType),
    );
  }

  private async get(id: number): Promise<SopRule> {
    const row = await this.ds.getRepository(SopRuleRow).findOneBy({ id });
    if (!row) throw new NotFoundError('规则不存在 (rule not found)');
    return (await this.views([row]))[0]!;
  }

  private async validate(input: SopRuleInput): Promise<Omit<SopRuleRow, 'id' | 'createdBy' | 'createdAt'>> {
    if (!(await this.ds.getRepository(SopTemplate).existsBy({ id: input.templateId })))
      throw new ValidationError('清单模板不存在 (template not found)', { field: 'templateId' });
    if (input.orderStatus && input.trigger !== 'order_status')
      throw new ValidationError('只有「订单状态」规则可以指定订单状态 (orderStatus is for order_status rules)', { field: 'orderStatus' });
    if (input.caseType && input.trigger !== 'case_opened')
      throw new ValidationError('只有「新售后工单」规则可以指定工单类型 (caseType is for case_opened rules)', { field: 'caseType' });
    return {
      templateId: input.templateId,
      trigger: input.trigger,
      shopId: input.shopId ?? null,
      orderStatus: input.orderStatus ?? null,
      caseType: input.caseType ?? null,
      enabled: input.enabled === false ? 0 : 1,
    };
  }

  private async views(rows: SopRuleRow[]): Promise<SopRule[]> {
    const ids = [...new Set(rows.map((r) => r.templateId))];
    const names = new Map((ids.length ? await this.ds.getRepository(SopTemplate).findBy({ id: In(ids) }) : []).map((t) => [t.id, t.name]));
    return rows.map((r) => ({
      id: r.id,
      templateId: r.templateId,
      templateName: names.get(r.templateId) ?? '—',
      trigger: r.trigger,
      shopId: r.shopId,
      orderStatus: r.orderStatus,
      caseType: r.caseType,
      enabled: r.enabled === 1,
      createdAt: new Date(r.createdAt).toISOString(),
    }));
  }
}
