// The order model and its status machine (https://open.shopee.com/developer-guide/229 "Order status" and the
// logistics / fulfilment status list; values as in https://open.shopee.com/documents/v2/v2.order.get_order_detail).

export const ORDER_STATUSES = [
  'UNPAID',
  'READY_TO_SHIP',
  'PROCESSED',
  'SHIPPED',
  'TO_CONFIRM_RECEIVE',
  'COMPLETED',
  'RETRY_SHIP',
  'IN_CANCEL',
  'CANCELLED',
  'TO_RETURN',
  'INVOICE_PENDING',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type LogisticsStatus =
  | 'LOGISTICS_NOT_START'
  | 'LOGISTICS_READY'
  | 'LOGISTICS_REQUEST_CREATED'
  | 'LOGISTICS_PICKUP_DONE'
  | 'LOGISTICS_DELIVERY_DONE'
  | 'LOGISTICS_PICKUP_RETRY'
  | 'LOGISTICS_REQUEST_CANCELED'
  | 'LOGISTICS_INVALID';

/** Which ship_order method(s) the order's channel supports (get_shipping_parameter's info_needed). */
export type ShippingMode = 'pickup' | 'dropoff' | 'pickup_or_dropoff' | 'non_integrated';

/**
 * Moves the guide describes. IN_CANCEL can go back (the seller rejects the buyer's cancellation); COMPLETED and
 * CANCELLED are final. INVOICE_PENDING is the BR step between payment and READY_TO_SHIP.
 */
export const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  UNPAID: ['READY_TO_SHIP', 'INVOICE_PENDING', 'CANCELLED'],
  INVOICE_PENDING: ['READY_TO_SHIP', 'CANCELLED'],
  READY_TO_SHIP: ['PROCESSED', 'IN_CANCEL', 'CANCELLED'],
  PROCESSED: ['SHIPPED', 'RETRY_SHIP', 'IN_CANCEL', 'CANCELLED'],
  RETRY_SHIP: ['PROCESSED', 'IN_CANCEL', 'CANCELLED'],
  IN_CANCEL: ['CANCELLED', 'READY_TO_SHIP', 'PROCESSED'],
  SHIPPED: ['TO_CONFIRM_RECEIVE', 'TO_RETURN', 'COMPLETED'],
  TO_CONFIRM_RECEIVE: ['COMPLETED', 'TO_RETURN'],
  TO_RETURN: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

export interface OrderItem {
  item_id: number;
  item_name: string;
  item_sku: string;
  model_id: number;
  model_name: string;
  model_sku: string;
  model_quantity_purchased: number;
  model_original_price: number;
  model_discounted_price: number;
  order_item_id: number;
  weight: number;
  image_url: string;
}

export interface Package {
  package_number: string;
  /** forder_id in push code 4 (https://open.shopee.com/push-mechanism/4 example). */
  forder_id: string;
  logistics_status: LogisticsStatus;
  logistics_channel_id: number;
  shipping_carrier: string;
  tracking_number: string;
  /** Simulator clock (ms) at which the 3PL "returns" the tracking number after ship_order. */
  trackingDueMs?: number;
  shippedWith?: 'pickup' | 'dropoff' | 'non_integrated';
}

export interface RecipientAddress {
  name: string;
  phone: string;
  town: string;
  district: string;
  city: string;
  state: string;
  region: string;
  zipcode: string;
  full_address: string;
}

export interface Order {
  order_sn: string;
  shopId: number;
  region: string;
  currency: string;
  cod: boolean;
  order_status: OrderStatus;
  /** The status before IN_CANCEL, where a rejected cancellation returns to. */
  statusBeforeCancel?: OrderStatus;
  create_time: number;
  update_time: number;
  pay_time: number | null;
  days_to_ship: number;
  ship_by_date: number;
  message_to_seller: string;
  note: string;
  note_update_time: number;
  buyer_user_id: number;
  buyer_username: string;
  recipient_address: RecipientAddress;
  items: OrderItem[];
  package: Package;
  payment_method: string;
  shipping_carrier: string;
  estimated_shipping_fee: number;
  actual_shipping_fee: number;
  total_amount: number;
  cancel_by: string;
  cancel_reason: string;
  buyer_cancel_reason: string;
  pickup_done_time: number;
  shipping: ShippingMode;
}

export const isOrderStatus = (s: string): s is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(s);

/** The package's fulfilment status that goes with an order status (developer-guide/229). */
export function logisticsStatusFor(order: Order, status: OrderStatus): LogisticsStatus {
  const p = order.package;
  switch (status) {
    case 'UNPAID':
    case 'INVOICE_PENDING':
      return 'LOGISTICS_NOT_START';
    case 'READY_TO_SHIP':
      return 'LOGISTICS_READY';
    case 'PROCESSED':
      return p.shippedWith === 'non_integrated' ? 'LOGISTICS_PICKUP_DONE' : 'LOGISTICS_REQUEST_CREATED';
    case 'RETRY_SHIP':
      return 'LOGISTICS_PICKUP_RETRY';
    case 'SHIPPED':
      return 'LOGISTICS_PICKUP_DONE';
    case 'TO_CONFIRM_RECEIVE':
    case 'COMPLETED':
    case 'TO_RETURN':
      return 'LOGISTICS_DELIVERY_DONE';
    case 'CANCELLED':
      return p.logistics_status === 'LOGISTICS_REQUEST_CREATED' || p.logistics_status === 'LOGISTICS_PICKUP_RETRY'
        ? 'LOGISTICS_REQUEST_CANCELED'
        : 'LOGISTICS_INVALID';
    case 'IN_CANCEL':
      return p.logistics_status;
  }
}
