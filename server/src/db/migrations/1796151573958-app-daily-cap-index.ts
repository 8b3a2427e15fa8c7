import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The governor counts the app messages sent today against WeCom's per-app daily cap (seat limit × 200 person-sends,
 * https://developer.work.weixin.qq.com/document/path/90236): an index on (channel, sent_at) keeps that count a range
 * scan over today's rows.
 */
const INDEX = new TableIndex({ name: 'idx_notification_deliveries_channel_sent', columnNames: ['channel', 'sent_at'] });

export class AppDailyCapIndex1796151573958 implements MigrationInterface {
  name = 'AppDailyCapIndex1796151573958';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('notification_deliveries', INDEX);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification_deliveries', INDEX.name!);
  }
}
