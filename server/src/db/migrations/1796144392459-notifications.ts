import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, bool, int, ms, str, text } from '../migration-helpers';

/**
 * The notifications module (issue 8):
 * - notification_rules: event type (+ shop, + condition) → channel, recipients, template;
 * - notification_robots: group robots, their webhook key sealed (SecretBox) with a masked hint;
 * - notification_deliveries: one row per message and target, unique by idempotency key; the due index serves "the
 *   oldest pending delivery of each target", the sent index the governor's count per target over the last minute/hour.
 */
const TABLES: Table[] = [
  new Table({
    name: 'notification_rules',
    columns: [
      autoId(),
      str('name', 64),
      str('event_type', 64),
      str('shop_id', 64, { isNullable: true }),
      text('condition', { isNullable: true }),
      str('channel', 16),
      str('format', 16, { default: "'text'" }),
      text('recipients', { isNullable: true }),
      int('robot_id', { isNullable: true }),
      str('chat_id', 32, { isNullable: true }),
      text('template'),
      bool('enabled', true),
      str('created_by', 64),
      ms('created_at'),
      ms('updated_at'),
    ],
    indices: [{ name: 'idx_notification_rules_event', columnNames: ['event_type'] }],
  }),
  new Table({
    name: 'notification_robots',
    columns: [autoId(), str('name', 64), text('key_sealed'), str('key_hint', 16), str('created_by', 64), ms('created_at')],
  }),
  new Table({
    name: 'notification_deliveries',
    columns: [
      autoId(),
      str('idempotency_key', 191),
      str('event_id', 64),
      str('event_type', 64),
      int('rule_id', { isNullable: true }),
      str('channel', 16),
      str('target', 128),
      text('message'),
      str('status', 16, { default: "'pending'" }),
      int('attempts', { default: 0 }),
      ms('next_attempt_at'),
      text('last_error', { isNullable: true }),
      str('claimed_by', 64, { isNullable: true }),
      ms('claim_until', { default: 0 }),
      str('msgid', 128, { isNullable: true }),
      int('merged_into', { isNullable: true }),
      ms('created_at'),
      ms('sent_at', { isNullable: true }),
    ],
    indices: [
      { name: 'uq_notification_deliveries_key', columnNames: ['idempotency_key'], isUnique: true },
      { name: 'idx_notification_deliveries_due', columnNames: ['status', 'target', 'id'] },
      { name: 'idx_notification_deliveries_sent', columnNames: ['target', 'sent_at'] },
    ],
  }),
];

export class Notifications1796144392459 implements MigrationInterface {
  name = 'Notifications1796144392459';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table);
  }
}
