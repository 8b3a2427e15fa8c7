import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';

export type SyncStatus = 'running' | 'done' | 'failed';

export interface SyncProgress {
  mode: 'list_id' | 'user_list';
  departmentsTotal: number;
  /** department ids whose members are stored (user_list mode) */
  doneDepartments: number[];
  /** next user/list_id cursor (list_id mode) */
  cursor: string | null;
  membersSeen: number;
}

/** One full contact sync. Progress is saved as it goes, so an interrupted run resumes. */
@Entity('sync_runs')
export class SyncRun {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'started_at', type: 'bigint', transformer: epochMs })
  startedAt!: number;

  @Column({ name: 'finished_at', type: 'bigint', nullable: true, transformer: epochMs })
  finishedAt!: number | null;

  @Column({ type: 'varchar', length: 16 })
  status!: SyncStatus;

  @Column({ name: 'trigger_source', type: 'varchar', length: 80 })
  trigger!: string;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  progress!: SyncProgress | null;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  stats!: Record<string, number> | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
