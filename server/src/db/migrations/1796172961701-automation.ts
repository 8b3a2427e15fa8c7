import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, int, ms, str, text } from '../migration-helpers';

/** Automation rules (trigger + condition + actions), their run log, and an index for a dry run's replay of one event type. */
const OUTBOX_BY_TYPE = new TableIndex({ name: 'idx_outbox_events_type', columnNames: ['type', 'occurred_at'] });
const TABLES = [
  new Table({
    name: 'automation_rules',
    columns: [
      autoId(),
      str('name', 100),
      int('enabled', { default: 0 }),
      str('trigger_kind', 8),
      str('event_type', 64, { isNullable: true }),
      str('cron', 64, { isNullable: true }),
      text('condition'),
      str('shop_id', 32, { isNullable: true }),
      text('actions'),
      int('version', { default: 1 }),
      ms('last_fired_at', { isNullable: true }),
      str('created_by', 64),
      ms('created_at'),
      ms('updated_at'),
    ],
    indices: [{ name: 'idx_automation_rules_trigger', columnNames: ['enabled', 'event_type'] }],
  }),
  new Table({
    name: 'automation_runs',
    columns: [
      autoId(),
      int('rule_id'),
      str('event_id', 64),
      str('event_type', 64),
      int('depth'),
      str('status', 16),
      str('matched', 500),
      text('steps'),
      ms('at'),
    ],
    indices: [
      { name: 'uq_automation_runs_rule_event', columnNames: ['rule_id', 'event_id'], isUnique: true },
      { name: 'idx_automation_runs_rule', columnNames: ['rule_id', 'id'] },
    ],
  }),
];

export class Automation1796172961701 implements MigrationInterface {
  name = 'Automation1796172961701';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.createTable(table);
    await queryRunner.createIndex('outbox_events', OUTBOX_BY_TYPE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox_events', OUTBOX_BY_TYPE.name ?? '');
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table);
  }
}
