import type { DataSource } from 'typeorm';
import type { RouteDef } from './routes';

/** Liveness (process is up) and readiness (database reachable) for load balancers and the demo. */
export function healthRoutes(ds: DataSource): RouteDef[] {
  return [
    { method: 'get', path: '/healthz', access: 'public', handler: (ctx) => void (ctx.body = { status: 'ok' }) },
    {
      method: 'get',
      path: '/readyz',
      access: 'public',
      handler: async (ctx) => {
        try {
          await ds.query('SELECT 1');
          ctx.body = { status: 'ready', database: 'ok' };
        } catch {
          ctx.status = 503;
          ctx.body = { error: { code: 'database_unreachable', message: '数据库不可用 (database unreachable)' } };
        }
      },
    },
  ];
}
