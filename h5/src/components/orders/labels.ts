import type { OrderStatus, ShopStatus } from '@shopcrew/shared';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'default';

/** van-tag type of each order status: waiting on us (to ship) stands out, finished ones are quiet, trouble is red. */
export const STATUS_TAGS: Record<OrderStatus, TagType> = {
  UNPAID: 'default',
  READY_TO_SHIP: 'warning',
  RETRY_SHIP: 'warning',
  PROCESSED: 'primary',
  SHIPPED: 'primary',
  TO_CONFIRM_RECEIVE: 'primary',
  COMPLETED: 'success',
  IN_CANCEL: 'danger',
  CANCELLED: 'default',
  TO_RETURN: 'danger',
  INVOICE_PENDING: 'default',
  PENDING: 'default',
};

/** van-tag type of each shop status badge. */
export const SHOP_STATUS_TAGS: Record<ShopStatus, TagType> = {
  active: 'success',
  expiring: 'warning',
  needs_reauth: 'danger',
  revoked: 'default',
};
