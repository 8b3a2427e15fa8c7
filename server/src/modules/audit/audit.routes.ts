import { z } from 'zod';
import { ValidationError } from '../../errors';
import type { RouteDef } from '../../http/routes';
import type { AuditService } from './audit.service';

const query = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  before: z.coerce.number().int().positive().optional(),
  targetType: z.string().max(32).optional(),
  targetId: z.string().max(191).optional(),
});

export function auditRoutes(audit: AuditService): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/audit',
      access: 'audit:read',
      handler: async (ctx) => {
        const parsed = query.safeParse(ctx.query);
        if (!parsed.success) throw new ValidationError('查询参数无效', parsed.error.issues);
        const { before, ...rest } = parsed.data;
        ctx.body = { entries: await audit.list({ ...rest, beforeId: before }) };
      },
    },
  ];
}
