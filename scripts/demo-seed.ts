// Role bindings for the demo corp 星河电商: who gets which ShopCrew role, the way a real shop owner
// would set them up on day one (departments for the rank and file, tags for leads, one user binding).
import { Like, type EntityManager } from 'typeorm';
import type { Actor } from '@shopcrew/shared';
import type { Container } from '../server/src/container';
import { dayBounds } from '../server/src/modules/metrics/days';
import { MetricCase, MetricMark, MetricOrder, MetricRefund } from '../server/src/modules/metrics/metric.entity';
import type { CommentService } from '../server/src/modules/projects/comment.service';
import { addDays, todayIn } from '../server/src/modules/projects/days';
import type { ProjectService } from '../server/src/modules/projects/project.service';
import type { TaskService } from '../server/src/modules/projects/task.service';
import type { TemplateService } from '../server/src/modules/sop/template.service';
import type { RuleService as SopRuleService } from '../server/src/modules/sop/rule.service';
import type { RobotService } from '../server/src/modules/notifications/robot.service';
import type { RuleService } from '../server/src/modules/notifications/rule.service';
import type { RoleService } from '../server/src/modules/roles/role.service';
import type { UnitOfWork } from '../server/src/platform/tx';
import type { ShopService } from '../server/src/modules/shops/shop.service';
import type { ShopeeSim } from './shopee-sim';
import { DEMO_DEPARTMENTS as D, DEMO_TAGS as T, DEMO_USERS as U } from './wecom-sim/demo-corp';

export const DEMO_BINDINGS = [
  { role: 'cs_agent', subjectType: 'department', subjectId: String(D.cs) },
  { role: 'cs_lead', subjectType: 'tag', subjectId: String(T.csLeads) },
  { role: 'owner', subjectType: 'tag', subjectId: String(T.owners) },
  { role: 'warehouse', subjectType: 'department', subjectId: String(D.warehouse) },
  { role: 'marketing', subjectType: 'department', subjectId: String(D.ops) },
  { role: 'ops_manager', subjectType: 'user', subjectId: U.opsManager },
  { role: 'marketing', subjectType: 'department', subjectId: String(D.ads) },
  { role: 'finance', subjectType: 'department', subjectId: String(D.finance) },
  { role: 'designer', subjectType: 'department', subjectId: String(D.design) },
] as const;

/**
 * Idempotent: bindings that already exist are left alone. A binding whose department, tag or member is
 * not in the mirror yet (no contact sync has run) is skipped: bindings must name synced subjects, and
 * the next start seeds it.
 */
export async function seedDemoBindings(roles: RoleService): Promise<void> {
  const existing = await roles.listBindings();
  for (const b of DEMO_BINDINGS) {
    if (existing.some((e) => e.role === b.role && e.subjectType === b.subjectType && e.subjectId === b.subjectId)) continue;
    try {
      await roles.addBinding(b, 'system');
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'subject_not_found') throw err;
    }
  }
}

/**
 * The demo's notifications, once (when its rules do not exist yet): a card with 我来处理 to the shop owner, the customer-service
 * lead and an agent when a member joins, and the same news in the 星河电商-客服-新人 robot group; then one such event,
 * so the simulator's member inbox (linked from the demo banner) shows a card whose button works.
 */
export async function seedDemoNotifications(deps: {
  rules: RuleService;
  robots: RobotService;
  uow: UnitOfWork;
  createRobot: (name: string, key?: string) => { webhookUrl: string };
}): Promise<void> {
  // Its own rules say whether the demo was seeded (the corp-wide default rules are there from the first boot).
  if ((await deps.rules.list()).some((r) => r.name === '新同事入职（卡片）')) {
    // A restart: the simulator forgot its robots; give it back the ones the demo registered.
    for (const r of await deps.robots.withKeys().catch(() => [])) deps.createRobot(r.name, r.key);
    return;
  }
  const robotName = '星河电商-客服-新人';
  const robot = await deps.robots.add({ name: robotName, webhookUrl: deps.createRobot(robotName).webhookUrl }, 'system');
  await deps.rules.create(
    {
      name: '新同事入职（卡片）',
      eventType: 'member.joined',
      channel: 'app',
      format: 'card',
      recipients: { users: [U.owner, U.csLead, U.csAgent] },
      template: '新同事 {name}（{userid}）加入了团队，请安排入职带教',
      enabled: true,
    },
    'system',
  );
  await deps.rules.create(
    {
      name: '新同事入职（群通知）',
      eventType: 'member.joined',
      channel: 'robot',
      format: 'markdown',
      robotId: robot.id,
      recipients: { users: [U.csLead] },
      template: '欢迎新同事 **{name}** 加入！',
      enabled: true,
    },
    'system',
  );
  await deps.uow.run({ actor: 'system' }, (tx) => tx.publish('member.joined', { userid: 'demo_newcomer', name: '林小夏' }).then(() => undefined));
}

