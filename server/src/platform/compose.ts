import type { RouteDef } from '../http/routes';
import { EventRegistry } from '../wecom/callbacks/event-handlers';
import type { Background, ModuleContext, ModuleDefinition } from './module';
import type { ServiceMap } from './services';
import { UniqueKeys } from './unique';

export interface ComposedModules {
  routes: RouteDef[];
  inbox: EventRegistry;
  background: Background[];
}

/**
 * Builds the modules in order, collecting what each contributes. Two modules with one name, two
 * routes with one method and path, two handlers for one event or two services with one name stop
 * the boot with both owners named; a duplicate job key or timer kind stops it too (the scheduler's check).
 */
export function composeModules(ctx: ModuleContext, modules: readonly ModuleDefinition[], platformRoutes: readonly RouteDef[] = []): ComposedModules {
  const names = new UniqueKeys('module');
  const routeKeys = new UniqueKeys('route');
  const routes: RouteDef[] = [];
  const addRoutes = (list: readonly RouteDef[], owner: string) => {
    for (const route of list) {
      routeKeys.add(`${route.method.toUpperCase()} ${route.path}`, owner);
      routes.push(route);
    }
  };
  addRoutes(platformRoutes, 'platform');
  const inbox = new EventRegistry();
  const background: Background[] = [];
  for (const module of modules) {
    names.add(module.name, `module ${module.name}`);
    const parts = module.create(ctx);
    for (const [name, service] of Object.entries(parts.provides ?? {})) {
      ctx.services.provide(name as keyof ServiceMap, service, `module ${module.name}`);
    }
    addRoutes(parts.routes ?? [], `module ${module.name}`);
    for (const [key, handler] of Object.entries(parts.inboxHandlers ?? {})) inbox.on(key, handler, `module ${module.name}`);
    for (const job of parts.jobs ?? []) ctx.scheduler.register(job);
    for (const [kind, handler] of Object.entries(parts.timers ?? {})) ctx.scheduler.timers.on(kind, handler);
    background.push(...(parts.background ?? []));
  }
  return { routes, inbox, background };
}
