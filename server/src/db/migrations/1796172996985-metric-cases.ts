import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ms, str } from '../migration-helpers';

/** Figures of after-sales and checklists: the metrics module's case facts and its counted marks (breaches, checklists). */
const TABLES = [
  new Table({
    name: 'metric_cases',
    columns: [
      str('case_id', 32, { isPrimary: true }),
      str('shop_id', 32),
      ms('opened_at'),
      str('assignee', 64, { isNullable: true }),
      ms('responded_at', { isNullable: true }),
      str('responded_by', 64, { isNullable: true }),
      ms('resolved_at', { isNullable: true }),
      str('resolved_by', 64, { isNullable: true }),
    ],
    indices: [
      { name: 'idx_metric_cases_opened', columnNames: ['shop_id', 'opened_at'] },
      { name: 'idx_metric_cases_responded', columnNames: ['shop_id', 'responded_at'] },
      { name: 'idx_metric_cases_resolved', columnNames: ['shop_id', 'resolved_at'] },
    ],
  }),
  new Table({
    name: 'metric_marks',
    columns: [
      str('id', 64, { isPrimary: true }),
      str('kind', 24),
      str('shop_id', 32),
      str('member', 64, { isNullable: true }),
      ms('at'),
      str('detail', 100, { isNullable: true }),
    ],
    indices: [{ name: 'idx_metric_marks_at', columnNames: ['shop_id', 'at'] }],
  }),
];

export class MetricCases1796172996985 implements MigrationInterface {
  name = 'MetricCases1796172996985';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table);
  }
}
