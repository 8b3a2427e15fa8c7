import { METRIC_DEFS, METRIC_KEYS, type MetricKey } from '@shopcrew/shared';

/**
 * The metric names and definitions in Chinese are the server's own (shared METRIC_DEFS, what GET
 * /api/metrics/definitions returns): one source for the words and the figures. ./en.ts has the English of each.
 */
const defs = Object.fromEntries(METRIC_KEYS.map((k) => [k, { label: METRIC_DEFS[k].label, definition: METRIC_DEFS[k].definition }])) as Record<
  MetricKey,
  { label: string; definition: string }
>;

/** 数据 (the figures: KPI cards, the per-shop trend, 成员 claims, top SKUs). zh-CN: the source of truth for this area's keys (./en.ts is typed against it). */
const metrics = {
  metrics: {
    title: '数据',
    defs,
    empty: '暂无数据：订单同步后次日即可看到',
    loadFailed: '数据加载失败',
    range: {
      '7d': '近 7 天',
      '30d': '近 30 天',
      '90d': '近 90 天',
      custom: '自定义',
      pick: '选择日期范围',
      span: '{from} 至 {to}',
      days: '共 {n} 天',
    },
    shop: { label: '店铺', all: '全部店铺' },
    granularity: { day: '按日', week: '按周' },
    kpi: {
      title: '核心指标',
      help: '{name}的口径',
      ok: '知道了',
      trend: '{name}每日走势',
    },
    chart: {
      title: '分店铺趋势',
      metric: '指标',
      weekly: '按周汇总，日期为每周一',
      empty: '这段时间没有这个指标的数据',
      failed: '图表加载失败',
      currency: '币种 {currency}',
    },
    members: {
      title: '成员认领',
      member: '成员',
      claimed: '认领订单数',
      minutes: '平均认领用时',
      empty: '这段时间还没有订单被认领',
    },
    skus: {
      title: '热销 SKU',
      subtitle: '按销量排序',
      units: '{n} 件',
      empty: '这段时间还没有售出的商品',
    },
    units: {
      minutes: '{n} 分钟',
      hoursMinutes: '{h} 小时 {m} 分',
    },
  },
};

export type MetricsMessages = typeof metrics;
export default metrics;
