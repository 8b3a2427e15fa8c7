/**
 * Daily digests on the scheduler: three server instances on one database, time moved past DIGEST_DAILY_AT in the
 * corp's time zone, every instance ticking at once: the digest is published once (one digest.daily event per
 * first-level department), and a rule routes it to a robot group. Time is a ManualClock; nothing sleeps.
 */
import { loadConfig } from '../../server/src/config/config';
import { createLogger } from '../../server/src/lib/logger';
import { Delivery } from '../../server/src/modules/notifications/delivery.entity';
import { NotificationRule } from '../../server/src/modules/notifications/rule.entity';
import { Robot } from '../../server/src/modules/notifications/robot.entity';
import { OutboxEvent } from '../../server/src/platform/events';
import { ManualClock } from '../../server/src/platform/scheduler';
import { startServerOnPort, type RunningServer } from '../../server/src/server';
import { DEMO_CREDENTIALS, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { SecretBox } from '../../server/src/lib/secret-box';
import { demoEnv } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { waitFor } from '../support/wait';

describe.each(testDatabases())('digests ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl(kind);
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await sim.close();
    await dropDatabaseUrl(url);
  });

  it('publishes the daily digest once across three instances, per department, and routes it', async () => {
    // 2026-12-01 18:00 in Asia/Shanghai; the digest is due at 18:07.
    const clock = new ManualClock('2026-12-01T10:00:00Z');
    const env = demoEnv({ databaseUrl: url, simUrl: sim.url, port: 0 }, { DIGEST_DAILY_AT: '18:07' });
    for (let i = 0; i < 3; i++)
      servers.push(
        await startServerOnPort(0, (port) => loadConfig({ ...env, PORT: String(port) }), {
          background: false,
          clock,
          logger: createLogger('silent'),
          wecomRetryBaseMs: 5,
        }),
      );
    const [a] = servers as [RunningServer, ...RunningServer[]];
    await a.container.contactSync.run('test');

    // A robot and a rule for the digest, written as the API would (the key sealed with the same SECRETS_KEY).
    const robotKey = sim.createRobot('星河电商-管理-日报').key;
    const ds = a.container.ds;
    const robot = await ds.getRepository(Robot).save({
      name: '星河电商-管理-日报',
      keySealed: new SecretBox(env.SECRETS_KEY!).seal(robotKey, 'notification_robots.key'),
      keyHint: 'x',
      createdBy: 't',
      createdAt: Date.now(),
    });
    await ds.getRepository(NotificationRule).save({
      name: '日报',
      eventType: 'digest.daily',
      shopId: null,
      condition: null,
      channel: 'robot',
      format: 'markdown',
      recipients: null,
      robotId: robot.id,
      chatId: null,
      template: '{event_label} | {department} | {period}\n{summary}',
      enabled: true,
      createdBy: 't',
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });

    await Promise.all(servers.map((s) => s.container.scheduler.tick()));
    expect(await ds.getRepository(OutboxEvent).countBy({ type: 'digest.daily' })).toBe(0);
    clock.set('2026-12-01T10:08:00Z');
    await Promise.all(servers.map((s) => s.container.scheduler.tick()));
    await Promise.all(servers.map((s) => s.container.scheduler.tick()));

    const digests = await ds.getRepository(OutboxEvent).findBy({ type: 'digest.daily' });
    const departments = (await a.container.org.activeDepartments()).filter((d) => d.parentId === 1);
    expect(digests.map((e) => (e.payload as { department: string }).department).sort()).toEqual(departments.map((d) => d.name).sort());
    expect(new Set(digests.map((e) => (e.payload as { period: string }).period))).toEqual(new Set(['2026-12-01']));
    // The lines, from the orders and after-sales modules.
    for (const e of digests)
      for (const line of ['新订单', '待认领', '已发货', '处理中售后', '即将超时', '已超时']) expect((e.payload as { summary: string }).summary).toContain(line);

    // Routed like any event: one robot message per department.
    for (let round = 0; round < 3; round++) await a.container.dispatcher.tick();
    await waitFor(async () => {
      await a.container.notificationDeliveries.drain();
      return (await ds.getRepository(Delivery).countBy({ eventType: 'digest.daily', status: 'sent' })) === departments.length;
    }, 'every digest sent');
    const texts = sim.robotMessages(robotKey).map((m) => JSON.stringify(m.content));
    expect(texts).toHaveLength(departments.length);
    for (const d of departments) expect(texts.some((t) => t.includes(d.name) && t.includes('每日汇总') && t.includes('2026-12-01'))).toBe(true);
  });
});
