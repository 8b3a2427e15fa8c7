/**
 * 售后 in headless Chromium at phone size (360×640, zh-CN), against the real server (SQLite, built h5/dist), the
 * WeCom simulator with the demo corp 星河电商 and the Shopee simulator (scripts/shopee-sim):
 * 李娜 (客服) finds a new return under 待分配 with the countdown to its first-response deadline, claims it with a tap,
 * finds it under 我的, opens it and moves it 处理中 → 已解决 (which asks why); the history shows both moves, newest
 * first, and a resolved case offers only the moves its state allows (the server refuses the others with
 * 409 illegal_transition). 王芳 (客服组长) starts on 全部, opens 待审批 and approves a refund above the shop's
 * threshold: the case shows it approved, and who approved it.
 * Screenshots land in test/artifacts/screenshots/cases-*.png.
 */
import type { Page } from 'playwright-core';
import { CASE_STATES, type CaseDetail, type CaseState, type CaseType } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim';
import zhCases from '../../h5/src/locales/cases/zh-CN';
import { In } from 'typeorm';
import { Case } from '../../server/src/modules/aftersales/case.entity';
import { describeBrowser, useBrowserStack, type BrowserStack } from '../support/e2e';
import { waitFor } from '../support/wait';

/** What the seeding gives the tests: one linked shop and two cases in it. */
interface SeededCases {
  shopName: string;
  /**
   * A return or refund request from Shopee that nobody holds yet (state 受理 `new`), below the approval threshold, with
   * a running deadline (`dueAt`: its first response, in business time, or the platform's).
   */
  open: { id: number; orderSn: string; type: CaseType };
  /** A refund at or above the shop's approval threshold, its approval `pending`. */
  approval: { id: number; orderSn: string };
}

/**
 * Two returns on shipped orders of the stack's linked shop (`shopee: true`; approval from 200 SGD by default): one
 * below the threshold, one above; resolves once the server has both cases (pushed by the simulator, code 29).
 */
async function seedCases(stack: BrowserStack['stack']): Promise<SeededCases> {
  const sim = stack.shopee!;
  const shopId = Number(stack.shopId);
  const make = async (refund: number) => {
    const order = sim.createOrder(shopId, { order_status: 'SHIPPED' });
    await sim.settled();
    const r = sim.createReturn(order.order_sn, { refund_amount: refund, reason: 'ITEM_DAMAGED', return_solution: 1 });
    await sim.settled();
    return r;
  };
  const [small, large] = [await make(25), await make(260)];
  const cases = stack.app.container.ds.getRepository(Case);
  const found = await waitFor(
    async () => {
      const rows = await cases.findBy({ returnSn: In([small.return_sn, large.return_sn]) });
      return rows.length === 2 ? rows : undefined;
    },
    'both cases reached the server',
    20_000,
  );
  const byReturn = (sn: string) => found.find((c) => c.returnSn === sn)!;
  return {
    shopName: sim.shop(shopId)!.name,
    open: { id: byReturn(small.return_sn).id, orderSn: small.order_sn, type: byReturn(small.return_sn).type },
    approval: { id: byReturn(large.return_sn).id, orderSn: large.order_sn },
  };
}

const toastText = async (page: Page) => {
  const toast = page.locator('.van-toast').last();
  await toast.waitFor({ state: 'visible', timeout: 10_000 });
  return (await toast.textContent())?.trim();
};

/** The case as the server has it for the signed-in member of `page` (its own session cookie). */
const apiCase = (page: Page, id: number) =>
  page.evaluate(async (caseId) => (await fetch(`/api/cases/${caseId}`, { headers: { Accept: 'application/json' } })).json() as Promise<CaseDetail>, id);

