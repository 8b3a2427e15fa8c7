/**
 * The 订单 pages' rules that need no browser (h5/src/composables/orders.ts): filters ⇄ URL query, the one-tap
 * 认领 on rows, ship-by urgency, money, the tracking-number poll's back-off (and the poll itself,
 * h5/src/composables/useTrackingPoll.ts, on fake timers), the ship form's body, the assignee picker's order,
 * the 分单规则 cap; and who is offered 店铺 in 设置 (h5/src/composables/adminPages.ts).
 */
import { effectScope, nextTick, ref } from 'vue';
import { ROLES, type AssigneeOption, type OrderDetail, type OrderTimelineEntry, type Permission, type RoleKey, type ShippingOptions } from '@shopcrew/shared';
import {
  awaitingTracking,
  backoffDelays,
  daysUntil,
  filtersFromQuery,
  filtersKey,
  formatMoney,
  initialShipDraft,
  isFiltered,
  listQuery,
  newestFirst,
  normalizeRule,
  offersClaim,
  queryFromFilters,
  shipByInfo,
  shipInput,
  sortAssignees,
  timeSlotsFor,
  toSummary,
  TRACKING_POLL_DELAYS,
  type ShipDraft,
} from '../../../h5/src/composables/orders';
import { useTrackingPoll } from '../../../h5/src/composables/useTrackingPoll';
import { adminPagesFor } from '../../../h5/src/composables/adminPages';

const NOW = Date.parse('2025-03-14T08:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('filters ⇄ URL query', () => {
  test('/orders is the 待认领 inbox; a shared link with every filter opens them all', () => {
    expect(filtersFromQuery({})).toEqual({ view: 'unclaimed' });
    expect(filtersFromQuery({ view: 'unclaimed' })).toEqual({ view: 'unclaimed' });
    expect(filtersFromQuery({ view: 'mine', shop: '1001', status: 'READY_TO_SHIP', q: ' 2503 ' })).toEqual({
      view: 'mine',
      shop: '1001',
      status: 'READY_TO_SHIP',
      q: '2503',
    });
  });

  test('unknown views and statuses, empty values and repeated keys do not break the page', () => {
    expect(filtersFromQuery({ view: 'everything', status: 'LOST', shop: '', q: '   ' })).toEqual({ view: 'unclaimed' });
    expect(filtersFromQuery({ view: ['all', 'mine'], status: [null, 'SHIPPED'] })).toEqual({ view: 'all' });
  });

  test('the query carries only what is set, without the default view, and reads back to the same filters', () => {
    expect(queryFromFilters({ view: 'unclaimed' })).toEqual({});
    expect(queryFromFilters({ view: 'all', q: '  ' })).toEqual({ view: 'all' });
    const filters = { view: 'mine', shop: '1001', status: 'CANCELLED', q: 'SN1' } as const;
    expect(queryFromFilters(filters)).toEqual({ view: 'mine', shop: '1001', status: 'CANCELLED', q: 'SN1' });
    expect(filtersFromQuery(queryFromFilters(filters))).toEqual(filters);
  });

  test('filtersKey tells filter sets apart (search spaces aside); isFiltered is about more than the view', () => {
    expect(filtersKey({ view: 'mine', q: 'A ' })).toBe(filtersKey({ view: 'mine', q: 'A' }));
    expect(filtersKey({ view: 'mine' })).not.toBe(filtersKey({ view: 'all' }));
    expect(filtersKey({ view: 'all', shop: '1' })).not.toBe(filtersKey({ view: 'all', status: 'SHIPPED' }));
    expect(isFiltered({ view: 'all' })).toBe(false);
    expect(isFiltered({ view: 'all', q: ' ' })).toBe(false);
    expect(isFiltered({ view: 'unclaimed', shop: '1' })).toBe(true);
  });

  test('the API query for a page', () => {
    expect(listQuery({ view: 'unclaimed' }, null, 20)).toEqual({
      view: 'unclaimed',
      shop: undefined,
      status: undefined,
      q: undefined,
      cursor: undefined,
      limit: 20,
    });
    expect(listQuery({ view: 'all', shop: '7', status: 'SHIPPED', q: ' x ' }, 'c2', 20)).toEqual({
      view: 'all',
      shop: '7',
      status: 'SHIPPED',
      q: 'x',
      cursor: 'c2',
      limit: 20,
    });
  });
});

const summary = {
  orderSn: '250314ABC',
  shopId: '1001',
  shopName: 'A店',
  status: 'READY_TO_SHIP',
  buyer: 'buyer_1',
  total: { amount: 12.3, currency: 'SGD' },
  itemCount: 2,
  assignee: null,
  claimedAt: null,
  createTime: iso(NOW - HOUR),
  updateTime: iso(NOW - HOUR),
  shipBy: iso(NOW + 48 * HOUR),
  tags: [] as string[],
} as const;

