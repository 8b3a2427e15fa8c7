/**
 * 数据 in headless Chromium (phone 360×640 and desktop 1280 wide, zh-CN, Asia/Shanghai), against the real server
 * (SQLite, built h5/dist), the WeCom simulator with the demo corp 星河电商 and the Shopee simulator with the demo shop,
 * whose six weeks of history are seeded as `npm start` seeds them (scripts/demo-seed.ts `seedDemoHistory`: orders,
 * refunds, claims and cases as the metrics module's facts, rolled up; the GMV and FLASK-500 targets; yesterday's refund
 * surge firing the 退款率预警线 and flagging 退款订单数 early).
 * - 陈静 (店长): home fetches no chart code; on 数据 (from 更多应用) the KPI cards show GMV and 订单数 exactly as GET /api/metrics gives
 *   them for the page's range, the chart draws (a canvas; the ECharts chunk is fetched only now), 预警 shows the fired
 *   line and the early warning, 预警线 lists both seeded lines with their state, and 成员认领 each member's claims as the API
 *   counts them. The same page at desktop width.
 * - 周强 (运营总监) adds an alert line in the editor (nothing filled: 名称 asked for; 目标 × 2000 %: the server's 422 under
 *   阈值; a window of 0 days reaching the server: its 422 under 连续), saves it, sees it in the list, edits its threshold,
 *   switches it off and deletes it — each checked against GET /api/alerts.
 * - 李娜 (客服, no metrics:read) has no 数据 tab, and /data is 无权限.
 * Screenshots land in test/artifacts/screenshots/data-*.png.
 */
import type { Page, Request } from 'playwright-core';
import type { AlertLine, MetricsResponse } from '@shopcrew/shared';
import { seedDemoHistory } from '../../scripts/demo-seed';
import { DEMO_USERS as U } from '../../scripts/wecom-sim';
import { formatCount, formatMoney } from '../../h5/src/composables/metrics';
import { PHONE_CONTEXT } from '../support/browser';
import { chineseLines, describeBrowser, useBrowserStack } from '../support/e2e';
import { type Browser, signIn as apiSignIn } from '../support/http-client';
import { waitFor } from '../support/wait';

const TZ = 'Asia/Shanghai';
const PHONE = { ...PHONE_CONTEXT, timezoneId: TZ } as const;
const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: TZ } as const;
/** Yesterday in the corp's time zone: the day the seeded line fired and the early warning was given. */
const yesterday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: TZ }).format(Date.now() - 86_400_000);

/** A toast saying `text` (Vant keeps one toast and changes its text, so wait for the text, not just a toast). */
const toast = (page: Page, text: string) => page.locator('.van-toast', { hasText: text }).waitFor({ state: 'visible', timeout: 10_000 });
/** Once no toast is on screen (before a screenshot: a toast would hide what it is of). */
const toastGone = (page: Page) => waitFor(async () => (await page.locator('.van-toast:visible').count()) === 0, 'the toast gone');
/** The chunk with ECharts (components/metrics/MetricChart.vue and echarts). */
const isChartChunk = (url: string) => /\/assets\/MetricChart-[^/]+\.js$/.test(url);
const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

