import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';

/**
 * The transactional outbox: a domain event is one row, written in the same transaction as the change
 * that caused it, so it exists exactly when the change committed. `fanned_out_at` marks that a
 * dispatcher created its deliveries.
 */
@Entity('outbox_events')
@Index('uq_outbox_events_event_id', ['eventId'], { unique: true })
@Index('idx_outbox_events_fan_out', ['fannedOutAt', 'id'])
/** An automation rule's dry run replays one type's recent events. */
@Index('idx_outbox_events_type', ['type', 'occurredAt'])
export class OutboxEvent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ type: 'text', transformer: jsonText })
  payload!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 64 })
  actor!: string;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ name: 'occurred_at', type: 'bigint', transformer: epochMs })
  occurredAt!: number;

  @Column({ name: 'fanned_out_at', type: 'bigint', nullable: true, transformer: epochMs })
  fannedOutAt!: number | null;
}

export type DeliveryStatus = 'pending' | 'running' | 'done' | 'dead';

/**
 * One event for one subscriber. The unique (event, subscriber) pair is what makes a subscriber take
 * effect once per event: fan-out by several instances creates it once, and the handler's writes commit
 * together with `done` under the claim token.
 */
@Entity('event_deliveries')
@Index('uq_event_deliveries_event_subscriber', ['eventId', 'subscriber'], { unique: true })
@Index('idx_event_deliveries_due', ['status', 'nextAttemptAt'])
export class EventDelivery {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 128 })
  subscriber!: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'bigint', transformer: epochMs })
  nextAttemptAt!: number;

  @Column({ name: 'claim_token', type: 'varchar', length: 64, nullable: true })
  claimToken!: string | null;

  @Column({ name: 'lease_until', type: 'bigint', default: 0, transformer: epochMs })
  leaseUntil!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'done_at', type: 'bigint', nullable: true, transformer: epochMs })
  doneAt!: number | null;
}

export const EVENT_ENTITIES = [OutboxEvent, EventDelivery];
