/**
 * The transactional outbox and its dispatcher, on both databases: an event exists exactly when its
 * transaction committed; with three instances dispatching at once, each subscriber takes effect once
 * per event; a failing subscriber is retried, then parked as dead, without holding up the others.
 */
import { DEMO_CREDENTIALS, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { createContainer, type Container } from '../../server/src/container';
import { createLogger } from '../../server/src/lib/logger';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { MODULES } from '../../server/src/modules';
import { EventDelivery, OutboxEvent } from '../../server/src/platform/events';
import { defineModule } from '../../server/src/platform/module';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';

const EVENTS = 150;

/** A module that declares `probe.pinged` and two subscribers that record what they saw in the audit log. */
const probeModule = (failures: Map<string, number>) =>
  defineModule({
    name: 'probe',
    entities: [],
    create: () => ({
      events: [{ type: 'probe.pinged', label: '测试事件', fields: { n: { label: '序号', type: 'number' } } }],
      subscribers: ['probe.first', 'probe.second'].map((key) => ({
        key,
        on: ['probe.pinged'],
        handle: async (event, tx) => {
          await tx.audit({ action: key, targetType: 'event', targetId: event.id, after: event.payload });
          const left = failures.get(`${key}:${String(event.payload['n'])}`) ?? 0;
          if (left > 0) {
            failures.set(`${key}:${String(event.payload['n'])}`, left - 1);
            throw new Error(`${key} fails on purpose`); // rolls its audit row back
          }
        },
      })),
    }),
  });

describe.each(testDatabases())('outbox and dispatcher ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  let instances: Container[];
  const failures = new Map<string, number>();

  beforeAll(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl(kind);
    const boot = (i: number) =>
      createContainer(testConfig(url, sim.url), {
        modules: [...MODULES, probeModule(failures)],
        logger: createLogger('silent', `instance-${i}`),
        dispatcher: { retryBaseMs: 0, maxAttempts: 3, batch: 20 },
      });
    instances = [await boot(0)]; // migrates the database
    instances.push(await boot(1), await boot(2));
  });
  afterAll(async () => {
    for (const c of instances ?? []) await c.close();
    await sim.close();
    await dropDatabaseUrl(url);
  });

  const publish = (c: Container, n: number) => c.uow.run({ actor: 'system' }, (tx) => tx.publish('probe.pinged', { n }));
  const rowsOf = async (c: Container, action: string) => c.ds.getRepository(AuditEntry).findBy({ action });

  test('an event exists only if its transaction committed, and an undeclared type is refused', async () => {
    const c = instances[0]!;
    await expect(
      c.uow.run({ actor: 'system' }, async (tx) => {
        await tx.publish('probe.pinged', { n: -1 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await expect(publish(c, Number.NaN)).rejects.toThrow('n must be number');
    await expect(c.uow.run({ actor: 'system' }, (tx) => tx.publish('probe.pingd', { n: 1 }))).rejects.toThrow('unknown event type "probe.pingd"');
    expect(await c.ds.getRepository(OutboxEvent).count()).toBe(0);
  });

  test(`three instances dispatching at once: ${EVENTS} events reach each subscriber exactly once`, async () => {
    failures.set('probe.second:7', 2); // fails twice, then succeeds on the third attempt
    failures.set('probe.first:9', 99); // never succeeds: dead after maxAttempts (3)
    for (let n = 0; n < EVENTS; n++) await publish(instances[n % 3]!, n);

    // Each instance keeps dispatching until a round finds nothing; all three at the same time.
    const drain = async (c: Container) => {
      for (let idle = 0; idle < 3;) {
        const r = await c.dispatcher.tick();
        idle = r.fannedOut + r.delivered + r.failed === 0 ? idle + 1 : 0;
      }
    };
    // MySQL: truly at the same time. SQLite: better-sqlite3 is synchronous, so three connections in ONE
    // process cannot overlap a transaction without one blocking the whole thread in its busy wait; the
    // instances take turns instead (separate server processes on one SQLite file do not have this limit).
    if (kind === 'mysql') await Promise.all(instances.map(drain));
    else for (let round = 0; round < 3; round++) for (const c of instances) await c.dispatcher.tick();
    if (kind !== 'mysql') for (const c of instances) await drain(c);

    const first = await rowsOf(instances[0]!, 'probe.first');
    const second = await rowsOf(instances[0]!, 'probe.second');
    const eventIds = (await instances[0]!.ds.getRepository(OutboxEvent).find()).map((e) => e.eventId);
    expect(eventIds).toHaveLength(EVENTS);
    // Exactly once per (event, subscriber): the failed attempts rolled their writes back.
    expect(second.map((r) => r.targetId).sort()).toEqual([...eventIds].sort());
    expect(new Set(first.map((r) => r.targetId)).size).toBe(EVENTS - 1);
    expect(first).toHaveLength(EVENTS - 1);

    // The probe's two subscribers (notifications.route, which takes every type, is checked in its own tests).
    const deliveries = (await instances[0]!.ds.getRepository(EventDelivery).find()).filter((d) => d.subscriber.startsWith('probe.'));
    expect(deliveries).toHaveLength(2 * EVENTS);
    const dead = deliveries.filter((d) => d.status === 'dead');
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ subscriber: 'probe.first', attempts: 3, lastError: 'probe.first fails on purpose' });
    expect(deliveries.filter((d) => d.status === 'done')).toHaveLength(2 * EVENTS - 1);
    const retried = deliveries.find((d) => d.subscriber === 'probe.second' && d.status === 'done' && d.attempts === 3);
    expect(retried).toBeDefined();
  });
});
