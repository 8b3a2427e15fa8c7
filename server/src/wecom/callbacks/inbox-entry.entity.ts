import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from '../../db/columns';
import type { InboxSource } from './event-handlers';

export type InboxStatus = 'pending' | 'applied' | 'ignored' | 'dead';

/**
 * Durable inbox, one for every source. A verified callback is written here (unique on dedupeKey, so WeCom's
 * retries land once) before the empty 200 goes back; a worker applies the rows of each stream in id order,
 * streams independently of each other (inbox-worker.ts).
 */
@Entity('callback_inbox')
@Index('uq_inbox_dedupe', ['dedupeKey'], { unique: true })
@Index('idx_inbox_status', ['status', 'id'])
@Index('idx_inbox_stream_due', ['status', 'streamKey', 'id'])
export class InboxEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 16, default: 'wecom' })
  source!: InboxSource;

  /** The handler key (WeCom: `Event:ChangeType`, `Event` or `msg:<MsgType>`). */
  @Column({ type: 'varchar', length: 160, default: '' })
  type!: string;

  /** Rows of one stream are applied in id order; see inbox-keys.ts. */
  @Column({ name: 'stream_key', type: 'varchar', length: 128, default: 'legacy' })
  streamKey!: string;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 191 })
  dedupeKey!: string;

  @Column({ name: 'msg_type', type: 'varchar', length: 32, default: '' })
  msgType!: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  event!: string;

  @Column({ name: 'change_type', type: 'varchar', length: 64, nullable: true })
  changeType!: string | null;

  /** The decrypted XML (WeCom) or JSON (other sources). Never logged at info level. */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: InboxStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'bigint', transformer: epochMs })
  nextAttemptAt!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'received_at', type: 'bigint', transformer: epochMs })
  receivedAt!: number;

  /** Write batch that stored the row (instance id + batch number); see InboxWriter. */
  @Column({ name: 'received_by', type: 'varchar', length: 64, nullable: true })
  receivedBy!: string | null;

  @Column({ name: 'applied_at', type: 'bigint', nullable: true, transformer: epochMs })
  appliedAt!: number | null;

  /** The claim token of the worker applying this row right now (platform/stream-claims.ts); null when unclaimed. */
  @Column({ name: 'claimed_by', type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;

  /** When that claim lapses unless renewed (the database clock, epoch ms). */
  @Column({ name: 'claim_until', type: 'bigint', default: 0, transformer: epochMs })
  claimUntil!: number;
}
