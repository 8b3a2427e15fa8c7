import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ActivityKind, Priority, ProjectState, TaskLink, TaskState } from '@shopcrew/shared';
import { epochMs, jsonText } from '../../db/columns';

/** A campaign project. Days are `YYYY-MM-DD` in TZ_CORP (`start_day`, `end_day`: `end` is a reserved word in SQL). */
@Entity('projects')
@Index('idx_projects_state', ['state', 'id'])
export class Project {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  goal!: string;

  @Column({ name: 'shop_id', type: 'varchar', length: 32, nullable: true })
  shopId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  owner!: string;

  @Column({ name: 'start_day', type: 'varchar', length: 10 })
  start!: string;

  @Column({ name: 'end_day', type: 'varchar', length: 10 })
  end!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: ProjectState;

  @Column({ name: 'template_key', type: 'varchar', length: 32, nullable: true })
  templateKey!: string | null;

  /** The last due day the owner was told the project slips to (told again only when it slips further). */
  @Column({ name: 'slip_notified', type: 'varchar', length: 10, nullable: true })
  slipNotified!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}

/** A task of a project; a milestone is a one-day task marked so. */
@Entity('project_tasks')
@Index('idx_project_tasks_project', ['projectId', 'id'])
@Index('idx_project_tasks_owner', ['owner', 'state'])
@Index('idx_project_tasks_due', ['state', 'due'])
export class ProjectTask {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'project_id', type: 'int' })
  projectId!: number;

  @Column({ type: 'varchar', length: 191 })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  owner!: string | null;

  @Column({ type: 'text', transformer: jsonText })
  collaborators!: string[];

  @Column({ name: 'start_day', type: 'varchar', length: 10 })
  start!: string;

  @Column({ name: 'due_day', type: 'varchar', length: 10 })
  due!: string;

  @Column({ type: 'varchar', length: 2 })
  priority!: Priority;

  @Column({ type: 'varchar', length: 8 })
  state!: TaskState;

  @Column({ type: 'int', default: 0 })
  progress!: number;

  @Column({ type: 'int', default: 0 })
  milestone!: number;

  @Column({ type: 'text', transformer: jsonText })
  links!: TaskLink[];

  /** The due day the owner was reminded of the day before (a moved task is reminded again). */
  @Column({ name: 'due_reminded', type: 'varchar', length: 10, nullable: true })
  dueReminded!: string | null;

  /** The due day the owner was told it is overdue. */
  @Column({ name: 'overdue_notified', type: 'varchar', length: 10, nullable: true })
  overdueNotified!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}

/** `taskId` waits for `dependsOn` to finish (finish-to-start). */
@Entity('task_dependencies')
@Index('idx_task_dependencies_project', ['projectId'])
export class TaskDependency {
  @PrimaryColumn({ name: 'task_id', type: 'int' })
  taskId!: number;

  @PrimaryColumn({ name: 'depends_on', type: 'int' })
  dependsOn!: number;

  @Column({ name: 'project_id', type: 'int' })
  projectId!: number;
}

@Entity('task_comments')
@Index('idx_task_comments_task', ['taskId', 'id'])
export class TaskComment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'task_id', type: 'int' })
  taskId!: number;

  @Column({ name: 'project_id', type: 'int' })
  projectId!: number;

  @Column({ name: 'parent_id', type: 'int', nullable: true })
  parentId!: number | null;

  @Column({ type: 'varchar', length: 64 })
  author!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text', transformer: jsonText })
  mentions!: string[];

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'edited_at', type: 'bigint', nullable: true, transformer: epochMs })
  editedAt!: number | null;
}

/** A comment's earlier text, kept at each edit. */
@Entity('task_comment_versions')
@Index('idx_task_comment_versions_comment', ['commentId', 'id'])
export class TaskCommentVersion {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'comment_id', type: 'int' })
  commentId!: number;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'bigint', transformer: epochMs })
  at!: number;
}

@Entity('project_files')
@Index('idx_project_files_task', ['taskId', 'id'])
export class ProjectFile {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'task_id', type: 'int' })
  taskId!: number;

  @Column({ name: 'project_id', type: 'int' })
  projectId!: number;

  @Column({ name: 'storage_key', type: 'varchar', length: 191 })
  storageKey!: string;

  @Column({ name: 'thumb_key', type: 'varchar', length: 191, nullable: true })
  thumbKey!: string | null;

  @Column({ type: 'varchar', length: 191 })
  name!: string;

  @Column({ type: 'varchar', length: 100 })
  mime!: string;

  @Column({ type: 'int' })
  size!: number;

  @Column({ name: 'uploaded_by', type: 'varchar', length: 64 })
  uploadedBy!: string;

  @Column({ name: 'uploaded_at', type: 'bigint', transformer: epochMs })
  uploadedAt!: number;
}

/** Every change to a project and its tasks, with who and when. */
@Entity('project_activity')
@Index('idx_project_activity_project', ['projectId', 'id'])
@Index('idx_project_activity_task', ['taskId', 'id'])
export class ProjectActivity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'project_id', type: 'int' })
  projectId!: number;

  @Column({ name: 'task_id', type: 'int', nullable: true })
  taskId!: number | null;

  @Column({ type: 'bigint', transformer: epochMs })
  at!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actor!: string | null;

  @Column({ type: 'varchar', length: 16 })
  kind!: ActivityKind;

  @Column({ type: 'varchar', length: 32, nullable: true })
  field!: string | null;

  @Column({ name: 'from_value', type: 'varchar', length: 500, nullable: true })
  from!: string | null;

  @Column({ name: 'to_value', type: 'varchar', length: 500, nullable: true })
  to!: string | null;

  @Column({ type: 'varchar', length: 1000 })
  text!: string;
}
