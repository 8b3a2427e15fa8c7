import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { text } from '../migration-helpers';

/**
 * A role binding can be limited to some shops: role_bindings.shop_scope holds a JSON array of shop ids,
 * NULL meaning every shop (all bindings made so far, and the default).
 */
export class BindingShopScope1796137914149 implements MigrationInterface {
  name = 'BindingShopScope1796137914149';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('role_bindings', new TableColumn(text('shop_scope', { isNullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('role_bindings', 'shop_scope');
  }
}
