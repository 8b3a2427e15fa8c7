import type { RouteDef } from '../http/routes';
import type { Dispatcher } from './events';
import { EventRegistry } from '../wecom/callbacks/event-handlers';
import type { Background, ModuleContext, ModuleDefinition } from './module';
import type { ServiceMap } from './services';
import { UniqueKeys } from './unique';

export interface ComposedModules {
  routes: RouteDef[];
  inbox: EventRegistry;
  background: Background[];
  boot: Array<() => Promise<void>>;
}

/**
 * Builds the modules in order, collecting what each contributes. Two modules with one name, two
 * routes with one method and path, two handlers for one event or two services with one name stop
 * the boot with both owners named; a duplicate job key or timer kind stops it too (the scheduler's check),
 * and so does a duplicate home counter key or export kind.
 */
/** What composition needs beyond what modules see: the registries of event types and subscribers. */
export type CompositionContext = ModuleContext & { dispatcher: Dispatcher };

export function composeModules(ctx: CompositionContext, modules: readonly ModuleDefinition[], platformRoutes: readonly RouteDef[] = []): ComposedModules {
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
  const boot: Array<() => Promise<void>> = [];
  for (const module of modules) {
    names.add(module.name, `module ${module.name}`);
    const parts = module.create(ctx);
    for (const [name, service] of Object.entries(parts.provides ?? {})) {
      ctx.services.provide(name as keyof ServiceMap, service, `module ${module.name}`);
    }
    addRoutes(parts.routes ?? [], `module ${module.name}`);
    inbox.addAll(parts.inboxHandlers ?? {}, `module ${module.name}`);
    for (const def of parts.events ?? []) ctx.events.register(def, `module ${module.name}`);
    for (const action of parts.cardActions ?? []) ctx.cardActions.register(action, `module ${module.name}`);
    for (const action of parts.automationActions ?? []) ctx.automationActions.register(action, `module ${module.name}`);
    for (const subscriber of parts.subscribers ?? []) ctx.dispatcher.subscribe(subscriber, `module ${module.name}`);
    for (const job of parts.jobs ?? []) ctx.scheduler.register(job);
    for (const [kind, handler] of Object.entries(parts.timers ?? {})) ctx.scheduler.timers.on(kind, handler);
    for (const counter of parts.homeCounters ?? []) ctx.homeCounters.add(counter, module.name);
    for (const section of parts.digestSections ?? []) ctx.digests.add(section, module.name);
    for (const handover of parts.handovers ?? []) ctx.handovers.add(handover, module.name);
    for (const def of parts.exports ?? []) ctx.exports.add(def, module.name);
    background.push(...(parts.background ?? []));
    boot.push(...(parts.boot ?? []));
  }
  ctx.dispatcher.verify(); // every subscribed type is declared by some module
  return { routes, inbox, background, boot };
}
