import type { EventTypeDef } from '../../platform/events';
import { defineModule } from '../../platform/module';
import { ContactEventHandlers } from './contact-events';
import { ContactSyncScheduler } from './contact-sync.scheduler';
import { ContactSyncService } from './contact-sync.service';
import { Department } from './department.entity';
import { MemberDepartment } from './member-department.entity';
import { Member } from './member.entity';
import { OrgDirectory } from './org-directory';
import { orgRoutes } from './org.routes';
import { OrgService } from './org.service';
import { SyncRun } from './sync-run.entity';
import { syncRoutes } from './sync.routes';
import { Tag, TagDepartment, TagMember } from './tag.entity';

/** What the address book tells the other modules (onboarding, offboarding and notifications build on these). */
const ORG_EVENTS: EventTypeDef[] = [
  { type: 'member.joined', label: '成员加入', fields: { userid: { label: '成员账号', type: 'string' }, name: { label: '姓名', type: 'string' } } },
  {
    type: 'member.left',
    label: '成员离开',
    fields: { userid: { label: '成员账号', type: 'string' }, reason: { label: '原因 (removed 删除 / disabled 禁用)', type: 'string' } },
  },
  {
    type: 'member.moved',
    label: '成员调岗',
    fields: { userid: { label: '成员账号', type: 'string' }, left_departments: { label: '离开的部门ID（逗号分隔）', type: 'string' } },
  },
  { type: 'member.renamed', label: '成员账号变更', fields: { from: { label: '原账号', type: 'string' }, to: { label: '新账号', type: 'string' } } },
];

declare module '../../platform/services' {
  interface ServiceMap {
    org: OrgService;
    directory: OrgDirectory;
    contactSync: ContactSyncService;
    contactSyncSchedule: ContactSyncScheduler;
  }
}

/** The mirror of the WeCom address book: departments, members, tags; full and incremental sync. */
export const orgModule = defineModule({
  name: 'org',
  entities: [Department, Member, MemberDepartment, Tag, TagMember, TagDepartment, SyncRun],
  create: ({ config, ds, wecom, audit, leases, logger, services, uow }) => {
    const org = new OrgService(ds, (manager, type, payload) => uow.wrap(manager, { actor: 'wecom' }).publish(type, payload));
    const contactSync = new ContactSyncService(ds, wecom, org, audit, leases, logger, { concurrency: config.CONTACT_SYNC_CONCURRENCY });
    const roles = services.lazy('roles');
    const directory = new OrgDirectory(org, { rolesOfMany: (userids) => roles().rolesOfMany(userids) });
    const schedule = new ContactSyncScheduler(contactSync, logger, { staleMinutes: config.CONTACT_SYNC_STALE_MINUTES });
    return {
      provides: { org, directory, contactSync, contactSyncSchedule: schedule },
      routes: [
        ...orgRoutes({
          directory,
          roles: { grantsOf: (userid) => roles().grantsOf(userid) },
          demo: config.SHOPCREW_DEMO,
          simulatorUrl: config.WECOM_OAUTH_BASE,
        }),
        ...syncRoutes(contactSync),
      ],
      inboxHandlers: { wecom: new ContactEventHandlers(uow, wecom, org).handlers() },
      events: ORG_EVENTS,
      // The safety net for missed change_contact events: a full sync at 03:00 corp time, once across instances.
      jobs: [{ key: 'org.contact-sync.nightly', cron: '0 3 * * *', run: () => schedule.runNightly() }],
      background: [
        {
          name: 'contact-sync schedule',
          start: () => schedule.start(),
          stop: async () => {
            schedule.stop();
            await schedule.idle();
            await contactSync.idle();
          },
        },
      ],
    };
  },
});
