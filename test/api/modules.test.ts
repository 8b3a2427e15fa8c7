/**
 * Adding a module is a folder and one line: a module handed to the container contributes its route,
 * guarded like every other; a module that claims an existing route stops the boot.
 */
import { createContainer } from '../../server/src/container';
import { MODULES } from '../../server/src/modules';
import { defineModule } from '../../server/src/platform/module';
import { DuplicateRegistrationError } from '../../server/src/platform/unique';
import { DEMO_CREDENTIALS, DEMO_USERS, startWecomSim } from '../../scripts/wecom-sim';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl } from '../support/databases';
import { Browser, signIn } from '../support/http-client';
import { startStack } from '../support/stack';

const pingModule = defineModule({
  name: 'ping',
  entities: [],
  create: ({ services }) => ({
    routes: [
      {
        method: 'get',
        path: '/api/ping',
        access: 'org:read',
        handler: async (ctx) => {
          const member = await services.get('org').findMember(ctx.state.userid!);
          ctx.body = { pong: member?.name ?? null };
        },
      },
    ],
  }),
});

test('a new module’s route is served and guarded by its declared permission', async () => {
  const stack = await startStack({ modules: [...MODULES, pingModule] });
  try {
    expect((await new Browser(stack.baseUrl).json('/api/ping')).status).toBe(401);
    const { browser } = await signIn(stack, DEMO_USERS.csAgent);
    expect(await browser.json('/api/ping')).toEqual({ status: 200, body: { pong: '李娜' } });
  } finally {
    await stack.close();
  }
});

/** A module's counters on the home page: one for members who claim orders (counted per member), one they cannot see. */
const counterModule = defineModule({
  name: 'tally',
  entities: [],
  create: () => ({
    homeCounters: [
      {
        key: 'tally.claimable',
        permission: 'orders:claim',
        labelKey: 'permission.orders:claim',
        emptyKey: 'home.noWork',
        link: '/team',
        icon: 'orders-o',
        count: (actor) => Promise.resolve(actor.userid.length),
      },
      {
        key: 'tally.refunds',
        permission: 'aftersales:approve_refund',
        labelKey: 'permission.aftersales:approve_refund',
        link: null,
        count: () => Promise.resolve(7),
      },
    ],
  }),
});

test('GET /api/home answers the counters modules contribute, each only to members with its permission, and the first page embeds the same', async () => {
  const stack = await startStack({ modules: [...MODULES, counterModule] });
  try {
    const { browser: agent } = await signIn(stack, DEMO_USERS.csAgent);
    const claimable = {
      key: 'tally.claimable',
      module: 'tally',
      count: DEMO_USERS.csAgent.length,
      link: '/team',
      labelKey: 'permission.orders:claim',
      emptyKey: 'home.noWork',
      permission: 'orders:claim',
      icon: 'orders-o',
    };
    const home = await agent.json<{ counters: Array<{ module: string }> }>('/api/home');
    // The real modules contribute theirs too (after-sales); this test's module adds exactly its own.
    expect([home.status, home.body.counters.filter((c) => c.module === 'tally')]).toEqual([200, [claimable]]);
    const page = await (await agent.request('/')).text();
    const embedded = JSON.parse(/<script id="bootstrap" type="application\/json">([\s\S]*?)<\/script>/.exec(page)![1]!) as { home: unknown };
    expect(embedded.home).toEqual(home.body);

    const { browser: finance } = await signIn(stack, DEMO_USERS.finance);
    const tally = (body: { counters: Array<{ key: string; module: string }> }) => body.counters.filter((c) => c.module === 'tally').map((c) => c.key);
    expect(tally((await finance.json<{ counters: Array<{ key: string; module: string }> }>('/api/home')).body)).toEqual(['tally.refunds']);
    // A designer claims no orders and handles no refunds: none of the test module's counters, only their checklists and tasks.
    const { browser: designer } = await signIn(stack, DEMO_USERS.designer);
    const designerHome = await designer.json<{ counters: Array<{ key: string; module: string }> }>('/api/home');
    expect(designerHome.body.counters.map((c) => c.key)).toEqual(['sop.mine', 'projects.mine']);
  } finally {
    await stack.close();
  }
});

test('a module claiming an existing route stops the boot, naming both modules', async () => {
  const sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
  const url = await freshDatabaseUrl('sqlite');
  const clash = defineModule({
    name: 'clash',
    entities: [],
    create: () => ({ routes: [{ method: 'get', path: '/api/me', access: 'public', handler: () => undefined }] }),
  });
  try {
    const boot = createContainer(testConfig(url, sim.url), { modules: [...MODULES, clash] });
    await expect(boot).rejects.toThrow(DuplicateRegistrationError);
    await expect(createContainer(testConfig(url, sim.url), { modules: [...MODULES, clash] })).rejects.toThrow(
      'duplicate route "GET /api/me": registered by module org and again by module clash',
    );
  } finally {
    await sim.close();
    await dropDatabaseUrl(url);
  }
});
