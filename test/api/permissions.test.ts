/**
 * Permissions, role bindings, the org read model, health and the JS-SDK signature over HTTP, against
 * the real server + simulator (test/support/stack.ts), on every database of the matrix.
 */
import type { DepartmentNode, JssdkConfigResponse, MeResponse, MembersResponse, RoleKey } from '@shopcrew/shared';
import { PERMISSIONS, permissionsOf } from '@shopcrew/shared';
import { DEMO_CORP_DATA, DEMO_CREDENTIALS, DEMO_DEPARTMENTS as D, DEMO_TAGS as T, DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { testDatabases } from '../support/databases';
import { Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}
interface Binding {
  id: number;
  role: string;
  subjectType: 'department' | 'tag' | 'user';
  subjectId: string;
  createdBy: string;
}
interface AuditRow {
  id: number;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** Active (status 1 or 4) demo members directly in a department, from the simulator's seed data. */
const seededMembersOf = (departmentId: number) =>
  DEMO_CORP_DATA.members.filter((m) => m.department.includes(departmentId) && [undefined, 1, 4].includes(m.status));

function findNode(nodes: DepartmentNode[], id: number): DepartmentNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const hit = findNode(n.children, id);
    if (hit) return hit;
  }
  return undefined;
}

describe.each(testDatabases())('permissions and roles over HTTP ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  let agent: Browser; // DEMO_USERS.csAgent, 售前组, cs_agent through 客服部
  let finance: Browser; // audit:read, but no org:manage_roles

  beforeAll(async () => {
    stack = await startStack({ db: kind });
    owner = (await signIn(stack, U.owner)).browser;
    agent = (await signIn(stack, U.csAgent)).browser;
    finance = (await signIn(stack, U.finance)).browser;
    for (const b of [owner, agent, finance]) expect(b.cookies.has('sid')).toBe(true);
  });
  afterAll(() => stack?.close());

  const me = async (b: Browser) => {
    const res = await b.json<MeResponse>('/api/me');
    expect(res.status).toBe(200);
    return res.body;
  };
  const bindings = async () => {
    const res = await owner.json<{ bindings: Binding[] }>('/api/roles');
    expect(res.status).toBe(200);
    return res.body.bindings;
  };
  const audit = async (query = 'limit=200') => {
    const res = await owner.json<{ entries: AuditRow[] }>(`/api/audit?${query}`);
    expect(res.status).toBe(200);
    return res.body.entries;
  };
  const bind = (b: Browser, body: unknown, headers?: Record<string, string>) => b.request('/api/roles/bindings', json(body, headers));

  describe('authentication and authorization errors', () => {
    test.each(['/api/me', '/api/org/departments', `/api/org/members?department=${D.cs}`, '/api/audit', '/api/roles', '/api/home'])(
      'unauthenticated GET %s → 401 unauthenticated (JSON)',
      async (path) => {
        const res = await fetch(`${stack.baseUrl}${path}`);
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/application\/json/);
        expect(((await res.json()) as ErrorBody).error.code).toBe('unauthenticated');
      },
    );

    test('a forged session cookie is not a session', async () => {
      const res = await fetch(`${stack.baseUrl}/api/me`, { headers: { cookie: 'sid=not-a-real-session-token' } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as ErrorBody).error.code).toBe('unauthenticated');
    });

    test('unauthenticated writes from our own origin are refused (401) before the body is looked at', async () => {
      const before = await bindings();
      const origin = { origin: stack.baseUrl };
      const res = await fetch(`${stack.baseUrl}/api/roles/bindings`, json({ role: 'owner', subjectType: 'user', subjectId: 'intruder' }, origin));
      expect(res.status).toBe(401);
      expect(((await res.json()) as ErrorBody).error.code).toBe('unauthenticated');
      const del = await fetch(`${stack.baseUrl}/api/roles/bindings/${before[0]!.id}`, {
        method: 'DELETE',
        headers: { ...origin, 'content-type': 'application/json' },
      });
      expect(del.status).toBe(401);
      // Without our Origin the CSRF check answers first, whoever is asking.
      const foreign = await fetch(`${stack.baseUrl}/api/roles/bindings/${before[0]!.id}`, { method: 'DELETE' });
      expect(foreign.status).toBe(403);
      expect(((await foreign.json()) as ErrorBody).error.code).toBe('cross_site_request');
      expect(await bindings()).toEqual(before);
    });

    test('cs_agent GET /api/audit → 403 forbidden, naming the missing permission', async () => {
      const res = await agent.json<ErrorBody>('/api/audit');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.body.error.details).toEqual({ required: 'audit:read' });
    });

    test('cs_agent cannot bind or unbind roles, and nothing changes', async () => {
      const before = await bindings();
      const auditBefore = await audit();
      const res = await bind(agent, { role: 'owner', subjectType: 'user', subjectId: U.csAgent });
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorBody).error.code).toBe('forbidden');
      const del = await agent.request(`/api/roles/bindings/${before[0]!.id}`, { method: 'DELETE' });
      expect(del.status).toBe(403);
      expect(await bindings()).toEqual(before);
      expect(await audit()).toEqual(auditBefore);
      expect((await me(agent)).roles).not.toContain('owner');
    });

    test('finance may read the audit log but not manage roles', async () => {
      expect((await finance.json('/api/audit')).status).toBe(200);
      const res = await bind(finance, { role: 'finance', subjectType: 'user', subjectId: U.csAgent });
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorBody).error.code).toBe('forbidden');
    });
  });

  describe('role bindings (owner)', () => {
    test('the ADMIN_USERIDS owner holds every permission', async () => {
      const body = await me(owner);
      expect(body.userid).toBe(U.owner);
      expect(body.roles).toContain('owner');
      expect(body.permissions).toEqual([...PERMISSIONS]);
    });

    test('bind → the role applies at once → audited → unbind → gone → audited', async () => {
      expect((await me(agent)).roles).not.toContain('designer');
      const requestId = `perm-test-${Date.now()}`;
      const res = await bind(owner, { role: 'designer', subjectType: 'user', subjectId: U.csAgent }, { 'x-request-id': requestId });
      expect(res.status).toBe(201);
      const created = (await res.json()) as Binding;
      expect(created).toMatchObject({ role: 'designer', subjectType: 'user', subjectId: U.csAgent, createdBy: U.owner });
      expect(Number.isInteger(created.id) && created.id > 0).toBe(true);
      expect(await bindings()).toEqual(expect.arrayContaining([expect.objectContaining({ id: created.id, role: 'designer', subjectId: U.csAgent })]));

      // The agent's existing session sees the new role on the very next request.
      const after = await me(agent);
      expect(after.roles).toEqual(expect.arrayContaining<RoleKey>(['cs_agent', 'designer']));
      expect(after.permissions).toEqual(permissionsOf(after.roles));

      const bound = await audit(`targetType=role_binding&targetId=${created.id}`);
      expect(bound).toEqual([
        expect.objectContaining({
          action: 'role.bind',
          actor: U.owner,
          targetType: 'role_binding',
          targetId: String(created.id),
          requestId,
          after: { role: 'designer', subjectType: 'user', subjectId: U.csAgent, shops: 'all' },
        }),
      ]);

      const del = await owner.request(`/api/roles/bindings/${created.id}`);
      expect(del.status).not.toBe(204); // a GET is not a delete
      const gone = await owner.request(`/api/roles/bindings/${created.id}`, { method: 'DELETE' });
      expect(gone.status).toBe(204);
      expect((await bindings()).some((b) => b.id === created.id)).toBe(false);
      expect((await me(agent)).roles).toEqual(['cs_agent']);

      const trail = await audit(`targetType=role_binding&targetId=${created.id}`);
      expect(trail.map((e) => e.action)).toEqual(['role.unbind', 'role.bind']); // newest first
      expect(trail[0]).toMatchObject({ actor: U.owner, before: { role: 'designer', subjectType: 'user', subjectId: U.csAgent } });

      const again = await owner.json<ErrorBody>(`/api/roles/bindings/${created.id}`, { method: 'DELETE' });
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe('not_found');
    });

    test('a duplicate binding → 409, and no second row or audit entry', async () => {
      const before = await bindings();
      const seeded = before.find((b) => b.role === 'cs_agent' && b.subjectType === 'department' && b.subjectId === String(D.cs));
      expect(seeded).toBeDefined();
      const auditBefore = await audit();
      // A numeric subjectId names the same department as the stored string.
      const res = await owner.json<ErrorBody>('/api/roles/bindings', json({ role: 'cs_agent', subjectType: 'department', subjectId: D.cs }));
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('binding_exists');
      expect(await bindings()).toEqual(before);
      expect(await audit()).toEqual(auditBefore);
    });

    test('concurrent identical bindings: exactly one 201, the rest 409 (never a 500)', async () => {
      const body = { role: 'warehouse', subjectType: 'user', subjectId: U.csAgent3 };
      const responses = await Promise.all(Array.from({ length: 5 }, () => bind(owner, body)));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409]);
      const rows = (await bindings()).filter((b) => b.role === 'warehouse' && b.subjectType === 'user' && b.subjectId === U.csAgent3);
      expect(rows).toHaveLength(1);
      expect((await audit(`targetType=role_binding&targetId=${rows[0]!.id}`)).map((e) => e.action)).toEqual(['role.bind']);
      expect((await owner.request(`/api/roles/bindings/${rows[0]!.id}`, { method: 'DELETE' })).status).toBe(204);
    });

    test.each([
      ['missing subjectType', { role: 'designer', subjectId: U.csAgent }],
      ['unknown subjectType', { role: 'designer', subjectType: 'group', subjectId: U.csAgent }],
      ['empty subjectId', { role: 'designer', subjectType: 'user', subjectId: '' }],
      ['negative department id', { role: 'designer', subjectType: 'department', subjectId: -3 }],
      ['overlong subjectId', { role: 'designer', subjectType: 'user', subjectId: 'x'.repeat(65) }],
      ['array body', [{ role: 'designer', subjectType: 'user', subjectId: U.csAgent }]],
      ['empty object', {}],
    ])('a bad body (%s) → 422 validation_failed', async (_label, body) => {
      const before = await bindings();
      const res = await owner.json<ErrorBody>('/api/roles/bindings', json(body));
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(await bindings()).toEqual(before);
    });

    test('an unknown role → 422 validation_failed', async () => {
      const before = await bindings();
      const res = await owner.json<ErrorBody>('/api/roles/bindings', json({ role: 'superuser', subjectType: 'user', subjectId: U.csAgent }));
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain('superuser');
      expect(await bindings()).toEqual(before);
    });

    test('invalid JSON → 400 invalid_json', async () => {
      const res = await owner.json<ErrorBody>('/api/roles/bindings', json('{"role": "designer",'));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_json');
    });

    test('DELETE with a non-numeric id → 422', async () => {
      const res = await owner.json<ErrorBody>('/api/roles/bindings/abc', { method: 'DELETE' });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    });
  });

  describe('roles derived from WeCom departments and tags', () => {
    test('a cs agent in 售前组 is cs_agent through the 客服部 binding (sub-departments included)', async () => {
      const all = await bindings();
      // Precondition: nothing binds 售前组 or the agent directly; only 客服部 does.
      expect(
        all.filter((b) => (b.subjectType === 'department' && b.subjectId === String(D.csPresale)) || (b.subjectType === 'user' && b.subjectId === U.csAgent)),
      ).toEqual([]);
      const csBinding = all.find((b) => b.role === 'cs_agent' && b.subjectType === 'department' && b.subjectId === String(D.cs))!;
      expect(csBinding).toBeDefined();
      const body = await me(agent);
      expect(body.roles).toEqual(['cs_agent']);
      expect(body.departments.map((d) => d.id)).toEqual([D.csPresale]);

      // Remove the 客服部 binding: the agent loses the role (and org:read) at once; restore it.
      expect((await owner.request(`/api/roles/bindings/${csBinding.id}`, { method: 'DELETE' })).status).toBe(204);
      try {
        const without = await me(agent);
        expect(without.roles).toEqual([]);
        expect(without.permissions).toEqual([]);
        expect((await agent.request('/api/org/departments')).status).toBe(403);
      } finally {
        expect((await bind(owner, { role: 'cs_agent', subjectType: 'department', subjectId: D.cs })).status).toBe(201);
      }
      expect((await me(agent)).roles).toEqual(['cs_agent']);
      expect((await agent.request('/api/org/departments')).status).toBe(200);
    });

    test('cs leads get cs_lead through the 客服组长 tag (plus cs_agent through 客服部)', async () => {
      expect((await bindings()).some((b) => b.role === 'cs_lead' && b.subjectType === 'tag' && b.subjectId === String(T.csLeads))).toBe(true);
      for (const userid of [U.csLead, U.csAftersaleLead]) {
        const { browser } = await signIn(stack, userid);
        const body = await me(browser);
        expect(body.roles).toEqual(['cs_lead', 'cs_agent']); // canonical ROLE_KEYS order
        expect(body.permissions).toContain('aftersales:approve_refund');
        expect(body.permissions).not.toContain('audit:read');
      }
    });

    test('a tag that covers a department grants its role to that department’s members', async () => {
      const { browser } = await signIn(stack, U.finance);
      expect((await me(browser)).roles).toEqual(['finance']);
      // 财务审批 (tag 3) has partylist [财务部]: bind a role to the tag, not to anyone directly.
      const res = await bind(owner, { role: 'cs_lead', subjectType: 'tag', subjectId: T.financeApprovers });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as Binding;
      try {
        expect((await me(browser)).roles).toEqual(['cs_lead', 'finance']);
        expect((await me(agent)).roles).toEqual(['cs_agent']); // not tagged
      } finally {
        expect((await owner.request(`/api/roles/bindings/${id}`, { method: 'DELETE' })).status).toBe(204);
      }
      expect((await me(browser)).roles).toEqual(['finance']);
    });
  });

  describe('org read model', () => {
    test('GET /api/org/departments: a tree rooted at 星河电商, 客服部 → 售前组/售后组, with member counts', async () => {
      const res = await agent.json<{ departments: DepartmentNode[] }>('/api/org/departments');
      expect(res.status).toBe(200);
      const roots = res.body.departments;
      expect(roots).toHaveLength(1);
      const root = roots[0]!;
      expect(root).toMatchObject({ id: D.root, name: '星河电商', parentId: null });
      const cs = root.children.find((c) => c.name === '客服部');
      expect(cs).toMatchObject({ id: D.cs, parentId: D.root });
      expect(cs!.children.map((c) => c.name).sort()).toEqual(['售前组', '售后组'].sort());
      for (const child of cs!.children) {
        expect(child.parentId).toBe(D.cs);
        expect(child.children).toEqual([]);
      }
      // Every seeded department appears exactly once, under its WeCom parent.
      for (const d of DEMO_CORP_DATA.departments) {
        const node = findNode(roots, d.id!);
        expect(node).toMatchObject({ name: d.name, parentId: d.parentid === 0 ? null : d.parentid });
        expect(node!.memberCount).toBe(seededMembersOf(d.id!).length);
      }
      const count = (nodes: DepartmentNode[]): number => nodes.reduce((n, c) => n + 1 + count(c.children), 0);
      expect(count(roots)).toBe(DEMO_CORP_DATA.departments.length);
      expect(findNode(roots, D.csPresale)!.memberCount).toBeGreaterThan(0);
    });

    test('a department counts the distinct members of its whole subtree (the root is not 0 人)', async () => {
      const { body } = await agent.json<{ departments: DepartmentNode[] }>('/api/org/departments');
      const below = (id: number): number[] => [id, ...DEMO_CORP_DATA.departments.filter((d) => d.parentid === id).flatMap((d) => below(d.id!))];
      const distinctIn = (id: number) => new Set(below(id).flatMap((d) => seededMembersOf(d).map((m) => m.userid))).size;
      const root = findNode(body.departments, D.root)!;
      expect(root.memberCount).toBe(seededMembersOf(D.root).length);
      expect(root.totalCount).toBe(DEMO_CORP_DATA.members.filter((m) => [undefined, 1, 4].includes(m.status)).length);
      expect(root.totalCount).toBeGreaterThan(0);
      for (const d of DEMO_CORP_DATA.departments) expect(findNode(body.departments, d.id!)!.totalCount).toBe(distinctIn(d.id!));
      const cs = findNode(body.departments, D.cs)!;
      expect(cs.totalCount).toBeGreaterThan(cs.memberCount); // 售前组 and 售后组 are below it
    });

    test('GET /api/org/members?department=<售前组>: the leader first, each with roles', async () => {
      const res = await agent.json<MembersResponse>(`/api/org/members?department=${D.csPresale}`);
      expect(res.status).toBe(200);
      expect(res.body.department).toEqual({ id: D.csPresale, name: '售前组' });
      const members = res.body.members;
      expect(members.map((m) => m.userid).sort()).toEqual(
        seededMembersOf(D.csPresale)
          .map((m) => m.userid)
          .sort(),
      );
      expect(members[0]).toMatchObject({ userid: U.csLead, isLeader: true });
      expect(members[0]!.roles).toEqual(['cs_lead', 'cs_agent']);
      expect(members.slice(1).every((m) => !m.isLeader)).toBe(true);
      const lina = members.find((m) => m.userid === U.csAgent)!;
      expect(lina).toMatchObject({ name: '李娜', position: '客服专员', isLeader: false, roles: ['cs_agent'] });
      expect(lina.departments).toEqual([{ id: D.csPresale, name: '售前组' }]);
      // The tree's count and the list agree.
      const tree = await agent.json<{ departments: DepartmentNode[] }>('/api/org/departments');
      expect(findNode(tree.body.departments, D.csPresale)!.memberCount).toBe(members.length);
    });

    test('a leader of one department is not flagged as leader in another', async () => {
      const res = await agent.json<MembersResponse>(`/api/org/members?department=${D.csAftersale}`);
      expect(res.status).toBe(200);
      expect(res.body.members[0]).toMatchObject({ userid: U.csAftersaleLead, isLeader: true });
      expect(res.body.members.filter((m) => m.isLeader).map((m) => m.userid)).toEqual([U.csAftersaleLead]);
    });

    test.each(['abc', '0', '-1', '1.5', ''])('?department=%j → 422', async (value) => {
      const res = await agent.json<ErrorBody>(`/api/org/members?department=${value}`);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    });

    test('no department parameter → 422', async () => {
      expect((await agent.json<ErrorBody>('/api/org/members')).status).toBe(422);
    });

    test('?department=99999 → 404', async () => {
      const res = await agent.json<ErrorBody>('/api/org/members?department=99999');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    });
  });

  describe('routing and health', () => {
    test.each([
      ['GET', '/api/nope'],
      ['POST', '/api/nope'],
      ['GET', '/api'],
    ])('unknown %s %s → 404 JSON', async (method, path) => {
      for (const b of [new Browser(stack.baseUrl), owner]) {
        const res = await b.request(path, { method });
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/application\/json/);
        expect(((await res.json()) as ErrorBody).error.code).toBe('not_found');
      }
    });

    test('/healthz → 200 ok; /readyz → 200 ready', async () => {
      const h = await fetch(`${stack.baseUrl}/healthz`);
      expect(h.status).toBe(200);
      expect(await h.json()).toMatchObject({ status: 'ok' });
      const r = await fetch(`${stack.baseUrl}/readyz`);
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ status: 'ready' });
    });

    test('every response carries an X-Request-Id, echoed in error bodies', async () => {
      const res = await fetch(`${stack.baseUrl}/api/me`);
      const id = res.headers.get('x-request-id');
      expect(id).toBeTruthy();
      expect(((await res.json()) as ErrorBody).error.requestId).toBe(id);
    });
  });

  describe('GET /api/wecom/jssdk-config', () => {
    const config = (b: Browser, url: string) => b.json<JssdkConfigResponse & ErrorBody>(`/api/wecom/jssdk-config?url=${encodeURIComponent(url)}`);

    test('requires a session', async () => {
      const res = await fetch(`${stack.baseUrl}/api/wecom/jssdk-config?url=${encodeURIComponent(`${stack.baseUrl}/team`)}`);
      expect(res.status).toBe(401);
    });

    test('signs the page for wx.config and wx.agentConfig, fetching each ticket once', async () => {
      expect(stack.sim.stats.jsapiTicketsIssued).toBe(0);
      expect(stack.sim.stats.agentTicketsIssued).toBe(0);
      const page = `${stack.baseUrl}/team`;
      for (let i = 0; i < 3; i++) {
        const startedAt = Math.floor(Date.now() / 1000);
        const res = await config(agent, page);
        expect(res.status).toBe(200);
        const body = res.body;
        expect(body).toMatchObject({ corpId: DEMO_CREDENTIALS.corpId, agentId: DEMO_CREDENTIALS.agentId, url: page });
        for (const sig of [body.config, body.agentConfig]) {
          expect(sig.nonceStr).toMatch(/^[A-Za-z0-9]{16}$/);
          expect(sig.signature).toMatch(/^[0-9a-f]{40}$/);
          expect(sig.timestamp).toBeGreaterThanOrEqual(startedAt - 1);
          expect(sig.timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);
        }
        const p = (s: typeof body.config) => ({ noncestr: s.nonceStr, timestamp: s.timestamp, url: page, signature: s.signature });
        expect(stack.sim.verifyJsSdkSignature('jsapi', p(body.config))).toBe(true);
        expect(stack.sim.verifyJsSdkSignature('agent_config', p(body.agentConfig))).toBe(true);
        // Each signature is over its own ticket, and over this exact page.
        expect(stack.sim.verifyJsSdkSignature('agent_config', p(body.config))).toBe(false);
        expect(stack.sim.verifyJsSdkSignature('jsapi', p(body.agentConfig))).toBe(false);
        expect(stack.sim.verifyJsSdkSignature('jsapi', { ...p(body.config), url: `${stack.baseUrl}/other` })).toBe(false);
      }
      expect(stack.sim.stats.jsapiTicketsIssued).toBe(1);
      expect(stack.sim.stats.agentTicketsIssued).toBe(1);

      // Concurrent callers share the cached tickets too.
      const parallel = await Promise.all([owner, agent, finance].map((b) => config(b, page)));
      expect(parallel.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(stack.sim.stats.jsapiTicketsIssued).toBe(1);
      expect(stack.sim.stats.agentTicketsIssued).toBe(1);
    });

    test('answers no-store', async () => {
      const res = await agent.request(`/api/wecom/jssdk-config?url=${encodeURIComponent(`${stack.baseUrl}/`)}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toMatch(/no-store/);
    });

    test('signs the URL without its #fragment', async () => {
      const withQuery = `${stack.baseUrl}/team/2?tab=members`;
      const res = await config(agent, `${withQuery}#/orders/12?x=1`);
      expect(res.status).toBe(200);
      expect(res.body.url).toBe(withQuery);
      const { nonceStr, timestamp, signature } = res.body.config;
      expect(stack.sim.verifyJsSdkSignature('jsapi', { noncestr: nonceStr, timestamp, url: withQuery, signature })).toBe(true);
      const a = res.body.agentConfig;
      expect(stack.sim.verifyJsSdkSignature('agent_config', { noncestr: a.nonceStr, timestamp: a.timestamp, url: withQuery, signature: a.signature })).toBe(
        true,
      );
    });

    test.each([
      ['another origin', 'https://evil.example.com/team'],
      ['same host, other port', 'http://127.0.0.1:1/team'],
      ['a relative path', '/team'],
      ['not a URL', 'team page'],
      ['empty', ''],
    ])('refuses %s → 422', async (_label, url) => {
      const before = stack.sim.stats.jsapiTicketsIssued;
      const res = await config(agent, url);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(stack.sim.stats.jsapiTicketsIssued).toBe(before);
    });
  });
});
