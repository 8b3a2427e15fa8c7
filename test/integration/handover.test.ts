/**
 * A member who leaves hands their open work over (platform/handovers.ts), on a real database: the orders and
 * after-sales modules' handovers, called as the offboarding calls them — every module's in one unit of work. Open
 * orders and cases go to the on-duty member by round-robin (the leaver excluded, though still active after a move),
 * else to the lead, else back unassigned; each move is on the timeline / history, the audit trail and the outbox;
 * shipped orders and closed cases stay; a second run moves nothing.
 */
import type { Actor, HandoverItem, OrderStatus } from '@shopcrew/shared';
import { DEMO_CREDENTIALS, DEMO_USERS as U, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { seedDemoBindings } from '../../scripts/demo-seed';
import { createContainer, type Container } from '../../server/src/container';
import { createLogger } from '../../server/src/lib/logger';
import { MODULES } from '../../server/src/modules';
import { Case, CaseHistory } from '../../server/src/modules/aftersales/case.entity';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { Order, OrderDuty, OrderTimelineEntry } from '../../server/src/modules/orders/order.entity';
import { Member } from '../../server/src/modules/org/member.entity';
import { Shop } from '../../server/src/modules/shops/shop.entity';
import type { MarketOrder, MarketReturn } from '../../server/src/marketplace/types';
import { OutboxEvent } from '../../server/src/platform/events';
import type { HandoverInput, HandoverRegistry } from '../../server/src/platform/handovers';
import type { ModuleDefinition } from '../../server/src/platform/module';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';

const MANUAL = '7001';
const ROUND_ROBIN = '7002';

describe.each(testDatabases())('handover of a leaving member’s work ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  let app: Container;
  // The container does not expose the registry (yet): any module's context holds the one every module adds to.
  let registry: HandoverRegistry | undefined;

  beforeAll(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl(kind);
    const modules = MODULES.map((m): ModuleDefinition =>
      m.name !== 'orders'
        ? m
        : {
            ...m,
            create: (ctx) => {
              registry = ctx.handovers;
              return m.create(ctx);
            },
          },
    );
    app = await createContainer(testConfig(url, sim.url), { logger: createLogger('silent'), modules });
    await app.contactSync.run('test');
    await seedDemoBindings(app.roles);
    for (const [shopId, mode] of [
      [MANUAL, 'manual'],
      [ROUND_ROBIN, 'round_robin'],
    ] as const)
      await app.ds.getRepository(Shop).insert({
        shopId,
        platform: 'shopee',
        name: `交接测试店 ${shopId}`,
        region: 'SG',
        currency: 'SGD',
        status: 'active',
        authExpiresAt: null,
        accessToken: 'x',
        refreshToken: 'x',
        accessExpiresAt: 0,
        tokenVersion: 1,
        assignmentMode: mode,
        assignmentCap: 20,
        linkedBy: U.owner,
        linkedAt: Date.now(),
        updatedAt: Date.now(),
      });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await dropDatabaseUrl(url);
  });

  const agent = (userid: string): Actor => ({ userid, grants: [{ role: 'cs_agent', shops: 'all' }] });
  let seq = 0;
  /** An order held by `assignee` since `claimedAt`, straight into the table (the sync and claim are tested elsewhere). */
  const order = async (shopId: string, status: OrderStatus, assignee: string | null, claimedAt = 1_000): Promise<string> => {
    const sn = `H${kind.slice(0, 1).toUpperCase()}${String(++seq).padStart(6, '0')}`;
    await app.ds.getRepository(Order).insert({
      orderSn: sn,
      shopId,
      status,
      pool: assignee ? 0 : 1,
      currency: 'SGD',
      total: '10.00',
      buyer: 'b***r',
      itemCount: 1,
      messageToSeller: null,
      packageNumber: null,
      logisticsStatus: null,
      carrier: null,
      trackingNumber: null,
      shipBy: null,
      createdAt: Date.now(),
      marketUpdatedAt: Date.now(),
      assignee,
      claimedAt: assignee ? claimedAt : null,
      announced: 1,
      updatedAt: Date.now(),
    });
    return sn;
  };
  /** A complaint opened and claimed by `userid` through the service (case.opened, case.assigned). */
  const claimedCase = async (shopId: string, userid: string, title: string): Promise<number> => {
    const c = await app.cases.create(agent(userid), { shopId, type: 'complaint', title });
    await app.cases.claim(agent(userid), c.id);
    return c.id;
  };
  const onDuty = (userids: string[]) => app.ds.getRepository(OrderDuty).save(userids.map((userid) => ({ userid, onDuty: true, updatedAt: Date.now() })));
  const handOver = async (input: HandoverInput): Promise<HandoverItem[]> => {
    const defs = registry!.all();
    expect(defs.map((d) => d.key)).toEqual(expect.arrayContaining(['orders.open', 'aftersales.open']));
    // As the offboarding does: every module's handover in one unit of work.
    return app.uow.run({ actor: 'system' }, async (tx) => {
      const items: HandoverItem[] = [];
      for (const def of defs) items.push(...(await def.handOver(input, tx)));
      return items;
    });
  };
  const events = async (type: string, after: number) =>
    (await app.ds.getRepository(OutboxEvent).find({ where: { type }, order: { id: 'ASC' } })).filter((e) => e.id > after).map((e) => e.payload);
  const lastEventId = async () => (await app.ds.getRepository(OutboxEvent).find({ order: { id: 'DESC' }, take: 1 }))[0]?.id ?? 0;
  const holder = async (sn: string) => (await app.ds.getRepository(Order).findOneByOrFail({ orderSn: sn })).assignee;
  const caseHolder = async (id: number) => (await app.ds.getRepository(Case).findOneByOrFail({ id })).assignee;

  it('a member who moved: to the round-robin on-duty member (never back to them), else to their lead; shipped and closed work stays', async () => {
    // 李娜 moved department: still active and eligible, on duty and the least loaded — round-robin must still pass her by.
    await onDuty([U.csAgent, U.csAgent3, U.csAgent2]);
    const ready = await order(MANUAL, 'READY_TO_SHIP', U.csAgent);
    const processed = await order(MANUAL, 'PROCESSED', U.csAgent);
    const inCancel = await order(MANUAL, 'IN_CANCEL', U.csAgent);
    const shipped = await order(MANUAL, 'SHIPPED', U.csAgent);
    const rr1 = await order(ROUND_ROBIN, 'READY_TO_SHIP', U.csAgent, 500);
    const rr2 = await order(ROUND_ROBIN, 'RETRY_SHIP', U.csAgent, 500);
    for (let i = 0; i < 2; i++) await order(ROUND_ROBIN, 'READY_TO_SHIP', U.csAgent3, 1_000); // 徐丽: 2 open
    for (let i = 0; i < 3; i++) await order(ROUND_ROBIN, 'PROCESSED', U.csAgent2, 2_000); // 赵磊: 3 open
    const complaint = await claimedCase(MANUAL, U.csAgent, '买家投诉发货慢');
    const working = await claimedCase(MANUAL, U.csAgent, '买家要求开发票');
    await app.cases.transition(agent(U.csAgent), working, 'in_progress', undefined);
    const closed = await claimedCase(MANUAL, U.csAgent, '已处理的投诉');
    await app.cases.transition(agent(U.csAgent), closed, 'closed', '买家撤回');
    const rrCase = await claimedCase(ROUND_ROBIN, U.csAgent, '轮流分配的投诉');
    const since = await lastEventId();

    const items = await handOver({ userid: U.csAgent, reason: 'moved', fallback: U.csLead });

    const wangfang = { userid: U.csLead, name: '王芳' };
    expect(items).toEqual([
      { kind: 'order', id: ready, label: `订单 ${ready}（待发货）`, to: wangfang, link: `/orders/${ready}` },
      { kind: 'order', id: processed, label: expect.stringMatching(new RegExp(`^订单 ${processed}（.+）$`)), to: wangfang, link: `/orders/${processed}` },
      { kind: 'order', id: inCancel, label: expect.stringContaining(inCancel), to: wangfang, link: `/orders/${inCancel}` },
      // Round-robin: 徐丽 (2 open) first; then 徐丽 3 and 赵磊 3, and 赵磊 got his longest ago.
      { kind: 'order', id: rr1, label: expect.stringContaining(rr1), to: { userid: U.csAgent3, name: '徐丽' }, link: `/orders/${rr1}` },
      { kind: 'order', id: rr2, label: expect.stringContaining(rr2), to: { userid: U.csAgent2, name: '赵磊' }, link: `/orders/${rr2}` },
      { kind: 'case', id: String(complaint), label: `售后 #${complaint} 买家投诉发货慢（受理）`, to: wangfang, link: `/cases/${complaint}` },
      { kind: 'case', id: String(working), label: `售后 #${working} 买家要求开发票（处理中）`, to: wangfang, link: `/cases/${working}` },
      // No open cases on duty yet: 徐丽 and 赵磊 tie at 0, by userid.
      { kind: 'case', id: String(rrCase), label: expect.stringContaining(`#${rrCase}`), to: { userid: U.csAgent3, name: '徐丽' }, link: `/cases/${rrCase}` },
    ]);
    expect(await Promise.all([ready, processed, inCancel, rr1, rr2].map(holder))).toEqual([U.csLead, U.csLead, U.csLead, U.csAgent3, U.csAgent2]);
    expect(await holder(shipped)).toBe(U.csAgent);
    expect(await Promise.all([complaint, working, rrCase, closed].map(caseHolder))).toEqual([U.csLead, U.csLead, U.csAgent3, U.csAgent]);

    // The timeline and history say why, the audit trail has every move, and the usual events went out.
    const readyRow = await app.ds.getRepository(Order).findOneByOrFail({ orderSn: ready });
    const timeline = await app.ds.getRepository(OrderTimelineEntry).findBy({ orderId: readyRow.id, kind: 'assigned' });
    expect(timeline).toEqual([expect.objectContaining({ text: '交接：李娜调岗，转给 王芳', actor: null, from: U.csAgent, to: U.csLead })]);
    const history = await app.ds.getRepository(CaseHistory).findBy({ caseId: complaint, kind: 'assigned' });
    expect(history.map((h) => h.text)).toEqual(['交接：李娜调岗，转给 王芳']);
    const audit = await app.ds.getRepository(AuditEntry).find({ where: [{ action: 'orders.handed_over' }, { action: 'aftersales.case_handed_over' }] });
    expect(audit.map((a) => [a.actor, a.targetId, a.before, a.after])).toEqual(
      expect.arrayContaining([
        ['system', ready, { assignee: U.csAgent }, { assignee: U.csLead, reason: 'moved' }],
        ['system', rr2, { assignee: U.csAgent }, { assignee: U.csAgent2, reason: 'moved' }],
        ['system', String(rrCase), { assignee: U.csAgent }, { assignee: U.csAgent3, reason: 'moved' }],
      ]),
    );
    expect(audit).toHaveLength(8);
    expect(await events('order.assigned', since)).toEqual(
      [ready, processed, inCancel, rr1, rr2].map((sn, i) =>
        expect.objectContaining({ order_id: sn, assignee: [U.csLead, U.csLead, U.csLead, U.csAgent3, U.csAgent2][i], by_name: '交接（李娜调岗）' }),
      ),
    );
    expect(await events('case.assigned', since)).toEqual([
      {
        case_id: String(complaint),
        shop_id: MANUAL,
        order_id: '—',
        assignee: U.csLead,
        assignee_name: '王芳',
        by_name: '交接（李娜调岗）',
        url: `/cases/${complaint}`,
      },
      expect.objectContaining({ case_id: String(working), assignee: U.csLead }),
      expect.objectContaining({ case_id: String(rrCase), shop_id: ROUND_ROBIN, assignee: U.csAgent3, assignee_name: '徐丽' }),
    ]);

    // Idempotent: nothing is left to move, nothing more is written.
    const before = await lastEventId();
    expect(await handOver({ userid: U.csAgent, reason: 'moved', fallback: U.csLead })).toEqual([]);
    expect(await lastEventId()).toBe(before);
  });

  it('a member who was removed, whose lead may not take the work: back unassigned, orders to the pool', async () => {
    const ready = await order(MANUAL, 'READY_TO_SHIP', U.csAgent4);
    const processed = await order(MANUAL, 'PROCESSED', U.csAgent4);
    const c = await claimedCase(MANUAL, U.csAgent4, '包裹破损投诉');
    await app.ds.getRepository(Member).update({ userid: U.csAgent4 }, { active: false }); // the mirror after delete_user
    const since = await lastEventId();

    // 郭宇 (美工) may neither claim orders nor handle cases: the work waits to be claimed instead.
    const items = await handOver({ userid: U.csAgent4, reason: 'deleted', fallback: U.designer });

    expect(items.map((i) => [i.kind, i.id, i.to])).toEqual([
      ['order', ready, null],
      ['order', processed, null],
      ['case', String(c), null],
    ]);
    const rows = await app.ds.getRepository(Order).find({ where: [{ orderSn: ready }, { orderSn: processed }], order: { id: 'ASC' } });
    expect(rows.map((o) => [o.assignee, o.pool, o.claimedAt])).toEqual([
      [null, 1, null], // waits in 待认领 again
      [null, 0, null], // arranged already: a lead assigns it
    ]);
    const timeline = await app.ds.getRepository(OrderTimelineEntry).findBy({ orderId: rows[0]!.id, kind: 'released' });
    expect(timeline.map((t) => t.text)).toEqual(['交接：孙浩离职，退回待认领']);
    expect(await caseHolder(c)).toBeNull();
    expect((await app.ds.getRepository(CaseHistory).findBy({ caseId: c, kind: 'assigned' })).map((h) => h.text)).toEqual(['交接：孙浩离职，退回待认领']);
    expect((await events('order.released', since)).map((e) => [e['order_id'], e['by']])).toEqual([
      [ready, 'system'],
      [processed, 'system'],
    ]);
    expect(await events('order.assigned', since)).toEqual([]);
    expect(await events('case.assigned', since)).toEqual([]);
    expect(await handOver({ userid: U.csAgent4, reason: 'deleted', fallback: null })).toEqual([]);
  });

  it('announces what SOP rules need: order.created with its status, case.opened with its type and assignee, case.assigned on claim and round-robin', async () => {
    const since = await lastEventId();
    const now = Date.now();
    const market: MarketOrder = {
      orderSn: `HN${kind.slice(0, 1).toUpperCase()}000001`,
      shopId: MANUAL,
      status: 'READY_TO_SHIP',
      currency: 'SGD',
      total: 12.5,
      buyer: 'j*****n',
      items: [{ itemId: '1', name: '保温杯', sku: null, variation: null, quantity: 2, price: 6.25 }],
      packages: [],
      trackingNumber: null,
      messageToSeller: null,
      createTime: now,
      updateTime: now,
      shipBy: null,
    };
    await app.orderSync.apply(market);
    expect(await events('order.created', since)).toEqual([expect.objectContaining({ order_id: market.orderSn, status: 'READY_TO_SHIP' })]);
    expect((await events('order.created', since))[0]).not.toHaveProperty('assignee');

    // A manual complaint: no assignee yet; its claim tells who took it.
    const manual = await app.cases.create(agent(U.csAgent), { shopId: MANUAL, type: 'complaint', title: '催发货' });
    expect(await events('case.opened', since)).toEqual([expect.objectContaining({ case_id: String(manual.id), case_type: 'complaint' })]);
    expect((await events('case.opened', since))[0]).not.toHaveProperty('assignee');
    await app.cases.claim(agent(U.csAgent), manual.id);
    expect(await events('case.assigned', since)).toEqual([
      { case_id: String(manual.id), shop_id: MANUAL, order_id: '—', assignee: U.csAgent, assignee_name: '李娜', by_name: '李娜', url: `/cases/${manual.id}` },
    ]);

    // A return in the round-robin shop: assigned on arrival (case.assigned), and case.opened says to whom.
    const ret: MarketReturn = {
      returnSn: `RN${kind}1`,
      orderSn: market.orderSn,
      shopId: ROUND_ROBIN,
      status: 'REQUESTED',
      reason: 'ITEM_DAMAGED',
      textReason: null,
      solution: 'return_refund',
      refund: 5,
      currency: 'SGD',
      negotiationStatus: null,
      deadlines: {},
      createTime: now,
      updateTime: now,
    };
    await app.caseSync.apply(ret);
    const opened = (await events('case.opened', since))[1]!;
    expect(opened).toMatchObject({ case_type: 'return_refund', assignee: expect.any(String) });
    expect((await events('case.assigned', since))[1]).toMatchObject({ case_id: opened['case_id'], assignee: opened['assignee'], by_name: '自动分配' });
  });
});
