/**
 * 项目 (campaign projects) in headless Chromium against the real server (SQLite, built h5/dist), the WeCom simulator
 * with the demo corp 星河电商 and the Shopee simulator, in the corp's time zone (Asia/Shanghai, as staff are):
 * - at desktop size (1280×800, a mouse: the Gantt drags only there) 周强 (运营总监) creates 双11大促 from 大促备战 with a
 *   D day picked on the calendar and 罗欣 as 主图优化's owner (sent with the project as `taskOwners`), sees the 7 tasks
 *   dated back from the D day, opens 甘特图 and drags 主图优化's bar three days later with the mouse: the dialog lists the
 *   dependants that move along, and once confirmed the server has the new days (投流测试 pushed after it). On the task
 *   page he comments `@罗欣 …` picking her in the mention picker: the mention is highlighted, and she is told exactly
 *   once (`task.mentioned`); a file and the task's history are on their tabs.
 * - at phone size (360×640, touch) 周强 sees his projects with their progress and late tasks; the Gantt is for reading
 *   (no drag: a mouse drag moves nothing), a tap on a bar opens its task; 搜索 from the list finds a comment by a
 *   two-character word (主图).
 * Screenshots land in test/artifacts/screenshots/projects-*.png.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { CommentView, ProjectDetail, TaskView } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim';
import { Delivery } from '../../server/src/modules/notifications/delivery.entity';
import { addDays, dayRange } from '../../h5/src/composables/projectDates';
import { PHONE_CONTEXT } from '../support/browser';
import { describeBrowser, useBrowserStack } from '../support/e2e';
import { signIn as apiSignIn } from '../support/http-client';
import { waitFor } from '../support/wait';

const TZ = 'Asia/Shanghai';
const DESKTOP = { viewport: { width: 1280, height: 1000 }, locale: 'zh-CN', timezoneId: TZ } as const;
const PHONE = { ...PHONE_CONTEXT, timezoneId: TZ } as const;
/** Today in the corp's time zone (what the server calls late by, and what the pages call today). */
const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: TZ }).format(Date.now());

/** 大促备战 (server/src/modules/projects/templates.ts): each task's days from the D day. */
const PROMO: readonly [title: string, start: number, due: number][] = [
  ['选品策划', -30, -24],
  ['主图优化', -23, -15],
  ['定价策略', -23, -18],
  ['活动报名', -17, -14],
  ['投流测试', -13, -1],
  ['大促开始', 0, 0],
  ['数据复盘', 1, 5],
];

