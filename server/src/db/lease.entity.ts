import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from './columns';

/**
 * Cross-process coordination rows: a cached WeCom credential (token or ticket) and/or a short lease
 * that one process holds while refreshing it or while running a singleton job (inbox worker,
 * contact sync). Works the same on MySQL and SQLite: acquisition is a conditional UPDATE.
 */
@Entity('leases')
export class LeaseRow {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  value!: string | null;

  @Column({ name: 'value_expires_at', type: 'bigint', default: 0, transformer: epochMs })
  valueExpiresAt!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  owner!: string | null;

  @Column({ name: 'lease_until', type: 'bigint', default: 0, transformer: epochMs })
  leaseUntil!: number;
}
