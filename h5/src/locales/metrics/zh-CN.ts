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
    targets: {
      title: '目标',
      subtitle: '每天的目标与完成',
      add: '添加目标',
      edit: '编辑',
      empty: '还没有设目标',
      emptyHint: '为店铺或 SKU 设每天的目标：图表上会有目标线，预警线也能按目标设',
      shopWide: '全店',
      perDay: '每天 {value}',
      progress: '完成 {pct}',
      of: '{actual} / 目标 {expected}',
      line: '虚线为目标（每天 {value}）',
      kpi: '目标完成 {pct}',
      sku: '目标 {value}/天 · 完成 {pct}',
      form: {
        titleNew: '添加目标',
        titleEdit: '编辑目标',
        shop: '店铺',
        scope: '对象',
        scopeShop: '全店',
        scopeSku: '单个 SKU',
        sku: 'SKU',
        skuPlaceholder: '如 CUP-500',
        metric: '指标',
        daily: '每天目标',
        currency: '币种 {currency}',
        save: '保存',
        delete: '删除',
        deleteConfirm: '删除这个目标？按目标设的预警线将不再触发。',
        saved: '目标已保存',
        deleted: '目标已删除',
        problems: {
          shop: '请选择店铺',
          sku: '请填写 SKU（最多 64 个字符）',
          metric: '这个对象不能设该指标',
          daily: '请填写不小于 0 的数字',
        },
      },
    },
    alerts: {
      title: '预警',
      none: '暂无预警：没有触发的预警线，也没有异常波动',
      badge: '预警',
      breached: '已触发',
      since: '自 {day}',
      warning: '异常',
      team: '全部店铺',
    },
    cases: {
      title: '售后',
      members: '成员售后',
      member: '成员',
      resolved: '已解决',
      response: '首次响应',
      resolution: '解决用时',
      breaches: '超时',
      empty: '这段时间没有售后工单',
      unassigned: '未分配',
    },
    units: {
      minutes: '{n} 分钟',
      hours: '{n} 小时',
      hoursMinutes: '{h} 小时 {m} 分',
    },
  },
};

export type MetricsMessages = typeof metrics;
export default metrics;
