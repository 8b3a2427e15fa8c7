/** get_order_detail / get_shipping_parameter answers → the product's words (marketplace/shopee/order-mapping.ts). */
import { toMarketOrder, toShippingParameters } from '../../../../server/src/marketplace/shopee/order-mapping';
import { currencyOf } from '../../../../server/src/marketplace/shopee/shop-api';

describe('Shopee order mapping', () => {
  it('maps seconds to ms, amounts as numbers, items and the first package', () => {
    const m = toMarketOrder('100', {
      order_sn: '220810QSK8S7BX',
      order_status: 'READY_TO_SHIP',
      currency: 'SGD',
      total_amount: 25.8,
      buyer_username: 'j*****n',
      create_time: 1660000000,
      update_time: 1660000100,
      ship_by_date: 1660172800,
      message_to_seller: '',
      item_list: [{ item_id: 1, item_name: '保温杯', item_sku: 'CUP', model_name: '红色', model_quantity_purchased: 2, model_discounted_price: 12.9 }],
      package_list: [{ package_number: 'P1', logistics_status: 'LOGISTICS_READY', shipping_carrier: 'SPX' }],
    });
    expect(m).toMatchObject({
      orderSn: '220810QSK8S7BX',
      shopId: '100',
      status: 'READY_TO_SHIP',
      total: 25.8,
      buyer: 'j*****n',
      createTime: 1660000000000,
      updateTime: 1660000100000,
    });
    expect(m.shipBy).toBe(1660172800000);
    expect(m.messageToSeller).toBeNull();
    expect(m.items).toEqual([{ itemId: '1', name: '保温杯', sku: 'CUP', variation: '红色', quantity: 2, price: 12.9 }]);
    expect(m.packages).toEqual([{ packageNumber: 'P1', logisticsStatus: 'LOGISTICS_READY', carrier: 'SPX' }]);
  });

  it('keeps an order with a status it does not know as PENDING instead of dropping it', () => {
    expect(toMarketOrder('1', { order_sn: 'X', order_status: 'SOMETHING_NEW', create_time: 1, update_time: 1 }).status).toBe('PENDING');
  });

  it('offers exactly the shipping modes info_needed names', () => {
    const p = toShippingParameters({
      info_needed: { dropoff: ['branch_id'], non_integrated: ['tracking_no'] },
      dropoff: { branch_list: [{ branch_id: 7, city: 'Singapore', address: '1 Main St', zipcode: '123456' }] },
    });
    expect(p.pickup).toBeNull();
    expect(p.dropoff).toEqual({ branches: [{ branchId: 7, name: 'Singapore 1 Main St', address: '1 Main St, Singapore, 123456' }] });
    expect(p.nonIntegrated).toBe(true);
  });

  it('knows each market’s currency', () => {
    expect([currencyOf('SG'), currencyOf('my'), currencyOf('TW'), currencyOf('XX')]).toEqual(['SGD', 'MYR', 'TWD', '']);
  });
});