describeBrowser('H5 售后 (Chromium 360×640, zh-CN)', () => {
  const e2e = useBrowserStack({ stack: { db: 'sqlite', shopee: true } });
  const { url, newPage, signIn, shot, expectVisible: visible } = e2e;

  const row = (page: Page, id: number) => page.locator(`[data-testid="case-list"] [data-case-id="${id}"]`);
  const views = (page: Page) => page.locator('[data-testid="case-views"] .van-tab').allTextContents();
  const transitions = (page: Page) =>
    page.locator('[data-testid="action-transition"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-to')) as CaseState[]);
  const historyEntries = (page: Page) =>
    page.locator('[data-testid="history-entry"]').evaluateAll((els) => els.map((e) => ({ kind: e.getAttribute('data-kind'), to: e.getAttribute('data-to') })));

  let seeded: SeededCases;
  beforeAll(async () => {
    seeded = await seedCases(e2e.stack);
  });

  test('待分配 → 认领 → 我的 → the case → 处理中 → 已解决 with a reason; the history shows it; only allowed moves are offered', async () => {
    const { id, orderSn } = seeded.open;
    const page = await newPage();
    await signIn(page, U.csAgent, '/cases');
    expect(await page.getAttribute('.van-tabbar-item--active', 'data-tab')).toBe('cases');
    // An agent starts on 我的, and is not offered 待审批.
    expect((await page.textContent('[data-testid="case-views"] .van-tab--active'))?.trim()).toBe('我的');
    expect((await views(page)).map((v) => v.trim())).toEqual(['我的', '待分配', '全部', '即将超时', '已超时']);

    // 待分配: the new return, with its type, order number, shop, state and the countdown to its deadline.
    await page.click('[data-testid="case-views"] .van-tab:has-text("待分配")');
    await page.waitForURL((u) => u.pathname === '/cases' && u.searchParams.get('view') === 'unassigned');
    const first = row(page, id);
    await first.waitFor();
    expect(await first.locator('[data-testid="case-type"]').textContent()).toBe(zhCases.cases.types[seeded.open.type]);
    expect(await first.locator('[data-testid="case-order-sn"]').textContent()).toBe(orderSn);
    expect(await first.textContent()).toContain(seeded.shopName);
    expect((await first.locator('[data-testid="case-state"]').textContent())?.trim()).toBe('受理');
    const countdown = first.locator('[data-testid="countdown"]');
    // 剩 3 小时 12 分 / 剩 2 天 3 小时 / 剩 45 分 (business time: how far depends on when the test runs), coloured by it.
    expect((await countdown.textContent())?.trim()).toMatch(/^(剩 \d+ (天|小时|分)( \d+ (小时|分))?|即将到期)$/);
    expect(['normal', 'warning', 'urgent']).toContain(await countdown.getAttribute('data-tone'));
    await shot(page, 'cases-unassigned');

    // One tap claims it: the row shows her as its holder.
    await first.locator('[data-testid="case-claim"]').click();
    expect(await toastText(page)).toBe('已认领');
    expect((await first.locator('[data-testid="case-assignee"]').textContent())?.trim()).toBe('李娜');
    expect(await first.locator('[data-testid="case-claim"]').count()).toBe(0);

    // 我的: the case, held by her, still counting down.
    await page.click('[data-testid="case-views"] .van-tab:has-text("我的")');
    await page.waitForURL((u) => u.pathname === '/cases' && !u.searchParams.has('view'));
    await row(page, id).waitFor();
    expect(await row(page, id).locator('[data-testid="case-assignee"]').getAttribute('data-userid')).toBe(U.csAgent);
    expect((await row(page, id).locator('[data-testid="countdown"]').textContent())?.trim()).toMatch(/^(剩 |即将到期)/);
    await shot(page, 'cases-mine');

    // The case: hers; the moves the server allows from 受理, and no 认领.
    await row(page, id).locator('[data-testid="case-link"]').click();
    await page.waitForURL(url(`/cases/${id}`));
    await visible(page, '[data-testid="case-head"]');
    expect(await page.getAttribute('.van-tabbar-item--active', 'data-tab')).toBe('cases');
    expect(await page.getAttribute('[data-testid="detail-assignee"]', 'data-userid')).toBe(U.csAgent);
    expect(await page.getAttribute('[data-testid="detail-order-link"]', 'href')).toBe(`/orders/${orderSn}`);
    expect(await page.locator('[data-testid="action-claim"]').count()).toBe(0);
    expect((await page.locator('[data-testid="case-deadline"] [data-testid="countdown"]').first().textContent())?.trim()).toMatch(
      /^(剩 |即将到期|已暂停|已达成|已超时 )/,
    );
    expect(await transitions(page)).toEqual((await apiCase(page, id)).can.transition);
    expect(await transitions(page)).toContain('in_progress');
    await shot(page, 'cases-detail', true);

    // 处理中: the reason is optional.
    await page.click('[data-testid="action-transition"][data-to="in_progress"]');
    await visible(page, '[data-testid="transition-dialog"]');
    expect(await page.getAttribute('[data-testid="transition-dialog"] [data-testid="reason-input"] textarea', 'placeholder')).toBe('原因（选填）');
    await page.click('[data-testid="transition-dialog"] .van-dialog__confirm');
    expect(await toastText(page)).toBe('已改为「处理中」');
    await page.locator('[data-testid="case-head"][data-state="in_progress"]').waitFor();

    // 已解决: asks why (as the server requires); without a reason the dialog stays and says so.
    await page.click('[data-testid="action-transition"][data-to="resolved"]');
    await visible(page, '[data-testid="transition-dialog"]');
    expect(await page.getAttribute('[data-testid="transition-dialog"] [data-testid="reason-input"] textarea', 'placeholder')).toBe('请填写原因（必填）');
    await page.click('[data-testid="transition-dialog"] .van-dialog__confirm');
    expect(await page.textContent('[data-testid="transition-dialog"] [data-testid="reason-input"] .van-field__error-message')).toBe('请填写原因');
    const reason = '已补发新商品，买家确认收到';
    await page.fill('[data-testid="transition-dialog"] [data-testid="reason-input"] textarea', reason);
    await shot(page, 'cases-resolve');
    await page.click('[data-testid="transition-dialog"] .van-dialog__confirm');
    expect(await toastText(page)).toBe('已改为「已解决」');
    await page.locator('[data-testid="case-head"][data-state="resolved"]').waitFor();

    // The history, newest first: 已解决 (by her, with the reason) after 处理中.
    const entries = await historyEntries(page);
    const resolvedAt = entries.findIndex((e) => e.kind === 'transition' && e.to === 'resolved');
    const startedAt = entries.findIndex((e) => e.kind === 'transition' && e.to === 'in_progress');
    expect(resolvedAt).toBeGreaterThanOrEqual(0);
    expect(startedAt).toBeGreaterThan(resolvedAt);
    const resolvedEntry = page.locator('[data-testid="history-entry"][data-kind="transition"][data-to="resolved"]');
    expect(await resolvedEntry.textContent()).toContain('李娜');
    expect(await resolvedEntry.textContent()).toContain(reason);
    await page.locator('[data-testid="case-history"]').scrollIntoViewIfNeeded();
    await shot(page, 'cases-resolved', true);

    // An illegal transition is not offered: exactly the server's `can.transition`, never the state it is in nor
    // one the server refuses (409 illegal_transition, with its message).
    const offered = await transitions(page);
    const allowed = (await apiCase(page, id)).can.transition;
    expect(offered).toEqual(allowed);
    expect(offered).not.toContain('resolved');
    const refused = CASE_STATES.filter((s) => !allowed.includes(s) && s !== 'resolved');
    expect(refused.length).toBeGreaterThan(0);
    for (const to of refused) expect(await page.locator(`[data-testid="action-transition"][data-to="${to}"]`).count()).toBe(0);
    const answer = await page.evaluate(
      async ({ caseId, to }) => {
        const res = await fetch(`/api/cases/${caseId}/transition`, {
          method: 'POST',
          headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
          body: JSON.stringify({ to, reason: 'e2e' }),
        });
        return { status: res.status, body: (await res.json()) as { error?: { code?: string; message?: string } } };
      },
      { caseId: id, to: refused[0]! },
    );
    expect(answer.status).toBe(409);
    expect(answer.body.error?.code).toBe('illegal_transition');
    expect(answer.body.error?.message).toBeTruthy();
  });

  test('a lead opens 待审批 and approves a refund; the case shows it approved', async () => {
    const { id, orderSn } = seeded.approval;
    const page = await newPage();
    await signIn(page, U.csLead, '/cases');
    // Leads start on 全部 and are offered 待审批.
    expect((await page.textContent('[data-testid="case-views"] .van-tab--active'))?.trim()).toBe('全部');
    expect((await views(page)).map((v) => v.trim())).toContain('待审批');

    await page.click('[data-testid="case-views"] .van-tab:has-text("待审批")');
    await page.waitForURL((u) => u.pathname === '/cases' && u.searchParams.get('view') === 'approval');
    const pending = row(page, id);
    await pending.waitFor();
    expect(await pending.locator('[data-testid="case-order-sn"]').textContent()).toBe(orderSn);
    await visible(page, `[data-case-id="${id}"] [data-testid="case-approval-pending"]`);
    expect(await pending.locator('[data-testid="case-refund"]').textContent()).toMatch(/S?\$|SGD/);
    // The first case (below the threshold) waits for nobody's approval.
    expect(await row(page, seeded.open.id).count()).toBe(0);
    await shot(page, 'cases-approval');

    await pending.locator('[data-testid="case-link"]').click();
    await page.waitForURL(url(`/cases/${id}`));
    await visible(page, '[data-testid="case-approval"][data-status="pending"]');
    expect((await page.textContent('[data-testid="approval-status"]'))?.trim()).toBe('待审批');
    expect(await page.textContent('[data-testid="approval-rule"]')).toBeTruthy();
    await shot(page, 'cases-approval-detail', true);

    await page.click('[data-testid="approval-approve"]');
    await visible(page, '.case-approve-confirm');
    expect(await page.textContent('.case-approve-confirm')).toContain('同意退款');
    await page.click('.case-approve-confirm .van-dialog__confirm');
    expect(await toastText(page)).toBe('已同意退款');
    await page.locator('[data-testid="case-approval"][data-status="approved"]').waitFor({ timeout: 20_000 });
    expect((await page.textContent('[data-testid="approval-status"]'))?.trim()).toBe('已同意');
    expect(await page.textContent('[data-testid="approval-decided-by"]')).toContain('王芳');
    expect(await page.locator('[data-testid="approval-approve"]').count()).toBe(0);
    expect((await historyEntries(page)).map((e) => e.kind)).toContain('approval');
    await shot(page, 'cases-approved', true);

    // Back on 待审批 the case is gone once the list is refreshed.
    await page.goto(url('/cases?view=approval'));
    await visible(page, '[data-testid="case-list"], [data-testid="cases-empty"]');
    await waitFor(async () => (await row(page, id).count()) === 0, 'the approved case left 待审批');
  });
});