describeBrowser('H5 数据 (Chromium, zh-CN)', () => {
  const e2e = useBrowserStack({ stack: { db: 'sqlite', shopee: true, env: { TZ_CORP: TZ } } });
  const { url, newPage, signIn, shot, expectVisible: visible } = e2e;
  let shopId = '';
  let shopName = '';

  beforeAll(async () => {
    shopId = e2e.stack.shopId!;
    await seedDemoHistory({ c: e2e.stack.app.container, shopId, timeZone: TZ, now: Date.now() });
    shopName = (await e2e.stack.app.container.shops.list()).find((s) => s.shopId === shopId)!.name;
  }, 120_000);

  const api = async (who: string): Promise<Browser> => (await apiSignIn(e2e.stack, who)).browser;
  const figures = async (who: Browser, query: string) => {
    const res = await who.json<MetricsResponse>(`/api/metrics?${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const lines = async (who: Browser) => (await who.json<{ items: AlertLine[] }>('/api/alerts')).body.items;

  /** The 数据 page signed in as `userid`, once its KPI cards have figures. */
  const openData = async (page: Page, userid: string) => {
    await signIn(page, userid, '/data');
    await visible(page, '[data-testid="kpi-card"] [data-testid="kpi-value"][data-total]');
    await visible(page, '[data-testid="alert-lines-card"]');
  };

  test('陈静: the KPI cards as the API counts them, a chart (ECharts only here), 预警 and 预警线, 成员认领', async () => {
    const page = await newPage(PHONE);
    const requested: string[] = [];
    page.on('request', (r: Request) => requested.push(r.url()));

    // Home first: no chart code with it, nor in the page that carries it.
    await signIn(page, U.owner, '/');
    await visible(page, '[data-testid="tabbar"]');
    await page.waitForLoadState('networkidle');
    expect(requested.filter(isChartChunk)).toEqual([]);
    expect(requested.filter((u) => /echarts/i.test(u))).toEqual([]);
    const html = await (await fetch(url('/'))).text();
    expect(html).not.toMatch(/MetricChart|echarts/);
    // 店长 has more than the bar holds: 数据 is in 更多应用 on home.
    expect(await page.locator('[data-testid="tabbar"] [data-tab="data"]').count()).toBe(0);
    await visible(page, '[data-testid="more-apps"] [data-app="data"]');
    expect(requested.filter(isChartChunk)).toEqual([]);

    // 数据 from 更多应用.
    await page.click('[data-testid="more-apps"] [data-app="data"]');
    await page.waitForURL((u) => u.pathname === '/data');
    await visible(page, '[data-testid="kpi-card"][data-metric="gmv"] [data-testid="kpi-value"][data-total]');
    const span = page.locator('[data-testid="range-span"]');
    const [from, to] = [await span.getAttribute('data-from'), await span.getAttribute('data-to')];
    expect(to).toBe(new Intl.DateTimeFormat('sv-SE', { timeZone: TZ }).format(Date.now()));

    // GMV and 订单数 exactly as GET /api/metrics gives them for the same range (team scope, as the cards ask).
    const owner = await api(U.owner);
    const range = `scope=team&from=${from}&to=${to}&granularity=day`;
    const gmv = (await figures(owner, `metric=gmv&${range}`)).series;
    expect(gmv.map((s) => s.currency)).toEqual(['SGD']);
    const gmvTotal = gmv[0]!.total!;
    expect(gmvTotal).toBeGreaterThan(0);
    const gmvValue = page.locator('[data-testid="kpi-card"][data-metric="gmv"] [data-testid="kpi-value"]');
    expect(await gmvValue.getAttribute('data-total')).toBe(String(gmvTotal));
    expect(await gmvValue.getAttribute('title')).toBe(formatMoney(gmvTotal, 'SGD', 'zh-CN'));
    expect((await gmvValue.textContent())!.replace(/\s/g, '')).toBe(formatMoney(gmvTotal, 'SGD', 'zh-CN', true).replace(/\s/g, ''));
    const ordersTotal = (await figures(owner, `metric=orders&${range}`)).series[0]!.total!;
    expect(ordersTotal).toBeGreaterThan(0);
    const ordersValue = page.locator('[data-testid="kpi-card"][data-metric="orders"] [data-testid="kpi-value"]');
    expect(await ordersValue.getAttribute('data-total')).toBe(String(ordersTotal));
    expect(((await ordersValue.textContent()) ?? '').trim()).toBe(formatCount(ordersTotal, 'zh-CN', true));
    // The GMV target (900 SGD a day) is measured; the fired line's metric says 预警 on its card.
    await visible(page, '[data-testid="kpi-card"][data-metric="gmv"] [data-testid="kpi-target"]');
    expect(await text(page, '[data-testid="kpi-card"][data-metric="gmv"] [data-testid="kpi-target"]')).toMatch(/^目标完成 \d+(\.\d)?%$/);
    expect(await text(page, '[data-testid="kpi-card"][data-metric="refund_rate"] [data-testid="kpi-alert"]')).toBe('预警');
    await page.evaluate(() => document.fonts.ready);
    await shot(page, 'data-phone-top');

    // The chart by shop draws (a canvas), and only now is the ECharts chunk fetched.
    await visible(page, '[data-testid="chart-section"] [data-testid="metric-chart"] canvas');
    expect(requested.filter(isChartChunk)).toHaveLength(1);
    await page.locator('[data-testid="chart-section"]').scrollIntoViewIfNeeded();

    // 预警: the fired line and the early warning; 预警线: both seeded lines with their state.
    const fired = page.locator('[data-testid="alert-fired"]');
    expect(await fired.count()).toBe(1);
    expect(await fired.textContent()).toContain('退款率预警线');
    expect(await fired.textContent()).toContain(shopName);
    const warning = page.locator('[data-testid="early-warning"]');
    expect(await warning.count()).toBe(1);
    expect(await warning.getAttribute('data-metric')).toBe('refunded_orders');
    expect(await warning.getAttribute('data-day')).toBe(yesterday());
    expect(await warning.textContent()).toMatch(/退款订单数 \d+，近 \d+ 周同日均值 \d/);
    const row = (name: string) => page.locator('[data-testid="alert-line"]', { has: page.locator('[data-testid="alert-line-name"]', { hasText: name }) });
    expect(await page.locator('[data-testid="alert-line"]').count()).toBe(2);
    expect(await text(page, '[data-testid="alert-lines-count"]')).toBe('2 条');
    // Fired first: 退款率预警线 已触发 since yesterday; 保温杯销量低于目标 正常, against its target.
    expect(await page.locator('[data-testid="alert-line-name"]').allTextContents()).toEqual(['退款率预警线', '保温杯销量低于目标']);
    expect(await row('退款率预警线').getAttribute('data-state')).toBe('breached');
    expect(await row('退款率预警线').locator('[data-testid="alert-line-state"]').textContent()).toBe('已触发');
    expect(await row('退款率预警线').locator('[data-testid="alert-line-since"]').textContent()).toBe(`自 ${yesterday()}`);
    expect(await row('退款率预警线').locator('[data-testid="alert-line-words"]').textContent()).toBe('退款率 高于 15%');
    expect(await row('保温杯销量低于目标').getAttribute('data-state')).toBe('ok');
    expect(await row('保温杯销量低于目标').locator('[data-testid="alert-line-state"]').textContent()).toBe('正常');
    expect(await row('保温杯销量低于目标').locator('[data-testid="alert-line-words"]').textContent()).toBe('销量（件） 低于 目标的 60%（每天 6），连续 3 天');
    expect(await row('保温杯销量低于目标').textContent()).toContain('FLASK-500');
    // 店长 may change them: a switch and 编辑 on each.
    expect(await page.locator('[data-testid="alert-line-switch"]').count()).toBe(2);
    await page.locator('[data-testid="alerts-section"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => window.scrollBy(0, -84)); // below the sticky range bar
    await shot(page, 'data-phone-alerts');

    // 成员认领: each member's claims as GET /api/metrics counts them (member scope, the same range).
    const claimed = (await figures(owner, `metric=claimed_orders&scope=member&from=${from}&to=${to}&granularity=week&limit=20`)).series;
    expect(claimed.length).toBeGreaterThan(0);
    await page.locator('[data-testid="member-section"]').scrollIntoViewIfNeeded();
    await visible(page, '[data-testid="member-table"]');
    for (const s of claimed.filter((c) => (c.total ?? 0) > 0)) {
      const member = page.locator(`[data-testid="member-row"][data-userid="${s.key}"]`);
      expect(((await member.locator('th').textContent()) ?? '').trim()).toBe(s.label);
      expect(((await member.locator('[data-col="claimed"]').textContent()) ?? '').trim()).toBe(formatCount(s.total!, 'zh-CN'));
    }
    await visible(page, '[data-testid="member-section"] [data-testid="metric-chart"] canvas');
    await page.locator('[data-testid="member-section"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => window.scrollBy(0, -84));
    await shot(page, 'data-phone-members');
    await shot(page, 'data-phone-full', true);

    // Nothing wider than the phone.
    const overflow = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('[data-page="data"] *'))
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && el.checkVisibility())
        .filter((el) => !el.closest('.data-page__metrics')) // the metric chips scroll sideways on purpose
        .map((el) => el.className || el.tagName),
    );
    expect(overflow).toEqual([]);

    // The same page on a desktop.
    const desk = await newPage(DESKTOP);
    await openData(desk, U.owner);
    await visible(desk, '[data-testid="chart-section"] [data-testid="metric-chart"] canvas');
    await visible(desk, '[data-testid="member-section"] [data-testid="metric-chart"] canvas');
    expect(await desk.locator('[data-testid="alert-line"]').count()).toBe(2);
    await desk.evaluate(() => document.fonts.ready);
    await shot(desk, 'data-desktop');
    await desk.locator('[data-testid="alerts-section"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await desk.evaluate(() => window.scrollBy(0, -84));
    await shot(desk, 'data-desktop-alerts');
  });

  test('周强 adds an alert line in the editor, edits its threshold, switches it off and deletes it; the server’s 422 under its field', async () => {
    const ops = await api(U.opsManager);
    const page = await newPage(PHONE);
    await openData(page, U.opsManager);
    const before = (await lines(ops)).map((l) => l.id);

    // 添加预警线: the sheet, for the shop (the only one) by default; 保存 with nothing filled asks for a name.
    await page.click('[data-testid="alert-add"]');
    await visible(page, '[data-testid="alert-form"]');
    expect(await text(page, '[data-testid="alert-form"] h2')).toBe('添加预警线');
    const field = (name: string) => page.locator(`[data-testid="alert-form"] [data-testid="${name}"]`);
    const problem = (name: string) => field(name).locator('.van-field__error-message');
    expect(await page.getAttribute('[data-testid="alert-shop"]', 'data-shop')).toBe('');
    await page.click('[data-testid="alert-save"]');
    await problem('alert-name').waitFor();
    expect(await problem('alert-name').textContent()).toBe('请填写名称（最多 100 个字）');

    // GMV of the shop below its target: 目标 is offered (900 SGD a day is set), 固定值 by default.
    await field('alert-name').locator('input').fill('旗舰店 GMV 低于目标');
    await page.click('[data-testid="alert-metric"]');
    await visible(page, '[data-testid="alert-metric-sheet"]');
    expect(await page.locator('[data-testid="alert-metric-sheet"] .van-action-sheet__name').allTextContents()).toEqual(
      expect.arrayContaining(['GMV', '订单数', '退款率', '准时发货率', '平均认领用时', '销量（件）']),
    );
    await shot(page, 'data-alert-metric-picker');
    await page.click('.alert-metric-option--gmv');
    await page.locator('[data-testid="alert-metric-sheet"]').waitFor({ state: 'hidden' });
    expect(await field('alert-metric').getAttribute('data-metric')).toBe('gmv');
    await page.click(`[data-testid="alert-shop"] [data-shop="${shopId}"]`);
    expect(await page.locator('[data-testid="alert-basis"] [data-basis="target"]').isDisabled()).toBe(false);
    await page.click('[data-testid="alert-basis"] [data-basis="target"]');
    await page.click('[data-testid="alert-comparison"] [data-comparison="<"]');
    expect(await text(page, '[data-testid="alert-threshold"] .van-field__label')).toBe('目标的');
    expect(await text(page, '[data-testid="alert-threshold-unit"]')).toBe('%');
    expect(await text(page, '[data-testid="alert-threshold-hint"]')).toContain('每天 SGD 900.00');

    // 2000 % of the target: the server refuses it (at most 10 × the target), and says so under 阈值.
    await field('alert-threshold').locator('input').fill('2000');
    await page.click('[data-testid="alert-save"]');
    await problem('alert-threshold').waitFor();
    // (The server says it as a ratio, 1 = the target; the form has a share in %, and says it so.)
    expect(await problem('alert-threshold').textContent()).toBe('按目标的百分比填写：大于 0，最多 1000%（目标的 10 倍）');
    await field('alert-threshold').scrollIntoViewIfNeeded();
    await shot(page, 'data-alert-form-422');
    // Typing takes the refusal away.
    await field('alert-threshold').locator('input').fill('80');
    expect(await problem('alert-threshold').count()).toBe(0);

    // 连续 3 天; the sentence says what the line does.
    await field('alert-window').locator('.van-stepper__plus').click();
    await field('alert-window').locator('.van-stepper__plus').click();
    expect(await field('alert-window').getAttribute('data-days')).toBe('3');
    expect(await text(page, '[data-testid="alert-preview"]')).toBe(`${shopName}的GMV连续 3 天低于 目标的 80%（每天 SGD 720.00） 时提醒`);
    await field('alert-preview').scrollIntoViewIfNeeded();
    await shot(page, 'data-alert-form');

    // A window of 0 days reaching the server (the stepper never sends one): its 422 under 连续.
    await page.route(
      '**/api/alerts',
      async (route) => {
        const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
        await route.continue({ postData: JSON.stringify({ ...body, windowDays: 0 }) });
      },
      { times: 1 },
    );
    await page.click('[data-testid="alert-save"]');
    await problem('alert-window').waitFor();
    expect(await problem('alert-window').textContent()).toBe('连续天数为 1–30 天');
    expect((await lines(ops)).map((l) => l.id)).toEqual(before);
    await field('alert-window').scrollIntoViewIfNeeded();
    await shot(page, 'data-alert-form-window-422');

    // 保存: saved, in the list as 正常.
    await page.click('[data-testid="alert-save"]');
    await toast(page, '预警线已保存');
    await page.locator('[data-testid="alert-form"]').waitFor({ state: 'hidden' });
    const created = (await lines(ops)).find((l) => !before.includes(l.id))!;
    expect(created).toMatchObject({
      name: '旗舰店 GMV 低于目标',
      metric: 'gmv',
      shopId,
      sku: null,
      currency: 'SGD',
      comparison: '<',
      threshold: 0.8,
      basis: 'target',
      windowDays: 3,
      enabled: true,
      state: 'ok',
      target: 900,
    });
    const row = page.locator(`[data-testid="alert-line"][data-alert="${created.id}"]`);
    await row.waitFor();
    expect(await row.locator('[data-testid="alert-line-words"]').textContent()).toBe('GMV 低于 目标的 80%（每天 SGD 720.00），连续 3 天');
    expect(await row.locator('[data-testid="alert-line-state"]').textContent()).toBe('正常');
    expect(await text(page, '[data-testid="alert-lines-count"]')).toBe('3 条');
    await toastGone(page);
    await page.locator('[data-testid="alert-lines-card"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => window.scrollBy(0, -92));
    await shot(page, 'data-alert-lines');

    // 编辑: the form has the line as saved; 60 % instead.
    await row.locator('[data-testid="alert-line-edit"]').click();
    await visible(page, '[data-testid="alert-form"]');
    expect(await text(page, '[data-testid="alert-form"] h2')).toBe('编辑预警线');
    expect(await field('alert-name').locator('input').inputValue()).toBe('旗舰店 GMV 低于目标');
    expect(await field('alert-threshold').locator('input').inputValue()).toBe('80');
    expect(await page.getAttribute('[data-testid="alert-basis"]', 'data-basis')).toBe('target');
    await field('alert-threshold').locator('input').fill('60');
    await page.click('[data-testid="alert-save"]');
    await toast(page, '预警线已保存');
    await page.locator('[data-testid="alert-form"]').waitFor({ state: 'hidden' });
    await waitFor(async () => (await row.locator('[data-testid="alert-line-words"]').textContent())?.includes('60%'), 'the edited line in the list');
    expect(await row.locator('[data-testid="alert-line-words"]').textContent()).toBe('GMV 低于 目标的 60%（每天 SGD 540.00），连续 3 天');
    expect((await lines(ops)).find((l) => l.id === created.id)).toMatchObject({ threshold: 0.6, windowDays: 3, basis: 'target' });

    // The switch: off (PUT with enabled false), 已停用.
    await row.locator('[data-testid="alert-line-switch"]').click();
    await toast(page, '已停用「旗舰店 GMV 低于目标」');
    await page.locator(`[data-testid="alert-line"][data-alert="${created.id}"][data-state="off"]`).waitFor();
    expect(await row.locator('[data-testid="alert-line-state"]').textContent()).toBe('已停用');
    expect((await lines(ops)).find((l) => l.id === created.id)!.enabled).toBe(false);

    // 删除 (confirmed): gone from the list and the server.
    await row.locator('[data-testid="alert-line-edit"]').click();
    await visible(page, '[data-testid="alert-form"]');
    await page.click('[data-testid="alert-delete"]');
    await visible(page, '.van-dialog');
    expect(await text(page, '.van-dialog__message')).toBe('删除预警线「旗舰店 GMV 低于目标」？');
    await page.click('.van-dialog__confirm');
    await toast(page, '预警线已删除');
    await row.waitFor({ state: 'detached' });
    expect((await lines(ops)).map((l) => l.id)).toEqual(before);
    expect(await page.locator('[data-testid="alert-line"]').count()).toBe(2);
  });

  test('in English: 预警, 预警线 and the editor speak English (names, the shop and the server’s reasons are data)', async () => {
    const page = await newPage(PHONE);
    await page.addInitScript(() => localStorage.setItem('shopcrew.locale', 'en'));
    await openData(page, U.opsManager);
    await waitFor(() => page.evaluate(() => document.documentElement.lang === 'en'), 'the English messages loaded');
    const corp = e2e.stack.sim.corp;
    const owner = await api(U.owner);
    const day = yesterday();
    const warnings = (await owner.json<{ items: { reason: string }[] }>(`/api/alerts/warnings?from=${day}&to=${day}`)).body.items;
    const data = [shopName, ...[...corp.members.values()].map((m) => m.name), ...(await lines(owner)).map((l) => l.name), ...warnings.map((w) => w.reason)];
    expect({ where: '数据', lines: await chineseLines(page, data) }).toEqual({ where: '数据', lines: [] });
    expect(await text(page, '[data-testid="alert-fired"] .alerts-panel__detail')).toContain('Refund rate above 15%');
    const saved = page.locator('[data-testid="alert-line"]', { hasText: '保温杯销量低于目标' });
    expect(await saved.locator('[data-testid="alert-line-words"]').textContent()).toBe('Units sold below 60% of the target (6 a day), 3 days running');
    await page.locator('[data-testid="alerts-section"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => window.scrollBy(0, -84));
    await shot(page, 'data-alerts-en');

    await saved.locator('[data-testid="alert-line-edit"]').click();
    await visible(page, '[data-testid="alert-form"]');
    expect(await page.locator('[data-testid="alert-form"] [data-testid="alert-threshold"] input').inputValue()).toBe('60');
    expect({ where: 'the editor', lines: await chineseLines(page, data) }).toEqual({ where: 'the editor', lines: [] });
    expect(await text(page, '[data-testid="alert-preview"]')).toBe(
      `Tell when Units sold of ${shopName} FLASK-500 is below 60% of the target (6 a day) 3 days running`,
    );
    await shot(page, 'data-alert-form-en');
  });

  test('李娜 (客服, no metrics:read) has no 数据 tab, and /data is 无权限', async () => {
    const page = await newPage(PHONE);
    await signIn(page, U.csAgent, '/');
    await visible(page, '[data-testid="tabbar"]');
    const tabs = await page.locator('[data-testid="tabbar"] [data-tab]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tab')));
    expect(tabs).not.toContain('data');
    expect(tabs.length).toBeGreaterThan(1);
    await page.goto(url('/data'));
    await page.waitForURL((u) => u.pathname === '/forbidden');
    expect(await page.locator('[data-page="data"]').count()).toBe(0);
  });
});
