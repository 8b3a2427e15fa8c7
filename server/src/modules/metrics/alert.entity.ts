import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { MetricKey } from '@shopcrew/shared';
import { epochMs } from '../../db/columns';

/** An alert line: metric + scope + comparison + window ('3 consecutive days'); told once per breach. */
@Entity('metric_alerts')
export class MetricAlert {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 24 })
  metric!: MetricKey;

  /** null: every shop (the team's figure). */
  @Column({ name: 'shop_id', type: 'varchar', length: 32, nullable: true })
  shopId!: string | null;

  /** One SKU of the shop (a metric with a SKU figure: units, GMV); null: the shop's (or the team's) figure. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  sku!: string | null;

  /** value: against the threshold; target: against the daily target × threshold. */
  @Column({ type: 'varchar', length: 8, default: 'value' })
  basis!: 'value' | 'target';

  /** For money metrics: the currency the threshold is in. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  currency!: string | null;

  @Column({ type: 'varchar', length: 2 })
  comparison!: '>' | '>=' | '<' | '<=';

  @Column({ type: 'double' })
  threshold!: number;

  @Column({ name: 'window_days', type: 'int', default: 1 })
  windowDays!: number;

  @Column({ type: 'int', default: 1 })
  enabled!: number;

  /** ok, or breached since `since` (told once; not again until it recovers). */
  @Column({ type: 'varchar', length: 8, default: 'ok' })
  state!: 'ok' | 'breached';

  @Column({ type: 'varchar', length: 10, nullable: true })
  since!: string | null;

  @Column({ name: 'checked_day', type: 'varchar', length: 10, nullable: true })
  checkedDay!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;
}

/** An early warning given: one per (day, shop, metric), so it is told once. */
@Entity('metric_warnings')
@Index('idx_metric_warnings_day', ['day'])
export class MetricWarning {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @PrimaryColumn({ type: 'varchar', length: 24 })
  metric!: string;

  @Column({ type: 'double' })
  value!: number;

  @Column({ type: 'double' })
  baseline!: number;

  @Column({ type: 'varchar', length: 300 })
  reason!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;
}
