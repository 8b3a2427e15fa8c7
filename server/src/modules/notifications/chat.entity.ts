import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';

/**
 * An app group chat (应用群聊, https://developer.work.weixin.qq.com/document/path/90245) that this app created: only
 * such chats can be sent to, and WeCom has no API to list or dissolve them, so ShopCrew keeps its own list. Rules with
 * channel `appchat` name one by `chatid`. Members are as they were at creation.
 */
@Entity('notification_chats')
@Index('uq_notification_chats_chatid', ['chatid'], { unique: true })
export class NotificationChat {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** WeCom's chatid, `[0-9a-zA-Z]{1,32}` (given when created, or WeCom's own). */
  @Column({ type: 'varchar', length: 32 })
  chatid!: string;

  /** The group's name, by the convention 店名-部门-用途 (WeCom keeps at most 50 characters). */
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  /** The owner's userid (群主), one of the members. */
  @Column({ type: 'varchar', length: 64 })
  owner!: string;

  /** The members' userids (2..2000), as created. */
  @Column({ type: 'text', transformer: jsonText })
  members!: string[];

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;
}
