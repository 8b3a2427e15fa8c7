/**
 * 订单 and 店铺 in headless Chromium at phone size (360×640, zh-CN), against the real server (SQLite, built
 * h5/dist), the WeCom simulator with the demo corp 星河电商 and the Shopee simulator (scripts/shopee-sim):
 * 李娜 (客服) finds new orders under 待认领, claims one with a tap (赵磊, a step behind, is told who was quicker),
 * finds it under 我的 with herself as the holder, opens it and ships it with her own courier's tracking number;
 * the order then shows the tracking number and a timeline with the claim and the shipment. Also the empty
 * states (nothing of mine, no match) and a server without a Shopee app (未配置 Shopee 应用).
 * Screenshots land in test/artifacts/screenshots/orders-*.png.
 *
 */
import type { Page } from 'playwright-core';
import { DEMO_USERS as U } from '../../scripts/wecom-sim';
import { In } from 'typeorm';
import { Order } from '../../server/src/modules/orders/order.entity';
import { describeBrowser, useBrowserStack, type BrowserStack } from '../support/e2e';
import { waitFor } from '../support/wait';

/** What the seeding gives the tests: one linked shop and its new (READY_TO_SHIP, unclaimed) orders, newest last. */
interface Seeded {
  shopName: string;
  orderSns: string[];
}

/**
 * One linked shop (the stack's `shopee: true`: the Shopee simulator, a shop linked through auth/token/get) and `count`
 * new orders for the seller's own courier (so the tracking number is typed), each pushed to the server; resolves once
 * the server has them all.
 */
async function seedShopWithOrders(stack: BrowserStack['stack'], count = 2): Promise<Seeded> {
  const sim = stack.shopee!;
  const shopId = Number(stack.shopId);
  const orderSns = Array.from({ length: count }, () => sim.createOrder(shopId, { shipping: 'non_integrated' }).order_sn);
  const orders = stack.app.container.ds.getRepository(Order);
  await waitFor(async () => (await orders.countBy({ orderSn: In(orderSns) })) === count, 'the orders reached the server', 20_000);
  return { shopName: sim.shop(shopId)!.name, orderSns };
}

const toastText = async (page: Page) => {
  const toast = page.locator('.van-toast').last();
  await toast.waitFor({ state: 'visible', timeout: 10_000 });
  return (await toast.textContent())?.trim();
};

