import type { OrderStatus } from '@shopcrew/shared';
import { StateMachine } from '../../platform/state-machine';

/**
 * Shopee's order lifecycle (https://open.shopee.com/developer-guide/229): the moves an order's status can make as the
 * marketplace reports them. CANCELLED is final; COMPLETED only reopens as a return raised after completion (RRAOC).
 * A reported move outside this table is not applied (and is logged), so a stale or garbled answer cannot drag an
 * order backwards, e.g. a late READY_TO_SHIP push after the parcel shipped.
 */
export const orderStatus = new StateMachine<OrderStatus>('order status', {
  UNPAID: ['PENDING', 'INVOICE_PENDING', 'READY_TO_SHIP', 'IN_CANCEL', 'CANCELLED'],
  PENDING: ['UNPAID', 'INVOICE_PENDING', 'READY_TO_SHIP', 'IN_CANCEL', 'CANCELLED'],
  INVOICE_PENDING: ['READY_TO_SHIP', 'IN_CANCEL', 'CANCELLED'],
  READY_TO_SHIP: ['PROCESSED', 'SHIPPED', 'RETRY_SHIP', 'IN_CANCEL', 'CANCELLED'],
  PROCESSED: ['READY_TO_SHIP', 'SHIPPED', 'RETRY_SHIP', 'IN_CANCEL', 'CANCELLED', 'TO_CONFIRM_RECEIVE'],
  RETRY_SHIP: ['READY_TO_SHIP', 'PROCESSED', 'SHIPPED', 'IN_CANCEL', 'CANCELLED'],
  SHIPPED: ['TO_CONFIRM_RECEIVE', 'COMPLETED', 'TO_RETURN', 'CANCELLED'],
  TO_CONFIRM_RECEIVE: ['COMPLETED', 'TO_RETURN'],
  TO_RETURN: ['COMPLETED', 'CANCELLED', 'TO_CONFIRM_RECEIVE'],
  IN_CANCEL: ['CANCELLED', 'READY_TO_SHIP', 'PROCESSED', 'RETRY_SHIP', 'SHIPPED'],
  COMPLETED: ['TO_RETURN'],
  CANCELLED: [],
});

/** Statuses in which an order waits for someone to arrange shipment: the claim pool. */
export const CLAIMABLE: readonly OrderStatus[] = ['READY_TO_SHIP', 'RETRY_SHIP'];
export const isClaimable = (s: OrderStatus): boolean => CLAIMABLE.includes(s);
/** Statuses in which ship_order may be called. */
export const SHIPPABLE: readonly OrderStatus[] = ['READY_TO_SHIP', 'RETRY_SHIP'];
/** Statuses that still need work from the team (for open-order caps). */
export const OPEN: readonly OrderStatus[] = ['READY_TO_SHIP', 'RETRY_SHIP', 'PROCESSED'];
/**
 * Statuses before the parcel leaves and not cancelled: an order held in one is still its holder's work, so a member who
 * leaves hands it over (handover.ts). OPEN, plus IN_CANCEL (the buyer asked to cancel: the seller must answer, and a
 * refused cancellation returns to READY_TO_SHIP) and the unpaid ones (rarely held, but nothing may stay with a member
 * who left). Shipped, completed or returned orders keep their holder: that is the record of who shipped them.
 */
export const UNSHIPPED: readonly OrderStatus[] = [...OPEN, 'IN_CANCEL', 'UNPAID', 'PENDING', 'INVOICE_PENDING'];

/**
 * How far along the lifecycle a status is. Shopee's update_time has one-second resolution, so two changes can share
 * it: on a tie, a fetched state replaces the stored one only when it is further along.
 */
export const PROGRESS: Readonly<Record<OrderStatus, number>> = {
  UNPAID: 0,
  PENDING: 0,
  INVOICE_PENDING: 1,
  READY_TO_SHIP: 2,
  RETRY_SHIP: 3,
  PROCESSED: 4,
  IN_CANCEL: 5,
  SHIPPED: 6,
  TO_CONFIRM_RECEIVE: 7,
  TO_RETURN: 8,
  COMPLETED: 9,
  CANCELLED: 10,
};
