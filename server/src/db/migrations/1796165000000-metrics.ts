import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, int, ms, str, text } from '../migration-helpers';

const double = (name: string) => ({ name, type: 'double' });

/** Figures: the metrics module's facts (orders, refunds), daily rollups and the days waiting for one. */
const TABLES = [
  new Table({
    name: 'metric_orders',
    columns: [
      str('order_sn', 64, { isPrimary: true }),
      str('shop_id', 32),
      str('currency', 8),
      double('total'),
      str('status', 32),
      ms('created_at'),
      ms('update_time'),
      ms('ship_by', { isNullable: true }),
      ms('shipped_at', { isNullable: true }),
      ms('claimed_at', { isNullable: true }),
      str('claimed_by', 64, { isNullable: true }),
      text('items'),
    ],
    indices: [
      { name: 'idx_metric_orders_created', columnNames: ['shop_id', 'created_at'] },
      { name: 'idx_metric_orders_shipped', columnNames: ['shop_id', 'shipped_at'] },
      { name: 'idx_metric_orders_claimed', columnNames: ['shop_id', 'claimed_at'] },
    ],
  }),
  new Table({
    name: 'metric_refunds',
    columns: [str('case_id', 32, { isPrimary: true }), str('shop_id', 32), str('order_sn', 64), str('currency', 8), double('amount'), ms('refunded_at')],
    indices: [{ name: 'idx_metric_refunds_at', columnNames: ['shop_id', 'refunded_at'] }],
  }),
  new Table({
    name: 'metric_daily',
    columns: [
      str('day', 10, { isPrimary: true }),
      str('shop_id', 32, { isPrimary: true }),
      str('scope', 8, { isPrimary: true }),
      str('scope_key', 64, { isPrimary: true }),
      str('measure', 24, { isPrimary: true }),
      str('currency', 8, { isPrimary: true }),
      double('value'),
    ],
    indices: [{ name: 'idx_metric_daily_read', columnNames: ['measure', 'scope', 'day'] }],
  }),
  new Table({
    name: 'metric_alerts',
    columns: [
      autoId(),
      str('name', 100),
      str('metric', 24),
      str('shop_id', 32, { isNullable: true }),
      str('currency', 8, { isNullable: true }),
      str('comparison', 2),
      double('threshold'),
      int('window_days', { default: 1 }),
      int('enabled', { default: 1 }),
      str('state', 8, { default: "'ok'" }),
      str('since', 10, { isNullable: true }),
      str('checked_day', 10, { isNullable: true }),
      str('created_by', 64),
      ms('created_at'),
    ],
  }),
  new Table({
    name: 'metric_warnings',
    columns: [
      str('day', 10, { isPrimary: true }),
      str('shop_id', 32, { isPrimary: true }),
      str('metric', 24, { isPrimary: true }),
      double('value'),
      double('baseline'),
      str('reason', 300),
      ms('created_at'),
    ],
    indices: [{ name: 'idx_metric_warnings_day', columnNames: ['day'] }],
  }),
  new Table({
    name: 'metric_dirty',
    columns: [str('day', 10, { isPrimary: true }), str('shop_id', 32, { isPrimary: true }), ms('marked_at')],
  }),
];

export class Metrics1796165000000 implements MigrationInterface {
  name = 'Metrics1796165000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table);
  }
}
