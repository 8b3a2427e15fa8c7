import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, ms, str, text } from '../migration-helpers';

/**
 * App group chats (应用群聊) the app created through appchat/create: one row per chat, unique by WeCom's chatid, with
 * its name, owner and members (a JSON list of userids) as created. Rules with channel `appchat` may only name these.
 */
const TABLE = new Table({
  name: 'notification_chats',
  columns: [autoId(), str('chatid', 32), str('name', 64), str('owner', 64), text('members'), str('created_by', 64), ms('created_at')],
  indices: [{ name: 'uq_notification_chats_chatid', columnNames: ['chatid'], isUnique: true }],
});

export class NotificationChats1796145908300 implements MigrationInterface {
  name = 'NotificationChats1796145908300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(TABLE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE);
  }
}
