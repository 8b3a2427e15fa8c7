// Role bindings for the demo corp 星河电商: who gets which ShopCrew role, the way a real shop owner
// would set them up on day one (departments for the rank and file, tags for leads, one user binding).
import type { Actor } from '@shopcrew/shared';
import type { CommentService } from '../server/src/modules/projects/comment.service';
import { addDays } from '../server/src/modules/projects/days';
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
