import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, bool, int, ms, str, text } from '../migration-helpers';

/** Orders from the marketplaces, their items, their timeline, and who is on duty. */
const ORDERS = new Table({
  name: 'orders',
  columns: [
    autoId(),
    str('order_sn', 64),
    str('shop_id', 32),
    str('status', 24),
    int('pool', { default: 0 }),
    str('currency', 8),
    str('total', 32),
    str('buyer', 191, { isNullable: true }),
    int('item_count', { default: 0 }),
    text('message_to_seller', { isNullable: true }),
    str('package_number', 64, { isNullable: true }),
    str('logistics_status', 48, { isNullable: true }),
    str('carrier', 64, { isNullable: true }),
    str('tracking_number', 64, { isNullable: true }),
    ms('ship_by', { isNullable: true }),
    ms('created_at'),
    ms('market_updated_at'),
    str('assignee', 64, { isNullable: true }),
    ms('claimed_at', { isNullable: true }),
    int('announced', { default: 0 }),
    ms('updated_at'),
  ],
  indices: [
    { name: 'uq_orders_order_sn', columnNames: ['order_sn'], isUnique: true },
    { name: 'idx_orders_pool', columnNames: ['pool', 'created_at', 'id'] },
    { name: 'idx_orders_assignee', columnNames: ['assignee', 'created_at', 'id'] },
    { name: 'idx_orders_shop', columnNames: ['shop_id', 'created_at', 'id'] },
    { name: 'idx_orders_created', columnNames: ['created_at', 'id'] },
  ],
});

const ITEMS = new Table({
  name: 'order_items',
  columns: [
    autoId(),
    int('order_id'),
    str('item_id', 32),
    str('name', 255),
    str('sku', 128, { isNullable: true }),
    str('variation', 191, { isNullable: true }),
    int('quantity'),
    str('price', 32),
  ],
  indices: [{ name: 'idx_order_items_order', columnNames: ['order_id'] }],
});

const TIMELINE = new Table({
  name: 'order_timeline',
  columns: [
    autoId(),
    int('order_id'),
    ms('at'),
    str('kind', 16),
    str('actor', 64, { isNullable: true }),
    str('text', 255),
    str('from_value', 64, { isNullable: true }),
    str('to_value', 64, { isNullable: true }),
  ],
  indices: [{ name: 'idx_order_timeline_order', columnNames: ['order_id', 'id'] }],
});

const DUTY = new Table({ name: 'order_duty', columns: [str('userid', 64, { isPrimary: true }), bool('on_duty', false), ms('updated_at')] });

export class Orders1796151861312 implements MigrationInterface {
  name = 'Orders1796151861312';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of [ORDERS, ITEMS, TIMELINE, DUTY]) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [DUTY, TIMELINE, ITEMS, ORDERS]) await queryRunner.dropTable(table);
  }
}
