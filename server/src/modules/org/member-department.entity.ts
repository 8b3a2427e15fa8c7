import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Member ↔ department link, with WeCom's per-department leader flag (is_leader_in_dept). */
@Entity('member_departments')
@Index('idx_member_departments_dept', ['departmentId'])
export class MemberDepartment {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  userid!: string;

  @PrimaryColumn({ name: 'department_id', type: 'int' })
  departmentId!: number;

  @Column({ name: 'is_leader', type: 'boolean', default: false })
  isLeader!: boolean;
}
