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
