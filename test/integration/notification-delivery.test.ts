/**
 * Notification deliveries with two server instances on one database while WeCom fails for a while (503, -1, 45009):
 * every message reaches its member exactly once — no duplicate, not even one hidden by WeCom's own duplicate check —
 * and none exceeds a limit. On every database of the matrix (two instances on one SQLite file: one writer).
 */
import { loadConfig } from '../../server/src/config/config';
import { createLogger } from '../../server/src/lib/logger';
import { Delivery, pendingDelivery } from '../../server/src/modules/notifications/delivery.entity';
import type { OutgoingMessage } from '../../server/src/modules/notifications/message';
import { startServerOnPort, type RunningServer } from '../../server/src/server';
import { DEMO_CREDENTIALS, DEMO_USERS, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { demoEnv } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { waitFor } from '../support/wait';

const PER_MEMBER = 8;

describe.each(testDatabases())('notification deliveries across instances ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl(kind);
    const env = demoEnv({ databaseUrl: url, simUrl: sim.url, port: 0 });
    for (let i = 0; i < 2; i++)
      servers.push(
        await startServerOnPort(0, (port) => loadConfig({ ...env, PORT: String(port) }), {
          background: false,
          logger: createLogger('silent'),
          wecomRetryBaseMs: 5,
        }),
      );
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await sim.close();
    await dropDatabaseUrl(url);
  });

  it('delivers every message once while WeCom answers 503, -1 and 45009 for a while', async () => {
    const members = Object.values(DEMO_USERS);
    const ds = servers[0]!.container.ds;
    const now = Date.now();
    const rows = members.flatMap((userid) =>
      Array.from({ length: PER_MEMBER }, (_, i) => {
        const message: OutgoingMessage = { format: 'text', title: '投递测试', text: `#${userid}-${i + 1}#` };
        return pendingDelivery(
          {
            idempotencyKey: `bench:${userid}:${i}`,
            eventId: `e-${userid}-${i}`,
            eventType: 'member.joined',
            ruleId: null,
            channel: 'app',
            target: `user:${userid}`,
            message,
          },
          now,
        );
      }),
    );
    await ds.getRepository(Delivery).save(rows, { chunk: 50 });
    sim.injectFault('/cgi-bin/message/send', { httpStatus: 503 }, 12);
    sim.injectFault('/cgi-bin/message/send', { errcode: -1 }, 12);
    sim.injectFault('/cgi-bin/message/send', { errcode: 45009 }, 8);
    for (const s of servers) s.container.notificationDeliveries.start();

    await waitFor(async () => (await ds.getRepository(Delivery).countBy({ status: 'sent' })) === rows.length, 'all sent', 60_000, 50);
    for (const userid of members) {
      const texts = sim.inboxOf(userid).map((m) => JSON.stringify(m.content));
      for (let i = 1; i <= PER_MEMBER; i++) expect([userid, i, texts.filter((t) => t.includes(`#${userid}-${i}#`)).length]).toEqual([userid, i, 1]);
    }
    expect(sim.stats.duplicateSuppressed).toEqual([]);
    expect(sim.stats.limitViolations).toEqual([]);
    const retried = await ds.getRepository(Delivery).createQueryBuilder('d').where('d.attempts > 1').getCount();
    expect(retried).toBeGreaterThanOrEqual(1);
  });
});
