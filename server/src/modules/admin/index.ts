import { defineModule } from '../../platform/module';
import { adminRoutes } from './admin.routes';

/** The 设置 home counters: a summary over roles, audit and contact sync, per permission. */
export const adminModule = defineModule({
  name: 'admin',
  entities: [],
  create: ({ services }) => ({
    routes: adminRoutes({ roles: services.get('roles'), auditQuery: services.get('auditQuery'), contactSync: services.get('contactSync') }),
  }),
});
