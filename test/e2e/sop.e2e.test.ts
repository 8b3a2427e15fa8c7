/**
 * 清单 (SOP checklists) in headless Chromium at phone size (360×640, zh-CN), against the real server (SQLite, built
 * h5/dist), the WeCom simulator with the demo corp 星河电商 and the Shopee simulator (scripts/shopee-sim):
 * 李娜 (客服) holds a case; on 清单 she starts 售后处理 on it (新建清单), opens the run, ticks 提供解决方案 (its note is
 * required: without one the sheet says so and stays), ticks 确认问题 with a photo chosen from a file (its thumbnail
 * shows before and after; × takes it back), skips 接单 (which asks why); the progress follows, and the list shows the
 * run with its next step. 王芳 (客服组长) publishes v2 of a template in 设置 → 清单: the editor says running checklists keep their version,
 * and one started before still has v1's steps. 陈静 (店长) opens the handover of a member removed from WeCom while
 * holding a case: the case, handed to her lead, and the offboarding checklist it started.
 * Screenshots land in test/artifacts/screenshots/sop-*.png.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { CaseDetail, HandoverResponse, SopRunDetail, SopTemplateSummary } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim';
import { describeBrowser, useBrowserStack } from '../support/e2e';
import { type Browser, signIn as apiSignIn } from '../support/http-client';
import { waitFor } from '../support/wait';

/**
 * A real PNG of `size`×`size` (8-bit RGB): a teal parcel on a light background with a darker band across it, so the
 * thumbnail in the screenshots looks like a photo of something rather than a flat colour.
 */
