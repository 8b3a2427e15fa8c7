import type { SyncStartResponse, SyncStatusResponse } from '@shopcrew/shared';
import type { RouteDef } from '../../http/routes';
import { ConflictError } from '../../errors';
import type { ContactSyncService } from './contact-sync.service';

export function syncRoutes(sync: ContactSyncService): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/org/sync',
      access: 'contacts:sync',
      handler: async (ctx) => {
        const body: SyncStatusResponse = await sync.status();
        ctx.body = body;
      },
    },
    {
      method: 'post',
      path: '/api/org/sync',
      access: 'contacts:sync',
      handler: async (ctx) => {
        // Answers once the run holds its lease and has its row (so GET shows it running), not when it
        // ends; the outcome goes to sync_runs and the audit log. An interrupted run is resumed.
        const started = await sync.start(`api:${ctx.state.userid}`);
        if (!started) throw new ConflictError('通讯录同步正在进行中，请等待本次同步完成', 'sync_running');
        ctx.status = 202;
        const body: SyncStartResponse = { started: true };
        ctx.body = body;
      },
    },
  ];
}
