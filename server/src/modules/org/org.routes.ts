import type { DepartmentNode, MeResponse, MembersResponse, TagsResponse } from '@shopcrew/shared';
import { z } from 'zod';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../../errors';
import type { AppContext } from '../../http/context';
import type { RouteDef } from '../../http/routes';
import type { RoleService } from '../roles/role.service';
import type { OrgDirectory } from './org-directory';

export interface OrgRouteDeps {
  directory: OrgDirectory;
  roles: Pick<RoleService, 'grantsOf'>;
  demo: boolean;
  /** Demo only: where the browser reaches the WeCom simulator (its member inbox page lives there). */
  simulatorUrl?: string;
}

/** ?department=ID (a department's members) or ?q=text (search by name, userid or position), not both. */
const membersQuery = z
  .object({ department: z.coerce.number().int().positive().optional(), q: z.string().trim().min(1).max(64).optional() })
  .refine((v) => (v.department === undefined) !== (v.q === undefined));

function currentUser(ctx: AppContext): string {
  if (!ctx.state.userid) throw new UnauthenticatedError();
  return ctx.state.userid;
}

export function orgRoutes(d: OrgRouteDeps): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/me',
      access: 'authenticated',
      handler: async (ctx) => {
        const userid = currentUser(ctx);
        const profile = await d.directory.profile(userid);
        if (!profile) throw new UnauthenticatedError();
        const grants = ctx.state.grants ?? (await d.roles.grantsOf(userid));
        const body: MeResponse = { ...profile, roles: grants.roles, permissions: grants.permissions, grants: grants.grants, demo: d.demo };
        if (d.demo && d.simulatorUrl) body.demoInboxUrl = `${d.simulatorUrl}/__sim/inbox?as=${encodeURIComponent(userid)}`;
        ctx.body = body;
      },
    },
    {
      method: 'get',
      path: '/api/org/departments',
      access: 'org:read',
      handler: async (ctx) => {
        const departments: DepartmentNode[] = await d.directory.tree();
        ctx.body = { departments };
      },
    },
    {
      method: 'get',
      path: '/api/org/members',
      access: 'org:read',
      handler: async (ctx) => {
        const parsed = membersQuery.safeParse(ctx.query);
        if (!parsed.success) {
          throw new ValidationError(
            '需要 department（部门 ID，正整数）或 q（搜索词，1–64 个字符）其中之一 (department must be a positive integer, or q 1–64 characters)',
          );
        }
        const { department, q } = parsed.data;
        if (q !== undefined) {
          ctx.body = (await d.directory.search(q)) satisfies MembersResponse;
          return;
        }
        const result: MembersResponse | null = await d.directory.membersOf(department!);
        if (!result) throw new NotFoundError(`部门 ${department} 不存在`);
        ctx.body = result;
      },
    },
    {
      method: 'get',
      path: '/api/org/tags',
      access: 'org:read',
      handler: async (ctx) => {
        const body: TagsResponse = { tags: await d.directory.tags() };
        ctx.body = body;
      },
    },
  ];
}
