import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from '../../db/columns';

/** What can be found: a project, a task, a comment, an attachment (by its file name). */
export type SearchKind = 'project' | 'task' | 'comment' | 'file';
export const SEARCH_KINDS: readonly SearchKind[] = ['project', 'task', 'comment', 'file'];

/**
 * One searchable thing, written only through SearchIndex. `tokens` is what it is found by (tokens.ts); `body` is the
 * original text the snippets come from.
 *
 * The full-text index is not the same on both databases, so the schema builder is told to leave it alone (TypeORM's
 * `@Index(name, { synchronize: false })`, https://typeorm.io/docs/indexes/indices/#disabling-synchronization): on
 * MySQL/MariaDB it is `idx_search_docs_tokens`, FULLTEXT on `tokens`, made by the migration; on SQLite it is the FTS5
 * table `search_docs_fts` (rowid = id), which no entity maps (a virtual table).
 */
@Entity('search_docs')
@Index('uq_search_docs_ref', ['kind', 'refId'], { unique: true })
@Index('idx_search_docs_project', ['projectId'])
@Index('idx_search_docs_task', ['taskId'])
@Index('idx_search_docs_recent', ['at', 'id'])
@Index('idx_search_docs_tokens', { synchronize: false })
export class SearchDoc {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 8 })
  kind!: SearchKind;

  @Column({ name: 'ref_id', type: 'int' })
  refId!: number;

  @Column({ name: 'project_id', type: 'int' })
  projectId!: number;

  @Column({ name: 'task_id', type: 'int', nullable: true })
  taskId!: number | null;

  @Column({ name: 'shop_id', type: 'varchar', length: 32, nullable: true })
  shopId!: string | null;

  @Column({ type: 'varchar', length: 191 })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text' })
  tokens!: string;

  @Column({ type: 'bigint', transformer: epochMs })
  at!: number;
}
