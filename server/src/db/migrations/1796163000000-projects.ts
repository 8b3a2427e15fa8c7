import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, int, ms, str, text } from '../migration-helpers';

/** Campaign projects: projects, tasks and their dependencies, comments and their versions, files, activity. */
const TABLES = [
  new Table({
    name: 'projects',
    columns: [
      autoId(),
      str('name', 100),
      str('goal', 500, { default: "''" }),
      str('shop_id', 32, { isNullable: true }),
      str('owner', 64),
      str('start_day', 10),
      str('end_day', 10),
      str('state', 16),
      str('template_key', 32, { isNullable: true }),
      str('slip_notified', 10, { isNullable: true }),
      str('created_by', 64),
      ms('created_at'),
      ms('updated_at'),
    ],
    indices: [{ name: 'idx_projects_state', columnNames: ['state', 'id'] }],
  }),
  new Table({
    name: 'project_tasks',
    columns: [
      autoId(),
      int('project_id'),
      str('title', 191),
      text('description'),
      str('owner', 64, { isNullable: true }),
      text('collaborators'),
      str('start_day', 10),
      str('due_day', 10),
      str('priority', 2),
      str('state', 8),
      int('progress', { default: 0 }),
      int('milestone', { default: 0 }),
      text('links'),
      str('due_reminded', 10, { isNullable: true }),
      str('overdue_notified', 10, { isNullable: true }),
      str('created_by', 64),
      ms('created_at'),
      ms('updated_at'),
    ],
    indices: [
      { name: 'idx_project_tasks_project', columnNames: ['project_id', 'id'] },
      { name: 'idx_project_tasks_owner', columnNames: ['owner', 'state'] },
      { name: 'idx_project_tasks_due', columnNames: ['state', 'due_day'] },
    ],
  }),
  new Table({
    name: 'task_dependencies',
    columns: [int('task_id', { isPrimary: true }), int('depends_on', { isPrimary: true }), int('project_id')],
    indices: [{ name: 'idx_task_dependencies_project', columnNames: ['project_id'] }],
  }),
  new Table({
    name: 'task_comments',
    columns: [
      autoId(),
      int('task_id'),
      int('project_id'),
      int('parent_id', { isNullable: true }),
      str('author', 64),
      text('body'),
      text('mentions'),
      ms('created_at'),
      ms('edited_at', { isNullable: true }),
    ],
    indices: [{ name: 'idx_task_comments_task', columnNames: ['task_id', 'id'] }],
  }),
  new Table({
    name: 'task_comment_versions',
    columns: [autoId(), int('comment_id'), text('body'), ms('at')],
    indices: [{ name: 'idx_task_comment_versions_comment', columnNames: ['comment_id', 'id'] }],
  }),
  new Table({
    name: 'project_files',
    columns: [
      autoId(),
      int('task_id'),
      int('project_id'),
      str('storage_key', 191),
      str('thumb_key', 191, { isNullable: true }),
      str('name', 191),
      str('mime', 100),
      int('size'),
      str('uploaded_by', 64),
      ms('uploaded_at'),
    ],
    indices: [{ name: 'idx_project_files_task', columnNames: ['task_id', 'id'] }],
  }),
  new Table({
    name: 'project_activity',
    columns: [
      autoId(),
      int('project_id'),
      int('task_id', { isNullable: true }),
      ms('at'),
      str('actor', 64, { isNullable: true }),
      str('kind', 16),
      str('field', 32, { isNullable: true }),
      str('from_value', 500, { isNullable: true }),
      str('to_value', 500, { isNullable: true }),
      str('text', 1000),
    ],
    indices: [
      { name: 'idx_project_activity_project', columnNames: ['project_id', 'id'] },
      { name: 'idx_project_activity_task', columnNames: ['task_id', 'id'] },
    ],
  }),
];

export class Projects1796163000000 implements MigrationInterface {
  name = 'Projects1796163000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table);
  }
}
