import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../db/columns';

/**
 * A WeCom member, mirrored. Members who leave are deactivated, never deleted: their orders,
 * cases and audit entries keep pointing at a real row.
 */
@Entity('members')
export class Member {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  userid!: string;

  @Column({ type: 'varchar', length: 191, default: '' })
  name!: string;

  @Column({ type: 'varchar', length: 191, nullable: true })
  position!: string | null;

  @Column({ name: 'main_department', type: 'int', nullable: true })
  mainDepartment!: number | null;

  /** WeCom status: 1 active, 2 disabled, 4 not yet activated, 5 quit (https://developer.work.weixin.qq.com/document/path/90196). */
  @Column({ name: 'wecom_status', type: 'int', default: 1 })
  wecomStatus!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'deactivated_at', type: 'bigint', nullable: true, transformer: epochMs })
  deactivatedAt!: number | null;

  /** Last time a full sync or a re-fetch saw this member in WeCom. */
  @Column({ name: 'seen_at', type: 'bigint', transformer: epochMs })
  seenAt!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}
