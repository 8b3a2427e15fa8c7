import type { DeliveryStatus } from '@shopcrew/shared';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';
import type { OutgoingMessage } from './message';
import type { Channel } from './rule.entity';

export const DELIVERY_STATUSES = ['pending', 'sent', 'merged', 'dead'] as const satisfies readonly DeliveryStatus[];

/**
 * One message to one target on one channel: a member (app message), a robot, or a chat. Written from the event in
 * one transaction, sent by the delivery worker (at most one in flight per target, so the governor's count per
 * target is exact), retried with backoff, `dead` with its reason when WeCom refuses it for good, `merged` when a
 * burst for its target was sent as one summary (`mergedInto`).
 */
@Entity('notification_deliveries')
@Index('uq_notification_deliveries_key', ['idempotencyKey'], { unique: true })
@Index('idx_notification_deliveries_due', ['status', 'target', 'id'])
@Index('idx_notification_deliveries_status', ['status', 'id'])
@Index('idx_notification_deliveries_sent', ['target', 'sentAt'])
@Index('idx_notification_deliveries_channel_sent', ['channel', 'sentAt'])
export class Delivery {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** `<event id>:<rule id>:<target>`, or `test:<uuid>:<target>` for a test send: an event makes each delivery once. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 191 })
  idempotencyKey!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType!: string;

  @Column({ name: 'rule_id', type: 'integer', nullable: true })
  ruleId!: number | null;

  @Column({ type: 'varchar', length: 16 })
  channel!: Channel;

  /** `user:<userid>`, `robot:<id>` or `chat:<chatid>`: deliveries to one target go out one at a time, in order. */
  @Column({ type: 'varchar', length: 128 })
  target!: string;

  /** What to send, channel-neutral (message.ts); rendered into WeCom's JSON when sent. */
  @Column({ type: 'text', transformer: jsonText })
  message!: OutgoingMessage;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'bigint', transformer: epochMs })
  nextAttemptAt!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'claimed_by', type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;

  @Column({ name: 'claim_until', type: 'bigint', default: 0, transformer: epochMs })
  claimUntil!: number;

  /** WeCom's msgid (app messages), for recall and support. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  msgid!: string | null;

  @Column({ name: 'merged_into', type: 'integer', nullable: true })
  mergedInto!: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'sent_at', type: 'bigint', nullable: true, transformer: epochMs })
  sentAt!: number | null;
}

/** What a new delivery needs; the rest (pending, due now, unclaimed) is the same for every new one. */
export type NewDelivery = Pick<Delivery, 'idempotencyKey' | 'eventId' | 'eventType' | 'ruleId' | 'channel' | 'target' | 'message'>;

/** A pending delivery, due `now`, for an INSERT. */
export function pendingDelivery(d: NewDelivery, now: number): Omit<Delivery, 'id'> {
  return {
    ...d,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    claimedBy: null,
    claimUntil: 0,
    msgid: null,
    mergedInto: null,
    createdAt: now,
    sentAt: null,
  };
}
