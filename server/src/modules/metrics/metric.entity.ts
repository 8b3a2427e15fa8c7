import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';

/** An order as the figures need it, kept from `order.synced` (and claims): this module's own copy, never the orders table. */
@Entity('metric_orders')
@Index('idx_metric_orders_created', ['shopId', 'createdAt'])
@Index('idx_metric_orders_shipped', ['shopId', 'shippedAt'])
@Index('idx_metric_orders_claimed', ['shopId', 'claimedAt'])
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
@Index('idx_metric_daily_read', ['measure', 'scope', 'day'])
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
