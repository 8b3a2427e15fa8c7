import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The dashboard's read of metric_daily (measure, scope, a range of days) from its index alone: with `value` in it, and
 * the primary key's columns that every InnoDB secondary index carries, no row is fetched from the table. Before, a
 * year of one measure for 20 shops fetched 7,300 rows scattered between the SKU rows (~800 ms at p95 on a cold buffer
 * pool; test/bench/RESULTS.md, metrics).
 */
const BEFORE = new TableIndex({ name: 'idx_metric_daily_read', columnNames: ['measure', 'scope', 'day'] });
const AFTER = new TableIndex({ name: 'idx_metric_daily_read', columnNames: ['measure', 'scope', 'day', 'value'] });

export class MetricDailyCoveringIndex1796177959887 implements MigrationInterface {
  name = 'MetricDailyCoveringIndex1796177959887';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('metric_daily', BEFORE.name ?? '');
    await queryRunner.createIndex('metric_daily', AFTER);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('metric_daily', AFTER.name ?? '');
    await queryRunner.createIndex('metric_daily', BEFORE);
  }
}
