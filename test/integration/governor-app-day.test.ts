/**
 * The app's daily cap (seat limit × 200 app messages a day, WeCom doc 90236) counted from the deliveries table on a
 * real database: app messages sent today (TZ_CORP day) use it up, robot messages and yesterday's do not, and past the
 * cap an app message waits for the next day's midnight instead of being sent for WeCom to drop.
 */
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/db/data-source';
import { startOfDayIn } from '../../server/src/lib/zoned-day';
import { Delivery, pendingDelivery } from '../../server/src/modules/notifications/delivery.entity';
import { AppDailyCap, Governor, LIMITS } from '../../server/src/modules/notifications/governor';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';

const TZ = 'Asia/Shanghai';
// 2026-12-01 15:00 in Shanghai.
const NOW = Date.UTC(2026, 11, 1, 7, 0, 0);
const MIDNIGHT = Date.UTC(2026, 10, 30, 16, 0, 0);

describe.each(testDatabases())('the app daily cap ($label)', ({ kind }) => {
  let url: string;
  let ds: DataSource;
  let n = 0;

  beforeAll(async () => {
    url = await freshDatabaseUrl(kind);
    ds = await openDatabase(url);
  });
  afterAll(async () => {
    await ds.destroy();
    await dropDatabaseUrl(url);
  });

  async function sent(channel: 'app' | 'robot', target: string, sentAt: number): Promise<void> {
    n++;
    const row = pendingDelivery(
      {
        idempotencyKey: `k${n}`,
        eventId: `e${n}`,
        eventType: 'member.joined',
        ruleId: null,
        channel,
        target,
        message: { format: 'text', title: 't', text: 't' },
      },
      sentAt,
    );
    await ds.getRepository(Delivery).insert({ ...row, status: 'sent', sentAt });
  }

  it('starts the day at midnight in the corp time zone', () => {
    expect(startOfDayIn(TZ, NOW)).toBe(MIDNIGHT);
    expect(startOfDayIn(TZ, MIDNIGHT)).toBe(MIDNIGHT);
    expect(startOfDayIn(TZ, MIDNIGHT - 1)).toBe(MIDNIGHT - 86_400_000);
    expect(startOfDayIn('UTC', NOW)).toBe(Date.UTC(2026, 11, 1));
  });

  it('holds app messages past seats × perSeat until the next day, counting only today’s app messages', async () => {
    // 2 seats × 3 a day = 6, no margin; read from the table every time.
    const cap = new AppDailyCap(ds, () => Promise.resolve(2), TZ, { perSeat: 3, refreshMs: 0, margin: 0 });
    const governor = new Governor(ds, LIMITS, cap);
    await sent('app', 'user:old', MIDNIGHT - 1000); // yesterday
    for (let i = 0; i < 4; i++) await sent('robot', 'robot:1', NOW - 60_000 * (i + 2)); // robots are not app messages
    for (let i = 0; i < 5; i++) await sent('app', `user:u${i}`, MIDNIGHT + 60_000 * (i + 1));

    const one = await governor.budget('user:fresh', NOW);
    expect(one).toEqual({ left: 1, scarce: true, waitUntil: null });
    await sent('app', 'user:u5', NOW - 1000);

    const none = await governor.budget('user:fresh', NOW);
    expect(none.left).toBe(0);
    expect(none.waitUntil).toBe(MIDNIGHT + 86_400_000 + 1);
    // Robots have their own limits only.
    expect((await governor.budget('robot:2', NOW)).waitUntil).toBeNull();
    // Tomorrow the day starts afresh.
    expect((await governor.budget('user:fresh', MIDNIGHT + 86_400_000 + 5)).left).toBe(6);
  });

  it('keeps no cap while the seats are unknown (no address book mirrored yet)', async () => {
    const cap = new AppDailyCap(ds, () => Promise.resolve(null), TZ, { perSeat: 1, margin: 0 });
    expect(await cap.budget(NOW)).toEqual({ left: Number.MAX_SAFE_INTEGER, scarce: false, waitUntil: null });
  });

  it('counts its own sends between reads', async () => {
    const cap = new AppDailyCap(ds, () => Promise.resolve(1), TZ, { perSeat: 100, refreshMs: 60_000, margin: 0 });
    const before = (await cap.budget(NOW)).left;
    cap.counted();
    cap.counted();
    expect((await cap.budget(NOW + 1)).left).toBe(before - 2);
  });
});