/**
 * The demo's SOPs: the seeded templates at once (not waiting for the background), and, once, the rule that starts
 * 新订单处理 on every order ready to ship, so the demo's new orders come with their checklist.
 */
export async function seedDemoSop(deps: { templates: TemplateService; rules: SopRuleService; uow: UnitOfWork }): Promise<void> {
  await deps.uow.run({ actor: 'system' }, (tx) => deps.templates.ensureSeeds(tx));
  if ((await deps.rules.list()).some((r) => r.trigger === 'order_status')) return;
  const order = (await deps.templates.list()).find((t) => t.name === '新订单处理');
  if (order) await deps.rules.create('system', { templateId: order.id, trigger: 'order_status', orderStatus: 'READY_TO_SHIP' });
}

/**
 * The demo's campaign, once: a running 大促备战 whose D day is ten days out, so its first tasks are already due — one
 * done, one late (red on the Gantt, blocking what waits for it) — with owners and a comment mentioning the designer.
 */
export async function seedDemoProject(deps: { projects: ProjectService; tasks: TaskService; comments: CommentService; today: string }): Promise<void> {
  const ops: Actor = { userid: U.opsManager, grants: [{ role: 'ops_manager', shops: 'all' }] };
  if ((await deps.projects.list(ops, { limit: 1 })).items.length) return;
  const dDay = addDays(deps.today, 10);
  const owners = { '0': U.opsManager, '1': U.designLead, '2': U.opsManager, '3': U.opsStaff, '4': U.marketingLead, '6': U.opsManager };
  const p = await deps.projects.create(ops, {
    name: '双11大促备战',
    goal: 'GMV 同比翻倍，退款率 < 3%',
    start: addDays(dDay, -30),
    end: dDay,
    templateKey: 'promo',
    taskOwners: owners,
  });
  await deps.projects.transition(ops, p.id, 'active');
  const byTitle = (title: string) => p.tasks.find((t) => t.title === title)!;
  await deps.tasks.patch(ops, byTitle('选品策划').id, { state: 'done' });
  await deps.tasks.patch(ops, byTitle('定价策略').id, { state: 'doing', progress: 60 });
  await deps.comments.add(ops, byTitle('主图优化').id, { body: '@罗欣 主图请按新的卖点做两版，周五前给我看', mentions: [U.designLead] });
}

/**
 * The demo's automation, once: orders of the demo shop from 50 SGD go to 王芳 with the 大额订单 checklist, a 大额 tag
 * and a message to the owner — so new orders in the demo show rules acting and their run log (设置 → 自动化规则).
 */
