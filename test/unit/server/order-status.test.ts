/** The order lifecycle (modules/orders/order-status.ts) and the typed state machine it is built on. */
import { ORDER_STATUSES } from '@shopcrew/shared';
import { isClaimable, orderStatus, PROGRESS } from '../../../server/src/modules/orders/order-status';
import { IllegalTransition } from '../../../server/src/platform/state-machine';

describe('order status machine', () => {
  it('allows the normal path and refuses going back from shipped or out of CANCELLED', () => {
    for (const [from, to] of [
      ['UNPAID', 'READY_TO_SHIP'],
      ['READY_TO_SHIP', 'PROCESSED'],
      ['PROCESSED', 'SHIPPED'],
      ['SHIPPED', 'TO_CONFIRM_RECEIVE'],
      ['TO_CONFIRM_RECEIVE', 'COMPLETED'],
      ['COMPLETED', 'TO_RETURN'],
      ['IN_CANCEL', 'READY_TO_SHIP'],
    ] as const)
      expect([from, to, orderStatus.can(from, to)]).toEqual([from, to, true]);
    expect(orderStatus.can('SHIPPED', 'READY_TO_SHIP')).toBe(false);
    expect(orderStatus.can('COMPLETED', 'READY_TO_SHIP')).toBe(false);
    for (const to of ORDER_STATUSES.filter((s) => s !== 'CANCELLED')) expect(orderStatus.can('CANCELLED', to)).toBe(false);
    expect(() => orderStatus.check('CANCELLED', 'READY_TO_SHIP')).toThrow(IllegalTransition);
    expect(() => orderStatus.check('READY_TO_SHIP', 'READY_TO_SHIP')).not.toThrow();
  });

  it('declares every status, and every move goes further along or back to waiting for shipment', () => {
    for (const s of ORDER_STATUSES) expect(Array.isArray(orderStatus.next(s))).toBe(true);
    for (const from of ORDER_STATUSES)
      for (const to of orderStatus.next(from))
        expect([
          from,
          to,
          PROGRESS[to] > PROGRESS[from] ||
            ['READY_TO_SHIP', 'RETRY_SHIP', 'PROCESSED', 'UNPAID', 'PENDING', 'TO_CONFIRM_RECEIVE', 'INVOICE_PENDING'].includes(to) ||
            (from === 'COMPLETED' && to === 'TO_RETURN'), // a return raised after completion (RRAOC),
        ]).toEqual([from, to, true]);
  });

  it('puts only orders waiting to be shipped in the claim pool', () => {
    expect(ORDER_STATUSES.filter(isClaimable)).toEqual(['READY_TO_SHIP', 'RETRY_SHIP']);
  });
});
