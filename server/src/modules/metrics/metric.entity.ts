import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';

/** An order as the figures need it, kept from `order.synced` (and claims): this module's own copy, never the orders table. */
@Entity('metric_orders')
@Index('idx_metric_orders_created', ['shopId', 'createdAt'])
// The rollup's shipped and claimed reads are answered from these two indexes alone (the order number rides along).
@Index('idx_metric_orders_shipped', ['shopId', 'shippedAt', 'shipBy'])
@Index('idx_metric_orders_claimed', ['shopId', 'claimedAt', 'createdAt', 'claimedBy'])
export class MetricOrder {
  @PrimaryColumn({ name: 'order_sn', type: 'varchar', length: 64 })
  orderSn!: string;

  @Column({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @Column({ type: 'varchar', length: 8 })
  currency!: string;

  @Column({ type: 'double' })
  total!: number;

  @Column({ type: 'varchar', length: 32 })
  status!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'update_time', type: 'bigint', transformer: epochMs })
  updateTime!: number;

  @Column({ name: 'ship_by', type: 'bigint', nullable: true, transformer: epochMs })
  shipBy!: number | null;

  @Column({ name: 'shipped_at', type: 'bigint', nullable: true, transformer: epochMs })
  shippedAt!: number | null;

  @Column({ name: 'claimed_at', type: 'bigint', nullable: true, transformer: epochMs })
  claimedAt!: number | null;

  @Column({ name: 'claimed_by', type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;

  /** [{sku, name, qty, amount}] */
  @Column({ type: 'text', transformer: jsonText })
  items!: Array<{ sku: string; name: string; qty: number; amount: number }>;
}

/** A refund that went through, kept from `return.refunded` (one per case). */
@Entity('metric_refunds')
@Index('idx_metric_refunds_at', ['shopId', 'refundedAt'])
export class MetricRefund {
  @PrimaryColumn({ name: 'case_id', type: 'varchar', length: 32 })
  caseId!: string;

  @Column({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @Column({ name: 'order_sn', type: 'varchar', length: 64 })
  orderSn!: string;

  @Column({ type: 'varchar', length: 8 })
  currency!: string;

  @Column({ type: 'double' })
  amount!: number;

  @Column({ name: 'refunded_at', type: 'bigint', transformer: epochMs })
  refundedAt!: number;
}

/**
 * One additive measure of one day (TZ_CORP) for a shop, or a member or SKU within it, in one currency (`''` for
 * counts). Ratios (refund rate, average order value …) are divided at read time from these sums, so weeks and months
 * add up right. Rewritten whole for a (day, shop) by each rollup: re-running a day gives the same rows.
 */
@Entity('metric_daily')
// With `value` the dashboard's reads are answered from the index alone (the primary key's columns ride along).
@Index('idx_metric_daily_read', ['measure', 'scope', 'day', 'value'])
export class MetricDaily {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  scope!: 'shop' | 'member' | 'sku';

  @PrimaryColumn({ name: 'scope_key', type: 'varchar', length: 64 })
  scopeKey!: string;

  @PrimaryColumn({ type: 'varchar', length: 24 })
  measure!: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  currency!: string;

  @Column({ type: 'double' })
  value!: number;
}

/** A (day, shop) whose facts changed since its last rollup. */
@Entity('metric_dirty')
export class MetricDirty {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @Column({ name: 'marked_at', type: 'bigint', transformer: epochMs })
  markedAt!: number;
}

/**
 * An after-sales case as the figures need it, kept from aftersales' events (case.opened, case.assigned,
 * case.state_changed): opened, first handled by a member (out of 受理), resolved — never the cases table.
 */
@Entity('metric_cases')
@Index('idx_metric_cases_opened', ['shopId', 'openedAt'])
@Index('idx_metric_cases_responded', ['shopId', 'respondedAt'])
@Index('idx_metric_cases_resolved', ['shopId', 'resolvedAt'])
export class MetricCase {
  @PrimaryColumn({ name: 'case_id', type: 'varchar', length: 32 })
  caseId!: string;

  @Column({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @Column({ name: 'opened_at', type: 'bigint', transformer: epochMs })
  openedAt!: number;

  /** Who holds the case now (the last case.assigned). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  assignee!: string | null;

  @Column({ name: 'responded_at', type: 'bigint', nullable: true, transformer: epochMs })
  respondedAt!: number | null;

  @Column({ name: 'responded_by', type: 'varchar', length: 64, nullable: true })
  respondedBy!: string | null;

  /** When it was last resolved or closed; cleared when it is reopened. */
  @Column({ name: 'resolved_at', type: 'bigint', nullable: true, transformer: epochMs })
  resolvedAt!: number | null;

  @Column({ name: 'resolved_by', type: 'varchar', length: 64, nullable: true })
  resolvedBy!: string | null;
}

/**
 * Something counted once where it happened: an SLA deadline breached (case.breached), a shop's checklist completed
 * (checklist.completed) or one of its steps overdue (checklist.overdue). Keyed by the event's id (each event is
 * handled once); `member` is whom it is counted against, if anyone.
 */
@Entity('metric_marks')
@Index('idx_metric_marks_at', ['shopId', 'at'])
export class MetricMark {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 24 })
  kind!: 'sla_breach' | 'checklist_done' | 'checklist_overdue';

  @Column({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  member!: string | null;

  @Column({ type: 'bigint', transformer: epochMs })
  at!: number;

  /** The deadline (首次响应 …) or the checklist's template. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  detail!: string | null;
}

/** A daily target set by ops: for a shop (`sku` ''), or one SKU of it; money in `currency` ('' for counts). */
@Entity('metric_targets')
@Index('uq_metric_targets', ['shopId', 'sku', 'metric'], { unique: true })
export class MetricTargetRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  sku!: string;

  @Column({ type: 'varchar', length: 24 })
  metric!: string;

  @Column({ type: 'varchar', length: 8, default: '' })
  currency!: string;

  @Column({ type: 'double' })
  daily!: number;

  @Column({ name: 'updated_by', type: 'varchar', length: 64 })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}