export async function seedDemoAutomation(deps: { c: Pick<Container, 'automationRules' | 'sopTemplates'>; shopId: string }): Promise<void> {
  if ((await deps.c.automationRules.list()).length) return;
  const existing = (await deps.c.sopTemplates.list()).find((t) => t.name === '大额订单');
  const template =
    existing ??
    (await deps.c.sopTemplates.create('system', {
      name: '大额订单',
      category: 'order',
      description: '金额较高的订单：发货前多核对一遍，避免高额退款',
      steps: [
        {
          title: '核对买家信息与收货地址',
          description: '',
          assignee: { kind: 'subject_assignee' },
          evidence: 'none',
          evidenceRequired: false,
          dueOffsetMinutes: 60,
        },
        {
          title: '检查商品与赠品，拍照留底',
          description: '照片里能看清商品和赠品',
          assignee: { kind: 'subject_assignee' },
          evidence: 'photo',
          evidenceRequired: true,
          dueOffsetMinutes: 240,
        },
        {
          title: '选择带保价的物流',
          description: '',
          assignee: { kind: 'subject_assignee' },
          evidence: 'none',
          evidenceRequired: false,
          dueOffsetMinutes: 240,
        },
      ],
    }));
  await deps.c.automationRules.create('system', {
    name: '大额订单交给王芳',
    enabled: true,
    trigger: { kind: 'event', event: 'order.created' },
    shopId: deps.shopId,
    condition: 'total >= 50 and currency == "SGD"',
    actions: [
      { key: 'order.assign', params: { member: U.csLead } },
      { key: 'checklist.start', params: { templateId: template.id } },
      { key: 'order.tag', params: { tag: '大额' } },
      { key: 'message.send', params: { members: [U.owner], text: '大额订单 {order_id}（{amount}）已交给王芳，并发起「大额订单」清单' } },
    ],
  });
}

/**
 * The demo's Shopee shop: created in the Shopee simulator and linked the way a real one is (an authorization code
 * exchanged through auth/token/get), once; pushes go to the server and orders keep arriving.
 */
export async function linkDemoShop(deps: { shops: ShopService; sim: ShopeeSim; owner: string; publicUrl: string; stream?: boolean }): Promise<string> {
  const linked = (await deps.shops.list())[0];
  // The simulator starts empty each time: give it back the linked shop (same id) so tokens and orders line up again.
  const shopId = Number(linked?.shopId ?? 0) || undefined;
  const shop = deps.sim.addShop({ ...(shopId ? { shopId } : {}), name: '星河旗舰店 (Shopee SG)', region: 'SG' });
  deps.sim.setPushUrl(`${deps.publicUrl}/shopee/push`);
  await deps.shops.linkWithCode(deps.sim.issueAuthCode(shop.shopId), String(shop.shopId), deps.owner);
  if (deps.stream !== false) {
    deps.sim.startOrderStream(shop.shopId);
    // Two returns at once, so 售后 has cases from the start: a small refund the agent handles, and one above the
    // shop's approval threshold (200 SGD) whose 同意/驳回 card goes to the 客服组长.
    for (const [refund, reason] of [
      [18.9, 'ITEM_DAMAGED'],
      [268, 'NOT_RECEIPT'],
    ] as const) {
      const order = deps.sim.createOrder(shop.shopId, { order_status: 'SHIPPED' });
      deps.sim.createReturn(order.order_sn, { refund_amount: refund, reason, return_solution: 1 });
    }
  }
  return String(shop.shopId);
}

/** The demo history's products: a code, a name and a price in SGD, and how often they sell (weights). */
const DEMO_PRODUCTS = [
  { sku: 'FLASK-500', name: '不锈钢保温杯 500ml', price: 12.8, weight: 5 },
  { sku: 'EARBUDS-TWS', name: '蓝牙无线耳机 TWS', price: 25.5, weight: 3 },
  { sku: 'TEE-OVERSIZE', name: '纯棉宽松短袖T恤', price: 9.7, weight: 4 },
  { sku: 'CABLE-USBC', name: 'USB-C 快充线（2条装）', price: 5.5, weight: 4 },
  { sku: 'LAMP-LED', name: 'LED 护眼台灯', price: 22.5, weight: 2 },
  { sku: 'PAN-28', name: '不粘平底锅 28cm', price: 28.3, weight: 1 },
] as const;
/** Orders a day, Monday to Sunday (the week's rhythm: quieter early in the week, busiest at the weekend). */
const DEMO_WEEKDAY_ORDERS = [26, 24, 25, 27, 31, 36, 34];
const DEMO_HISTORY_DAYS = 42;
/** The demo's own alert line: it is crossed yesterday (refunds surged), so the dashboard shows one fired. */
const DEMO_ALERT = '退款率预警线';

