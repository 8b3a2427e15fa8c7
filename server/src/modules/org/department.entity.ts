import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';

/** A WeCom department, mirrored. Deleted departments are kept (deletedAt) so history still resolves. */
@Entity('departments')
@Index('idx_departments_parent', ['parentId'])
export class Department {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 191, default: '' })
  name!: string;

  @Column({ name: 'parent_id', type: 'int', nullable: true })
  parentId!: number | null;

  @Column({ name: 'sort_order', type: 'bigint', default: 0, transformer: epochMs })
  order!: number;

  /** department_leader userids from department/list, when the API returns them. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  leaders!: string[] | null;

  @Column({ name: 'deleted_at', type: 'bigint', nullable: true, transformer: epochMs })
  deletedAt!: number | null;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}
