import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int, ms, str, text } from '../migration-helpers';

/** Linked marketplace shops with their sealed tokens, and the single-use states of shop authorization links. */
const SHOPS = new Table({
  name: 'shops',
  columns: [
    str('shop_id', 32, { isPrimary: true }),
    str('platform', 16),
    str('name', 191, { default: "''" }),
    str('region', 8, { default: "''" }),
    str('currency', 8, { default: "''" }),
    str('status', 16, { default: "'active'" }),
    ms('auth_expires_at', { isNullable: true }),
    text('access_token'),
    text('refresh_token'),
    ms('access_expires_at'),
    int('token_version', { default: 1 }),
    str('assignment_mode', 16, { default: "'manual'" }),
    int('assignment_cap', { default: 20 }),
    str('linked_by', 64),
    ms('linked_at'),
    ms('updated_at'),
  ],
});

const STATES = new Table({
  name: 'shop_link_states',
  columns: [str('state', 64, { isPrimary: true }), str('userid', 64), str('browser_hash', 64), ms('expires_at'), ms('used_at', { isNullable: true })],
});

export class Shops1796151713690 implements MigrationInterface {
  name = 'Shops1796151713690';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(SHOPS);
    await queryRunner.createTable(STATES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(STATES);
    await queryRunner.dropTable(SHOPS);
  }
}