/** A small seeded generator (mulberry32), so the history is the same on every machine. */
function demoRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The demo shop's six weeks of history, generated once at start (issue 13): 42 days before today of orders (the week's
 * rhythm, six products, claims by the customer-service agents, shipping on time or a little late, a few cancelled),
 * refunds with their return cases, complaints, first responses, resolutions and SLA breaches, and the daily shop check
 * — written as the metrics module's own facts (never the orders or cases tables: the 订单 and 售后 pages show only real
 * ones), every id prefixed `DEMO-` (demo data), then rolled up day by day. Yesterday the cheap USB-C cable's refunds
 * surge: the seeded 退款率预警线 (> 15 %) fires once and the early warning flags 退款订单数 against the same weekday of
 * the weeks before. Daily targets (the shop's GMV, the flask's units) and a 'sold below target 3 days running' line
 * (not crossed) show the targets. Idempotent: once the alert line exists, a restart adds nothing.
 */
export async function seedDemoHistory(deps: {
  c: Pick<Container, 'ds' | 'metricRollup' | 'metricAlerts' | 'earlyWarnings' | 'metricTargets'>;
  shopId: string;
  timeZone: string;
  now: number;
}): Promise<void> {
  const { c, shopId, timeZone } = deps;
  if ((await c.metricAlerts.list()).some((a) => a.name === DEMO_ALERT && a.shopId === shopId)) return;
  const today = todayIn(timeZone, deps.now);
  const yesterday = addDays(today, -1);
  const [todayStart] = dayBounds(timeZone, today);
  const days = Array.from({ length: DEMO_HISTORY_DAYS }, (_, i) => addDays(today, i - DEMO_HISTORY_DAYS));
  if (!(await c.ds.getRepository(MetricOrder).exists({ where: { shopId, orderSn: Like('DEMO-%') } }))) {
    const facts = demoHistoryFacts({ shopId, timeZone, days, yesterday, todayStart });
    await c.ds.transaction((m) => insertDemoFacts(m, facts));
  }
  for (const day of days) await c.metricRollup.day(day, shopId);
  const owner: Actor = { userid: U.owner, grants: [{ role: 'owner', shops: 'all' }] };
  if (!(await c.metricTargets.matching({ metric: 'gmv', shopId })).length) {
    await c.metricTargets.set(owner, { shopId, metric: 'gmv', daily: 900, currency: 'SGD' });
    await c.metricTargets.set(owner, { shopId, sku: 'FLASK-500', metric: 'units', daily: 10 });
  }
  const line = { enabled: true, shopId, sku: null, currency: null, windowDays: 1, basis: 'value' as const };
  await c.metricAlerts.create(U.owner, {
    ...line,
    name: '保温杯销量低于目标',
    metric: 'units',
    sku: 'FLASK-500',
    comparison: '<',
    threshold: 0.6,
    basis: 'target',
    windowDays: 3,
  });
  await c.metricAlerts.create(U.owner, { ...line, name: DEMO_ALERT, metric: 'refund_rate', comparison: '>', threshold: 0.15 });
  // The checks of the night, once, on yesterday: the alert line fires, the early warning is given.
  await c.metricAlerts.evaluate(yesterday);
  await c.earlyWarnings.evaluate(yesterday, [shopId]);
}

export interface DemoHistoryFacts {
  orders: MetricOrder[];
  refunds: MetricRefund[];
  cases: MetricCase[];
  marks: MetricMark[];
}

