import type { DataSource } from 'typeorm';
import { Delivery } from './delivery.entity';
import { splitTarget } from './sender';
import { startOfDayIn } from '../../lib/zoned-day';

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
  /** Sends left now across the target's windows. */
  left: number;
  /**
   * Down to the last quarter of some window: from here on, whatever waits for the target goes out merged, so a burst
   * that arrives bit by bit does not spend the whole window on single messages.
   */
  scarce: boolean;
  /**
   * Not before this (epoch ms): the window is full, or, while scarce, the remaining sends are spread evenly over what
   * is left of the window, so that the messages arriving meanwhile go out together instead of waiting for the next
   * window. Null: send now.
   */
  waitUntil: number | null;
}

/**
 * The governor: how many more messages a target may get right now, counted from the deliveries table itself, so
 * every server instance sees the same count. Exact because a target's deliveries go out one at a time (the delivery
 * queue claims one head per target); `sent_at` is stamped after WeCom answered, later than WeCom's own clock saw the
 * request, so the count errs on the safe side. App messages also share the app's daily cap (AppDailyCap).
 */
export class Governor {
  constructor(
    private readonly ds: DataSource,
    private readonly limits: Record<string, Limit[]> = LIMITS,
    private readonly appDay: AppDailyCap | null = null,
  ) {}

  async budget(target: string, now: number): Promise<Budget> {
    const [kind] = splitTarget(target);
    const day = kind === 'user' && this.appDay ? await this.appDay.budget(now) : null;
    if (day && day.waitUntil !== null) return day;
    const own = await this.targetBudget(kind, target, now);
    return day ? { left: Math.min(own.left, day.left), scarce: own.scarce || day.scarce, waitUntil: own.waitUntil } : own;
  }

  /** One message went out to `target` (app messages count towards the app's day until it is read again). */
  counted(target: string): void {
    if (splitTarget(target)[0] === 'user') this.appDay?.counted();
  }

  private async targetBudget(kind: string, target: string, now: number): Promise<Budget> {
    let left = Number.MAX_SAFE_INTEGER;
    let scarce = false;
    let waitUntil = 0;
    for (const limit of this.limits[kind] ?? []) {
      const sent = (
        await this.ds
          .getRepository(Delivery)
          .createQueryBuilder('d')
          .select('d.sent_at', 'sentAt')
          .where('d.target = :target AND d.sent_at > :since', { target, since: now - limit.windowMs })
          .orderBy('d.sent_at', 'DESC')
          .limit(limit.max)
          .getRawMany<{ sentAt: string | number }>()
      ).map((r) => Number(r.sentAt));
      const windowLeft = limit.max - sent.length;
      left = Math.min(left, Math.max(0, windowLeft));
      if (!sent.length || windowLeft > Math.ceil(limit.max / 4)) continue;
      scarce = true;
      // The oldest of the last `max` sends leaves the window first; until then, pace what is left.
      const newest = sent[0]!;
      const frees = sent[sent.length - 1]! + limit.windowMs + 1;
      waitUntil = Math.max(waitUntil, windowLeft <= 0 ? frees : newest + Math.ceil((frees - newest) / (windowLeft + 1)));
    }
    return { left, scarce, waitUntil: waitUntil > now ? waitUntil : null };
  }
}

/**
 * WeCom's per-app daily cap on app messages: the corp's seat limit (账号上限数) × 200 person-sends a day
 * (https://developer.work.weixin.qq.com/document/path/90236). Counted from today's sent app deliveries (TZ_CORP day),
 * read again at most every `refreshMs` and counted on locally in between, with a safety margin for what other
 * instances sent meanwhile. Past the cap, app messages wait for the next day instead of being dropped by WeCom; in its
 * last quarter they go out merged, like a target's window.
 */
export class AppDailyCap {
  private cached: { dayStart: number; sent: number; readAt: number } | null = null;

  constructor(
    private readonly ds: DataSource,
    /** The corp's seats; null when unknown (no address book mirrored yet): then there is no cap to keep. */
    private readonly seats: () => Promise<number | null>,
    private readonly timeZone: string,
    private readonly opts: { perSeat?: number; refreshMs?: number; margin?: number } = {},
  ) {}

  async budget(now: number): Promise<Budget> {
    const dayStart = startOfDayIn(this.timeZone, now);
    const seats = await this.seats();
    if (seats === null) return { left: Number.MAX_SAFE_INTEGER, scarce: false, waitUntil: null };
    const cap = Math.floor(seats * (this.opts.perSeat ?? 200) * (1 - (this.opts.margin ?? 0.02)));
    const sent = await this.sentToday(dayStart, now);
    const left = Math.max(0, cap - sent);
    const nextDay = startOfDayIn(this.timeZone, dayStart + 36 * 3_600_000);
    return { left, scarce: left <= cap / 4, waitUntil: left === 0 ? nextDay + 1 : null };
  }

  /** The caller sent one more app message (counted until the next read). */
  counted(): void {
    if (this.cached) this.cached.sent++;
  }

  private async sentToday(dayStart: number, now: number): Promise<number> {
    const c = this.cached;
    if (c && c.dayStart === dayStart && now - c.readAt < (this.opts.refreshMs ?? 5_000)) return c.sent;
    const sent = await this.ds.getRepository(Delivery).createQueryBuilder('d').where("d.channel = 'app' AND d.sent_at >= :dayStart", { dayStart }).getCount();
    this.cached = { dayStart, sent, readAt: now };
    return sent;
  }
}
