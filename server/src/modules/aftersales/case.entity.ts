import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { CaseDeadline as DeadlineView, CaseHistoryEntry, CaseState, CaseType } from '@shopcrew/shared';
import { epochMs, stringList } from '../../db/columns';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'failed';

/**
 * An after-sales case: a marketplace return (unique by return_sn) or one opened by hand. `dueAt` is the earliest
 * running deadline (for the due-soon view and the list order); `breached` says one has passed unmet. Refunds are
 * decimal strings as the marketplace gave them.
 */
@Entity('cases')
@Index('uq_cases_return_sn', ['returnSn'], { unique: true })
@Index('idx_cases_assignee', ['assignee', 'open', 'dueAt'])
@Index('idx_cases_open_due', ['open', 'dueAt'])
@Index('idx_cases_shop', ['shopId', 'open', 'dueAt'])
export class Case {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Short labels (大额, 加急 …) set by hand or by an automation rule. */
  @Column({ type: 'varchar', length: 500, default: '[]', transformer: stringList })
  tags!: string[];

  @Column({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @Column({ name: 'order_sn', type: 'varchar', length: 64, nullable: true })
  orderSn!: string | null;

  @Column({ name: 'return_sn', type: 'varchar', length: 64, nullable: true })
  returnSn!: string | null;

  @Column({ type: 'varchar', length: 16 })
  type!: CaseType;

  @Column({ type: 'varchar', length: 24 })
  state!: CaseState;

  /** 1 while the case is not resolved or closed. */
  @Column({ type: 'int', default: 1 })
  open!: number;

  @Column({ name: 'platform_status', type: 'varchar', length: 32, nullable: true })
  platformStatus!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  reason!: string | null;

  @Column({ type: 'varchar', length: 191 })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  refund!: string | null;

  @Column({ type: 'varchar', length: 8, default: '' })
  currency!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  assignee!: string | null;

  /** The earliest running deadline; NO_DEADLINE (year 9999) when none runs, so the index orders every case. */
  @Column({ name: 'due_at', type: 'bigint', default: 253402300799000, transformer: epochMs })
  dueAt!: number;

  @Column({ type: 'int', default: 0 })
  breached!: number;

  @Column({ name: 'approval_status', type: 'varchar', length: 16, nullable: true })
  approvalStatus!: ApprovalStatus | null;

  @Column({ name: 'approval_rule', type: 'varchar', length: 191, nullable: true })
  approvalRule!: string | null;

  @Column({ name: 'approval_by', type: 'varchar', length: 64, nullable: true })
  approvalBy!: string | null;

  @Column({ name: 'approval_at', type: 'bigint', nullable: true, transformer: epochMs })
  approvalAt!: number | null;

  @Column({ name: 'approval_reason', type: 'varchar', length: 500, nullable: true })
  approvalReason!: string | null;

  @Column({ name: 'approval_error', type: 'varchar', length: 500, nullable: true })
  approvalError!: string | null;

  /** The marketplace's update_time of what is stored (a fetched return applies only when newer). */
  @Column({ name: 'market_updated_at', type: 'bigint', default: 0, transformer: epochMs })
  marketUpdatedAt!: number;

  @Column({ name: 'first_response_at', type: 'bigint', nullable: true, transformer: epochMs })
  firstResponseAt!: number | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}

@Entity('case_history')
@Index('idx_case_history_case', ['caseId', 'id'])
export class CaseHistory {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'case_id', type: 'int' })
  caseId!: number;

  @Column({ type: 'bigint', transformer: epochMs })
  at!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: CaseHistoryEntry['kind'];

  @Column({ type: 'varchar', length: 64, nullable: true })
  actor!: string | null;

  @Column({ name: 'from_state', type: 'varchar', length: 24, nullable: true })
  from!: CaseState | null;

  @Column({ name: 'to_state', type: 'varchar', length: 24, nullable: true })
  to!: CaseState | null;

  @Column({ type: 'varchar', length: 2100 })
  text!: string;
}

/**
 * One deadline of a case: an SLA target (first response, resolution; in business hours, paused while the case waits)
 * or one of the marketplace's. `remainingMinutes` holds a paused SLA target's business minutes left. The reminder
 * steps are sent once each: a conditional update of `stage` decides who sends (0 none, 1 due soon, 2 breached, 3
 * escalated to the owner).
 */
@Entity('case_deadlines')
@Index('idx_case_deadlines_next', ['nextAt'])
export class CaseDeadlineRow {
  @PrimaryColumn({ name: 'case_id', type: 'int' })
  caseId!: number;

  @PrimaryColumn({ name: 'deadline_key', type: 'varchar', length: 32 })
  key!: DeadlineView['key'];

  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  at!: number | null;

  @Column({ name: 'remaining_minutes', type: 'int', nullable: true })
  remainingMinutes!: number | null;

  @Column({ type: 'int', default: 0 })
  met!: number;

  @Column({ type: 'int', default: 0 })
  stage!: number;

  /** When the next reminder step of this deadline is due (null: nothing more to send). */
  @Column({ name: 'next_at', type: 'bigint', nullable: true, transformer: epochMs })
  nextAt!: number | null;
}

/** Per shop: the approval rule and the SLA policy (JSON columns as the API shows them). */
@Entity('aftersales_policies')
export class AftersalesPolicyRow {
  @PrimaryColumn({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @Column({ name: 'approval_threshold', type: 'varchar', length: 32 })
  approvalThreshold!: string;

  @Column({ type: 'varchar', length: 8, default: '' })
  currency!: string;

  @Column({ name: 'approval_reasons', type: 'text' })
  approvalReasons!: string;

  @Column({ type: 'text' })
  targets!: string;

  @Column({ name: 'due_soon_minutes', type: 'int', default: 120 })
  dueSoonMinutes!: number;

  @Column({ type: 'text' })
  hours!: string;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}
