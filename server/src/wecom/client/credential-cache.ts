import { createHash } from 'node:crypto';
import type { LeaseStore } from '../../db/leases';
import { sleep } from '../../lib/sleep';

/** Refresh when less than this much validity is left (doc 91039 tokens last 7200 s). */
export const REFRESH_AHEAD_MS = 5 * 60_000;
const LEASE_MS = 15_000;
const POLL_MS = 50;

export interface Fetched {
  value: string;
  expiresInSec: number;
}

/**
 * A WeCom credential (access_token per secret, jsapi_ticket, agent_config ticket) cached in the
 * database and shared by every server process. Single-flight twice over: one pending promise per
 * key inside a process, and a database lease across processes, re-reading the cache after the lease
 * is won so a stale value never overwrites a fresh one (doc section 12.2; WxJava #324, #2803).
 */
export class CredentialCache {
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly leases: LeaseStore, private readonly now: () => number = Date.now) {}

  /** Stable, non-secret cache key: the secret itself never lands in the database. */
  static keyFor(kind: string, corpId: string, secret: string): string {
    return `${kind}:${corpId}:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
  }

  async get(key: string, fetch: () => Promise<Fetched>): Promise<string> {
    const cached = await this.leases.readValue(key);
    if (cached && cached.expiresAt - this.now() > REFRESH_AHEAD_MS) return cached.value;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.refresh(key, fetch).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** Forget `used` if it is still the cached value (compare-and-delete, section 12.2 rule 4). */
  async invalidate(key: string, used: string): Promise<void> {
    await this.leases.invalidateValue(key, used);
  }

  private async refresh(key: string, fetch: () => Promise<Fetched>): Promise<string> {
    const lease = `lock:${key}`;
    const deadline = this.now() + 2 * LEASE_MS;
    for (;;) {
      if (await this.leases.tryAcquire(lease, LEASE_MS)) {
        try {
          const fresh = await this.leases.readValue(key);
          if (fresh && fresh.expiresAt - this.now() > REFRESH_AHEAD_MS) return fresh.value;
          const got = await fetch();
          await this.leases.writeValue(key, got.value, this.now() + got.expiresInSec * 1000);
          return got.value;
        } finally {
          await this.leases.release(lease);
        }
      }
      // Another process is refreshing: wait for its result instead of calling gettoken too.
      await sleep(POLL_MS);
      const cached = await this.leases.readValue(key);
      if (cached && cached.expiresAt - this.now() > REFRESH_AHEAD_MS) return cached.value;
      if (this.now() > deadline) throw new Error(`timed out waiting for ${key.split(':')[0]} refresh`);
    }
  }
}