/** The demo history's facts for `days` (the 42 before today), all before `todayStart`: the same for the same days. */
export function demoHistoryFacts(o: { shopId: string; timeZone: string; days: string[]; yesterday: string; todayStart: number }): DemoHistoryFacts {
  const H = 3_600_000;
  const MIN = 60_000;
  const agents = [U.csAgent, U.csAgent2, U.csAgent3, U.csAgent4];
  const orders: MetricOrder[] = [];
  const refunds: MetricRefund[] = [];
  const cases: MetricCase[] = [];
  const marks: MetricMark[] = [];
  const before = (t: number) => t < o.todayStart;
  const perWeekday = new Map<number, number[]>();
  o.days.forEach((day, index) => {
    const rnd = demoRandom(20_261_111 + index * 7919);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
    const [start] = dayBounds(o.timeZone, day);
    const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
    // Yesterday sells what its weekday sold on average (its figures are ordinary: only its refunds surge).
    const seen = perWeekday.get(weekday) ?? [];
    const count =
      day === o.yesterday && seen.length
        ? Math.round(seen.reduce((a, b) => a + b, 0) / seen.length)
        : Math.round(DEMO_WEEKDAY_ORDERS[weekday]! * (0.85 + rnd() * 0.3));
    perWeekday.set(weekday, [...seen, count]);
    for (let n = 0; n < count; n++) {
      // Daytime mostly: 08:00–23:30, busiest in the evening.
      const createdAt = start + Math.round((8 + 15.5 * Math.sqrt(rnd())) * H);
      const items = Array.from({ length: rnd() < 0.3 ? 2 : 1 }, () => {
        const total = DEMO_PRODUCTS.reduce((a, p) => a + p.weight, 0);
        let r = rnd() * total;
        const p = DEMO_PRODUCTS.find((x) => (r -= x.weight) < 0) ?? DEMO_PRODUCTS[0];
        const qty = rnd() < 0.75 ? 1 : 2;
        return { sku: p.sku, name: p.name, qty, amount: Math.round(p.price * qty * 100) / 100 };
      });
      const shipBy = createdAt + 48 * H;
      const cancelled = rnd() < 0.03;
      const late = rnd() < 0.05;
      const shipped = cancelled ? null : late ? shipBy + Math.round((1 + rnd() * 10) * H) : createdAt + Math.round((3 + rnd() * 27) * H);
      const claimedAt = createdAt + Math.round((1 + rnd() * rnd() * 45) * MIN);
      const shippedAt = shipped !== null && before(shipped) ? shipped : null;
      orders.push({
        orderSn: `DEMO-${day.replace(/-/g, '')}-${String(n + 1).padStart(3, '0')}`,
        shopId: o.shopId,
        currency: 'SGD',
        total: Math.round(items.reduce((a, i) => a + i.amount, 0) * 100) / 100,
        status: cancelled ? 'CANCELLED' : shippedAt === null ? 'READY_TO_SHIP' : shippedAt < o.todayStart - 7 * 24 * H ? 'COMPLETED' : 'SHIPPED',
        createdAt,
        updateTime: shippedAt ?? createdAt,
        shipBy,
        shippedAt,
        claimedAt: before(claimedAt) ? claimedAt : null,
        claimedBy: before(claimedAt) ? pick(agents) : null,
        items,
      });
    }
    // The daily shop check, done by the evening; now and then one of its steps runs late.
    marks.push({ id: `DEMO-CHK-${day}`, kind: 'checklist_done', shopId: o.shopId, member: null, at: start + 20 * H, detail: '每日店铺检查' });
    if (rnd() < 0.15)
      marks.push({ id: `DEMO-CHKO-${day}`, kind: 'checklist_overdue', shopId: o.shopId, member: pick(agents), at: start + 12 * H, detail: '每日店铺检查' });
  });

  // Refunds (with their return cases) and complaints, day by day; yesterday the USB-C cable's refunds surge.
  let caseNo = 0;
  const openCase = (rnd: () => number, openedAt: number, resolvedAt: number | null) => {
    const assignee = agents[Math.floor(rnd() * agents.length)]!;
    const respondedAt = openedAt + Math.round((5 + rnd() * rnd() * 150) * MIN);
    const c: MetricCase = {
      caseId: `DEMO-C${String(++caseNo).padStart(4, '0')}`,
      shopId: o.shopId,
      openedAt,
      assignee,
      respondedAt: before(respondedAt) ? respondedAt : null,
      respondedBy: before(respondedAt) ? assignee : null,
      resolvedAt: resolvedAt !== null && before(resolvedAt) ? resolvedAt : null,
      resolvedBy: resolvedAt !== null && before(resolvedAt) ? assignee : null,
    };
    cases.push(c);
    // The first-response target is an hour, resolution a day (calendar time, as the figures count).
    if (respondedAt - openedAt > H && before(openedAt + H))
      marks.push({ id: `DEMO-B${c.caseId}-1`, kind: 'sla_breach', shopId: o.shopId, member: assignee, at: openedAt + H, detail: '首次响应' });
    if ((resolvedAt ?? Infinity) - openedAt > 24 * H && before(openedAt + 24 * H))
      marks.push({ id: `DEMO-B${c.caseId}-2`, kind: 'sla_breach', shopId: o.shopId, member: assignee, at: openedAt + 24 * H, detail: '解决时限' });
    return c;
  };
  o.days.forEach((day, index) => {
    if (index < 3) return; // refunds come days after the orders
    const rnd = demoRandom(7_700_000 + index * 104_729);
    const [start] = dayBounds(o.timeZone, day);
    const surge = day === o.yesterday;
    const candidates = orders.filter((x) => x.shippedAt !== null && x.createdAt < start - 2 * 24 * H && x.createdAt >= start - 8 * 24 * H);
    // ~0.9 a day; on yesterday's weekday one or two (a pattern with some spread), and yesterday 7.
    const sameWeekday = daysBetweenDemo(day, o.yesterday) % 7 === 0;
    const wanted = surge ? 7 : sameWeekday ? 1 + (index % 2) : Math.floor(-Math.log(1 - rnd()) * 0.9);
    // Yesterday's are partial refunds of the cable (a faulty batch), small enough that the refund amount stays within
    // its own pattern (mean + 2σ of the same weekday): the warning is about the number of refunds alone.
    const partial = surge ? surgeRefund(refunds, o) : 0;
    const pool = surge ? candidates.filter((x) => x.items.some((i) => i.sku === 'CABLE-USBC')) : candidates;
    const taken = new Set(refunds.map((r) => r.orderSn));
    for (let n = 0; n < wanted; n++) {
      const free = pool.filter((x) => !taken.has(x.orderSn));
      const order = free[Math.floor(rnd() * free.length)];
      if (!order) continue;
      taken.add(order.orderSn);
      const line = surge ? order.items.find((i) => i.sku === 'CABLE-USBC')! : order.items[0]!;
      const refundedAt = start + Math.round((9 + rnd() * 12) * H);
      const c = openCase(rnd, refundedAt - Math.round((6 + rnd() * 30) * H), refundedAt);
      refunds.push({ caseId: c.caseId, shopId: o.shopId, orderSn: order.orderSn, currency: 'SGD', amount: surge ? partial : line.amount, refundedAt });
    }
    if (rnd() < 0.6) {
      // A complaint from chat: answered, and resolved within hours — or, now and then, past its day.
      const openedAt = start + Math.round((9 + rnd() * 10) * H);
      openCase(rnd, openedAt, openedAt + Math.round((2 + rnd() * rnd() * 40) * H));
    }
  });

  return { orders, refunds, cases, marks };
}

