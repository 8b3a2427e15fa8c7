/**
 * Role bindings scoped to shops, and `can()` asked from a route and from a job: the same answer,
 * because both use the Authorizer (and the H5 the same shared rule), on both databases.
 */
import type { MeResponse, RoleBindingView } from '@shopcrew/shared';
import { actorOf } from '../../server/src/http/context';
import { MODULES } from '../../server/src/modules';
import { defineModule } from '../../server/src/platform/module';
import { DEMO_USERS as U } from '../../scripts/wecom-sim';
import { testDatabases } from '../support/databases';
import { Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A stand-in for the orders module: reading a shop's orders needs orders:read in that shop. */
const probeModule = defineModule({
  name: 'probe',
  entities: [],
  create: ({ services }) => ({
    routes: [
      {
        method: 'get',
        path: '/api/probe/shops/:shopId/orders',
        access: 'orders:read',
        handler: (ctx) => {
          const shopId = (ctx.params as Record<string, string>)['shopId']!;
          services.get('authz').require(actorOf(ctx), 'orders:read', { shopId });
          ctx.body = { shopId, orders: [] };
        },
      },
    ],
  }),
});

describe.each(testDatabases())('shop-scoped roles ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  let designer: Browser; // 郭宇: 美工, no order permissions of his own
  let binding: RoleBindingView;

  beforeAll(async () => {
    stack = await startStack({ db: kind, modules: [...MODULES, probeModule] });
    owner = (await signIn(stack, U.owner)).browser;
    designer = (await signIn(stack, U.designer)).browser;
  });
  afterAll(() => stack?.close());

  const bind = (body: unknown) => owner.json<RoleBindingView & ErrorBody>('/api/roles/bindings', { method: 'POST', body: JSON.stringify(body) });
  const probe = (shopId: string) => designer.json<ErrorBody>(`/api/probe/shops/${shopId}/orders`);

  test('a binding for some shops: /api/me says so, the route allows those shops only', async () => {
    expect((await probe('1001')).status).toBe(403); // not a cs_agent anywhere yet
    const res = await bind({ role: 'cs_agent', subjectType: 'user', subjectId: U.designer, shops: ['1002', '1001', '1001'] });
    expect(res.status).toBe(201);
    binding = res.body;
    expect(binding.shops).toEqual(['1001', '1002']);

    const me = await designer.json<MeResponse>('/api/me');
    expect(me.body.grants).toEqual([
      { role: 'cs_agent', shops: ['1001', '1002'] },
      { role: 'designer', shops: 'all' },
    ]);
    expect(me.body.permissions).toContain('orders:read'); // in some shop: the route-level guard lets him in

    expect(await probe('1001')).toEqual({ status: 200, body: { shopId: '1001', orders: [] } });
    const other = await probe('2002');
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: 'forbidden', details: { required: 'orders:read', shopId: '2002' } });
  });

  test('a job asks the same question outside HTTP and gets the same answers', async () => {
    const authz = stack.app.container.authz;
    const actor = await authz.actor(U.designer);
    expect(authz.can(actor, 'orders:read', { shopId: '1001' })).toBe(true);
    expect(authz.can(actor, 'orders:read', { shopId: '2002' })).toBe(false);
    expect(authz.can(actor, 'orders:read')).toBe(true);
    expect(() => authz.require(actor, 'orders:claim', { shopId: '2002' })).toThrow('permission orders:claim required in shop 2002');
    const owners = await authz.actor(U.owner);
    expect(authz.can(owners, 'orders:assign', { shopId: '2002' })).toBe(true); // ADMIN_USERIDS: every shop
  });

  test('rescoping to every shop is audited with before and after, and takes effect at once', async () => {
    const res = await owner.json<RoleBindingView>(`/api/roles/bindings/${binding.id}`, { method: 'PATCH', body: JSON.stringify({ shops: 'all' }) });
    expect(res.status).toBe(200);
    expect(res.body.shops).toBe('all');
    expect((await probe('2002')).status).toBe(200);
    const audit = await owner.json<{ entries: Array<{ action: string; targetId: string; before: unknown; after: unknown }> }>('/api/audit?action=role.rescope');
    expect(audit.body.entries[0]).toMatchObject({
      action: 'role.rescope',
      targetId: String(binding.id),
      before: { shops: ['1001', '1002'] },
      after: { shops: 'all' },
    });
    const list = await owner.json<{ bindings: RoleBindingView[] }>('/api/roles');
    expect(list.body.bindings.find((b) => b.id === binding.id)?.shops).toBe('all');
  });

  test.each([
    ['an empty list', []],
    ['a blank shop id', ['']],
    ['a shop id with a space', ['10 01']],
    ['a bidi override', ['1001\u202e']],
    ['a word other than "all"', 'some'],
  ])('refuses %s with 422 and changes nothing', async (_name, shops) => {
    const created = await bind({ role: 'warehouse', subjectType: 'user', subjectId: U.designer, shops });
    expect(created.status).toBe(422);
    expect(created.body.error.code).toBe('validation_failed');
    const patched = await owner.json<ErrorBody>(`/api/roles/bindings/${binding.id}`, { method: 'PATCH', body: JSON.stringify({ shops }) });
    expect(patched.status).toBe(422);
    const list = await owner.json<{ bindings: RoleBindingView[] }>('/api/roles');
    expect(list.body.bindings.find((b) => b.id === binding.id)?.shops).toBe('all');
    expect(list.body.bindings.some((b) => b.role === 'warehouse' && b.subjectId === U.designer)).toBe(false);
  });

  test('rescoping needs org:manage_roles, and an unknown binding is 404', async () => {
    const res = await designer.json<ErrorBody>(`/api/roles/bindings/${binding.id}`, { method: 'PATCH', body: JSON.stringify({ shops: ['1'] }) });
    expect(res.status).toBe(403);
    const missing = await owner.json<ErrorBody>('/api/roles/bindings/999999', { method: 'PATCH', body: JSON.stringify({ shops: 'all' }) });
    expect(missing.status).toBe(404);
  });
});
