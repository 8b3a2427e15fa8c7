import { defineModule } from '../../platform/module';
import { AuditEntry } from './audit-entry.entity';
import { auditExport } from './audit-export';
import { AuditQueryService } from './audit-query.service';
import { auditRoutes } from './audit.routes';

declare module '../../platform/services' {
  interface ServiceMap {
    auditQuery: AuditQueryService;
  }
}

/**
 * The audit log's reading side (操作日志: filters, paging, CSV). Writing is the platform's AuditService,
 * which every module uses inside its own transactions.
 */
export const auditModule = defineModule({
  name: 'audit',
  entities: [AuditEntry],
  create: ({ config, ds, uow, services }) => {
    const auditQuery = new AuditQueryService(ds, services.get('org'));
    return { provides: { auditQuery }, routes: auditRoutes(uow, auditQuery), exports: [auditExport(auditQuery, config.TZ_CORP)] };
  },
});
