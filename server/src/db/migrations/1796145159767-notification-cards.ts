import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bool, ms, str } from '../migration-helpers';

/** Approval-style cards (issue 8): one row per card and member, grouped per event and rule; see card.entity.ts. */
const TABLE = new Table({
  name: 'notification_cards',
  columns: [
    str('task_id', 128, { isPrimary: true }),
    str('group_key', 191),
    str('userid', 64),
    str('response_code', 255, { isNullable: true }),
    str('state', 16, { default: "'open'" }),
    str('result_text', 64, { isNullable: true }),
    bool('updated', false),
    ms('created_at'),
  ],
  indices: [{ name: 'idx_notification_cards_group', columnNames: ['group_key'] }],
});

export class NotificationCards1796145159767 implements MigrationInterface {
  name = 'NotificationCards1796145159767';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(TABLE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE);
  }
}