const daysBetweenDemo = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Each of yesterday's 7 refunds: at most the cable's price, and together at most mean + 2σ of the same weekday's refund amounts. */
function surgeRefund(refunds: readonly MetricRefund[], o: { timeZone: string; yesterday: string }): number {
  const sums = [1, 2, 3, 4, 5, 6].map((w) => {
    const [from, to] = dayBounds(o.timeZone, addDays(o.yesterday, -7 * w));
    return refunds.filter((r) => r.refundedAt >= from && r.refundedAt < to).reduce((a, r) => a + r.amount, 0);
  });
  const mean = sums.reduce((a, b) => a + b, 0) / sums.length;
  const sd = Math.sqrt(sums.reduce((a, b) => a + (b - mean) ** 2, 0) / sums.length);
  return Math.floor(Math.min(5.5, (mean + 2 * sd) / 7) * 100) / 100;
}

async function insertDemoFacts(m: EntityManager, facts: DemoHistoryFacts): Promise<void> {
  const insertAll = async <T extends object>(entity: new () => T, rows: T[]) => {
    for (let i = 0; i < rows.length; i += 200) await m.insert(entity, rows.slice(i, i + 200));
  };
  await insertAll(MetricOrder, facts.orders);
  await insertAll(MetricRefund, facts.refunds);
  await insertAll(MetricCase, facts.cases);
  await insertAll(MetricMark, facts.marks);
}
