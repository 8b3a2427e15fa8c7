import { ROLES } from '@shopcrew/shared';
import { z } from 'zod';
import { ValidationError } from '../../errors';
import { readJson } from '../../http/body';
import type { RouteDef } from '../../http/routes';
import type { RoleService } from './role.service';

const bindingBody = z.object({
  role: z.string().min(1),
  subjectType: z.enum(['department', 'tag', 'user']),
  subjectId: z.union([z.string().min(1).max(64), z.number().int().positive()]).transform(String),
});

export function roleRoutes(roles: RoleService): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/roles',
      access: 'org:read',
      handler: async (ctx) => {
        ctx.body = { roles: Object.values(ROLES), bindings: await roles.listBindings() };
      },
    },
    {
      method: 'post',
      path: '/api/roles/bindings',
      access: 'org:manage_roles',
      handler: async (ctx) => {
        const parsed = bindingBody.safeParse(await readJson(ctx));
        if (!parsed.success) throw new ValidationError('授权参数无效 (role, subjectType, subjectId required)', parsed.error.issues);
        ctx.status = 201;
        ctx.body = await roles.addBinding(parsed.data, ctx.state.userid!, ctx.state.requestId);
      },
    },
    {
      method: 'delete',
      path: '/api/roles/bindings/:id',
      access: 'org:manage_roles',
      handler: async (ctx) => {
        const id = Number(ctx.params.id);
        if (!Number.isInteger(id) || id <= 0) throw new ValidationError('id 必须是正整数');
        await roles.removeBinding(id, ctx.state.userid!, ctx.state.requestId);
        ctx.status = 204;
      },
    },
  ];
}
