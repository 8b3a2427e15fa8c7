import type { AdminSummary } from '@shopcrew/shared';
import { z } from 'zod';
import { ValidationError } from '../../errors';
import type { RouteDef } from '../../http/routes';
import type { AuditQueryService } from '../audit/audit-query.service';
import type { ContactSyncService } from '../org/contact-sync.service';
import type { RoleService } from '../roles/role.service';

export interface AdminRouteDeps {
  roles: RoleService;
  auditQuery: AuditQueryService;
  contactSync: ContactSyncService;
  now?: () => number;
}

const DAY_MS = 86_400_000;
/** `since`: the member's local midnight, which only the H5 knows (a day of 24 h ± 2 h of DST). */
const summaryQuery = z.object({ since: z.coerce.number().int().min(0).optional() });

export function adminRoutes(d: AdminRouteDeps): RouteDef[] {
  const now = d.now ?? Date.now;
  return [
    {
      method: 'get',
      path: '/api/admin/summary',
      // Any signed-in member may ask; each part is filled only for the permission it belongs to
      // (the same permissions that guard the pages the counters open), so others get {}.
      access: 'authenticated',
      handler: async (ctx) => {
        const parsed = summaryQuery.safeParse(ctx.query);
        if (!parsed.success || (parsed.data.since !== undefined && Math.abs(now() - parsed.data.since) > 2 * DAY_MS)) {
          throw new ValidationError('since 必须是最近 48 小时内的毫秒时间戳 (since: epoch ms of local midnight)');
        }
        const since = parsed.data.since ?? now() - DAY_MS;
        const may = new Set(ctx.state.grants?.permissions ?? []);
        const [roles, audit, sync] = await Promise.all([
          may.has('org:manage_roles') ? d.roles.bindingCounts() : undefined,
          may.has('audit:read') ? d.auditQuery.countSince(since).then((count) => ({ since, count })) : undefined,
          may.has('contacts:sync') ? d.contactSync.summary() : undefined,
        ]);
        const body: AdminSummary = {};
        if (roles) body.roles = roles;
        if (audit) body.audit = audit;
        if (sync) body.sync = sync;
        ctx.body = body;
      },
    },
  ];
}