const entry = (kind: OrderTimelineEntry['kind'], at: number, text: string = kind): OrderTimelineEntry => ({ at: iso(at), kind, actor: null, text });

const detail = (over: Partial<OrderDetail> = {}): OrderDetail => ({
  ...summary,
  items: [],
  package: null,
  trackingNumber: null,
  messageToSeller: null,
  timeline: [entry('created', NOW - HOUR)],
  can: { claim: true, release: false, assign: false, ship: false },
  ...over,
});

describe('list rows', () => {
  const mayClaim = (shopId: string) => shopId === '1001';

  test('认领 on a row only in 待认领, for nobody’s order, in a shop where the member may claim', () => {
    expect(offersClaim('unclaimed', summary, mayClaim)).toBe(true);
    expect(offersClaim('all', summary, mayClaim)).toBe(false);
    expect(offersClaim('mine', summary, mayClaim)).toBe(false);
    expect(offersClaim('unclaimed', { ...summary, shopId: '2002' }, mayClaim)).toBe(false);
    expect(offersClaim('unclaimed', { ...summary, assignee: { userid: 'lina', name: '李娜' } }, mayClaim)).toBe(false);
  });

  test('a detail becomes a row without its detail fields', () => {
    const row = toSummary(detail({ assignee: { userid: 'lina', name: '李娜' } }));
    expect(row).toEqual({ ...summary, assignee: { userid: 'lina', name: '李娜' } });
    expect(Object.keys(row)).not.toContain('timeline');
  });
});

describe('ship-by', () => {
  test('none without a deadline (or with one that does not parse)', () => {
    expect(shipByInfo(null, NOW)).toBeNull();
    expect(shipByInfo('soon', NOW)).toBeNull();
  });

  test('red (urgent) under 24 hours and once overdue; minutes, hours up to two days, then days', () => {
    expect(shipByInfo(iso(NOW + 30 * 60_000), NOW)).toEqual({ overdue: false, urgent: true, n: 30, unit: 'minutes' });
    expect(shipByInfo(iso(NOW + 23.5 * HOUR), NOW)).toEqual({ overdue: false, urgent: true, n: 23, unit: 'hours' });
    expect(shipByInfo(iso(NOW + 24 * HOUR), NOW)).toEqual({ overdue: false, urgent: false, n: 24, unit: 'hours' });
    expect(shipByInfo(iso(NOW + 47 * HOUR), NOW)).toEqual({ overdue: false, urgent: false, n: 47, unit: 'hours' });
    expect(shipByInfo(iso(NOW + 80 * HOUR), NOW)).toEqual({ overdue: false, urgent: false, n: 3, unit: 'days' });
    expect(shipByInfo(iso(NOW - 10_000), NOW)).toEqual({ overdue: true, urgent: true, n: 1, unit: 'minutes' });
    expect(shipByInfo(iso(NOW - 5 * HOUR), NOW)).toEqual({ overdue: true, urgent: true, n: 5, unit: 'hours' });
  });
});

describe('money', () => {
  test('the amount with its currency, in the UI language', () => {
    // Intl puts a no-break space between code and amount.
    expect(formatMoney({ amount: 12.3, currency: 'SGD' }, 'en-US')).toMatch(/^SGD\s12\.30$/);
    expect(formatMoney({ amount: 1234.5, currency: 'CNY' }, 'zh-CN')).toBe('¥1,234.50');
    expect(formatMoney({ amount: 99000, currency: 'IDR' }, 'en-US')).toMatch(/^IDR\s99,000(\.00)?$/);
  });

  test('a currency code Intl does not take is shown as it is', () => {
    expect(formatMoney({ amount: 5, currency: 'NOT-A-CODE' }, 'en-US')).toBe('5.00 NOT-A-CODE');
  });
});

