import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from '../../db/columns';

/**
 * A group robot (消息推送, https://developer.work.weixin.qq.com/document/path/99110), registered by pasting its webhook
 * URL. Only the key matters and it is the robot's only credential: stored sealed (SecretBox), shown masked.
 */
@Entity('notification_robots')
export class Robot {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** The group's name, by the convention 店名-部门-用途. */
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'key_sealed', type: 'text' })
  keySealed!: string;

  /** The key's first and last four characters, for telling robots apart. */
  @Column({ name: 'key_hint', type: 'varchar', length: 16 })
  keyHint!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;
}
