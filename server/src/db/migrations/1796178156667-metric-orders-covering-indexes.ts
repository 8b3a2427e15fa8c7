import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A day's rollup reads the orders shipped and first claimed that day from their indexes alone (the columns it needs
 * are in them): before, each of a busy day's ~90,000 shipped orders was a read of a scattered table row (6.5 s of a
 * 10 s rollup with 100,000 orders; test/bench/RESULTS.md, metrics).
 */
const CHANGES = [
  {
    before: new TableIndex({ name: 'idx_metric_orders_shipped', columnNames: ['shop_id', 'shipped_at'] }),
    after: new TableIndex({ name: 'idx_metric_orders_shipped', columnNames: ['shop_id', 'shipped_at', 'ship_by'] }),
  },
  {
    before: new TableIndex({ name: 'idx_metric_orders_claimed', columnNames: ['shop_id', 'claimed_at'] }),
    after: new TableIndex({ name: 'idx_metric_orders_claimed', columnNames: ['shop_id', 'claimed_at', 'created_at', 'claimed_by'] }),
  },
];

export class MetricOrdersCoveringIndexes1796178156667 implements MigrationInterface {
  name = 'MetricOrdersCoveringIndexes1796178156667';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const { before, after } of CHANGES) {
      await queryRunner.dropIndex('metric_orders', before.name ?? '');
      await queryRunner.createIndex('metric_orders', after);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { before, after } of CHANGES) {
      await queryRunner.dropIndex('metric_orders', after.name ?? '');
      await queryRunner.createIndex('metric_orders', before);
    }
  }
}
