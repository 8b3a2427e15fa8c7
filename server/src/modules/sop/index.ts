import type { EntityManager } from 'typeorm';
import { checklistAutomationAction } from './automation-actions';
import { isUniqueViolation } from '../../db/transaction';
import { createStorage } from '../../lib/create-storage';
import { defineModule } from '../../platform/module';
import { FileService } from './file.service';
import { HandoverQuery } from './handover-query';
import { Offboarding } from './offboarding';
import { RuleService } from './rule.service';
import { RunQuery } from './run-query';
import { RunService } from './run.service';
import { SOP_EVENTS } from './sop.events';
import { HandoverRow, SopFile, SopRuleRow, SopRun, SopRunStep, SopTemplate, SopTemplateVersion } from './sop.entity';
import { sopRoutes } from './sop.routes';
import { SubjectResolver } from './subjects';
import { TemplateService } from './template.service';
import { triggerSubscribers } from './triggers';

declare module '../../platform/services' {
  interface ServiceMap {
    sopTemplates: TemplateService;
    sopRuns: RunService;
    sopRules: RuleService;
  }
}

/** SOP checklists: versioned templates, attach rules, runs with evidence, onboarding and offboarding (README.md). */
export const sopModule = defineModule({
  name: 'sop',
  entities: [SopTemplate, SopTemplateVersion, SopRuleRow, SopRun, SopRunStep, SopFile, HandoverRow],
  create: ({ config, ds, uow, logger, services, scheduler, handovers, wecom }) => {
    const now = () => scheduler.clock.now();
    const org = services.get('org');
    const roles = services.get('roles');
    const namesOf = (userids: readonly string[], manager?: EntityManager) => org.namesOf(userids, manager);
    // A member's lead (org), else an owner: somebody always receives what a leaver had.
    const leadFor = async (userid: string | null, manager: EntityManager) => {
      const lead = userid ? await org.leadOf(userid, manager) : null;
      return lead ?? (await roles.membersWithRole('owner')).find((u) => u !== userid) ?? null;
    };
    const templates = new TemplateService(
      ds,
      uow,
      {
        activeMembers: async (userids) => new Set((await org.membersByIds([...userids])).filter((m) => m.active).map((m) => m.userid)),
        namesOf: (u) => namesOf(u),
      },
      now,
    );
    const rules = new RuleService(ds, uow, now);
    const runs = new RunService(ds, uow, { leadFor }, now);
    const query = new RunQuery(ds, (u) => namesOf(u), now);
    const files = new FileService(ds, createStorage(config), now);
    const offboarding = new Offboarding(
      handovers,
      rules,
      runs,
      { leadFor, leadOfDepartment: (d, u, m) => org.leaderFrom(d, u, m), namesOf: (u, m) => namesOf(u, m) },
      now,
    );
    const orders = services.get('orders');
    const caseQuery = services.get('caseQuery');
    const subjects = new SubjectResolver(uow, runs, {
      order: async (actor, sn) => {
        const o = await orders.detail(actor, sn).catch(() => null);
        return o ? { shopId: o.shopId, assignee: o.assignee?.userid ?? null } : null;
      },
      case: async (actor, id) => {
        const c = await caseQuery.detail(actor, id).catch(() => null);
        return c ? { shopId: c.shopId, assignee: c.assignee?.userid ?? null, title: c.title } : null;
      },
      member: async (userid) => {
        const m = await org.findMember(userid);
        return m?.active ? { name: m.name } : null;
      },
    });
    const handoverQuery = new HandoverQuery(ds, {
      namesOf: (u) => namesOf(u),
      leadsOf: (u) => org.leadsOf(u),
      isOwner: (actor) => actor.grants.some((g) => g.role === 'owner'),
    });
    const nameOf = async (userid: string, tx: { manager: EntityManager }) => (await namesOf([userid], tx.manager)).get(userid) ?? userid;
    return {
      provides: { sopTemplates: templates, sopRuns: runs, sopRules: rules },
      events: SOP_EVENTS,
      routes: sopRoutes({ templates, rules, runs, query, files, handovers: handoverQuery, subjects, wecom }),
      subscribers: [...triggerSubscribers(rules, runs, nameOf), offboarding.subscriber()],
      automationActions: [checklistAutomationAction(runs)],
      handovers: [offboarding.stepsHandover()],
      jobs: [{ key: 'sop.overdue', cron: '* * * * *', run: ({ scheduledAt }) => runs.overdue(Math.max(scheduledAt, now())).then(() => undefined) }],
      homeCounters: [
        {
          key: 'sop.mine',
          permission: 'sop:run',
          labelKey: 'sop.home.mine',
          emptyKey: 'sop.home.mineEmpty',
          link: '/checklists',
          icon: 'todo-list-o',
          count: async (actor) => (await query.list(actor, { view: 'mine', state: 'running', limit: 100 })).items.length,
        },
      ],
      // The seeded SOPs (新订单处理, 售后处理, 入职, 离职/调岗, 每日店铺检查, 大促准备) and their rules, once, at boot.
      boot: [
        () =>
          uow
            .run({ actor: 'system' }, (tx) => templates.ensureSeeds(tx))
            .then((n) => void (n && logger.info({ templates: n }, 'seeded SOP templates')))
            .catch((err: unknown) => {
              // Another instance booting at the same moment seeded them first.
              if (!isUniqueViolation(err)) logger.error({ err }, 'seeding SOP templates failed');
            }),
      ],
    };
  },
});