describe('the tracking number after 发货', () => {
  test('back-off: 2 s doubling to at most 30 s, about two minutes in all', () => {
    expect(TRACKING_POLL_DELAYS).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(TRACKING_POLL_DELAYS.reduce((a, b) => a + b, 0)).toBe(120_000);
    expect(backoffDelays(1_000, 4_000, 10_000)).toEqual([1_000, 2_000, 4_000]);
  });

  test('awaited once shipped (here or per the timeline) until the number comes, unless the order is cancelled or done', () => {
    const shipped = detail({ status: 'PROCESSED', timeline: [entry('created', NOW - HOUR), entry('shipped', NOW)] });
    expect(awaitingTracking(null)).toBe(false);
    expect(awaitingTracking(detail())).toBe(false);
    expect(awaitingTracking(detail(), true)).toBe(true);
    expect(awaitingTracking(shipped)).toBe(true);
    expect(awaitingTracking({ ...shipped, trackingNumber: 'SPX123' })).toBe(false);
    expect(awaitingTracking({ ...shipped, status: 'CANCELLED' }, true)).toBe(false);
  });

  test('the timeline newest first, equal times in reverse arrival', () => {
    const list = [entry('created', NOW - HOUR), entry('claimed', NOW, 'a'), entry('shipped', NOW + 1000), entry('note', NOW, 'b')];
    expect(newestFirst(list).map((e) => e.text)).toEqual(['shipped', 'b', 'a', 'created']);
  });

  describe('useTrackingPoll', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    /** Lets the poll's promise chain run after a timer fired. */
    const settle = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
      await nextTick();
    };

    test('polls on the back-off while waiting and stops when the number comes', async () => {
      const waiting = ref(true);
      const refresh = jest.fn(() => Promise.resolve());
      const scope = effectScope();
      const poll = scope.run(() => useTrackingPoll(() => waiting.value, refresh, [2_000, 4_000, 8_000]))!;
      expect(poll.polling.value).toBe(true);

      await jest.advanceTimersByTimeAsync(1_999);
      expect(refresh).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      await settle();
      expect(refresh).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(4_000);
      await settle();
      expect(refresh).toHaveBeenCalledTimes(2);

      waiting.value = false; // the number came
      await nextTick();
      expect(poll.polling.value).toBe(false);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(refresh).toHaveBeenCalledTimes(2);
      scope.stop();
    });

    test('gives up after the last wait; restart() tries again; nothing runs once the page is gone', async () => {
      const refresh = jest.fn(() => Promise.resolve());
      const scope = effectScope();
      const poll = scope.run(() => useTrackingPoll(() => true, refresh, [1_000, 1_000]))!;
      await jest.advanceTimersByTimeAsync(1_000);
      await settle();
      await jest.advanceTimersByTimeAsync(1_000);
      await settle();
      expect(refresh).toHaveBeenCalledTimes(2);
      expect(poll.gaveUp.value).toBe(true);
      expect(poll.polling.value).toBe(false);

      poll.restart();
      expect(poll.gaveUp.value).toBe(false);
      scope.stop();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(refresh).toHaveBeenCalledTimes(2);
    });

    test('a failing refresh does not end the polling', async () => {
      const refresh = jest.fn(() => Promise.reject(new Error('offline')));
      const scope = effectScope();
      scope.run(() => useTrackingPoll(() => true, refresh, [1_000, 1_000, 1_000]));
      for (let i = 0; i < 3; i++) {
        await jest.advanceTimersByTimeAsync(1_000);
        await settle();
      }
      expect(refresh).toHaveBeenCalledTimes(3);
      scope.stop();
    });
  });
});

describe('the ship form', () => {
  const options: ShippingOptions = {
    modes: ['pickup', 'dropoff', 'non_integrated'],
    pickup: {
      addresses: [
        { addressId: 1, address: '1 Jurong West', timeSlots: [{ pickupTimeId: 't1', text: '今天 14:00-18:00' }] },
        {
          addressId: 2,
          address: '2 Tampines',
          timeSlots: [
            { pickupTimeId: 't2', text: '明天 09:00-12:00' },
            { pickupTimeId: 't3', text: '明天 14:00-18:00' },
          ],
        },
      ],
    },
    dropoff: { branches: [{ branchId: 9, name: 'SPX Jurong', address: 'Jurong Point' }] },
  };
  const draft = (over: Partial<ShipDraft>): ShipDraft => ({ mode: null, addressId: null, pickupTimeId: null, branchId: null, trackingNumber: '', ...over });

  test('opens with whatever has a single choice chosen', () => {
    expect(initialShipDraft(options)).toEqual(draft({ branchId: 9 }));
    expect(initialShipDraft({ modes: ['non_integrated'], pickup: null, dropoff: null })).toEqual(draft({ mode: 'non_integrated' }));
    const onePickup: ShippingOptions = { modes: ['pickup'], pickup: { addresses: [options.pickup!.addresses[0]!] }, dropoff: null };
    expect(initialShipDraft(onePickup)).toEqual(draft({ mode: 'pickup', addressId: 1, pickupTimeId: 't1' }));
    expect(timeSlotsFor(options, 2).map((s) => s.pickupTimeId)).toEqual(['t2', 't3']);
    expect(timeSlotsFor(options, null)).toEqual([]);
  });

  test('each mode asks for its own fields, from the offered choices only', () => {
    expect(shipInput(draft({}), options)).toEqual({ error: 'mode' });
    expect(shipInput(draft({ mode: 'pickup' }), { ...options, modes: ['dropoff'] })).toEqual({ error: 'mode' });
    expect(shipInput(draft({ mode: 'pickup' }), options)).toEqual({ error: 'address' });
    expect(shipInput(draft({ mode: 'pickup', addressId: 3 }), options)).toEqual({ error: 'address' });
    expect(shipInput(draft({ mode: 'pickup', addressId: 2, pickupTimeId: 't1' }), options)).toEqual({ error: 'timeSlot' });
    expect(shipInput(draft({ mode: 'pickup', addressId: 2, pickupTimeId: 't3' }), options)).toEqual({
      input: { mode: 'pickup', addressId: 2, pickupTimeId: 't3' },
    });
    expect(shipInput(draft({ mode: 'dropoff' }), options)).toEqual({ error: 'branch' });
    expect(shipInput(draft({ mode: 'dropoff', branchId: 9 }), options)).toEqual({ input: { mode: 'dropoff', branchId: 9 } });
  });

  test('自有物流: a tracking number typed (or scanned), trimmed, without spaces, at most 64 characters', () => {
    const own = (trackingNumber: string) => shipInput(draft({ mode: 'non_integrated', trackingNumber }), options);
    expect(own('  ')).toEqual({ error: 'trackingNumber' });
    expect(own('SPX 123')).toEqual({ error: 'trackingNumber' });
    expect(own('X'.repeat(65))).toEqual({ error: 'trackingNumber' });
    expect(own(' SF1234567890 ')).toEqual({ input: { mode: 'non_integrated', trackingNumber: 'SF1234567890' } });
  });
});

