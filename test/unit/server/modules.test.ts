/**
 * The module contract (server/src/platform): modules compose in order, each contributing routes,
 * inbox handlers, services and background work; any duplicate stops the boot naming both owners.
 */
import type { RouteDef } from '../../../server/src/http/routes';
import { MODULES } from '../../../server/src/modules';
import { composeModules, type CompositionContext } from '../../../server/src/platform/compose';
import { Dispatcher, EventCatalogue } from '../../../server/src/platform/events';
import { createLogger } from '../../../server/src/lib/logger';
import { HomeCounterRegistry, type HomeCounterDef } from '../../../server/src/platform/home-counters';
import { defineModule, type ModuleDefinition } from '../../../server/src/platform/module';
import { ServiceRegistry, type ServiceMap } from '../../../server/src/platform/services';
import { DuplicateRegistrationError } from '../../../server/src/platform/unique';

/** composeModules hands the context to create() and fills the registries; these test modules need nothing else. */
const context = (): CompositionContext => {
  const events = new EventCatalogue();
  // Registering and verifying subscribers touches neither the database nor the unit of work.
  const dispatcher = new Dispatcher(null as never, null as never, events, createLogger('silent'));
  return { services: new ServiceRegistry(), events, dispatcher, homeCounters: new HomeCounterRegistry() } as unknown as CompositionContext;
};
const route = (method: RouteDef['method'], path: string): RouteDef => ({ method, path, access: 'public', handler: () => undefined });
const moduleWith = (name: string, parts: ReturnType<ModuleDefinition['create']>): ModuleDefinition => defineModule({ name, entities: [], create: () => parts });
const counter = (key: string, permission: HomeCounterDef['permission'], count = 0): HomeCounterDef => ({
  key,
  permission,
  labelKey: `${key}.label`,
  link: null,
  count: () => Promise.resolve(count),
});
/** A service name the tests may provide: any key, as the registry sees it at run time. */
const svc = (name: string) => name as keyof ServiceMap;

