import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';

/** Append-only audit trail: who did what to which target, with a before/after summary. */
@Entity('audit_log')
@Index('idx_audit_at', ['at'])
@Index('idx_audit_target', ['targetType', 'targetId'])
@Index('idx_audit_actor', ['actor'])
@Index('idx_audit_action', ['action'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'bigint', transformer: epochMs })
  at!: number;

  /** userid, or 'system' / 'wecom' for work the server does on its own. */
  @Column({ type: 'varchar', length: 64 })
  actor!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType!: string;

  @Column({ name: 'target_id', type: 'varchar', length: 191, nullable: true })
  targetId!: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  before!: object | null;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  after!: object | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;
}
