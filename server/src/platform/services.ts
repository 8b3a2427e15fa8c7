import { UniqueKeys } from './unique';

/**
 * The services modules offer each other, by name. Empty here: each module adds its own entries by
 * declaration merging in its index.ts (`declare module '../../platform/services' { interface
 * ServiceMap { org: OrgService } }`), so the map is typed without a central list.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ServiceMap {}
export type ServiceName = keyof ServiceMap;

/** Services provided by modules as they are built, in MODULES order. */
export class ServiceRegistry {
  private readonly services = new Map<string, unknown>();
  private readonly keys = new UniqueKeys('service');

  provide<K extends ServiceName>(name: K, service: ServiceMap[K], by: string): void {
    this.keys.add(name, by);
    this.services.set(name, service);
  }

  /** A service of a module built earlier; a missing one names the fix. */
  get<K extends ServiceName>(name: K): ServiceMap[K] {
    if (!this.services.has(name)) throw new Error(`service "${name}" is not provided (yet): the module providing it must come earlier in MODULES`);
    return this.services.get(name) as ServiceMap[K];
  }

  /**
   * A service of a module built later, looked up when first called: for the few two-way needs (the
   * team directory shows roles, roles read the team). Only use it inside request or job code.
   */
  lazy<K extends ServiceName>(name: K): () => ServiceMap[K] {
    return () => this.get(name);
  }

  /** Every service, for the container's callers (main, CLIs, tests). */
  all(): ServiceMap {
    return Object.fromEntries(this.services) as unknown as ServiceMap;
  }
}
