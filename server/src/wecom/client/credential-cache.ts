import { createHash } from 'node:crypto';
import type { LeaseStore } from '../../db/leases';
import { sleep } from '../../lib/sleep';

/** Refresh when less than this much validity is left (tokens last 7200 s: https://developer.work.weixin.qq.com/document/path/91039). */
export const REFRESH_AHEAD_MS = 5 * 60_000;
/** How long to wait for another process's refresh before giving up (its lease is heartbeat-renewed while it runs). */
const WAIT_MS = 30_000;
const POLL_MS = 50;

export interface Fetched {
  value: string;
  expiresInSec: number;
}

/**
 * A WeCom credential (access_token per secret, jsapi_ticket, agent_config ticket) cached in the
 * database and shared by every server process. Single-flight twice over: one pending promise per
 * key inside a process, and a database lease across processes, re-reading the cache after the lease
 * is won so a stale value never overwrites a fresh one (the refresh race of
 * https://github.com/binarywang/WxJava/issues/324 and https://github.com/binarywang/WxJava/issues/2803).
 */
export class CredentialCache {
  private readonly inflight = new Map<string, Promise<string>>();
  /** This process's copy, so a hot path (a burst of callbacks to apply) does not read the row per call. */
  private readonly memory = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    private readonly leases: LeaseStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stable, non-secret cache key: the secret itself never lands in the database. */
  static keyFor(kind: string, corpId: string, secret: string): string {
    return `${kind}:${corpId}:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
  }

  async get(key: string, fetch: () => Promise<Fetched>): Promise<string> {
    const local = this.memory.get(key);
    if (local && this.fresh(local)) return local.value;
    const cached = await this.leases.readValue(key);
    if (cached && this.fresh(cached)) return this.remember(key, cached);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.refresh(key, fetch).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /**
   * Forget `used` if it is still the cached value (compare-and-delete, after WeCom rejected it as invalid or
   * expired: 40014 / 42001, https://developer.work.weixin.qq.com/document/path/90313). Another
   * process may already have stored a newer one: that one stays, and the next get() reads it.
   */
  async invalidate(key: string, used: string): Promise<void> {
    if (this.memory.get(key)?.value === used) this.memory.delete(key);
    await this.leases.invalidateValue(key, used);
  }

  private fresh(v: { expiresAt: number }): boolean {
    return v.expiresAt - this.now() > REFRESH_AHEAD_MS;
  }

  private remember(key: string, v: { value: string; expiresAt: number }): string {
    this.memory.set(key, { value: v.value, expiresAt: v.expiresAt });
    return v.value;
  }

  private async refresh(key: string, fetch: () => Promise<Fetched>): Promise<string> {
    const lease = `lock:${key}`;
    const deadline = this.now() + WAIT_MS;
    for (;;) {
      // A short heartbeat-renewed lease: a process that dies mid-refresh blocks the others for seconds only.
      const held = await this.leases.hold(lease);
      if (held) {
        try {
          const current = await this.leases.readValue(key);
          if (current && this.fresh(current)) return this.remember(key, current);
          const got = await fetch();
          const expiresAt = this.now() + got.expiresInSec * 1000;
          await this.leases.writeValue(key, got.value, expiresAt);
          return this.remember(key, { value: got.value, expiresAt });
        } finally {
          await held.release();
        }
      }
      // Another process is refreshing: wait for its result instead of calling gettoken too.
      await sleep(POLL_MS);
      const cached = await this.leases.readValue(key);
      if (cached && this.fresh(cached)) return this.remember(key, cached);
      if (this.now() > deadline) throw new Error(`timed out waiting for ${key.split(':')[0]} refresh`);
    }
  }
}
