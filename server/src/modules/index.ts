import type { ModuleDefinition } from '../platform/module';
import { adminModule } from './admin';
import { aftersalesModule } from './aftersales';
import { automationModule } from './automation';
import { metricsModule } from './metrics';
import { projectsModule } from './projects';
import { sopModule } from './sop';
import { auditModule } from './audit';
import { authModule } from './auth';
import { notificationsModule } from './notifications';
import { orgModule } from './org';
import { ordersModule } from './orders';
import { rolesModule } from './roles';
import { shopsModule } from './shops';

/**
 * Every module, one line each, in the order they are built: a module may use the services of those
 * above it (and, lazily, of those below). Adding a module = a folder and a line here.
 */
export const MODULES: readonly ModuleDefinition[] = [
  authModule,
  orgModule,
  rolesModule,
  auditModule,
  adminModule,
  notificationsModule,
  shopsModule,
  ordersModule,
  aftersalesModule,
  sopModule,
  projectsModule,
  metricsModule,
  automationModule,
];
