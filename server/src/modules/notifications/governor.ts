import type { DataSource } from 'typeorm';
import { Delivery } from './delivery.entity';
import { splitTarget } from './sender';

/** A sliding-window limit: at most `max` sends in any `windowMs`. */
export interface Limit {
  windowMs: number;
  max: number;
  name: string;
}

/**
 * WeCom's limits per target (docs 90236, 99110, 90248): a robot 20 a minute; an app message to one member 30 a minute
 * and 1,000 an hour, beyond which WeCom drops messages silently. App group chats allow a member 200 a minute; a chat
 * is counted as a whole here (every message reaches every member), which is stricter.
 */
export const LIMITS: Record<string, Limit[]> = {
  robot: [{ windowMs: 60_000, max: 20, name: 'robot_minute' }],
  user: [
    { windowMs: 60_000, max: 30, name: 'app_member_minute' },
    { windowMs: 3_600_000, max: 1000, name: 'app_member_hour' },
  ],
  chat: [{ windowMs: 60_000, max: 200, name: 'appchat_member_minute' }],
};

export interface Budget {
  /** Sends left now across the target's windows (0: wait). */
  left: number;
  /** When a send frees up, if `left` is 0 (epoch ms). */
  freeAt: number | null;
}

/**
 * The governor: how many more messages a target may get right now, counted from the deliveries table itself, so
 * every server instance sees the same count. Exact because a target's deliveries go out one at a time (the delivery
 * queue claims one head per target); `sent_at` is stamped after WeCom answered, later than WeCom's own clock saw the
 * request, so the count errs on the safe side.
 */
export class Governor {
  constructor(
    private readonly ds: DataSource,
    private readonly limits: Record<string, Limit[]> = LIMITS,
  ) {}

  async budget(target: string, now: number): Promise<Budget> {
    const [kind] = splitTarget(target);
    let left = Infinity;
    let freeAt: number | null = null;
    for (const limit of this.limits[kind] ?? []) {
      const since = now - limit.windowMs;
      const sent = await this.ds
        .getRepository(Delivery)
        .createQueryBuilder('d')
        .select('d.sent_at', 'sentAt')
        .where('d.target = :target AND d.sent_at > :since', { target, since })
        .orderBy('d.sent_at', 'DESC')
        .limit(limit.max)
        .getRawMany<{ sentAt: string | number }>();
      const windowLeft = limit.max - sent.length;
      if (windowLeft <= 0) {
        // The oldest of the last `max` sends leaves the window first.
        const oldest = Number(sent[sent.length - 1]!.sentAt);
        freeAt = Math.max(freeAt ?? 0, oldest + limit.windowMs + 1);
      }
      left = Math.min(left, windowLeft);
    }
    return { left: Math.max(0, left === Infinity ? Number.MAX_SAFE_INTEGER : left), freeAt: left <= 0 ? freeAt : null };
  }
}
