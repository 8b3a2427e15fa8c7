import type { DataSource } from 'typeorm';
import type { RouteDef } from '../../http/routes';
import type { Logger } from '../../lib/logger';
import { ContactSyncService, SyncBusyError } from './contact-sync.service';
import { SyncRun } from './sync-run.entity';
import { ConflictError } from '../../errors';

export function syncRoutes(ds: DataSource, sync: ContactSyncService, logger: Logger): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/org/sync',
      access: 'contacts:sync',
      handler: async (ctx) => {
        ctx.body = { runs: await ds.getRepository(SyncRun).find({ order: { id: 'DESC' }, take: 10 }) };
      },
    },
    {
      method: 'post',
      path: '/api/org/sync',
      access: 'contacts:sync',
      handler: async (ctx) => {
        const running = await ds.getRepository(SyncRun).findOneBy({ status: 'running' });
        if (running) throw new ConflictError('通讯录同步正在进行中', 'sync_running');
        // Answer at once; the run is recorded in sync_runs and the audit log.
        sync.run(`api:${ctx.state.userid}`).catch((err) => {
          if (!(err instanceof SyncBusyError)) logger.error({ err }, 'contact sync failed');
        });
        ctx.status = 202;
        ctx.body = { started: true };
      },
    },
  ];
}
