import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, int, ms, str, text } from '../migration-helpers';

/** After-sales cases, their history and deadlines, and the per-shop policies (approval rule, SLA). */
const CASES = new Table({
  name: 'cases',
  columns: [
    autoId(),
    str('shop_id', 32),
    str('order_sn', 64, { isNullable: true }),
    str('return_sn', 64, { isNullable: true }),
    str('type', 16),
    str('state', 24),
    int('open', { default: 1 }),
    str('platform_status', 32, { isNullable: true }),
    str('reason', 64, { isNullable: true }),
    str('title', 191),
    text('description', { isNullable: true }),
    str('refund', 32, { isNullable: true }),
    str('currency', 8, { default: "''" }),
    str('assignee', 64, { isNullable: true }),
    ms('due_at', { default: 253402300799000 }),
    int('breached', { default: 0 }),
    str('approval_status', 16, { isNullable: true }),
    str('approval_rule', 191, { isNullable: true }),
    str('approval_by', 64, { isNullable: true }),
    ms('approval_at', { isNullable: true }),
    str('approval_reason', 500, { isNullable: true }),
    str('approval_error', 500, { isNullable: true }),
    ms('market_updated_at', { default: 0 }),
    ms('first_response_at', { isNullable: true }),
    str('created_by', 64),
    ms('created_at'),
    ms('updated_at'),
  ],
  indices: [
    { name: 'uq_cases_return_sn', columnNames: ['return_sn'], isUnique: true },
    { name: 'idx_cases_assignee', columnNames: ['assignee', 'open', 'due_at'] },
    { name: 'idx_cases_open_due', columnNames: ['open', 'due_at'] },
    { name: 'idx_cases_shop', columnNames: ['shop_id', 'open', 'due_at'] },
  ],
});

const HISTORY = new Table({
  name: 'case_history',
  columns: [
    autoId(),
    int('case_id'),
    ms('at'),
    str('kind', 16),
    str('actor', 64, { isNullable: true }),
    str('from_state', 24, { isNullable: true }),
    str('to_state', 24, { isNullable: true }),
    str('text', 2100),
  ],
  indices: [{ name: 'idx_case_history_case', columnNames: ['case_id', 'id'] }],
});

const DEADLINES = new Table({
  name: 'case_deadlines',
  columns: [
    int('case_id', { isPrimary: true }),
    str('deadline_key', 32, { isPrimary: true }),
    ms('at', { isNullable: true }),
    int('remaining_minutes', { isNullable: true }),
    int('met', { default: 0 }),
    int('stage', { default: 0 }),
    ms('next_at', { isNullable: true }),
  ],
  indices: [{ name: 'idx_case_deadlines_next', columnNames: ['next_at'] }],
});

const POLICIES = new Table({
  name: 'aftersales_policies',
  columns: [
    str('shop_id', 32, { isPrimary: true }),
    str('approval_threshold', 32),
    str('currency', 8, { default: "''" }),
    text('approval_reasons'),
    text('targets'),
    int('due_soon_minutes', { default: 120 }),
    text('hours'),
    ms('updated_at'),
  ],
});

export class Aftersales1796153485865 implements MigrationInterface {
  name = 'Aftersales1796153485865';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of [CASES, HISTORY, DEADLINES, POLICIES]) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [POLICIES, DEADLINES, HISTORY, CASES]) await queryRunner.dropTable(table);
  }
}
