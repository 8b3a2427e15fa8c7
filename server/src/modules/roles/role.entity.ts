import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';

/** The built-in roles, seeded by migration from shared/src/auth/roles.ts. */
@Entity('roles')
export class Role {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  key!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;
}

export type BindingSubject = 'department' | 'tag' | 'user';

/**
 * Grants a role to everyone in a department (and its sub-departments), to everyone carrying a tag,
 * or to one member.
 */
@Entity('role_bindings')
@Unique('uq_role_binding', ['role', 'subjectType', 'subjectId'])
export class RoleBinding {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  role!: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType!: BindingSubject;

  @Column({ name: 'subject_id', type: 'varchar', length: 64 })
  subjectId!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  /** The shop ids the role covers through this binding; null: every shop. */
  @Column({ name: 'shop_scope', type: 'text', nullable: true, transformer: jsonText })
  shopScope!: string[] | null;
}