describeBrowser('H5 订单 (Chromium 360×640, zh-CN)', () => {
  const e2e = useBrowserStack({ stack: { db: 'sqlite', shopee: true } });
  const { url, newPage, signIn, shot, expectVisible: visible } = e2e;

  const row = (page: Page, orderSn: string) => page.locator(`[data-testid="order-list"] [data-order-sn="${orderSn}"]`);
  const timelineKinds = (page: Page) => page.locator('[data-testid="timeline-entry"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));

  let seeded: Seeded;
  beforeAll(async () => {
    seeded = await seedShopWithOrders(e2e.stack);
  });

  test('待认领 → 认领 (the slower colleague is told who was first) → 我的 → the order → 发货 with a typed tracking number', async () => {
    const [orderSn, other] = seeded.orderSns as [string, string];

    // 赵磊 has the inbox open too: he will tap 认领 after 李娜.
    const late = await newPage();
    await signIn(late, U.csAgent2, '/orders');
    await row(late, orderSn).waitFor();

    const page = await newPage();
    await signIn(page, U.csAgent, '/orders');
    expect(await page.getAttribute('.van-tabbar-item--active', 'data-tab')).toBe('orders');
    expect(await page.textContent('[data-testid="order-views"] .van-tab--active')).toContain('待认领');
    await row(page, orderSn).waitFor();
    await row(page, other).waitFor();
    // Each row: order number, shop, status, total with its currency, item count, ship-by.
    const first = row(page, orderSn);
    expect(await first.locator('[data-testid="order-sn"]').textContent()).toBe(orderSn);
    expect(await first.textContent()).toContain(seeded.shopName);
    expect(await first.locator('[data-testid="order-status"]').textContent()).toContain('待发货');
    expect(await first.locator('[data-testid="order-total"]').textContent()).toMatch(/S?\$|SGD/);
    expect(await first.textContent()).toMatch(/\d+ 件商品/);
    // One shop: no shop filter.
    expect(await page.locator('[data-testid="filter-shop"]').count()).toBe(0);
    await shot(page, 'orders-inbox');

    // One tap claims it: the row shows her as its holder.
    await first.locator('[data-testid="order-claim"]').click();
    expect(await toastText(page)).toBe('已认领');
    expect((await first.locator('[data-testid="order-assignee"]').textContent())?.trim()).toBe('李娜');
    expect(await first.locator('[data-testid="order-claim"]').count()).toBe(0);

    // 赵磊 was a step behind: 409 already_claimed, told who has it, and his row reloaded.
    await row(late, orderSn).locator('[data-testid="order-claim"]').click();
    expect(await toastText(late)).toBe('已被 李娜 认领');
    await waitFor(async () => (await row(late, orderSn).locator('[data-testid="order-assignee"]').textContent())?.trim() === '李娜', 'the late row reloaded');

    // 我的: the order, held by her; the URL says which view (a link to it opens it again).
    await page.click('[data-testid="order-views"] .van-tab:has-text("我的")');
    await page.waitForURL((u) => u.pathname === '/orders' && u.searchParams.get('view') === 'mine');
    await row(page, orderSn).waitFor();
    expect((await row(page, orderSn).locator('[data-testid="order-assignee"]').textContent())?.trim()).toBe('李娜');
    expect(await row(page, other).count()).toBe(0);
    await page.reload();
    await row(page, orderSn).waitFor();
    expect(await page.textContent('[data-testid="order-views"] .van-tab--active')).toContain('我的');
    await shot(page, 'orders-mine');

    // The order: held by her; she may ship it (and not claim it again).
    await row(page, orderSn).locator('[data-testid="order-link"]').click();
    await page.waitForURL(url(`/orders/${orderSn}`));
    await visible(page, '[data-testid="order-head"]');
    expect(await page.textContent('[data-testid="detail-order-sn"]')).toBe(orderSn);
    expect(await page.getAttribute('[data-testid="detail-assignee"]', 'data-userid')).toBe(U.csAgent);
    expect(await page.getAttribute('.van-tabbar-item--active', 'data-tab')).toBe('orders');
    await visible(page, '[data-testid="action-ship"]');
    expect(await page.locator('[data-testid="action-claim"]').count()).toBe(0);
    expect(await page.locator('[data-testid="tracking-none"]').count()).toBe(1);
    await shot(page, 'orders-detail', true);

    // 发货 with her own courier (自有物流): the tracking number typed (scanning is offered inside WeCom only).
    await page.click('[data-testid="action-ship"]');
    await page.waitForURL(url(`/orders/${orderSn}/ship`));
    await visible(page, '[data-testid="ship-form"]');
    await page.click('[data-testid="ship-mode"][data-mode="non_integrated"]');
    await visible(page, '[data-testid="tracking-input"]');
    expect(await page.locator('[data-testid="scan-tracking"]').count()).toBe(0);
    await page.click('[data-testid="ship-submit"]'); // nothing typed yet
    expect(await page.textContent('[data-testid="tracking-input"] .van-field__error-message')).toContain('请输入正确的运单号');
    const trackingNumber = 'SF1234567890';
    await page.fill('[data-testid="tracking-input"] input', trackingNumber);
    await shot(page, 'orders-ship');
    await page.click('[data-testid="ship-submit"]');
    expect(await toastText(page)).toBe('已提交发货');

    // Back on the order (not a second copy of it in the history): the tracking number, once the marketplace has it.
    await page.waitForURL(url(`/orders/${orderSn}`));
    await page.locator('[data-testid="tracking-number"]').waitFor({ timeout: 45_000 });
    expect(await page.textContent('[data-testid="tracking-number"]')).toBe(trackingNumber);
    expect(await page.locator('[data-testid="action-ship"]').count()).toBe(0);
    // The timeline, newest first: shipped after claimed, by her.
    const kinds = await timelineKinds(page);
    expect(kinds).toEqual(expect.arrayContaining(['claimed', 'shipped']));
    expect(kinds.indexOf('shipped')).toBeLessThan(kinds.indexOf('claimed'));
    expect(await page.textContent('[data-testid="timeline-entry"][data-kind="claimed"]')).toContain('李娜');
    await page.locator('[data-testid="order-timeline"]').scrollIntoViewIfNeeded();
    await shot(page, 'orders-shipped', true);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/orders' && u.searchParams.get('view') === 'mine');
  });

  test('empty states: nothing of mine yet, and nothing matching a search', async () => {
    const page = await newPage();
    await signIn(page, U.csAgent3, '/orders?view=mine');
    await visible(page, '[data-testid="orders-empty"][data-view="mine"]');
    expect(await page.textContent('[data-testid="orders-empty"]')).toContain('你还没有认领订单');
    await shot(page, 'orders-empty');

    await page.goto(url('/orders?view=all&q=NO-SUCH-ORDER'));
    await visible(page, '[data-testid="orders-empty"]');
    expect(await page.textContent('[data-testid="orders-empty"]')).toContain('没有符合条件的订单');
    expect(await page.inputValue('[data-testid="order-search"] input')).toBe('NO-SUCH-ORDER');
    await page.click('[data-testid="orders-empty"] button');
    await page.waitForURL((u) => u.pathname === '/orders' && u.searchParams.get('view') === 'all' && !u.searchParams.has('q'));
    await row(page, seeded.orderSns[0]!).waitFor();
  });

  test('店铺: the owner sees the linked shop with its status and sets 轮流分配 with a cap', async () => {
    const page = await newPage();
    await signIn(page, U.owner, '/settings');
    await page.click('[data-settings="shops"]');
    await page.waitForURL(url('/settings/shops'));
    const card = page.locator('[data-testid="shop-card"]').first();
    await card.waitFor();
    expect(await card.locator('[data-testid="shop-name"]').textContent()).toBe(seeded.shopName);
    expect((await card.locator('[data-testid="shop-status"]').textContent())?.trim()).toBe('正常');
    await visible(page, '[data-testid="shop-link"]');

    await card.locator('[data-testid="assignment-mode"][data-mode="round_robin"]').click();
    await card.locator('[data-testid="assignment-cap"] input').fill('30');
    await card.locator('[data-testid="assignment-cap"] input').blur();
    await card.locator('[data-testid="assignment-save"]').click();
    expect(await toastText(page)).toBe(`已保存「${seeded.shopName}」的分单规则`);
    await page.reload();
    await page.locator('[data-testid="shop-card"] [data-testid="assignment"][data-mode="round_robin"]').waitFor();
    expect(await page.inputValue('[data-testid="shop-card"] [data-testid="assignment-cap"] input')).toBe('30');
    await shot(page, 'orders-shops', true);
  });
});

describeBrowser('H5 订单 without a Shopee app (Chromium 360×640, zh-CN)', () => {
  // No SHOPEE_PARTNER_ID: GET /api/shops answers {configured: false}.
  const e2e = useBrowserStack({ stack: { db: 'sqlite' } });
  const { url, newPage, signIn, shot, expectVisible: visible } = e2e;

  test('订单 and 店铺 say that no Shopee app is configured', async () => {
    const page = await newPage();
    await signIn(page, U.owner, '/orders');
    await visible(page, '[data-testid="shops-not-configured"]');
    expect(await page.textContent('[data-testid="shops-not-configured"]')).toContain('未配置 Shopee 应用（SHOPEE_PARTNER_ID）');
    expect(await page.locator('[data-testid="order-list"]').count()).toBe(0);
    expect(await page.locator('[data-testid="shop-link"]').count()).toBe(0);
    await shot(page, 'orders-not-configured');

    await page.goto(url('/settings/shops'));
    await visible(page, '[data-testid="shops-not-configured"]');
    expect(await page.textContent('[data-testid="shops-not-configured"]')).toContain('未配置 Shopee 应用（SHOPEE_PARTNER_ID）');
  });
});
