import type { EventTypeDef } from '../../platform/events';

/** What the metrics module tells: alert lines crossed and early warnings, to the owners (corp-wide default rules). */
export const METRIC_EVENTS: EventTypeDef[] = [
  {
    type: 'metric.alert',
    label: '数据预警',
    fields: {
      alert_id: { label: '预警线ID', type: 'string', example: '3' },
      name: { label: '预警线', type: 'string', example: '退款率预警线' },
      metric: { label: '指标', type: 'string', example: '退款率' },
      shop_id: { label: '店铺ID', type: 'string', optional: true },
      sku: { label: 'SKU', type: 'string', optional: true },
      value: { label: '当前值', type: 'string', example: '8.2%' },
      line: { label: '预警条件', type: 'string', example: '> 5.0%（连续 3 天）' },
      day: { label: '日期', type: 'string', example: '2026-11-10' },
      url: { label: '链接', type: 'string', optional: true },
    },
    template: '【{name}】{metric} {value}，已触发预警线 {line}（{day}）',
    defaultRules: [{ name: '数据预警', format: 'text', roles: ['owner'], scope: 'corp' }],
  },
  {
    type: 'metric.warning',
    label: '异常提醒',
    fields: {
      shop_id: { label: '店铺ID', type: 'string', example: '100001' },
      metric: { label: '指标', type: 'string', example: '退款订单数' },
      day: { label: '日期', type: 'string', example: '2026-11-10' },
      reason: { label: '原因', type: 'string', example: '退款订单数 12，近 8 周同日均值 3' },
      url: { label: '链接', type: 'string', optional: true },
    },
    template: '【异常提醒】{day} {reason}',
    defaultRules: [{ name: '异常提醒', format: 'text', roles: ['owner'], scope: 'corp' }],
  },
];
