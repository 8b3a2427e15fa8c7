import { ROLES, type RoleMembersResponse, type RolesResponse } from '@shopcrew/shared';
import { ValidationError } from '../../errors';
import { readJson } from '../../http/body';
import type { RouteDef } from '../../http/routes';
import { bindingBody, rescopeBody } from './binding-subject';
import type { RoleService } from './role.service';

export function roleRoutes(roles: RoleService): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/roles',
      access: 'org:read',
      handler: async (ctx) => {
        const body: RolesResponse = { roles: Object.values(ROLES), bindings: await roles.bindingViews() };
        ctx.body = body;
      },
    },
    {
      method: 'get',
      path: '/api/roles/members',
      access: 'org:read',
      handler: async (ctx) => {
        const body: RoleMembersResponse = { members: await roles.memberRoles() };
        ctx.body = body;
      },
    },
    {
      method: 'post',
      path: '/api/roles/bindings',
      access: 'org:manage_roles',
      handler: async (ctx) => {
        const parsed = bindingBody.safeParse(await readJson(ctx));
        if (!parsed.success) {
          // The subject's own problem (blank, control characters …) says more than the generic line.
          const subject = parsed.error.issues.find((i) => i.path[0] === 'subjectId' && i.code === 'custom');
          throw new ValidationError(subject?.message ?? '授权参数无效 (role, subjectType, subjectId required)', parsed.error.issues);
        }
        ctx.status = 201;
        ctx.body = await roles.addBinding(parsed.data, ctx.state.userid!, ctx.state.requestId);
      },
    },
    {
      method: 'patch',
      path: '/api/roles/bindings/:id',
      access: 'org:manage_roles',
      handler: async (ctx) => {
        const id = bindingId(ctx.params);
        const parsed = rescopeBody.safeParse(await readJson(ctx));
        if (!parsed.success) throw new ValidationError(parsed.error.issues[0]?.message ?? '店铺范围无效 (shops: "all" or shop ids)', parsed.error.issues);
        ctx.body = await roles.rescopeBinding(id, parsed.data.shops, ctx.state.userid!, ctx.state.requestId);
      },
    },
    {
      method: 'delete',
      path: '/api/roles/bindings/:id',
      access: 'org:manage_roles',
      handler: async (ctx) => {
        await roles.removeBinding(bindingId(ctx.params), ctx.state.userid!, ctx.state.requestId);
        ctx.status = 204;
      },
    },
  ];
}

function bindingId(params: unknown): number {
  const id = Number((params as Record<string, string>)['id']);
  if (!Number.isInteger(id) || id <= 0) throw new ValidationError('id 必须是正整数');
  return id;
}
