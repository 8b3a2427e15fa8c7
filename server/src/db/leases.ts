import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { LeaseRow } from './lease.entity';

export interface CachedValue {
  value: string;
  expiresAt: number;
}

/** A held lease lasts this long past its last renewal: a dead holder's work is free again within it. */
export const LEASE_TTL_MS = 3_000;
/** How often a holder renews: a third of the TTL, so a renewal can be late or fail once without the lease lapsing. */
export const LEASE_HEARTBEAT_MS = 1_000;

/** The database's clock in epoch ms, as an SQL expression. */
export function dbNowSql(ds: DataSource): string {
  return ds.options.type === 'mysql'
    ? "(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)"
    : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
}

/** What a HeldLease renews and releases: a row in `leases` (LeaseStore), or a worker's claims on inbox rows. */
export interface LeaseBackend {
  /** Extend `owner`'s hold by `ttlMs` from now; false when it is no longer theirs. */
  renew(name: string, owner: string, ttlMs: number): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

export interface HoldOptions {
  ttlMs?: number;
  heartbeatMs?: number;
}

/** Thrown by HeldLease.check() once this process can no longer be sure it holds the lease. */
export class LeaseLostError extends Error {
  constructor(readonly lease: string) {
    super(`lease ${lease} is no longer held by this process`);
  }
}

/**
 * Named leases and cached values in the `leases` table, shared by every server process on one
 * database. Acquiring is a single conditional UPDATE (`… WHERE lease_until < now OR owner = me`),
 * so exactly one process wins on MySQL and on SQLite alike; the winner re-reads before acting.
 *
 * Lease times are the database's clock, not the caller's: on MySQL the servers sharing a database may
 * be different machines, and a few seconds of TTL leave no room for their clocks to disagree. (SQLite is
 * one file on one machine: the same clock either way.)
 *
 * Singleton work (the inbox worker, the contact sync, a credential refresh) uses hold(): a short lease
 * renewed by a heartbeat, so a live holder keeps it for as long as it works and a dead one's (kill -9,
 * power loss, a network partition) lapses within LEASE_TTL_MS. Locks tied to a database session
 * (MySQL GET_LOCK) would free a crashed process's lock sooner, but not one whose host vanished (the
 * server keeps that session until wait_timeout), do not exist on SQLite, and are not supported on
 * Galera clusters; one mechanism on both drivers is also one to test.
 */
export class LeaseStore implements LeaseBackend {
  readonly instanceId: string = randomUUID();
  private holds = 0;

  constructor(private readonly ds: DataSource) {}

  private repo() {
    return this.ds.getRepository(LeaseRow);
  }

  private nowSql(): string {
    return dbNowSql(this.ds);
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

  /**
   * Try to take the lease for `ttlMs`, once (no heartbeat: the caller renews by calling again, or it
   * lapses). True when `owner` now holds it. Singleton work uses hold() instead.
   */
  async tryAcquire(name: string, ttlMs: number, owner = this.instanceId): Promise<boolean> {
    await this.ensureRow(name);
    const now = this.nowSql();
    const result = await this.repo()
      .createQueryBuilder()
      .update(LeaseRow)
      .set({ owner, leaseUntil: () => `${now} + ${Math.trunc(ttlMs)}` })
      .where('name = :name', { name })
      .andWhere(`(lease_until < ${now} OR owner = :owner)`, { owner })
      .execute();
    return result.affected === 1;
  }

  /**
   * Take the lease unless another holder's is still running, and keep it renewed every `heartbeatMs`
   * for `ttlMs` until release(). Null when it is taken. Each hold has its own owner token, so two holds
   * of one name inside one process exclude each other too.
   */
  async hold(name: string, opts: HoldOptions = {}): Promise<HeldLease | null> {
    const ttlMs = opts.ttlMs ?? LEASE_TTL_MS;
    const heartbeatMs = opts.heartbeatMs ?? LEASE_HEARTBEAT_MS;
    if (heartbeatMs * 2 >= ttlMs) throw new Error(`lease ${name}: the heartbeat (${heartbeatMs} ms) must be well inside the TTL (${ttlMs} ms)`);
    const owner = `${this.instanceId}/${++this.holds}`;
    const sentAt = performance.now();
    if (!(await this.tryAcquire(name, ttlMs, owner))) return null;
    return new HeldLease(this, name, owner, ttlMs, heartbeatMs, sentAt);
  }

  /** Extend `owner`'s lease by `ttlMs` from now. False when it is not (or no longer) theirs. */
  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const result = await this.repo()
      .createQueryBuilder()
      .update(LeaseRow)
      .set({ leaseUntil: () => `${this.nowSql()} + ${Math.trunc(ttlMs)}` })
      .where('name = :name AND owner = :owner', { name, owner })
      .execute();
    return result.affected === 1;
  }