function parcelPng(size = 96): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  const rows: number[] = [];
  const lo = size * 0.2;
  const hi = size * 0.8;
  for (let y = 0; y < size; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < size; x++) {
      const box = x >= lo && x < hi && y >= lo && y < hi;
      const band = box && Math.abs(x - size / 2) < size * 0.06;
      rows.push(...(band ? [0, 110, 112] : box ? [0, 165, 168] : [236, 242, 246]));
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const send = (method: string, body: unknown = {}): RequestInit => ({ method, body: JSON.stringify(body) });

/** The seeded SOPs (seeded once at boot), as `who` sees them. */
const seededTemplates = (who: Browser) =>
  waitFor(async () => {
    const items = (await who.json<{ items: SopTemplateSummary[] }>('/api/sop/templates')).body.items;
    return items.length >= 6 ? items : undefined;
  }, 'the seeded SOPs');

/** A toast saying `text` (Vant keeps one toast and changes its text, so wait for the text, not just a toast). */
const toast = (page: Page, text: string) => page.locator('.van-toast', { hasText: text }).waitFor({ state: 'visible', timeout: 10_000 });

/** Once no toast is on screen (before a screenshot: a toast would hide what it is of). */
const toastGone = (page: Page) => waitFor(async () => (await page.locator('.van-toast:visible').count()) === 0, 'the toast gone');

/** Whether the `<img>` matched by `selector` has loaded and decoded (a broken or lazy, unloaded one has no width). */
const imageLoaded = (page: Page, selector: string) =>
  waitFor(
    () =>
      page
        .locator(selector)
        .first()
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    `${selector} loaded`,
  );

describeBrowser('H5 清单 (Chromium 360×640, zh-CN)', () => {
  const e2e = useBrowserStack({ stack: { db: 'sqlite', shopee: true } });
  const { url, newPage, signIn, shot, expectVisible: visible } = e2e;
  const api = (userid: string) => apiSignIn(e2e.stack, userid).then((r) => r.browser);

  const stepNamed = (page: Page, title: string) =>
    page.locator('[data-testid="run-steps"] > li', { has: page.locator('[data-testid="step-title"]', { hasText: title }) });
  const progress = async (page: Page) => {
    const bar = page.locator('[data-testid="run-head"] [data-testid="run-progress"]');
    return [Number(await bar.getAttribute('data-done')), Number(await bar.getAttribute('data-total'))];
  };
  const waitProgress = (page: Page, done: number) => page.locator(`[data-testid="run-head"] [data-testid="run-progress"][data-done="${done}"]`).waitFor();

  test('李娜 starts 售后处理 on her case, ticks steps with a note and a photo, skips one with a reason', async () => {
    // Her case: opened and claimed through the API, as the 售后 page would.
    const agent = await api(U.csAgent);
    await seededTemplates(agent);
    const made = await agent.json<CaseDetail>('/api/cases', send('POST', { shopId: e2e.stack.shopId, type: 'complaint', title: '包装破损' }));
    expect(made.status).toBe(201);
    const caseId = made.body.id;
    expect((await agent.request(`/api/cases/${caseId}/claim`, send('POST'))).status).toBe(200);

    const page = await newPage();
    await signIn(page, U.csAgent, '/checklists');
    expect(await page.getAttribute('.van-tabbar-item--active', 'data-tab')).toBe('checklists');
    // Nothing of hers yet: no tabs to switch (an agent sees only 我的), the empty state says what will show up here.
    await visible(page, '[data-testid="runs-empty"][data-view="mine"]');
    expect(await page.locator('[data-testid="run-views"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="runs-empty"]')).toContain('没有需要你处理的清单');
    await shot(page, 'sop-list-empty');

    // 新建清单: 售后处理, about her case.
    await page.click('[data-testid="run-create"]');
    await visible(page, '[data-testid="start-sheet"] [data-testid="start-template"]');
    await page.locator('[data-testid="start-template"]', { hasText: '售后处理' }).click();
    await page.click('[data-testid="start-subject-type"] [data-type="case"]');
    await page.fill('[data-testid="start-subject-id"] input', String(caseId));
    await shot(page, 'sop-start');
    await page.click('[data-testid="start-submit"]');
    await toast(page, '已创建清单');
    await page.waitForURL((u) => /^\/checklists\/\d+$/.test(u.pathname));
    const runId = Number(new URL(page.url()).pathname.split('/').pop());

    // The run: 售后处理 v1, about 售后 #<id> 包装破损 (a link to it), five steps to do, all hers or her role's.
    await visible(page, '[data-testid="run-head"][data-state="running"]');
    expect(await page.textContent('[data-testid="run-name"]')).toMatch(/售后处理\s*·\s*v1/);
    expect(await page.getAttribute('[data-testid="run-subject"]', 'data-subject')).toBe(`case:${caseId}`);
    expect((await page.textContent('[data-testid="run-subject-link"]'))?.trim()).toBe(`售后 #${caseId} 包装破损`);
    expect(await progress(page)).toEqual([0, 5]);
    const titles = await page.locator('[data-testid="run-steps"] [data-testid="step-title"]').allTextContents();
    expect(titles.map((s) => s.replace(/^\d+\.\s*/, '').trim())).toEqual(['接单', '确认问题', '提供解决方案', '记录在案', '完成/关闭']);
    expect(await stepNamed(page, '确认问题').locator('[data-testid="step-doer"]').getAttribute('data-userid')).toBe(U.csAgent);

    // 提供解决方案 asks for a note: without one the sheet stays and says so; with one the step is done.
    await toastGone(page);
    const solution = stepNamed(page, '提供解决方案');
    expect((await solution.locator('[data-testid="step-evidence"]').textContent())?.trim()).toBe('需提供备注');
    await solution.locator('[data-testid="step-done"]').click();
    await visible(page, '[data-testid="evidence-sheet"][data-evidence="note"]');
    expect(await page.textContent('[data-testid="evidence-sheet"] .evidence-sheet__title')).toBe('完成「提供解决方案」');
    await page.click('[data-testid="evidence-submit"]');
    expect(await page.textContent('[data-testid="evidence-note"] .van-field__error-message')).toBe('请填写备注');
    await shot(page, 'sop-evidence-note');
    expect(await solution.getAttribute('data-state')).toBe('todo');
    const note = '与买家沟通后补发一件新品，破损件无需退回';
    await page.fill('[data-testid="evidence-note"] textarea', note);
    await page.click('[data-testid="evidence-submit"]');
    await toast(page, '已完成「提供解决方案」');
    await page.locator('[data-testid="evidence-sheet"]').waitFor({ state: 'hidden' });
    await solution.and(page.locator('[data-state="done"]')).waitFor();
    expect(await solution.locator('[data-testid="proof-note"]').textContent()).toBe(note);
    expect(await solution.locator('[data-testid="step-ticked"]').textContent()).toContain('李娜 完成于');
    await waitProgress(page, 1);

    // 确认问题 with a photo chosen from a file: its thumbnail in the sheet, then on the done step.
    const confirm = stepNamed(page, '确认问题');
    await confirm.locator('[data-testid="step-done"]').click();
    await visible(page, '[data-testid="evidence-sheet"][data-evidence="photo"]');
    expect(await page.textContent('[data-testid="evidence-sheet"]')).toContain('可附照片');
    const photo = { name: '开箱照片.png', mimeType: 'image/png', buffer: parcelPng() };
    await page.setInputFiles('[data-testid="step-photo-input"]', photo);
    await page.locator('[data-testid="photo-field"][data-uploaded="true"]').waitFor();
    // An optional photo can be taken back (×), and chosen again.
    await page.click('[data-testid="photo-remove"]');
    await page.locator('[data-testid="photo-field"][data-uploaded="false"]').waitFor();
    expect(await page.locator('[data-testid="photo-preview"]').count()).toBe(0);
    await page.setInputFiles('[data-testid="step-photo-input"]', photo);
    await page.locator('[data-testid="photo-field"][data-uploaded="true"]').waitFor();
    await imageLoaded(page, '[data-testid="photo-preview"]');
    expect(await page.textContent('[data-testid="photo-field"]')).toContain('重新选择');
    expect(await page.locator('[data-testid="photo-error"]').count()).toBe(0);
    await page.fill('[data-testid="evidence-note"] textarea', '外箱一角压扁，商品完好');
    await shot(page, 'sop-evidence');
    await page.click('[data-testid="evidence-submit"]');
    await toast(page, '已完成「确认问题」');
    await page.locator('[data-testid="evidence-sheet"]').waitFor({ state: 'hidden' });
    await confirm.and(page.locator('[data-state="done"]')).waitFor();
    await confirm.locator('[data-testid="proof-photo"]').scrollIntoViewIfNeeded();
    await imageLoaded(page, `[data-step-id="${await confirm.getAttribute('data-step-id')}"] [data-testid="proof-photo"] img`);
    await waitProgress(page, 2);

    // 跳过 接单 asks why: without a reason the dialog stays; with one the step is skipped and shows it.
    const intake = stepNamed(page, '接单');
    await intake.locator('[data-testid="step-skip"]').click();
    await visible(page, '[data-testid="skip-dialog"]');
    expect(await page.textContent('[data-testid="skip-dialog"] .van-dialog__header')).toBe('跳过「接单」');
    await page.click('[data-testid="skip-dialog"] .van-dialog__confirm');
    expect(await page.textContent('[data-testid="skip-dialog"] [data-testid="reason-input"] .van-field__error-message')).toBe('请填写原因');
    const reason = '工单由系统分配给我，无需再接单';
    await page.fill('[data-testid="skip-dialog"] [data-testid="reason-input"] textarea', reason);
    await shot(page, 'sop-skip');
    await page.click('[data-testid="skip-dialog"] .van-dialog__confirm');
    await toast(page, '已跳过');
    await intake.and(page.locator('[data-state="skipped"]')).waitFor();
    expect(await intake.locator('[data-testid="step-reason"]').textContent()).toBe(`跳过原因：${reason}`);
    await waitProgress(page, 3);
    expect(await progress(page)).toEqual([3, 5]);

    // The server has it so: two done (one with the photo), one skipped.
    const run = await agent.json<SopRunDetail>(`/api/sop/runs/${runId}`);
    const byTitle = (title: string) => run.body.steps.find((s) => s.title === title)!;
    expect(byTitle('提供解决方案')).toMatchObject({ state: 'done', proof: { note }, doneBy: { userid: U.csAgent } });
    expect(byTitle('确认问题')).toMatchObject({ state: 'done', proof: { fileName: '开箱照片.png' } });
    expect(byTitle('确认问题').proof?.fileId).toEqual(expect.any(Number));
    expect(byTitle('接单')).toMatchObject({ state: 'skipped', reason });
    await toastGone(page);
    await confirm.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, 'sop-run-photo');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'sop-run');

    // Back on 清单: the run, 3/5, next 记录在案 (hers).
    await page.goto(url('/checklists'));
    const row = page.locator(`[data-testid="run-list"] [data-run-id="${runId}"]`);
    await row.waitFor();
    expect((await row.locator('[data-testid="run-template"]').textContent())?.trim()).toBe('售后处理');
    expect((await row.locator('[data-testid="run-subject"]').textContent())?.trim()).toBe(`售后 #${caseId} 包装破损`);
    expect(await row.locator('[data-testid="run-progress"]').getAttribute('data-done')).toBe('3');
    expect(await row.locator('[data-testid="run-next"]').textContent()).toContain('记录在案');
    expect((await row.locator('[data-testid="run-next-doer"]').textContent())?.trim()).toBe('李娜');
    await shot(page, 'sop-list');
  });

  test('王芳 publishes v2 of a template; a checklist started on v1 keeps v1', async () => {
    const lead = await api(U.csLead);
    const template = (await seededTemplates(lead)).find((t) => t.name === '每日店铺检查')!;
    expect(template.version).toBe(1);
    const before = await lead.json<SopRunDetail>('/api/sop/runs', send('POST', { templateId: template.id }));
    expect(before.status).toBe(201);

    const page = await newPage();
    await signIn(page, U.csLead, '/settings/sop');
    const row = page.locator(`[data-testid="template-row"][data-template-id="${template.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('v1 · 5 步');
    expect((await page.textContent('[data-testid="template-count"]'))?.trim()).toBe('共 6 个模板');
    await shot(page, 'sop-settings');
    await row.locator('a').click();
    await page.waitForURL(url(`/settings/sop/templates/${template.id}`));
    await waitFor(async () => (await page.inputValue('[data-testid="template-name"] input')) === '每日店铺检查', 'the editor filled');
    expect(await page.locator('[data-testid="template-step"]').count()).toBe(5);
    expect((await page.textContent('[data-testid="template-publish-hint"]'))?.trim()).toBe('保存后发布 v2；进行中的清单仍按 v1 执行');
    expect((await page.textContent('[data-testid="template-save"]'))?.trim()).toBe('发布 v2');
    await shot(page, 'sop-template');

    // A sixth step, for the shop's ratings, done by a 客服组长 with a note.
    await page.click('[data-testid="template-add-step"]');
    const added = page.locator('[data-testid="template-step"][data-index="5"]');
    await added.waitFor();
    await added.locator('[data-testid="step-title-input"] input').fill('回复差评');
    await added.locator('[data-testid="step-assignee-kind"] [data-kind="role"]').click();
    await added.locator('[data-testid="step-role"] [data-role="cs_lead"]').click();
    await added.locator('[data-testid="step-evidence"] [data-evidence="note"]').click();
    await added.locator('[data-testid="step-due-input"] input').fill('4');
    await added.scrollIntoViewIfNeeded();
    await shot(page, 'sop-template-step');
    await page.click('[data-testid="template-save"]');
    await toast(page, '已发布 v2');
    await page.locator('[data-testid="template-version"][data-version="2"]').waitFor();
    expect((await page.textContent('[data-testid="template-publish-hint"]'))?.trim()).toBe('保存后发布 v3；进行中的清单仍按 v2 执行');
    const versions = await page.locator('[data-testid="template-version"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-version')));
    expect(versions).toEqual(['2', '1']);
    await toastGone(page);
    await page.locator('[data-testid="template-versions"]').scrollIntoViewIfNeeded();
    await shot(page, 'sop-template-published');

    // The checklist started before: still v1, five steps; a new one runs v2.
    await page.goto(url(`/checklists/${before.body.id}`));
    await visible(page, '[data-testid="run-head"]');
    expect(await page.textContent('[data-testid="run-name"]')).toMatch(/每日店铺检查\s*·\s*v1/);
    expect(await page.locator('[data-testid="run-steps"] > li').count()).toBe(5);
    const after = await lead.json<SopRunDetail>('/api/sop/runs', send('POST', { templateId: template.id }));
    expect([after.body.version, after.body.steps.length, after.body.steps[5]?.title]).toEqual([2, 6, '回复差评']);
  });

  test('陈静 opens the handover of a member removed while holding a case: the case went to her lead', async () => {
    const owner = await api(U.owner);
    const leaver = U.csAgent3; // 徐丽, 售前组: 王芳 leads it
    const made = await owner.json<CaseDetail>('/api/cases', send('POST', { shopId: e2e.stack.shopId, type: 'complaint', title: '催发货' }));
    expect(made.status).toBe(201);
    expect((await owner.request(`/api/cases/${made.body.id}/assign`, send('POST', { userid: leaver }))).status).toBe(200);

    await e2e.stack.sim.deleteUser(leaver);
    await waitFor(async () => (await owner.json<HandoverResponse>(`/api/handovers/${leaver}`)).body.items?.length, 'the handover report', 20_000);

    const page = await newPage();
    await signIn(page, U.owner, `/handovers/${leaver}`);
    const handover = page.locator('[data-testid="handover"]');
    await handover.waitFor();
    expect((await handover.locator('[data-testid="handover-member"]').textContent())?.trim()).toBe('徐丽');
    expect((await handover.locator('[data-testid="handover-reason"]').textContent())?.trim()).toBe('离职');
    expect((await handover.locator('[data-testid="handover-lead"]').textContent())?.trim()).toBe('王芳');
    const item = handover.locator(`[data-testid="handover-item"][data-kind="case"][data-id="${made.body.id}"]`);
    await item.waitFor();
    expect(await item.locator('[data-testid="handover-to"]').getAttribute('data-userid')).toBe(U.csLead);
    expect((await item.locator('[data-testid="handover-to"]').textContent())?.trim()).toBe('交给 王芳');
    expect(await item.locator('a').getAttribute('href')).toBe(`/cases/${made.body.id}`);
    // The offboarding checklist (离职/调岗, started by its seeded rule) is linked.
    await visible(page, '[data-testid="handover-run"]');
    await shot(page, 'sop-handover', true);
    await page.click('[data-testid="handover-run"]');
    await page.waitForURL((u) => /^\/checklists\/\d+$/.test(u.pathname));
    await visible(page, '[data-testid="run-head"]');
    expect(await page.textContent('[data-testid="run-name"]')).toContain('离职/调岗');
    // The server keys the offboarding run by the departure (offboarding.ts: subject id `<userid>#<event>`), so only the
    // start of the id is the member's; the label is what the page shows.
    expect(await page.getAttribute('[data-testid="run-subject"]', 'data-subject')).toMatch(new RegExp(`^member:${leaver}(#|$)`));
    expect((await page.textContent('[data-testid="run-subject"]'))?.trim()).toBe('成员 徐丽（离职）');
    await shot(page, 'sop-offboarding-run');
  });
});
