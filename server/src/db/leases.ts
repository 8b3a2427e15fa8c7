import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { LeaseRow } from './lease.entity';

export interface CachedValue {
  value: string;
  expiresAt: number;
}

/**
 * Named leases and cached values in the `leases` table, shared by every server process on one
 * database. Acquiring is a single conditional UPDATE (`… WHERE lease_until < now OR owner = me`),
 * so exactly one process wins on MySQL and on SQLite alike; the winner re-reads before acting.
 */
export class LeaseStore {
  readonly instanceId = randomUUID();

  constructor(
    private readonly ds: DataSource,
    private readonly now: () => number = Date.now,
  ) {}

  private repo() {
    return this.ds.getRepository(LeaseRow);
  }

  private readonly known = new Set<string>();

  /** Insert the row once; later calls skip the INSERT, whose shared lock could deadlock with UPDATEs. */
  private async ensureRow(name: string): Promise<void> {
    if (this.known.has(name)) return;
    if (!(await this.repo().existsBy({ name })))
      await this.repo()
        .createQueryBuilder()
        .insert()
        .into(LeaseRow)
        .values({ name, value: null, valueExpiresAt: 0, owner: null, leaseUntil: 0 })
        .orIgnore()
        .updateEntity(false)
        .execute();
    this.known.add(name);
  }

  /** Try to take the lease for `ttlMs`. True when this process now holds it. */
  async tryAcquire(name: string, ttlMs: number, owner = this.instanceId): Promise<boolean> {
    await this.ensureRow(name);
    const now = this.now();
    const result = await this.repo()
      .createQueryBuilder()
      .update(LeaseRow)
      .set({ owner, leaseUntil: now + ttlMs })
      .where('name = :name', { name })
      .andWhere('(lease_until < :now OR owner = :owner)', { now, owner })
      .execute();
    return result.affected === 1;
  }

  /** Whether some process holds the lease right now (taken and not yet expired). */
  async isHeld(name: string): Promise<boolean> {
    const row = await this.repo().findOneBy({ name });
    return !!row && row.owner !== null && row.leaseUntil > this.now();
  }

  async release(name: string, owner = this.instanceId): Promise<void> {
    await this.repo()
      .createQueryBuilder()
      .update(LeaseRow)
      .set({ owner: null, leaseUntil: 0 })
      .where('name = :name AND owner = :owner', { name, owner })
      .execute();
  }

  async readValue(name: string): Promise<CachedValue | null> {
    const row = await this.repo().findOneBy({ name });
    return row?.value ? { value: row.value, expiresAt: row.valueExpiresAt } : null;
  }

  async writeValue(name: string, value: string, expiresAt: number): Promise<void> {
    await this.ensureRow(name);
    await this.repo().update({ name }, { value, valueExpiresAt: expiresAt });
  }

  /** Compare-and-delete: forget the cached value only if it is still the one the caller used. */
  async invalidateValue(name: string, expected: string): Promise<boolean> {
    const result = await this.repo()
      .createQueryBuilder()
      .update(LeaseRow)
      .set({ value: null, valueExpiresAt: 0 })
      .where('name = :name AND value = :expected', { name, expected })
      .execute();
    return result.affected === 1;
  }
}
