import type { EntityManager } from 'typeorm';
import { caseAutomationActions } from './automation-actions';
import { defineModule } from '../../platform/module';
import { digestCron } from '../../platform/digests';
import { AgentDigest } from './agent-digest';
import { approvalCardActions } from './card-actions';
import { CASE_EVENTS } from './case.events';
import { AftersalesPolicyRow, Case, CaseDeadlineRow, CaseHistory } from './case.entity';
import { CaseQuery } from './case-query';
import { caseExport } from './case-export';
import { caseRoutes } from './case.routes';
import { CaseService } from './case.service';
import { CaseSync } from './case-sync.service';
import { CaseAssigner } from './case-assigner';
import { caseHandover } from './handover';
import { PolicyService } from './policy.service';
import { ReturnSync } from './return-sync';
import { SlaService } from './sla.service';

declare module '../../platform/services' {
  interface ServiceMap {
    cases: CaseService;
    caseQuery: CaseQuery;
    caseSync: CaseSync;
    sla: SlaService;
    returnSync: ReturnSync;
    aftersalesPolicies: PolicyService;
    agentDigest: AgentDigest;
  }
}

/** After-sales cases from marketplace returns and by hand: states, SLA clocks and reminders, refund approvals (README.md). */
export const aftersalesModule = defineModule({
  name: 'aftersales',
  entities: [Case, CaseHistory, CaseDeadlineRow, AftersalesPolicyRow],
  create: ({ config, ds, uow, leases, logger, services, scheduler }) => {
    // The scheduler's clock: SLA clocks are stamped and ticked by the same time (tests move a ManualClock).
    const now = () => scheduler.clock.now();
    const shops = services.get('shops');
    const org = services.get('org');
    const roles = services.get('roles');
    const namesOf = (userids: readonly string[], manager?: EntityManager) => org.namesOf(userids, manager);
    const eligible = (shopId: string) => roles.membersWithPermission('aftersales:handle', shopId);
    const policies = new PolicyService(ds, uow, now);
    const policyOf = async (shopId: string) => policies.get(shopId, (await shops.get(shopId).catch(() => null))?.currency ?? '');
    const sla = new SlaService(ds, uow, policyOf, config.TZ_CORP, logger);
    const orders = services.get('orders');
    const assigner = new CaseAssigner({
      ruleOf: async (shopId) => {
        const shop = await shops.get(shopId).catch(() => null);
        return shop ? { mode: shop.assignmentMode, cap: shop.assignmentCap } : null;
      },
      eligible,
      onDutyAmong: (u) => orders.onDutyAmong(u),
      namesOf,
    });
    const sync = new CaseSync(uow, policies, sla, logger, now, assigner);
    const query = new CaseQuery(ds, sla, namesOf, () => 2 * 3_600_000, now);
    const caseDeps = { namesOf, membersWithPermission: (p: 'aftersales:handle', shopId: string) => roles.membersWithPermission(p, shopId) };
    const cases = new CaseService(ds, uow, shops, policies, sla, sync, query, caseDeps, now);
    const teamCases = async (departmentId: number, where: string, params: Record<string, unknown> = {}) => {
      const team = await org.activeMembersUnder(departmentId);
      if (!team.length) return 0;
      return ds.getRepository(Case).createQueryBuilder('c').where(where, params).andWhere('c.assignee IN (:...team)', { team }).getCount();
    };
    const returns = new ReturnSync(shops, sync, leases, logger, now);
    const agentDigest = new AgentDigest(ds, uow, config.TZ_CORP, logger);
    return {
      provides: { cases, caseQuery: query, agentDigest, caseSync: sync, sla, returnSync: returns, aftersalesPolicies: policies },
      events: CASE_EVENTS,
      routes: caseRoutes({ cases, query, policies, shops, eligible, namesOf: (u) => org.namesOf(u) }),
      inboxHandlers: { shopee: returns.handlers() },
      cardActions: approvalCardActions(cases),
      automationActions: caseAutomationActions(cases, caseDeps),
      exports: [caseExport({ ds, shops, namesOf, timeZone: config.TZ_CORP })],
      handovers: [caseHandover({ assigner, eligible, namesOf, now })],
      subscribers: [
        {
          // A newly linked shop starts with the default policy: approval from 200 in its own currency.
          key: 'aftersales.default-policy',
          on: ['shop.linked'],
          handle: async (event, tx) => {
            const shop = await shops.get(String(event.payload['shop_id'])).catch(() => null);
            if (shop) await policies.ensure(shop.shopId, shop.currency, tx);
          },
        },
      ],
      jobs: [
        // Reminders and escalations: every due step of every deadline, once, each minute.
        { key: 'aftersales.sla', cron: '* * * * *', run: ({ scheduledAt }) => sla.tick(Math.max(scheduledAt, now())).then(() => undefined) },
        // Each agent's open cases, at the daily digest's time (TZ_CORP).
        {
          key: 'aftersales.agent_digest',
          cron: digestCron(config.DIGEST_DAILY_AT, false),
          run: ({ scheduledAt }) => agentDigest.publish(scheduledAt).then(() => undefined),
        },
        { key: 'aftersales.returns.reconcile', cron: `3-59/${config.SHOPEE_RECONCILE_MINUTES} * * * *`, run: () => returns.sweepAll() },
      ],
      // The digests: the department's open cases, those due within 2 h of the digest, and those past a deadline.
      digestSections: [
        { key: 'aftersales.open', label: '处理中售后', count: (scope) => teamCases(scope.departmentId, 'c.open = 1') },
        {
          key: 'aftersales.due_soon',
          label: '即将超时',
          count: (scope) => teamCases(scope.departmentId, 'c.open = 1 AND c.breached = 0 AND c.due_at < :soon', { soon: scope.to + 2 * 3_600_000 }),
        },
        { key: 'aftersales.breached', label: '已超时', count: (scope) => teamCases(scope.departmentId, 'c.open = 1 AND c.breached = 1') },
      ],
      homeCounters: [
        {
          key: 'aftersales.mine',
          permission: 'aftersales:handle',
          labelKey: 'cases.home.mine',
          link: '/cases?view=mine',
          icon: 'service-o',
          count: (a) => query.count(a, 'mine'),
        },
        {
          key: 'aftersales.due_soon',
          permission: 'aftersales:read',
          labelKey: 'cases.home.dueSoon',
          link: '/cases?view=due_soon',
          icon: 'clock-o',
          color: '#ee0a24',
          count: (a) => query.count(a, 'due_soon'),
        },
      ],
    };
  },
});
