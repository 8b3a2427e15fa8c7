/**
 * SOP checklists end to end, on every database of the matrix: the guide's SOPs are seeded; a template edit publishes a
 * version while running checklists keep theirs; a rule starts one run per subject however often its trigger fires;
 * required evidence is enforced and photos are checked by content; a member who joins gets the onboarding checklist,
 * and one who is removed hands every open order, case and step to their lead once, with a report.
 */
import { In } from 'typeorm';
import type { CaseDetail, HandoverResponse, SopRule, SopRunDetail, SopRunListResponse, SopTemplateDetail, SopTemplateSummary } from '@shopcrew/shared';
import { changeContactXml, DEMO_CREDENTIALS } from '../../scripts/wecom-sim';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { Delivery } from '../../server/src/modules/notifications/delivery.entity';
import { SopRunStep } from '../../server/src/modules/sop/sop.entity';
import { testDatabases } from '../support/databases';
import { type Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const send = (method: string, body: unknown = {}): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const post = (body: unknown = {}) => send('POST', body);
interface ErrorBody {
  error: { code: string; message: string };
}
/** The smallest valid PNG (1×1). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe.each(testDatabases())('SOP checklists ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  let lead: Browser;
  let agent: Browser;

  beforeAll(async () => {
    stack = await startStack({ db: kind, shopee: true });
    const b = await Promise.all([U.owner, U.csLead, U.csAgent].map(async (u) => (await signIn(stack, u)).browser));
    [owner, lead, agent] = b as [Browser, Browser, Browser];
  }, 60_000);
  afterAll(() => stack?.close());

  const templates = async () =>
    waitFor(async () => {
      const items = (await owner.json<{ items: SopTemplateSummary[] }>('/api/sop/templates')).body.items;
      return items.length >= 6 ? items : undefined;
    }, 'the seeded SOPs');
  const templateNamed = async (name: string) => (await templates()).find((t) => t.name === name)!;
  const upload = (browser: Browser, bytes: Buffer, name: string, type = 'image/png') => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    return browser.json<{ fileId: number; fileName: string; mime: string } & ErrorBody>('/api/sop/files', {
      method: 'POST',
      body: form,
      headers: { 'x-requested-with': 'ShopCrew' },
    });
  };

  it('seeds the guide’s SOPs, with onboarding and offboarding rules', async () => {
    const names = (await templates()).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['新订单处理', '售后处理', '入职', '离职/调岗', '每日店铺检查', '大促准备']));
    const order = await owner.json<SopTemplateDetail>(`/api/sop/templates/${(await templateNamed('新订单处理')).id}`);
    expect(order.body.steps.map((s) => s.title)).toEqual(['客服接单分配', '确认库存与发货时效', '下发发货任务', '跟进物流、提醒顾客']);
    const rules = (await owner.json<{ items: SopRule[] }>('/api/sop/rules')).body.items;
    expect(rules.map((r) => [r.templateName, r.trigger])).toEqual(
      expect.arrayContaining([
        ['入职', 'member_joined'],
        ['离职/调岗', 'member_left'],
      ]),
    );
    expect((await agent.json<ErrorBody>('/api/sop/templates', post({ name: 'x', category: 'other', steps: [] }))).status).toBe(403);
  });

  it('a template edit publishes a version; a running checklist keeps its own', async () => {
    const step = (title: string) => ({
      title,
      assignee: { kind: 'role', role: 'cs_agent' },
      evidence: 'none',
      evidenceRequired: false,
      dueOffsetMinutes: null,
    });
    const made = await lead.json<SopTemplateDetail>('/api/sop/templates', post({ name: '发货前核对', category: 'order', steps: [step('核对地址')] }));
    expect([made.status, made.body.version]).toEqual([201, 1]);
    const first = await agent.json<SopRunDetail>('/api/sop/runs', post({ templateId: made.body.id }));
    expect(first.status).toBe(201);
    const edited = await lead.json<SopTemplateDetail>(
      `/api/sop/templates/${made.body.id}`,
      send('PUT', { name: '发货前核对', category: 'order', steps: [step('核对地址'), step('核对赠品')] }),
    );
    expect(edited.body.version).toBe(2);
    expect(edited.body.versions.map((v) => v.version)).toEqual([2, 1]);
    const pinned = await agent.json<SopRunDetail>(`/api/sop/runs/${first.body.id}`);
    expect([pinned.body.version, pinned.body.steps.map((s) => s.title)]).toEqual([1, ['核对地址']]);
    const second = await agent.json<SopRunDetail>('/api/sop/runs', post({ templateId: made.body.id }));
    expect([second.body.version, second.body.steps.length]).toEqual([2, 2]);
    const bad = await lead.json<ErrorBody>('/api/sop/templates', post({ name: '坏的', category: 'order', steps: [{ ...step('x'), evidenceRequired: true }] }));
    expect([bad.status, bad.body.error.code]).toEqual([422, 'validation_failed']);
  });

  it('a rule starts one run per order, however often its trigger fires', async () => {
    const template = await templateNamed('新订单处理');
    const rule = await lead.json<SopRule>(
      '/api/sop/rules',
      post({ templateId: template.id, trigger: 'order_status', shopId: stack.shopId, orderStatus: 'READY_TO_SHIP' }),
    );
    expect(rule.status).toBe(201);
    const order = stack.shopee!.createOrder(Number(stack.shopId), { order_status: 'READY_TO_SHIP' });
    await stack.shopee!.settled();
    const runsOf = async () => (await lead.json<SopRunListResponse>(`/api/sop/runs?view=team&subject=order:${order.order_sn}`)).body.items;
    const [run] = await waitFor(async () => ((await runsOf()).length ? runsOf() : undefined), 'the order’s SOP run');
    expect(run).toMatchObject({ templateName: '新订单处理', version: template.version, progress: { done: 0, total: 4 } });
    // The trigger again (the order reaching READY_TO_SHIP once more, as a late push would tell it): still one run.
    await stack.app.container.uow.run({ actor: 'system' }, (tx) =>
      tx.publish('order.status_changed', { order_id: order.order_sn, shop_id: stack.shopId, from: 'UNPAID', to: 'READY_TO_SHIP' }),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await runsOf()).toHaveLength(1);
    await lead.request(`/api/sop/rules/${rule.body.id}`, { method: 'DELETE' });
  });

  it('required evidence is enforced; photos are checked by content, sized, and their names made safe', async () => {
    const template = await templateNamed('售后处理');
    const made = await agent.json<CaseDetail>('/api/cases', post({ shopId: stack.shopId, type: 'complaint', title: '包装破损' }));
    await agent.json(`/api/cases/${made.body.id}/claim`, post());
    const run = (await agent.json<SopRunDetail>('/api/sop/runs', post({ templateId: template.id, subject: `case:${made.body.id}` }))).body;
    expect(run.subject).toMatchObject({ type: 'case', id: String(made.body.id) });
    const stepOf = (title: string) => run.steps.find((s) => s.title === title)!;
    const tick = (title: string, body: unknown) => agent.json<SopRunDetail & ErrorBody>(`/api/sop/runs/${run.id}/steps/${stepOf(title).id}`, post(body));
    const bare = await tick('提供解决方案', { state: 'done' });
    expect([bare.status, bare.body.error.code]).toEqual([422, 'evidence_required']);
    const noReason = await tick('提供解决方案', { state: 'skipped' });
    expect([noReason.status, noReason.body.error.code]).toEqual([422, 'validation_failed']);
    const done = await tick('提供解决方案', { state: 'done', evidence: { note: '补发一件' } });
    expect(done.body.steps.find((s) => s.title === '提供解决方案')).toMatchObject({
      state: 'done',
      proof: { note: '补发一件' },
      doneBy: { userid: U.csAgent },
    });
    // Photos: a real PNG under a hostile name, a text file named .png, one too big.
    const photo = await upload(agent, PNG, '../../etc/证据.png');
    expect(photo.status).toBe(201);
    expect(photo.body).toMatchObject({ fileName: '证据.png', mime: 'image/png' });
    const fake = await upload(agent, Buffer.from('not an image at all'), 'x.png');
    expect([fake.status, fake.body.error.code]).toEqual([415, 'unsupported_file_type']);
    const big = await upload(agent, Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]), 'big.png');
    expect(big.status).toBe(413);
    // Without the custom header a multipart body is what any page may post: refused like any non-JSON write.
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'x.png');
    const unmarked = await agent.json<ErrorBody>('/api/sop/files', { method: 'POST', body: form });
    expect([unmarked.status, unmarked.body.error.code]).toEqual([403, 'json_required']);
    const withPhoto = await tick('确认问题', { state: 'done', evidence: { fileId: photo.body.fileId } });
    expect(withPhoto.body.steps.find((s) => s.title === '确认问题')!.proof).toMatchObject({ fileId: photo.body.fileId });
    const download = await agent.request(`/api/sop/files/${photo.body.fileId}`);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
    // A member of another seat may not tick the assignee's step.
    const warehouse = (await signIn(stack, U.warehouse)).browser;
    const foreign = await warehouse.json<ErrorBody>(`/api/sop/runs/${run.id}/steps/${stepOf('记录在案').id}`, post({ state: 'done', evidence: { note: 'x' } }));
    expect(foreign.status).toBe(403);
  });

  it('a member who joins gets the onboarding checklist, their lead its lead steps', async () => {
    await stack.sim.createUser({ userid: 'newbie', name: '新同事', department: [3] });
    const runs = await waitFor(async () => {
      const items = (await owner.json<SopRunListResponse>('/api/sop/runs?view=team&subject=member:newbie')).body.items;
      return items.length ? items : undefined;
    }, 'the onboarding checklist');
    expect(runs).toHaveLength(1);
    const detail = (await owner.json<SopRunDetail>(`/api/sop/runs/${runs[0]!.id}`)).body;
    expect(detail.templateName).toBe('入职');
    expect(detail.steps.find((s) => s.title === '创建企业微信账号')!.assignee?.userid).toBe(U.csLead);
    expect(detail.steps.find((s) => s.title === '配置二步验证')!.assignee?.userid).toBe('newbie');
  });

  it('a removed member hands every open order, case and step to their lead, once, with a report', async () => {
    const leaver = U.csAgent3; // 徐丽, 售前组: 王芳 leads it
    const order = stack.shopee!.createOrder(Number(stack.shopId), { order_status: 'READY_TO_SHIP' });
    await stack.shopee!.settled();
    await waitFor(async () => (await owner.request(`/api/orders/${order.order_sn}`)).status === 200, 'the order');
    expect((await owner.request(`/api/orders/${order.order_sn}/assign`, post({ userid: leaver }))).status).toBe(200);
    const c = (await owner.json<CaseDetail>('/api/cases', post({ shopId: stack.shopId, type: 'complaint', title: '催单' }))).body;
    expect((await owner.request(`/api/cases/${c.id}/assign`, post({ userid: leaver }))).status).toBe(200);
    const step = { title: '整理话术', assignee: { kind: 'member', userid: leaver }, evidence: 'none', evidenceRequired: false, dueOffsetMinutes: null };
    const t = (await lead.json<SopTemplateDetail>('/api/sop/templates', post({ name: '话术整理', category: 'other', steps: [step] }))).body;
    const run = (await lead.json<SopRunDetail>('/api/sop/runs', post({ templateId: t.id }))).body;

    await stack.sim.deleteUser(leaver);
    const report = await waitFor(async () => {
      const r = await owner.json<HandoverResponse>(`/api/handovers/${leaver}`);
      return r.body.items?.length ? r.body : undefined;
    }, 'the handover report');
    // The delete told again (a second event, not a retry) and a full sync: nothing more moves.
    await stack.sim.deliver(changeContactXml(DEMO_CREDENTIALS.corpId, Math.floor(Date.now() / 1000) + 5, 'delete_user', [['UserID', leaver]]));
    await stack.app.container.contactSync.run('test');
    await new Promise((r) => setTimeout(r, 500));
    const again = (await owner.json<HandoverResponse>(`/api/handovers/${leaver}`)).body;
    expect(again.items).toHaveLength(1);
    const h = report.items[0]!;
    expect(h).toMatchObject({ member: { userid: leaver, name: '徐丽' }, reason: 'deleted', lead: { userid: U.csLead } });
    expect(h.items.map((i) => [i.kind, i.id])).toEqual(
      expect.arrayContaining([
        ['order', order.order_sn],
        ['case', String(c.id)],
        ['sop_step', String(run.steps[0]!.id)],
      ]),
    );
    expect(h.items.every((i) => i.to?.userid === U.csLead)).toBe(true);
    // Nothing stays with the member who left.
    expect((await owner.json<{ assignee: { userid: string } | null }>(`/api/orders/${order.order_sn}`)).body.assignee?.userid).toBe(U.csLead);
    expect((await owner.json<CaseDetail>(`/api/cases/${c.id}`)).body.assignee?.userid).toBe(U.csLead);
    expect(await stack.app.container.ds.getRepository(SopRunStep).countBy({ assignee: leaver, state: 'todo' })).toBe(0);
    // The offboarding checklist started, its lead steps with the lead who took the work, and the lead was told.
    expect(h.runId).not.toBeNull();
    const offboarding = (await owner.json<SopRunDetail>(`/api/sop/runs/${h.runId}`)).body;
    expect(offboarding.subject).toMatchObject({ type: 'member', id: leaver });
    expect(offboarding.steps.find((s) => s.title === '交接未完成的工作')!.assignee?.userid).toBe(U.csLead);
    const told = await waitFor(async () => {
      const rows = await stack.app.container.ds.getRepository(Delivery).findBy({ eventType: In(['member.handed_over']), target: `user:${U.csLead}` });
      return rows.length ? rows : undefined;
    }, 'the lead told of the handover');
    expect(told).toHaveLength(1);
    // Only owners and the member's leads read it.
    expect((await agent.request(`/api/handovers/${leaver}`)).status).toBe(403);
    expect((await lead.request(`/api/handovers/${leaver}`)).status).toBe(200);
  });

  it('a member who leaves a department hands their open cases to that team’s lead', async () => {
    const mover = U.csAgent4; // 孙浩, 售后组 (黄敏 leads it) → 仓储部
    const c = (await owner.json<CaseDetail>('/api/cases', post({ shopId: stack.shopId, type: 'other', title: '补发配件' }))).body;
    expect((await owner.request(`/api/cases/${c.id}/assign`, post({ userid: mover }))).status).toBe(200);
    await stack.sim.updateUser(mover, { department: [5] });
    const report = await waitFor(async () => {
      const r = await owner.json<HandoverResponse>(`/api/handovers/${mover}`);
      return r.body.items?.length ? r.body.items[0] : undefined;
    }, 'the transfer handover');
    expect(report).toMatchObject({ reason: 'moved', lead: { userid: U.csAftersaleLead } });
    expect(report.items.map((i) => [i.kind, i.id, i.to?.userid])).toEqual([['case', String(c.id), U.csAftersaleLead]]);
    expect((await owner.json<CaseDetail>(`/api/cases/${c.id}`)).body.history.some((h) => h.text.includes('调岗'))).toBe(true);
  });
});
