import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Member ↔ department link, with WeCom's per-department leader flag (is_leader_in_dept). */
@Entity('member_departments')
export class MemberDepartment {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  userid!: string;

  @PrimaryColumn({ name: 'department_id', type: 'int' })
  departmentId!: number;

  @Column({ name: 'is_leader', type: 'boolean', default: false })
  isLeader!: boolean;
}
