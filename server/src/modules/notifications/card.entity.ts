import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../db/columns';

export type CardState = 'open' | 'done';

/**
 * One approval-style card as one member received it. The cards one event sent through one rule form a group: a click
 * on any of them acts for the group, and every card of the group then shows the result. `responseCode` is the
 * newest one-shot code for update_template_card (from message/send, then from each click;
 * https://developer.work.weixin.qq.com/document/path/94888), cleared once used.
 */
@Entity('notification_cards')
@Index('idx_notification_cards_group', ['groupKey'])
@Index('idx_notification_cards_subject', ['subject', 'state'])
export class NotificationCard {
  /** WeCom's task_id: unique per app, ≤ 128 bytes of [A-Za-z0-9_-@]. */
  @PrimaryColumn({ name: 'task_id', type: 'varchar', length: 128 })
  taskId!: string;

  @Column({ name: 'group_key', type: 'varchar', length: 191 })
  groupKey!: string;

  @Column({ type: 'varchar', length: 64 })
  userid!: string;

  /** What the buttons act on (the event's card target, e.g. an order number): another way of settling it closes the card. */
  @Column({ type: 'varchar', length: 191, nullable: true })
  subject!: string | null;

  @Column({ name: 'response_code', type: 'varchar', length: 255, nullable: true })
  responseCode!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  state!: CardState;

  /** What replaced the buttons (`已由 李娜 处理`), on every card of the group. */
  @Column({ name: 'result_text', type: 'varchar', length: 64, nullable: true })
  resultText!: string | null;

  /** Whether this member's card already shows the result. */
  @Column({ type: 'boolean', default: false })
  updated!: boolean;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;
}