/** A real 8-bit RGB PNG of `w`×`h`: an orange poster with a white band, so the thumbnail looks like a banner. */
function posterPng(w = 120, h = 80): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows: number[] = [];
  for (let y = 0; y < h; y++) {
    rows.push(0);
    for (let x = 0; x < w; x++) rows.push(...(Math.abs(y - h / 2) < h * 0.12 && x > w * 0.15 && x < w * 0.85 ? [255, 255, 255] : [238, 77, 45]));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const send = (method: string, body: unknown = {}): RequestInit => ({ method, body: JSON.stringify(body) });

/** A toast saying `text` (Vant keeps one toast and changes its text). */
const toast = (page: Page, text: string) => page.locator('.van-toast', { hasText: text }).waitFor({ state: 'visible', timeout: 10_000 });
/** Once no toast is on screen (before a screenshot). */
const toastGone = (page: Page) => waitFor(async () => (await page.locator('.van-toast:visible').count()) === 0, 'the toast gone');

/** The project as the server has it for the member signed in on `page` (their own session). */
const apiProject = (page: Page, id: number) =>
  page.evaluate(
    async (projectId) => (await fetch(`/api/projects/${projectId}`, { headers: { Accept: 'application/json' } })).json() as Promise<ProjectDetail>,
    id,
  );

/** Once the chart has scrolled to where it opens (frappe-gantt scrolls there smoothly) and stays there for a few frames. */
const chartScrolled = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const box = document.querySelector('[data-testid="gantt-chart"] .gantt-container')!;
        let last = -1;
        let still = 0;
        const tick = () => {
          if (box.scrollLeft > 0 && box.scrollLeft === last) still++;
          else still = 0;
          last = box.scrollLeft;
          if (still >= 5) resolve();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
  );

const bar = (page: Page, taskId: number) => page.locator(`[data-testid="gantt-bar"][data-task-id="${taskId}"]`);

describeBrowser('H5 项目 (Chromium, zh-CN, Asia/Shanghai)', () => {
  const e2e = useBrowserStack({ stack: { db: 'sqlite', shopee: true } });
  const { url, newPage, signIn, shot, expectVisible: visible } = e2e;
  const api = (userid: string) => apiSignIn(e2e.stack, userid).then((r) => r.browser);
  const deliveries = (eventType: string, userid: string) => e2e.stack.app.container.ds.getRepository(Delivery).findBy({ eventType, target: `user:${userid}` });

  test('周强 creates 双11大促 from 大促备战, drags 主图优化 on the Gantt (its dependants follow), and mentions 罗欣 on the task', async () => {
    const page = await newPage(DESKTOP);
    await signIn(page, U.opsManager, '/projects');
    await visible(page, '[data-testid="project-create"]');
    await page.click('[data-testid="project-create"]');
    await page.waitForURL(url('/projects/new'));

    // 从模板创建: 大促备战, the name and goal, the D day picked on the calendar.
    await page.click('[data-testid="project-mode"] [data-mode="template"]');
    await page.click('[data-testid="project-template"][data-template="promo"]');
    await page.fill('[data-testid="project-form-name"] input', '双11大促');
    await page.fill('[data-testid="project-form-goal"] textarea', 'GMV 比去年提升 30%');
    const dDay = addDays(today(), 40);
    const [y, m, d] = dDay.split('-').map(Number) as [number, number, number];
    await page.click('[data-testid="project-form-dday"]');
    const calendar = page.locator('.van-calendar:visible');
    const month = calendar.locator('.van-calendar__month', { has: page.locator('.van-calendar__month-title', { hasText: `${y}年${m}月` }) });
    await month.locator('.van-calendar__day', { hasText: new RegExp(`^${d}$`) }).click();
    await calendar.locator('.van-calendar__confirm').click();
    await calendar.waitFor({ state: 'hidden' });
    expect(await page.getAttribute('[data-testid="project-form-dday"]', 'data-start')).toBe(dDay);

    // The 7 tasks with their days worked out from the D day; 罗欣 owns 主图优化.
    const rows = page.locator('[data-testid="template-task"]');
    await waitFor(async () => (await rows.count()) === PROMO.length, 'the template tasks');
    const previewed = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-start'), e.getAttribute('data-due')]));
    expect(previewed).toEqual(PROMO.map(([, s, e]) => [addDays(dDay, s), addDays(dDay, e)]));
    await rows.nth(1).locator('[data-testid="template-task-pick"]').click();
    await visible(page, '[data-testid="template-owner-picker"] [data-testid="member-search"] input');
    await page.fill('[data-testid="template-owner-picker"] [data-testid="member-search"] input', '罗欣');
    await page.click(`[data-testid="template-owner-picker"] [data-userid="${U.designLead}"]`);
    expect((await rows.nth(1).locator('[data-testid="template-task-owner"]').textContent())?.trim()).toBe('罗欣');
    await page.locator('[data-testid="template-owner-picker"]').waitFor({ state: 'hidden' });
    await shot(page, 'projects-new-template', true);

    // One request makes the project and its owned task (taskOwners), no PATCH after it.
    const writes: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET' && new URL(r.url()).pathname.startsWith('/api/')) writes.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await page.click('[data-testid="project-form-submit"]');
    await toast(page, '已创建项目');
    await page.waitForURL((u) => /^\/projects\/\d+$/.test(u.pathname));
    const projectId = Number(new URL(page.url()).pathname.split('/').pop());
    expect(writes).toEqual(['POST /api/projects']);

    // The project: planning, its days the first task's to the last's (the review after the D day), its 7 tasks by start.
    await visible(page, `[data-testid="project-head"][data-project-id="${projectId}"]`);
    expect(await page.textContent('[data-testid="project-head"] [data-testid="project-name"]')).toBe('双11大促');
    expect(await page.getAttribute('[data-testid="project-head"]', 'data-state')).toBe('planning');
    await page.click('[data-testid="task-order"] [data-order="start"]');
    await page.waitForURL((u) => u.searchParams.get('order') === 'start');
    const taskRows = page.locator('[data-testid="task-list"] [data-testid="task-row"]');
    await waitFor(async () => (await taskRows.count()) === PROMO.length, 'the 7 tasks');
    const listed = await taskRows.evaluateAll((els) =>
      els.map((e) => [e.querySelector('[data-testid="task-title"]')?.textContent?.trim(), e.querySelector('[data-testid="task-dates"]')?.textContent?.trim()]),
    );
    const byStart = [...PROMO].sort((a, b) => a[1] - b[1] || a[2] - b[2]);
    expect(listed).toEqual(byStart.map(([title, s, e]) => [title, dayRange(addDays(dDay, s), addDays(dDay, e), today())]));
    const created = await apiProject(page, projectId);
    const task = (p: ProjectDetail, title: string) => p.tasks.find((t) => t.title === title)!;
    expect(task(created, '主图优化').owner).toEqual({ userid: U.designLead, name: '罗欣' });
    expect(created.tasks.filter((t) => t.owner).length).toBe(1);
    expect(created).toMatchObject({ start: addDays(dDay, -30), end: addDays(dDay, 5) }); // through the review after the D day
    const design = task(created, '主图优化');
    const traffic = task(created, '投流测试');
    expect((await page.textContent(`[data-testid="task-row"][data-task-id="${design.id}"] [data-testid="task-owner"]`))?.trim()).toBe('罗欣');
    await toastGone(page);
    await shot(page, 'projects-tasks');

    // 甘特图: draggable here (a mouse, a wide window, a manager), the critical path marked.
    await page.click('[data-testid="project-view"] .van-tab:has-text("甘特图")');
    await page.waitForURL((u) => u.searchParams.get('view') === 'gantt');
    await visible(page, `[data-testid="gantt-bar"][data-task-id="${design.id}"]`);
    expect(await page.getAttribute('[data-testid="gantt-chart"]', 'data-draggable')).toBe('true');
    expect(await page.locator('[data-testid="gantt-bar"]').count()).toBe(PROMO.length);
    expect(await bar(page, traffic.id).getAttribute('data-critical')).toBe('true');
    await chartScrolled(page);
    await shot(page, 'projects-gantt-desktop');

    // Drag 主图优化 three days later: a real mouse drag on its bar.
    const rect = bar(page, design.id).locator('.bar');
    await rect.scrollIntoViewIfNeeded();
    const box = (await rect.boundingBox())!;
    const column = box.width / 9; // 主图优化 runs 9 days
    const [sx, sy] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(sx, sy);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(sx + (column * 3.5 * i) / 12, sy);
    await page.mouse.up();

    // The confirmation lists what moves along: 投流测试, 大促开始 and 数据复盘, each pushed to start after the one before.
    const dialog = page.locator('[data-testid="move-confirm"]');
    await dialog.waitFor({ state: 'visible' });
    const to = { start: addDays(dDay, -20), due: addDays(dDay, -12) };
    expect(await dialog.locator('.move-confirm__heading').textContent()).toBe(`把「主图优化」调整到 ${dayRange(to.start, to.due, today())}？`);
    expect(await dialog.locator('[data-testid="move-followers"]').getAttribute('data-count')).toBe('3');
    const followers = await dialog
      .locator('[data-testid="move-follower"]')
      .evaluateAll((els) =>
        els.map((e) => [e.querySelector('.move-confirm__title')?.textContent?.trim(), e.querySelector('.move-confirm__days')?.textContent?.trim()]),
      );
    const line = (title: string, from: [number, number], next: [number, number]) => [
      title,
      `${dayRange(addDays(dDay, from[0]), addDays(dDay, from[1]), today())} → ${dayRange(addDays(dDay, next[0]), addDays(dDay, next[1]), today())}`,
    ];
    expect(followers).toEqual([line('投流测试', [-13, -1], [-11, 1]), line('大促开始', [0, 0], [2, 2]), line('数据复盘', [1, 5], [3, 7])]);
    await shot(page, 'projects-move-confirm');
    await dialog.locator('.van-dialog__confirm').click();
    await toast(page, '已调整日期，3 个后续任务随之顺延');

    // The server has the new days, 投流测试 pushed after 主图优化; the chart shows them.
    const moved = await waitFor(async () => {
      const p = await apiProject(page, projectId);
      return task(p, '主图优化').start === to.start ? p : undefined;
    }, 'the move saved');
    expect(task(moved, '主图优化')).toMatchObject(to);
    expect(task(moved, '投流测试')).toMatchObject({ start: addDays(dDay, -11), due: addDays(dDay, 1) });
    expect(task(moved, '数据复盘')).toMatchObject({ start: addDays(dDay, 3), due: addDays(dDay, 7) });
    expect(task(moved, '定价策略')).toMatchObject({ start: addDays(dDay, -23), due: addDays(dDay, -18) }); // not a dependant
    expect(moved.slipping).toBe(true);
    await waitFor(async () => (await bar(page, design.id).getAttribute('aria-label'))?.includes(to.start), 'the bar redrawn');
    await toastGone(page);
    await shot(page, 'projects-gantt-moved');

    // The task page: a comment mentioning 罗欣, picked in the mention picker.
    await page.click('[data-testid="project-view"] .van-tab:has-text("任务")');
    await page.click(`[data-testid="task-row"][data-task-id="${design.id}"] [data-testid="task-link"]`);
    await page.waitForURL(url(`/tasks/${design.id}`));
    await visible(page, `[data-testid="task-head"][data-task-id="${design.id}"]`);
    expect(await page.getAttribute('[data-testid="task-head"] [data-testid="task-dates"]', 'data-start')).toBe(to.start);
    const input = page.locator('[data-testid="comment-input"] textarea');
    await input.click();
    await input.pressSequentially('@');
    await visible(page, '[data-testid="mention-picker"] [data-testid="member-search"] input');
    await page.fill('[data-testid="mention-picker"] [data-testid="member-search"] input', '罗欣');
    await page.click(`[data-testid="mention-picker"] [data-userid="${U.designLead}"]`);
    await page.locator('[data-testid="mention-picker"]').waitFor({ state: 'hidden' });
    await waitFor(async () => (await input.inputValue()) === '@罗欣 ', 'the mention written');
    await input.pressSequentially('主图改到第二版了，日期顺延 3 天，辛苦看一下');
    await page.click('[data-testid="comment-submit"]');
    await toast(page, '已发送');
    const comment = page.locator('[data-testid="comment-thread"] [data-testid="comment"]').last();
    await comment.waitFor();
    const mention = comment.locator(`[data-testid="comment-mention"][data-userid="${U.designLead}"]`);
    expect(await mention.textContent()).toBe('@罗欣');
    expect(await mention.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    expect(await comment.locator('[data-testid="comment-body"]').textContent()).toBe('@罗欣 主图改到第二版了，日期顺延 3 天，辛苦看一下');
    expect(await input.inputValue()).toBe('');

    // 罗欣 is told once of the mention (and once of her task, on creating the project).
    const mentioned = await waitFor(async () => {
      const found = await deliveries('task.mentioned', U.designLead);
      return found.length ? found : undefined;
    }, 'task.mentioned for 罗欣');
    expect(mentioned).toHaveLength(1);
    expect(await deliveries('task.assigned', U.designLead)).toHaveLength(1);
    await toastGone(page);
    await shot(page, 'projects-task-comments', true);

    // 文件: an image with its thumbnail; 动态: the file, the comment and the move, newest first.
    await page.click('[data-testid="task-tabs"] .van-tab:has-text("文件")');
    await page.setInputFiles('[data-testid="task-file-input"]', { name: '主图第二版.png', mimeType: 'image/png', buffer: posterPng() });
    await toast(page, '已上传');
    await page.locator('[data-testid="task-file-thumb"]').waitFor();
    await waitFor(
      () => page.locator('[data-testid="task-file-thumb"]').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
      'the thumbnail',
    );
    await toastGone(page);
    await shot(page, 'projects-task-files', true);
    await page.click('[data-testid="task-tabs"] .van-tab:has-text("动态")');
    await visible(page, '[data-testid="task-history"]');
    const kinds = await page.locator('[data-testid="activity-entry"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['attachment', 'comment', 'moved', 'created']);
    await shot(page, 'projects-task-history', true);
    expect(await deliveries('task.mentioned', U.designLead)).toHaveLength(1);
  }, 120_000);

  test('on a phone: the list with progress and late tasks, a read-only Gantt (a tap opens the task), 搜索 finds a comment by 主图', async () => {
    // 618 年中大促, its D day in 5 days: 选品策划 done, 投流测试 under way, three tasks late; 罗欣 commented on 主图优化.
    const ops = await api(U.opsManager);
    const designer = await api(U.designLead);
    const dDay = addDays(today(), 5);
    const made = await ops.json<ProjectDetail>(
      '/api/projects',
      send('POST', {
        name: '618 年中大促',
        goal: '清库存、拉新客',
        start: addDays(dDay, -30),
        end: dDay,
        templateKey: 'promo',
        taskOwners: { '1': U.designLead },
      }),
    );
    expect(made.status).toBe(201);
    const project = made.body;
    const task = (title: string): TaskView => project.tasks.find((t) => t.title === title)!;
    expect((await ops.request(`/api/projects/${project.id}/transition`, send('POST', { to: 'active' }))).status).toBe(200);
    expect((await ops.request(`/api/tasks/${task('选品策划').id}`, send('PATCH', { state: 'done' }))).status).toBe(200);
    expect((await ops.request(`/api/tasks/${task('投流测试').id}`, send('PATCH', { state: 'doing', progress: 40 }))).status).toBe(200);
    const said = await designer.json<CommentView>(`/api/tasks/${task('主图优化').id}/comments`, send('POST', { body: '主图第三版的文案改短了，周五前定稿' }));
    expect(said.status).toBe(201);

    const page = await newPage(PHONE);
    await signIn(page, U.opsManager, '/projects');
    const row = page.locator(`[data-testid="project-row"][data-project-id="${project.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('active');
    const progress = row.locator('[data-testid="project-progress"]');
    expect([await progress.getAttribute('data-done'), await progress.getAttribute('data-total')]).toEqual(['1', '7']);
    expect((await progress.textContent())?.trim()).toBe('1/7');
    const late = row.locator('[data-testid="project-late"]');
    expect(await late.getAttribute('data-count')).toBe('3');
    expect((await late.textContent())?.trim()).toBe('3 个任务逾期');
    await shot(page, 'projects-list');

    // The Gantt on a phone: for reading (a manager, but no drag here), late bars red, today's line, a tap opens the task.
    await row.locator('[data-testid="project-link"]').click();
    await page.waitForURL(url(`/projects/${project.id}`));
    await page.click('[data-testid="project-view"] .van-tab:has-text("甘特图")');
    await page.waitForURL((u) => u.searchParams.get('view') === 'gantt');
    const traffic = bar(page, task('投流测试').id);
    await traffic.waitFor();
    expect(await page.getAttribute('[data-testid="gantt-chart"]', 'data-draggable')).toBe('false');
    expect(await page.textContent('[data-testid="gantt-hint"]')).toContain('点任务条查看详情');
    const lateBars = await page
      .locator('[data-testid="gantt-bar"][data-late="true"]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-task-id'))));
    expect(lateBars.sort()).toEqual([task('主图优化').id, task('定价策略').id, task('活动报名').id].sort());
    expect(
      await bar(page, task('主图优化').id)
        .locator('.bar')
        .evaluate((el) => getComputedStyle(el).fill),
    ).toBe('rgb(253, 226, 226)');
    expect(await traffic.getAttribute('data-critical')).toBe('true');
    expect(await traffic.locator('.bar').evaluate((el) => getComputedStyle(el).stroke)).toBe('rgb(237, 106, 12)');
    await visible(page, '[data-testid="gantt-today"]');
    await chartScrolled(page);
    await page.locator('[data-testid="project-view"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'projects-gantt-phone');

    // A mouse drag moves nothing here (let go off the bar, on the empty row above, so it is not a tap either).
    const rect = traffic.locator('.bar');
    const x = await rect.getAttribute('x');
    const box = (await rect.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 90, box.y + box.height / 2 - 38, { steps: 6 });
    expect(await rect.getAttribute('x')).toBe(x);
    await page.mouse.up();
    expect(await rect.getAttribute('x')).toBe(x);
    expect(page.url()).toBe(url(`/projects/${project.id}?view=gantt`));
    expect(await page.locator('[data-testid="move-confirm"]:visible').count()).toBe(0);

    // A tap on a bar opens its task.
    await traffic.locator('.bar').tap();
    await page.waitForURL(url(`/tasks/${task('投流测试').id}`));
    await visible(page, `[data-testid="task-head"][data-task-id="${task('投流测试').id}"]`);
    expect((await page.textContent('[data-testid="task-head"] [data-testid="task-progress"]'))?.trim()).toBe('40%');
    const unchanged = await apiProject(page, project.id);
    expect(unchanged.tasks.find((t) => t.title === '投流测试')).toMatchObject({ start: task('投流测试').start, due: task('投流测试').due });

    // 搜索 from the list: 主图 finds 罗欣's comment, the words marked.
    await page.goto(url('/projects'));
    await page.click('[data-testid="projects-search"]');
    await page.waitForURL(url('/search'));
    await page.fill('[data-testid="search-input"] input', '主图');
    await page.waitForURL((u) => u.searchParams.get('q') === '主图');
    const hit = page.locator(`[data-testid="search-group"][data-kind="comment"] [data-testid="search-hit"][data-id="${said.body.id}"]`);
    await hit.waitFor();
    expect((await hit.locator('.hit__title').textContent())?.trim()).toBe('主图优化');
    expect(await hit.locator('[data-testid="search-snippet"] mark').first().textContent()).toBe('主图');
    await shot(page, 'projects-search');
    await hit.locator('[data-testid="search-hit-link"]').click();
    await page.waitForURL((u) => u.pathname === `/tasks/${task('主图优化').id}`);
    await visible(page, `[data-testid="comment"][data-comment-id="${said.body.id}"]`);
  });
});
