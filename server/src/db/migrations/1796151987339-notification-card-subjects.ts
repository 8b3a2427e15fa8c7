import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { str } from '../migration-helpers';

/**
 * A card's subject (what its buttons act on, e.g. an order number), so that settling it elsewhere (a claim in the H5)
 * settles the open cards about it.
 */
const COLUMN = new TableColumn(str('subject', 191, { isNullable: true }));
const INDEX = new TableIndex({ name: 'idx_notification_cards_subject', columnNames: ['subject', 'state'] });

export class NotificationCardSubjects1796151987339 implements MigrationInterface {
  name = 'NotificationCardSubjects1796151987339';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('notification_cards', COLUMN);
    await queryRunner.createIndex('notification_cards', INDEX);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification_cards', INDEX.name!);
    await queryRunner.dropColumn('notification_cards', COLUMN.name);
  }
}
