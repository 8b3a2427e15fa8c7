// Logistics: v2.logistics.get_shipping_parameter, ship_order, update_shipping_order and get_tracking_number
// (https://open.shopee.com/documents/v2/v2.logistics.get_shipping_parameter, …/v2.logistics.ship_order,
// …/v2.logistics.update_shipping_order, …/v2.logistics.get_tracking_number). One package per order.
import { commaList, optInt, optObject, optString, reqString, type ApiCall, type Endpoint } from './endpoint';
import { LOGISTICS, ORDER } from './errors';
import type { Order, ShippingMode } from './orders';
import type { Shop } from './shops';

type Method = 'pickup' | 'dropoff' | 'non_integrated';

const METHODS: Record<ShippingMode, Method[]> = {
  pickup: ['pickup'],
  dropoff: ['dropoff'],
  pickup_or_dropoff: ['pickup', 'dropoff'],
  non_integrated: ['non_integrated'],
};

/** Pickup slots: the next three days, two windows a day; pickup_time_id is the slot's start (a string, as Shopee's). */
export function timeSlots(now: number): { date: number; time_text: string; pickup_time_id: string; flags: string[] }[] {
  const dayStart = Math.floor((now + 8 * 3600) / 86400) * 86400 - 8 * 3600; // midnight UTC+8
  const slots = [];
  for (let d = 1; d <= 3; d++) {
    const date = dayStart + d * 86400;
    for (const [h, text] of [
      [9, '09:00-12:00'],
      [14, '14:00-18:00'],
    ] as const) {
      slots.push({ date, time_text: text, pickup_time_id: String(date + h * 3600), flags: d === 1 && h === 9 ? ['recommended'] : [] });
    }
  }
  return slots;
}

function shippingParameter(order: Order, shop: Shop, now: number): Record<string, unknown> {
  const methods = METHODS[order.shipping];
  const info_needed: Record<string, string[]> = {};
  if (methods.includes('pickup')) info_needed['pickup'] = ['address_id', 'pickup_time_id'];
  if (methods.includes('dropoff')) info_needed['dropoff'] = ['branch_id'];
  if (methods.includes('non_integrated')) info_needed['non_integrated'] = ['tracking_no'];
  const slots = timeSlots(now);
  return {
    info_needed,
    dropoff: methods.includes('dropoff') ? { branch_list: shop.branches.map((b) => ({ ...b })), slug_list: [] } : null,
    pickup: methods.includes('pickup') ? { address_list: shop.pickupAddresses.map((a) => ({ ...a, time_slot_list: slots })) } : null,
  };
}

function findOrder(call: ApiCall, notFound: () => Error = ORDER.notFound): Order {
  const sn = reqString(call.params, 'order_sn');
  const order = call.state.orders.get(sn);
  if (!order || order.shopId !== call.shop!.shopId) throw notFound();
  const pkg = optString(call.params, 'package_number');
  if (pkg !== undefined && pkg !== order.package.package_number) throw LOGISTICS.packageNotExist();
  return order;
}

function checkPickup(call: ApiCall, pickup: Record<string, unknown>): void {
  const addressId = optInt(pickup, 'address_id');
  const timeId = optString(pickup, 'pickup_time_id');
  if (addressId === undefined || timeId === undefined) throw LOGISTICS.needAddressAndTime();
  if (!call.shop!.pickupAddresses.some((a) => a.address_id === addressId)) throw LOGISTICS.addressNotFound();
  if (!timeSlots(call.state.clock.now()).some((s) => s.pickup_time_id === timeId)) throw LOGISTICS.pickupTimeInvalid();
}

function shipOrder(call: ApiCall): Record<string, unknown> {
  const order = findOrder(call);
  const s = order.order_status;
  if (s === 'CANCELLED' || s === 'COMPLETED') throw LOGISTICS.finalized();
  if (s !== 'READY_TO_SHIP') {
    if (order.package.shippedWith || ['PROCESSED', 'SHIPPED', 'TO_CONFIRM_RECEIVE', 'RETRY_SHIP'].includes(s)) throw LOGISTICS.alreadyShipped();
    throw LOGISTICS.notReadyToShip();
  }
  // "Developer should still include "pickup" field in the call even if "pickup" has empty value": presence counts.
  const given = (['pickup', 'dropoff', 'non_integrated'] as const).filter((m) => call.params[m] !== undefined && call.params[m] !== null);
  if (given.length !== 1) throw LOGISTICS.onlyOneType();
  const method = given[0]!;
  if (!METHODS[order.shipping].includes(method)) throw LOGISTICS.unsupported(method);
  const details = optObject(call.params, method) ?? {};
  if (method === 'pickup') checkPickup(call, details);
  if (method === 'dropoff') {
    const branchId = optInt(details, 'branch_id');
    if (branchId === undefined) throw LOGISTICS.needBranchId();
    if (!call.shop!.branches.some((b) => b.branch_id === branchId)) throw LOGISTICS.branchNotFound();
  }
  let tracking: string | undefined;
  if (method === 'non_integrated') {
    tracking = optString(details, 'tracking_number');
    if (tracking !== undefined && tracking.length > 64) throw LOGISTICS.longTrackingNumber();
  }
  call.state.arrangeShipment(order, method, tracking);
  return {};
}

function updateShippingOrder(call: ApiCall): Record<string, unknown> {
  const order = findOrder(call);
  if (order.order_status !== 'RETRY_SHIP' || order.package.logistics_status !== 'LOGISTICS_PICKUP_RETRY') throw LOGISTICS.statusNotSupported();
  const pickup = optObject(call.params, 'pickup');
  if (!pickup) throw LOGISTICS.needAddressAndTime();
  checkPickup(call, pickup);
  call.state.arrangeShipment(order, 'pickup');
  return {};
}

export const LOGISTICS_ENDPOINTS: Record<string, Endpoint> = {
  '/api/v2/logistics/get_shipping_parameter': {
    method: 'GET',
    type: 'shop',
    handler: (call) => {
      const order = findOrder(call);
      if (order.order_status === 'CANCELLED') throw LOGISTICS.cancelled();
      const ls = order.package.logistics_status;
      if ((order.order_status !== 'READY_TO_SHIP' && order.order_status !== 'RETRY_SHIP') || (ls !== 'LOGISTICS_READY' && ls !== 'LOGISTICS_PICKUP_RETRY')) {
        throw LOGISTICS.notReadyForParameters();
      }
      return { response: shippingParameter(order, call.shop!, call.state.clock.now()) };
    },
  },
  '/api/v2/logistics/ship_order': { method: 'POST', type: 'shop', handler: shipOrder },
  '/api/v2/logistics/update_shipping_order': { method: 'POST', type: 'shop', handler: updateShippingOrder },
  '/api/v2/logistics/get_tracking_number': {
    method: 'GET',
    type: 'shop',
    handler: (call) => {
      call.state.assignDueTracking();
      const order = findOrder(call, LOGISTICS.trackingOrderNotExist);
      const optional = commaList(call.params, 'response_optional_fields');
      const tracking = order.package.tracking_number;
      const response: Record<string, unknown> = { tracking_number: tracking };
      for (const f of ['plp_number', 'first_mile_tracking_number', 'last_mile_tracking_number']) if (optional.includes(f)) response[f] = '';
      // "hint: Indicate hint information if cannot get some fields under special scenarios."
      if (!tracking)
        response['hint'] = order.package.shippedWith ? 'The 3PL has not assigned the tracking number yet.' : 'Shipment has not been arranged for this order.';
      return { response };
    },
  },
};
