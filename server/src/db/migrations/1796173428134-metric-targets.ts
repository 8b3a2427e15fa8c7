import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, ms, str } from '../migration-helpers';

/** Daily targets per shop and per SKU, and alert lines that watch one SKU or compare a day with its target. */
const TARGETS = new Table({
  name: 'metric_targets',
  columns: [
    autoId(),
    str('shop_id', 32),
    str('sku', 64, { default: "''" }),
    str('metric', 24),
    str('currency', 8, { default: "''" }),
    { name: 'daily', type: 'double' },
    str('updated_by', 64),
    ms('updated_at'),
  ],
  indices: [{ name: 'uq_metric_targets', columnNames: ['shop_id', 'sku', 'metric'], isUnique: true }],
});

export class MetricTargets1796173428134 implements MigrationInterface {
  name = 'MetricTargets1796173428134';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(TARGETS);
    await queryRunner.addColumns('metric_alerts', [
      new TableColumn(str('sku', 64, { isNullable: true })),
      new TableColumn(str('basis', 8, { default: "'value'" })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('metric_alerts', ['basis', 'sku']);
    await queryRunner.dropTable(TARGETS);
  }
}
