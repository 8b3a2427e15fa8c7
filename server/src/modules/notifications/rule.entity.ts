import type { EventPerson, NotificationChannel, NotificationFormat, NotificationRecipients } from '@shopcrew/shared';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';

/** Where a rule's messages go: an app message, a group robot, or an app group chat (the API's types: shared/src/api/notifications.ts). */
export const CHANNELS = ['app', 'robot', 'appchat'] as const satisfies readonly NotificationChannel[];
export type Channel = NotificationChannel;

/** How a message is rendered: WeCom's msgtypes (`card` is a button_interaction template_card; app messages only). */
export const FORMATS = ['text', 'markdown', 'textcard', 'card'] as const satisfies readonly NotificationFormat[];
export type MessageFormat = NotificationFormat;

/** People the event itself names, resolved when it happens. */
export const EVENT_PEOPLE = ['assignee', 'lead_of_assignee', 'actor'] as const satisfies readonly EventPerson[];

/** Who gets an app message: members through roles, departments, tags, userids, and the event's own people. */
export type Recipients = NotificationRecipients;

/**
 * A routing rule: when an event of `eventType` happens (in `shopId`, or any shop when null) and `condition` holds,
 * render `template` and send it on `channel` to its recipients (app), robot or chat.
 */
@Entity('notification_rules')
@Index('idx_notification_rules_event', ['eventType'])
export class NotificationRule {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType!: string;

  @Column({ name: 'shop_id', type: 'varchar', length: 64, nullable: true })
  shopId!: string | null;

  /** A condition on the event's fields (conditions.ts), e.g. `amount >= 500`; null: always. */
  @Column({ type: 'text', nullable: true })
  condition!: string | null;

  @Column({ type: 'varchar', length: 16 })
  channel!: Channel;

  @Column({ type: 'varchar', length: 16, default: 'text' })
  format!: MessageFormat;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  recipients!: Recipients | null;

  @Column({ name: 'robot_id', type: 'integer', nullable: true })
  robotId!: number | null;

  @Column({ name: 'chat_id', type: 'varchar', length: 32, nullable: true })
  chatId!: string | null;

  @Column({ type: 'text' })
  template!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}
