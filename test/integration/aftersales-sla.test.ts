/**
 * SLA clocks of after-sales cases on a real database, with three server instances ticking at once: every reminder
 * step (due soon → breached → escalated) of every deadline is published exactly once, in order, as time moves (a
 * clock passed to tick(), nothing sleeps); targets count business hours only and stand still while a case waits.
 */
import { createContainer, type Container } from '../../server/src/container';
import { createLogger } from '../../server/src/lib/logger';
import { OutboxEvent } from '../../server/src/platform/events';
import { ManualClock } from '../../server/src/platform/scheduler';
import { Shop } from '../../server/src/modules/shops/shop.entity';
import { Case, CaseDeadlineRow } from '../../server/src/modules/aftersales/case.entity';
import type { MarketReturn } from '../../server/src/marketplace/types';
import { DEMO_CREDENTIALS, DEMO_USERS as U, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';

const sh = (iso: string) => Date.parse(`${iso}+08:00`); // Asia/Shanghai wall clock (TZ_CORP default)

describe.each(testDatabases())('after-sales SLA ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  const instances: Container[] = [];
  const clock = new ManualClock(sh('2026-12-01T10:00')); // a Tuesday
  const now = clock.now();

  beforeAll(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl(kind);
    for (let i = 0; i < 3; i++) instances.push(await createContainer(testConfig(url, sim.url), { logger: createLogger('silent'), clock }));
    await instances[0]!.ds.getRepository(Shop).insert({
      shopId: '5001',
      platform: 'shopee',
      name: 'SLA 测试店',
      region: 'SG',
      currency: 'SGD',
      status: 'active',
      authExpiresAt: null,
      accessToken: 'x',
      refreshToken: 'x',
      accessExpiresAt: 0,
      tokenVersion: 1,
      assignmentMode: 'manual',
      assignmentCap: 20,
      linkedBy: U.owner,
      linkedAt: now,
      updatedAt: now,
    });
  }, 60_000);
  afterAll(async () => {
    for (const c of instances) await c.close();
    await sim.close();
    await dropDatabaseUrl(url);
  });

  const c0 = () => instances[0]!;
  const ret = (sn: string, over: Partial<MarketReturn> = {}): MarketReturn => ({
    returnSn: sn,
    orderSn: `O${sn}`,
    shopId: '5001',
    status: 'REQUESTED',
    reason: 'ITEM_DAMAGED',
    textReason: '杯子碎了',
    solution: 'refund_only',
    refund: 12.5,
    currency: 'SGD',
    negotiationStatus: null,
    deadlines: {},
    createTime: now,
    updateTime: now,
    ...over,
  });
  const tickAll = async (at: number) => (await Promise.all(instances.map((c) => c.sla.tick(at)))).reduce((a, b) => a + b, 0);
  const published = async (caseId: number) =>
    (
      await c0()
        .ds.getRepository(OutboxEvent)
        .find({ order: { id: 'ASC' } })
    )
      .filter((e) => e.type.startsWith('case.') && (e.payload as { case_id?: string }).case_id === String(caseId))
      .map((e) => `${e.type}:${(e.payload as { deadline?: string }).deadline ?? ''}`);

  it('sends due-soon, breach and escalation once each across three instances, in business hours', async () => {
    // Opened Tue 10:00: refund-only targets are 60 business minutes (first response) and 900 (resolution).
    clock.set(sh('2026-12-01T10:00'));
    await c0().caseSync.apply(ret('R1'));
    const c = await c0().ds.getRepository(Case).findOneByOrFail({ returnSn: 'R1' });
    const first = await c0().ds.getRepository(CaseDeadlineRow).findOneByOrFail({ caseId: c.id, key: 'first_response' });
    expect(first.at).toBe(sh('2026-12-01T11:00'));
    const resolution = await c0().ds.getRepository(CaseDeadlineRow).findOneByOrFail({ caseId: c.id, key: 'resolution' });
    // 900 business minutes from Tue 10:00: Tue 10:00–12:00 (120) + 13:30–18:00 (270), Wed 450 → 840; Thu 09:00 + 60 → 10:00.
    expect(resolution.at).toBe(sh('2026-12-03T10:00'));
    expect(c.dueAt).toBe(first.at);

    expect(await tickAll(sh('2026-12-01T08:59'))).toBe(0); // nothing due yet: due soon from 09:00 (2 h before 11:00)
    expect(await tickAll(sh('2026-12-01T10:01'))).toBe(1); // first response due soon (since 09:00)
    expect(await tickAll(sh('2026-12-01T10:02'))).toBe(0);
    expect(await tickAll(sh('2026-12-01T11:00'))).toBe(1); // breached
    expect(await tickAll(sh('2026-12-01T13:00'))).toBe(1); // escalated 2 h later
    expect(await tickAll(sh('2026-12-01T23:00'))).toBe(0);
    expect(await published(c.id)).toEqual(['case.opened:', 'case.due_soon:首次响应', 'case.breached:首次响应', 'case.escalated:首次响应']);
    expect((await c0().ds.getRepository(Case).findOneByOrFail({ id: c.id })).breached).toBe(1);
  });

  it('stands the SLA clock still while the case waits for the buyer, and restarts it with what was left', async () => {
    clock.set(sh('2026-12-01T10:00'));
    {
      await c0().caseSync.apply(ret('R2'));
      const c = await c0().ds.getRepository(Case).findOneByOrFail({ returnSn: 'R2' });
      const actor = { userid: U.csAgent, grants: [{ role: 'cs_agent' as const, shops: 'all' as const }] };
      clock.set(sh('2026-12-01T10:30')); // 30 business minutes of the 900-minute resolution target spent
      await c0().cases.transition(actor, c.id, 'waiting_buyer', '等买家寄回');
      const paused = await c0().ds.getRepository(CaseDeadlineRow).findOneByOrFail({ caseId: c.id, key: 'resolution' });
      expect([paused.at, paused.remainingMinutes, paused.nextAt]).toEqual([null, 870, null]);
      await tickAll(sh('2026-12-10T10:00')); // days later, nothing fires for it while paused (the other case's steps do)
      expect((await published(c.id)).filter((e) => !e.startsWith('case.opened') && !e.startsWith('case.state_changed'))).toEqual([]);
      clock.set(sh('2026-12-07T09:00')); // Monday: resumes with 870 minutes: Mon 450, Tue 09:00–12:00 180, then 13:30 + 240
      await c0().cases.transition(actor, c.id, 'in_progress', undefined);
      const resumed = await c0().ds.getRepository(CaseDeadlineRow).findOneByOrFail({ caseId: c.id, key: 'resolution' });
      expect(resumed.at).toBe(sh('2026-12-08T17:30'));
      // The first response was met by the move out of 受理.
      expect((await c0().ds.getRepository(CaseDeadlineRow).findOneByOrFail({ caseId: c.id, key: 'first_response' })).met).toBe(1);
    }
  });
});
