import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A WeCom tag (标签). Roles can be bound to tags as well as departments. */
@Entity('tags')
export class Tag {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 191, default: '' })
  name!: string;
}

/** Members and departments carrying a tag, as tag/get returns them (https://developer.work.weixin.qq.com/document/path/90213). */
@Entity('tag_members')
export class TagMember {
  @PrimaryColumn({ name: 'tag_id', type: 'int' })
  tagId!: number;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  userid!: string;
}

@Entity('tag_departments')
export class TagDepartment {
  @PrimaryColumn({ name: 'tag_id', type: 'int' })
  tagId!: number;

  @PrimaryColumn({ name: 'department_id', type: 'int' })
  departmentId!: number;
}