  /** Whether some process holds the lease right now (taken and not yet expired). */
  async isHeld(name: string): Promise<boolean> {
    return (await this.remainingMs(name)) > 0;
  }

  /** How long the current holder's lease still runs (ms, by the database's clock); 0 when it is free. */
  async remainingMs(name: string): Promise<number> {
    const rows: Array<{ remaining: number | string | null }> = await this.ds.query(
      `SELECT lease_until - ${this.nowSql()} AS remaining FROM leases WHERE name = ? AND owner IS NOT NULL`,
      [name],
    );
    return Math.max(0, Number(rows[0]?.remaining ?? 0));
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

/**
 * A lease this process holds, renewed by a heartbeat until release().
 *
 * Fencing: `held` is this process's own, conservative view, and once false it stays false. It turns
 * false as soon as a renewal finds the lease gone (taken over or released), and also when no renewal
 * has succeeded for most of the TTL (the database unreachable, the event loop stalled): that deadline
 * is counted on the monotonic clock from when the last successful renewal was *sent*, which is before
 * the database stamped its new expiry, minus a margin, so this process stops trusting the lease before
 * any other can take it. Callers check it before each unit of work (check() throws LeaseLostError),
 * and a caller that finds it lost releases it and, if it still has work, holds the lease anew.
 */
export class HeldLease {
  private validUntil: number;
  private lost = false;
  private released = false;
  private timer: NodeJS.Timeout | null = null;
  private beat: Promise<void> | null = null;
  private readonly marginMs: number;

  constructor(
    private readonly store: LeaseBackend,
    readonly name: string,
    readonly owner: string,
    private readonly ttlMs: number,
    private readonly heartbeatMs: number,
    acquireSentAt: number,
  ) {
    this.marginMs = Math.min(500, ttlMs / 5);
    this.validUntil = acquireSentAt + ttlMs - this.marginMs;
    this.schedule();
  }

  /** True while this process may act as the holder. */
  get held(): boolean {
    if (!this.lost && performance.now() >= this.validUntil) this.lost = true;
    return !this.lost && !this.released;
  }

  /** Throw LeaseLostError unless the lease is still held: call before each unit of work. */
  check(): void {
    if (!this.held) throw new LeaseLostError(this.name);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.beat = this.renew().finally(() => (this.beat = null));
    }, this.heartbeatMs);
    // A process that is otherwise done must not be kept alive by its heartbeat (the lease then lapses).
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    const sentAt = performance.now();
    // Lapsed (renewals failing, or this process stalled): another may hold it by now. Lost for good.
    if (sentAt >= this.validUntil) this.lost = true;
    else {
      try {
        if (await this.store.renew(this.name, this.owner, this.ttlMs)) this.validUntil = Math.max(this.validUntil, sentAt + this.ttlMs - this.marginMs);
        else this.lost = true;
      } catch {
        // Database unreachable: try again next beat; if that keeps failing, the lease lapses.
      }
    }
    if (!this.lost && !this.released) this.schedule();
  }

  /** Stop renewing and free the lease at once, so another process can take it without waiting. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.beat;
    // Conditional on the owner token: never frees a lease another process has taken since.
    await this.store.release(this.name, this.owner);
  }
}
