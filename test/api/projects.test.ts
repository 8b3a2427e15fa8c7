/**
 * Campaign projects end to end, on every database of the matrix: a project from the 大促备战 template with D-offset
 * dates and its chain; a dependency loop refused; a move pushes the right dependants (a preview changes nothing) and a
 * slip past the end tells the owner once; owners of tasks may change theirs, others not; a mention notifies once;
 * attachments are checked by content and size, their names made safe, downloads scoped by shop; search finds a
 * comment by a two-character Chinese word.
 */
import type { CommentView, ProjectDetail, ProjectTemplate, SearchResponse, TaskDetail, TaskMoveResult, TaskView } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { Delivery } from '../../server/src/modules/notifications/delivery.entity';
import { testDatabases } from '../support/databases';
import { type Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const send = (method: string, body: unknown = {}): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const post = (body: unknown = {}) => send('POST', body);
interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe.each(testDatabases())('campaign projects ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  let ops: Browser;
  let designer: Browser;
  let agent: Browser;
  let project: ProjectDetail;
  const task = (title: string) => project.tasks.find((t) => t.title === title)!;

  beforeAll(async () => {
    stack = await startStack({ db: kind, shopee: true });
    const b = await Promise.all([U.owner, U.opsManager, U.designLead, U.csAgent].map(async (u) => (await signIn(stack, u)).browser));
    [owner, ops, designer, agent] = b as [Browser, Browser, Browser, Browser];
  }, 60_000);
  afterAll(() => stack?.close());

  const deliveries = (eventType: string, target: string) => stack.app.container.ds.getRepository(Delivery).findBy({ eventType, target: `user:${target}` });
  const upload = (b: Browser, taskId: number, bytes: Buffer, name: string, type: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    return b.json<{ id: number; name: string; mime: string; hasThumbnail: boolean } & ErrorBody>(`/api/tasks/${taskId}/files`, {
      method: 'POST',
      body: form,
      headers: { 'x-requested-with': 'ShopCrew' },
    });
  };

  it('a project from the 大促备战 template: its chain dated back from the D day, a critical path', async () => {
    const templates = (await agent.json<{ items: ProjectTemplate[] }>('/api/projects/templates')).body.items;
    expect(templates.map((t) => t.name)).toEqual(['大促备战', '新品首发', '日常上新']);
    expect((await agent.json<ErrorBody>('/api/projects', post({ name: 'x', start: '2026-10-01', end: '2026-11-11' }))).status).toBe(403);
    const made = await ops.json<ProjectDetail>(
      '/api/projects',
      post({
        name: '双11大促',
        goal: 'GMV 翻倍',
        shopId: stack.shopId,
        start: '2026-10-01',
        end: '2026-11-11',
        templateKey: 'promo',
        taskOwners: { '1': U.designLead },
      }),
    );
    expect(made.status).toBe(201);
    project = made.body;
    expect(project.tasks.map((t) => t.title)).toEqual(['选品策划', '主图优化', '定价策略', '活动报名', '投流测试', '大促开始', '数据复盘']);
    expect(task('选品策划')).toMatchObject({ start: '2026-10-12', due: '2026-10-18', priority: 'P0' });
    // The project runs through the review after the D day: a new project is not slipping.
    expect(project).toMatchObject({ start: '2026-10-01', end: '2026-11-16', slipping: false });
    expect(task('大促开始')).toMatchObject({ start: '2026-11-11', due: '2026-11-11', milestone: true });
    expect(task('主图优化')).toMatchObject({ owner: { userid: U.designLead }, dependsOn: [task('选品策划').id] });
    expect(project.criticalPath.at(-1)).toBe(task('数据复盘').id);
    // API answers are compressed for clients that accept it (a big project is most of a phone's wait on 3G).
    const zipped = await ops.request(`/api/projects/${project.id}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(((await zipped.json()) as { id: number }).id).toBe(project.id);
    expect(project.criticalPath[0]).toBe(task('选品策划').id);
    // The designer heard of their task.
    expect(await waitFor(async () => ((await deliveries('task.assigned', U.designLead)).length ? true : undefined), 'task.assigned')).toBe(true);
    const bad = await ops.json<ErrorBody>('/api/projects', post({ name: 'x', start: '2026-10-01', end: '2026-09-01' }));
    expect([bad.status, bad.body.error.code]).toEqual([422, 'validation_failed']);
  });

  it('a dependency loop is refused, naming it', async () => {
    const res = await ops.json<ErrorBody>(`/api/tasks/${task('选品策划').id}`, send('PATCH', { dependsOn: [task('数据复盘').id] }));
    expect([res.status, res.body.error.code]).toEqual([422, 'dependency_cycle']);
    expect(res.body.error.message).toContain('选品策划');
  });

  it('moving a task pushes the dependants that would start before it ends; a preview changes nothing; a slip tells the owner once', async () => {
    const id = task('主图优化').id;
    const preview = await designer.json<TaskMoveResult>(`/api/tasks/${id}/move`, post({ start: '2026-10-19', due: '2026-10-30', preview: true }));
    expect(preview.body.project).toBeNull();
    expect(preview.body.moved.map((m) => m.title)).toEqual(['主图优化', '投流测试', '大促开始', '数据复盘']);
    const unchanged = (await ops.json<ProjectDetail>(`/api/projects/${project.id}`)).body;
    expect(unchanged.tasks.find((t) => t.id === id)!.due).toBe('2026-10-27');
    // The designer owns 主图优化: they may move it (and with it others' tasks).
    const moved = await designer.json<TaskMoveResult>(`/api/tasks/${id}/move`, post({ start: '2026-10-19', due: '2026-10-30' }));
    expect(moved.status).toBe(200);
    const after = moved.body.project!;
    expect(after.tasks.find((t) => t.title === '投流测试')).toMatchObject({ start: '2026-10-31', due: '2026-11-12' });
    expect(after.tasks.find((t) => t.title === '定价策略')!.start).toBe('2026-10-19'); // not a dependant: stays
    expect(after.slipping).toBe(true);
    const slips = await waitFor(async () => {
      const rows = await deliveries('project.slipping', U.opsManager);
      return rows.length ? rows : undefined;
    }, 'project.slipping');
    expect(slips).toHaveLength(1);
    const history = (await ops.json<TaskDetail>(`/api/tasks/${task('投流测试').id}`)).body.activity;
    expect(history[0]).toMatchObject({ kind: 'moved', actor: { userid: U.designLead } });
    // A task the designer does not own is not theirs to change.
    expect((await designer.json<ErrorBody>(`/api/tasks/${task('定价策略').id}`, send('PATCH', { progress: 50 }))).status).toBe(403);
    project = after;
  });

  it('a mention reaches the person once; an edit keeps the earlier text and tells nobody again', async () => {
    const t = task('主图优化');
    const c = await designer.json<CommentView>(`/api/tasks/${t.id}/comments`, post({ body: '@周强 主图第二版已上传，请看', mentions: [U.opsManager] }));
    expect(c.status).toBe(201);
    expect(c.body.mentions).toEqual([{ userid: U.opsManager, name: '周强' }]);
    await waitFor(async () => ((await deliveries('task.mentioned', U.opsManager)).length ? true : undefined), 'the mention');
    const edited = await designer.json<CommentView>(`/api/comments/${c.body.id}`, send('PUT', { body: '@周强 主图第三版已上传，请看' }));
    expect(edited.body.editedAt).not.toBeNull();
    const versions = await ops.json<{ items: Array<{ body: string }> }>(`/api/comments/${c.body.id}/history`);
    expect(versions.body.items.map((v) => v.body)).toEqual(['@周强 主图第二版已上传，请看']);
    expect((await ops.json<ErrorBody>(`/api/comments/${c.body.id}`, send('PUT', { body: 'x' }))).status).toBe(403);
    const reply = await ops.json<CommentView>(`/api/tasks/${t.id}/comments`, post({ body: '收到，第三版更好', parentId: c.body.id }));
    expect(reply.body.parentId).toBe(c.body.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(await deliveries('task.mentioned', U.opsManager)).toHaveLength(1);
  });

  it('attachments: checked by content and size, names made safe, thumbnails for images', async () => {
    const t = task('主图优化');
    const image = await designer.json<{ id: number; name: string; mime: string; hasThumbnail: boolean }>(`/api/tasks/${t.id}/files`, {
      method: 'POST',
      body: (() => {
        const f = new FormData();
        f.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), '../../主图v2.png');
        return f;
      })(),
      headers: { 'x-requested-with': 'ShopCrew' },
    });
    expect(image.status).toBe(201);
    expect(image.body).toMatchObject({ name: '主图v2.png', mime: 'image/png', hasThumbnail: true });
    const csv = await upload(designer, t.id, Buffer.from('sku,price\nA1,19.9\n'), '价格表.csv', 'text/csv');
    expect([csv.status, csv.body.mime]).toEqual([201, 'text/csv']);
    const exe = await upload(designer, t.id, Buffer.from('MZ\x90\x00binary'), 'tool.exe', 'application/octet-stream');
    expect([exe.status, exe.body.error.code]).toEqual([415, 'unsupported_file_type']);
    const big = await upload(designer, t.id, Buffer.concat([PNG, Buffer.alloc(20 * 1024 * 1024)]), 'big.png', 'image/png');
    expect([big.status, big.body.error.code]).toEqual([413, 'file_too_large']);
    const thumb = await agent.request(`/api/project-files/${image.body.id}/thumbnail`);
    expect([thumb.status, thumb.headers.get('content-type')]).toEqual([200, 'image/webp']);
    const file = await agent.request(`/api/project-files/${image.body.id}`);
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    expect(file.headers.get('content-disposition')).toContain(encodeURIComponent('主图v2.png'));
  });

  it('search finds a comment by a two-character Chinese word, within what the member may see', async () => {
    const found = await agent.json<SearchResponse>(`/api/search?q=${encodeURIComponent('主图')}`);
    expect(found.body.items.map((h) => h.kind)).toEqual(expect.arrayContaining(['comment', 'task', 'file']));
    const comment = found.body.items.find((h) => h.kind === 'comment' && h.snippet.includes('主图'))!;
    expect(comment.link).toBe(`/tasks/${task('主图优化').id}`);
    expect((await agent.json<SearchResponse>(`/api/search?q=${encodeURIComponent('退货')}`)).body.items).toEqual([]);
    // Designers' grant narrowed to another shop: this shop's project, its files and its comments are out of their reach.
    const bindings = (await owner.json<{ bindings: Array<{ id: number; role: string }> }>('/api/roles')).body.bindings;
    const design = bindings.find((b) => b.role === 'designer')!;
    expect((await owner.request(`/api/roles/bindings/${design.id}`, send('PATCH', { shops: ['999'] }))).status).toBe(200);
    const narrowed = (await signIn(stack, U.designer)).browser;
    expect((await narrowed.json<SearchResponse>(`/api/search?q=${encodeURIComponent('主图')}`)).body.items).toEqual([]);
    expect((await narrowed.request(`/api/projects/${project.id}`)).status).toBe(404);
    const files = (await ops.json<TaskDetail>(`/api/tasks/${task('主图优化').id}`)).body.attachments;
    expect((await narrowed.request(`/api/project-files/${files[0]!.id}`)).status).toBe(404);
  });

  it('task owners mark progress and finish; whoever waited can start', async () => {
    const pricing = task('定价策略');
    await ops.json<TaskView>(`/api/tasks/${pricing.id}`, send('PATCH', { owner: U.opsManager }));
    const signup = task('活动报名');
    await ops.json<TaskView>(`/api/tasks/${signup.id}`, send('PATCH', { owner: U.marketingLead }));
    const done = await ops.json<TaskView>(`/api/tasks/${pricing.id}`, send('PATCH', { state: 'done' }));
    expect(done.body).toMatchObject({ state: 'done', progress: 100 });
    await waitFor(async () => ((await deliveries('task.unblocked', U.marketingLead)).length ? true : undefined), 'task.unblocked');
    const illegal = await ops.json<ErrorBody>(`/api/tasks/${signup.id}`, send('PATCH', { state: 'review' }));
    expect([illegal.status, illegal.body.error.code]).toEqual([409, 'illegal_transition']);
  });
});