describe('the assignee picker', () => {
  const member = (userid: string, onDuty: boolean, openOrders: number, name = userid): AssigneeOption => ({ userid, name, onDuty, openOrders });
  const members = [member('a', false, 0), member('b', true, 5, '王芳'), member('c', true, 1, '李娜'), member('d', true, 1, 'Lina Z')];

  test('on-duty members first, then fewer open orders, then as the server listed them', () => {
    expect(sortAssignees(members).map((m) => m.userid)).toEqual(['c', 'd', 'b', 'a']);
  });

  test('a search by name or account', () => {
    expect(sortAssignees(members, '李').map((m) => m.userid)).toEqual(['c']);
    expect(sortAssignees(members, ' LINA ').map((m) => m.userid)).toEqual(['d']);
    expect(sortAssignees(members, 'A').map((m) => m.userid)).toEqual(['d', 'a']);
    expect(sortAssignees(members, 'nobody')).toEqual([]);
  });
});

describe('shops', () => {
  test('the cap is a whole number in 1–200', () => {
    expect(normalizeRule({ mode: 'round_robin', cap: 20 })).toEqual({ mode: 'round_robin', cap: 20 });
    expect(normalizeRule({ mode: 'round_robin', cap: 0 })).toEqual({ mode: 'round_robin', cap: 1 });
    expect(normalizeRule({ mode: 'round_robin', cap: 999 })).toEqual({ mode: 'round_robin', cap: 200 });
    expect(normalizeRule({ mode: 'manual', cap: 7.6 })).toEqual({ mode: 'manual', cap: 8 });
    expect(normalizeRule({ mode: 'manual', cap: Number.NaN })).toEqual({ mode: 'manual', cap: 1 });
  });

  test('days left of an authorization', () => {
    expect(daysUntil(null, NOW)).toBeNull();
    expect(daysUntil('never', NOW)).toBeNull();
    expect(daysUntil(iso(NOW + 5 * 24 * HOUR + HOUR), NOW)).toBe(5);
    expect(daysUntil(iso(NOW + HOUR), NOW)).toBe(0);
    expect(daysUntil(iso(NOW - HOUR), NOW)).toBe(-1);
  });

  test('设置 lists 店铺 for members who reach 设置 and work orders or manage settings', () => {
    const pages = (role: RoleKey) => adminPagesFor((p: Permission) => ROLES[role].permissions.includes(p)).map((p) => p.key);
    // 售后规则 (settings:manage) follows 店铺 for the owner, then SOP 清单 (sop:manage).
    expect(pages('owner')).toEqual(['roles', 'audit', 'sync', 'notifications', 'shops', 'aftersales', 'sop', 'automations']);
    expect(pages('ops_manager')).toEqual(['roles', 'audit', 'sync', 'notifications', 'shops', 'sop', 'automations']);
    expect(pages('finance')).toEqual(['roles', 'audit']);
    // 客服 reach no 设置 page (their 店铺 answers come with the orders page's shop filter); 客服组长 reach it for SOP 清单.
    expect(pages('cs_agent')).toEqual([]);
    expect(pages('cs_lead')).toEqual(['roles', 'shops', 'sop']);
  });
});
