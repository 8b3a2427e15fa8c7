import { can, type Actor, type HomeCounter, type HomeResponse, type Permission } from '@shopcrew/shared';
import { actorOf } from '../http/context';
import type { RouteDef } from '../http/routes';
import { UniqueKeys } from './unique';

/**
 * One counter a module puts on the H5 home page ("我的工作"): a module lists these as `homeCounters`
 * in its index.ts, and GET /api/home answers each member the ones their permissions allow.
 *
 *   homeCounters: [{
 *     key: 'orders.unclaimed', permission: 'orders:claim', labelKey: 'orders.home.unclaimed',
 *     emptyKey: 'orders.home.unclaimedEmpty', link: '/orders?tab=unclaimed', icon: 'orders-o', color: '#1989fa',
 *     count: (actor) => orders.countUnclaimed(shopsWith(actor, 'orders:claim')),
 *   }],
 */
export interface HomeCounterDef {
  /** Unique across modules: `<module>.<counter>`. */
  key: string;
  /** Who sees it: members holding this permission in at least one shop (`count` narrows to their shops). */
  permission: Permission;
  /** i18n key of its title; the module's H5 part brings the messages. */
  labelKey: string;
  /** i18n key of the line shown when the count is 0. */
  emptyKey?: string;
  /** The H5 path it opens, or null. */
  link: string | null;
  /** Vant icon name. */
  icon?: string;
  /** `#rrggbb`. */
  color?: string;
  /** What waits for `actor`; only called for members holding `permission`. */
  count(actor: Actor): Promise<number>;
}

/** The counters of every module, in module order; filled by composeModules, read by GET /api/home. */
export class HomeCounterRegistry {
  private readonly defs: Array<{ def: HomeCounterDef; module: string }> = [];
  private readonly keys = new UniqueKeys('home counter');

  /** A module's counter; a second counter with the same key stops the boot, naming both modules. */
  add(def: HomeCounterDef, module: string): void {
    this.keys.add(def.key, `module ${module}`);
    this.defs.push({ def, module });
  }

  /**
   * The counters `actor` may see (`can`, the rule the route guard and the H5 use), counted in
   * parallel. A failing count fails the answer: a 0 that is really "unknown" would be a lie.
   */
  async countersFor(actor: Actor): Promise<HomeCounter[]> {
    const visible = this.defs.filter(({ def }) => can(actor, def.permission));
    return Promise.all(
      visible.map(async ({ def, module }): Promise<HomeCounter> => {
        const counter: HomeCounter = {
          key: def.key,
          module,
          count: await def.count(actor),
          link: def.link,
          labelKey: def.labelKey,
          permission: def.permission,
        };
        if (def.emptyKey !== undefined) counter.emptyKey = def.emptyKey;
        if (def.icon !== undefined) counter.icon = def.icon;
        if (def.color !== undefined) counter.color = def.color;
        return counter;
      }),
    );
  }
}

/** GET /api/home: the platform's end of the extension point (modules only contribute counters). */
export function homeRoutes(counters: HomeCounterRegistry): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/home',
      access: 'authenticated',
      handler: async (ctx) => {
        const body: HomeResponse = { counters: await counters.countersFor(actorOf(ctx)) };
        ctx.body = body;
      },
    },
  ];
}