describe('composeModules', () => {
  test('collects routes (platform first), inbox handlers and background work in module order', () => {
    const started: string[] = [];
    const job = (name: string) => ({ name, start: () => void started.push(name), stop: () => Promise.resolve() });
    const composed = composeModules(
      context(),
      [
        moduleWith('a', {
          routes: [route('get', '/api/a')],
          inboxHandlers: { wecom: { 'change_contact:create_user': () => Promise.resolve('applied') } },
          background: [job('a-job')],
        }),
        moduleWith('b', { routes: [route('post', '/api/b')], background: [job('b-job')] }),
      ],
      [route('get', '/healthz')],
    );
    expect(composed.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['get /healthz', 'get /api/a', 'post /api/b']);
    expect(composed.inbox.resolve('wecom', 'change_contact:create_user')).toBeDefined();
    expect(composed.inbox.resolve('wecom', 'change_contact:delete_user')).toBeUndefined();
    expect(composed.inbox.resolve('shopee', 'change_contact:create_user')).toBeUndefined();
    composed.background.forEach((b) => b.start());
    expect(started).toEqual(['a-job', 'b-job']);
  });

  test('a later module uses an earlier one’s service; asking for a later one names the fix; lazy works after composition', () => {
    const ctx = context();
    let lazyValue: () => unknown = () => undefined;
    composeModules(ctx, [
      moduleWith('first', { provides: { [svc('alpha')]: { n: 1 } } }),
      defineModule({
        name: 'second',
        entities: [],
        create: ({ services }) => {
          expect(services.get(svc('alpha'))).toEqual({ n: 1 });
          expect(() => services.get(svc('gamma'))).toThrow(/service "gamma" is not provided \(yet\): the module providing it must come earlier in MODULES/);
          lazyValue = services.lazy(svc('gamma'));
          return {};
        },
      }),
      moduleWith('third', { provides: { [svc('gamma')]: 'late' } }),
    ]);
    expect(lazyValue()).toBe('late');
  });

  test.each([
    ['module name', [moduleWith('x', {}), moduleWith('x', {})], 'duplicate module "x": registered by module x and again by module x'],
    [
      'route',
      [moduleWith('a', { routes: [route('get', '/api/same')] }), moduleWith('b', { routes: [route('get', '/api/same')] })],
      'duplicate route "GET /api/same": registered by module a and again by module b',
    ],
    [
      'route clashing with the platform',
      [moduleWith('a', { routes: [route('get', '/healthz')] })],
      'duplicate route "GET /healthz": registered by platform and again by module a',
    ],
    [
      'inbox handler',
      [
        moduleWith('a', { inboxHandlers: { wecom: { 'change_contact:update_user': () => Promise.resolve('applied') } } }),
        moduleWith('b', { inboxHandlers: { wecom: { 'change_contact:update_user': () => Promise.resolve('ignored') } } }),
      ],
      'duplicate inbox handler "wecom/change_contact:update_user": registered by module a and again by module b',
    ],
    [
      'service',
      [moduleWith('a', { provides: { [svc('dup')]: 1 } }), moduleWith('b', { provides: { [svc('dup')]: 2 } })],
      'duplicate service "dup": registered by module a and again by module b',
    ],
    [
      'home counter',
      [moduleWith('a', { homeCounters: [counter('x.open', 'orders:read')] }), moduleWith('b', { homeCounters: [counter('x.open', 'sop:read')] })],
      'duplicate home counter "x.open": registered by module a and again by module b',
    ],
  ])('a duplicate %s throws at boot, naming both owners', (_kind, modules, message) => {
    const run = () => composeModules(context(), modules, [route('get', '/healthz')]);
    expect(run).toThrow(DuplicateRegistrationError);
    expect(run).toThrow(message);
  });

  test('home counters: in module order, each answered only to members with its permission, counted for that member', async () => {
    const ctx = context();
    const asked: string[] = [];
    composeModules(ctx, [
      moduleWith('orders', {
        homeCounters: [
          {
            ...counter('orders.unclaimed', 'orders:claim'),
            link: '/orders',
            icon: 'orders-o',
            color: '#1989fa',
            count: (actor) => (asked.push(actor.userid), Promise.resolve(3)),
          },
          { ...counter('orders.assign', 'orders:assign', 1), emptyKey: 'orders.assign.empty' },
        ],
      }),
      moduleWith('sop', { homeCounters: [counter('sop.open', 'sop:read', 2)] }),
    ]);
    const agent = await ctx.homeCounters.countersFor({ userid: 'lina', grants: [{ role: 'cs_agent', shops: ['s1'] }] });
    expect(agent).toEqual([
      {
        key: 'orders.unclaimed',
        module: 'orders',
        count: 3,
        link: '/orders',
        labelKey: 'orders.unclaimed.label',
        permission: 'orders:claim',
        icon: 'orders-o',
        color: '#1989fa',
      },
      { key: 'sop.open', module: 'sop', count: 2, link: null, labelKey: 'sop.open.label', permission: 'sop:read' },
    ]);
    expect(asked).toEqual(['lina']);
    const lead = await ctx.homeCounters.countersFor({ userid: 'wangfang', grants: [{ role: 'cs_lead', shops: 'all' }] });
    expect(lead.map((c) => [c.key, c.count, c.emptyKey])).toEqual([
      ['orders.unclaimed', 3, undefined],
      ['orders.assign', 1, 'orders.assign.empty'],
      ['sop.open', 2, undefined],
    ]);
    expect(await ctx.homeCounters.countersFor({ userid: 'nobody', grants: [] })).toEqual([]);
    expect(await ctx.homeCounters.countersFor({ userid: 'finance', grants: [{ role: 'finance', shops: 'all' }] })).toEqual([]);
  });

  test('the same method on two paths, or two methods on one path, are not duplicates', () => {
    expect(() =>
      composeModules(context(), [moduleWith('a', { routes: [route('get', '/api/x'), route('post', '/api/x'), route('get', '/api/y')] })]),
    ).not.toThrow();
  });
});

describe('the real modules', () => {
  test('have unique names and each declares its tables', () => {
    const names = MODULES.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    const entities = MODULES.flatMap((m) => m.entities);
    expect(new Set(entities).size).toBe(entities.length); // no table owned by two modules
  });
});
