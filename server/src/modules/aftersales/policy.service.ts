import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { AftersalesPolicy } from '@shopcrew/shared';
import { ValidationError } from '../../errors';
import type { Tx, UnitOfWork } from '../../platform/tx';
import { checkHours, DEFAULT_HOURS } from './business-hours';
import { AftersalesPolicyRow } from './case.entity';

/** A newly linked shop's threshold: 200 in its own currency (issue 10). */
export const DEFAULT_THRESHOLD = 200;
const DEFAULT_TARGETS: AftersalesPolicy['targets'] = {
  return_refund: { firstResponseMinutes: 120, resolutionMinutes: 3 * 450 },
  refund_only: { firstResponseMinutes: 60, resolutionMinutes: 2 * 450 },
  complaint: { firstResponseMinutes: 30, resolutionMinutes: 450 },
  other: { firstResponseMinutes: 120, resolutionMinutes: 3 * 450 },
};

const minutes = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 60);
const target = z.object({ firstResponseMinutes: minutes, resolutionMinutes: minutes }).strict();
export const policyBody = z
  .object({
    approvalThreshold: z.number().min(0).max(1e9),
    approvalReasons: z.array(z.string().regex(/^[A-Z_]{2,40}$/)).max(30),
    targets: z.object({ return_refund: target, refund_only: target, complaint: target, other: target }).strict(),
    dueSoonMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
    hours: z
      .object({ week: z.record(z.enum(['0', '1', '2', '3', '4', '5', '6']), z.array(z.string()).max(6)), holidays: z.array(z.string()).max(400) })
      .strict(),
  })
  .strict();
export type PolicyInput = z.infer<typeof policyBody>;

/** Per shop: which refunds need a lead's approval, and the SLA (targets in business hours, reminders). */
export class PolicyService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly now: () => number = Date.now,
  ) {}

  /** The shop's policy, or the defaults (threshold 200 in `currency`) when none was saved. */
  async get(shopId: string, currency = ''): Promise<AftersalesPolicy> {
    const row = await this.ds.getRepository(AftersalesPolicyRow).findOneBy({ shopId });
    return row ? toView(row) : defaults(shopId, currency);
  }

  /** A newly linked shop starts with the defaults, stored (idempotent). */
  async ensure(shopId: string, currency: string, tx: Tx): Promise<void> {
    if (await tx.manager.findOneBy(AftersalesPolicyRow, { shopId })) return;
    await tx.manager.insert(AftersalesPolicyRow, toRow(defaults(shopId, currency), this.now()));
  }

  async put(shopId: string, currency: string, input: PolicyInput, actor: string, requestId?: string): Promise<AftersalesPolicy> {
    const hours = { week: { ...DEFAULT_HOURS.week, ...input.hours.week }, holidays: input.hours.holidays };
    const problem = checkHours(hours);
    if (problem) throw new ValidationError(`hours: ${problem}`, { field: 'hours' });
    const policy: AftersalesPolicy = {
      shopId,
      currency,
      approvalThreshold: input.approvalThreshold,
      approvalReasons: input.approvalReasons,
      targets: input.targets,
      dueSoonMinutes: input.dueSoonMinutes,
      hours,
    };
    await this.uow.run({ actor, requestId }, async (tx) => {
      const before = await tx.manager.findOneBy(AftersalesPolicyRow, { shopId });
      await tx.manager.save(AftersalesPolicyRow, toRow(policy, this.now()));
      await tx.audit({ action: 'aftersales.policy_changed', targetType: 'shop', targetId: shopId, before: before ? toView(before) : null, after: policy });
    });
    return policy;
  }
}

function defaults(shopId: string, currency: string): AftersalesPolicy {
  return { shopId, currency, approvalThreshold: DEFAULT_THRESHOLD, approvalReasons: [], targets: DEFAULT_TARGETS, dueSoonMinutes: 120, hours: DEFAULT_HOURS };
}

function toRow(p: AftersalesPolicy, now: number): AftersalesPolicyRow {
  return {
    shopId: p.shopId,
    approvalThreshold: String(p.approvalThreshold),
    currency: p.currency,
    approvalReasons: JSON.stringify(p.approvalReasons),
    targets: JSON.stringify(p.targets),
    dueSoonMinutes: p.dueSoonMinutes,
    hours: JSON.stringify(p.hours),
    updatedAt: now,
  };
}

function toView(r: AftersalesPolicyRow): AftersalesPolicy {
  return {
    shopId: r.shopId,
    currency: r.currency,
    approvalThreshold: Number(r.approvalThreshold),
    approvalReasons: JSON.parse(r.approvalReasons) as string[],
    targets: { ...DEFAULT_TARGETS, ...(JSON.parse(r.targets) as Partial<AftersalesPolicy['targets']>) },
    dueSoonMinutes: r.dueSoonMinutes,
    hours: JSON.parse(r.hours) as AftersalesPolicy['hours'],
  };
}
