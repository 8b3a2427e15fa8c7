/**
 * The metrics API (server/src/modules/metrics), shared by server and H5. Days are `YYYY-MM-DD` in the corp's time zone;
 * money is per currency (never mixed: a series is one currency).
 */

export const METRIC_KEYS = [
  'gmv',
  'orders',
  'aov',
  'units',
  'refund_amount',
  'refunded_orders',
  'refund_rate',
  'net_gmv',
  'shipped_orders',
  'on_time_rate',
  'claimed_orders',
  'claim_minutes',
  'cases_opened',
  'first_response_minutes',
  'resolved_cases',
  'resolution_minutes',
  'sla_breaches',
  'checklists_completed',
  'checklist_overdue',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export type MetricUnit = 'money' | 'count' | 'percent' | 'minutes';

export interface MetricDef {
  key: MetricKey;
  /** zh-CN name. */
  label: string;
  unit: MetricUnit;
  /** zh-CN definition, shown in the UI. */
  definition: string;
  /** Scopes it exists for. */
  scopes: readonly MetricScope[];
}

export const METRIC_SCOPES = ['shop', 'member', 'sku', 'team'] as const;
/** shop: each shop; member: each member (claims); sku: each SKU; team: all shops the member may see, per currency. */
export type MetricScope = (typeof METRIC_SCOPES)[number];

export const METRIC_DEFS: Readonly<Record<MetricKey, MetricDef>> = {
  gmv: { key: 'gmv', label: 'GMV', unit: 'money', definition: '当天（企业时区）创建的订单总额，不含发货前取消的订单', scopes: ['shop', 'sku', 'team'] },
  orders: { key: 'orders', label: '订单数', unit: 'count', definition: '当天创建的订单数，不含发货前取消的订单', scopes: ['shop', 'team'] },
  aov: { key: 'aov', label: '客单价', unit: 'money', definition: 'GMV ÷ 订单数', scopes: ['shop', 'team'] },
  units: { key: 'units', label: '销量（件）', unit: 'count', definition: '当天创建的订单中的商品件数，不含发货前取消的订单', scopes: ['sku'] },
  refund_amount: { key: 'refund_amount', label: '退款金额', unit: 'money', definition: '当天完成的退款总额（按退款完成的时间计入）', scopes: ['shop', 'team'] },
  refunded_orders: { key: 'refunded_orders', label: '退款订单数', unit: 'count', definition: '当天完成退款的订单数', scopes: ['shop', 'team'] },
  refund_rate: { key: 'refund_rate', label: '退款率', unit: 'percent', definition: '退款订单数 ÷ 已发货订单数', scopes: ['shop', 'team'] },
  net_gmv: { key: 'net_gmv', label: '净 GMV', unit: 'money', definition: 'GMV − 退款金额', scopes: ['shop', 'team'] },
  shipped_orders: { key: 'shipped_orders', label: '已发货订单数', unit: 'count', definition: '当天交给物流的订单数', scopes: ['shop', 'team'] },
  on_time_rate: {
    key: 'on_time_rate',
    label: '准时发货率',
    unit: 'percent',
    definition: '在发货截止时间前交给物流的订单 ÷ 当天发货的订单',
    scopes: ['shop', 'team'],
  },
  claimed_orders: { key: 'claimed_orders', label: '认领订单数', unit: 'count', definition: '当天首次被认领或分配的订单数', scopes: ['shop', 'member', 'team'] },
  claim_minutes: {
    key: 'claim_minutes',
    label: '平均认领用时',
    unit: 'minutes',
    definition: '订单从创建到首次被认领或分配的平均分钟数',
    scopes: ['shop', 'member', 'team'],
  },
  cases_opened: {
    key: 'cases_opened',
    label: '新增售后工单',
    unit: 'count',
    definition: '当天新开的售后工单数（退货退款、仅退款与手动登记的投诉）',
    scopes: ['shop', 'team'],
  },
  first_response_minutes: {
    key: 'first_response_minutes',
    label: '平均首次响应用时',
    unit: 'minutes',
    definition: '售后工单从新开到成员首次处理（首次改变工单状态，平台自动改变的不算）的平均分钟数，按自然时间计；按首次处理的那天计入，成员维度记在处理人名下',
    scopes: ['shop', 'member', 'team'],
  },
  resolved_cases: {
    key: 'resolved_cases',
    label: '已解决工单数',
    unit: 'count',
    definition: '当天解决或关闭的售后工单数（重新打开的工单在再次解决时计入），成员维度记在当时的处理人名下',
    scopes: ['shop', 'member', 'team'],
  },
  resolution_minutes: {
    key: 'resolution_minutes',
    label: '平均解决用时',
    unit: 'minutes',
    definition: '售后工单从新开到解决或关闭的平均分钟数，按自然时间计（含等待买家和平台的时间），按解决的那天计入',
    scopes: ['shop', 'member', 'team'],
  },
  sla_breaches: {
    key: 'sla_breaches',
    label: '售后超时次数',
    unit: 'count',
    definition: '当天超过时限的次数（首次响应、解决时限和平台截止时间，每个时限至多一次），成员维度记在超时时的处理人名下',
    scopes: ['shop', 'member', 'team'],
  },
  checklists_completed: { key: 'checklists_completed', label: '完成清单数', unit: 'count', definition: '当天完成的店铺 SOP 清单数', scopes: ['shop', 'team'] },
  checklist_overdue: {
    key: 'checklist_overdue',
    label: '清单超时步骤',
    unit: 'count',
    definition: '当天超时未完成的店铺 SOP 清单步骤数，成员维度记在步骤负责人名下',
    scopes: ['shop', 'member', 'team'],
  },
};

export interface MetricPoint {
  /** The day (or a week's Monday). */
  day: string;
  /** null where the metric is undefined (a rate over zero orders). */
  value: number | null;
}

export interface MetricSeries {
  scope: MetricScope;
  /** Shop id, userid, SKU, or `all` for team. */
  key: string;
  /** Shop name, member name, SKU. */
  label: string;
  /** For money; null for counts, rates and minutes. */
  currency: string | null;
  points: MetricPoint[];
  /** Over the whole range (sums divided, not an average of days). */
  total: number | null;
  /**
   * For a metric with targets (TARGET_METRICS): the daily target of this series — the shop's, the SKU's (summed over the
   * shops asked for), or the team's (the shops' own, per currency) — absent when none is set.
   */
  target?: number;
}

/** GET /api/metrics?metric=&scope=&shop=&from=&to=&granularity=day|week&limit= */
export interface MetricsResponse {
  metric: MetricDef;
  scope: MetricScope;
  granularity: 'day' | 'week';
  from: string;
  to: string;
  series: MetricSeries[];
}

// ---- targets (GET /api/metrics/targets, PUT /api/metrics/targets, DELETE /api/metrics/targets/:id) ----

/** Metrics a daily target can be set on: per shop (GMV, orders) or per SKU of a shop (units, GMV). */
export const TARGET_METRICS = ['gmv', 'orders', 'units'] as const satisfies readonly MetricKey[];
export type TargetMetric = (typeof TARGET_METRICS)[number];

/** A daily target set by ops (automation:manage) for a shop, or one SKU of it; money in its currency. */
export interface MetricTarget {
  id: number;
  shopId: string;
  shopName: string;
  /** null: the whole shop. */
  sku: string | null;
  metric: TargetMetric;
  /** For money; null for counts. */
  currency: string | null;
  /** The target for one day. */
  daily: number;
  updatedBy: string;
  updatedAt: string;
  /**
   * Over the range asked for (GET): what was done, what the target asks (daily × the range's days from the first the
   * shop has figures on), and done ÷ asked; null from PUT.
   */
  progress: { actual: number; expected: number; ratio: number | null } | null;
}

/** PUT /api/metrics/targets: set (create or replace) the target of a shop, or of one SKU of it, for a metric. */
export interface TargetInput {
  shopId: string;
  sku?: string | null;
  metric: TargetMetric;
  daily: number;
  /** Money: defaults to the shop's currency. */
  currency?: string | null;
}

/** GET /api/metrics/targets?shop=&from=&to= */
export interface TargetsResponse {
  from: string;
  to: string;
  items: MetricTarget[];
}

// ---- alert lines and early warnings (GET /api/alerts, GET /api/alerts/warnings) ----

/**
 * An alert line: metric + scope (a shop, one SKU of it, or the team) + comparison + window of consecutive days. Against
 * a constant (`basis: 'value'`, the threshold in the metric's unit) or against the target (`basis: 'target'`: the day's
 * figure compared with the daily target × threshold, e.g. `< 1` = below the target).
 */
export interface AlertLine {
  id: number;
  name: string;
  metric: MetricKey;
  metricLabel: string;
  shopId: string | null;
  sku: string | null;
  currency: string | null;
  comparison: '>' | '>=' | '<' | '<=';
  threshold: number;
  basis: 'value' | 'target';
  windowDays: number;
  enabled: boolean;
  /** ok, or breached since `since` (told once; again only after a day back on the right side). */
  state: 'ok' | 'breached';
  since: string | null;
  checkedDay: string | null;
  /** For `basis: 'target'`: the daily target it compares with now (null when none is set). */
  target: number | null;
  /** The line in words: `> 5.0%（连续 3 天）`, `< 目标（20）（连续 3 天）`. */
  text: string;
}

/** An early warning given (one per day, shop and metric), with its reason. */
export interface EarlyWarning {
  day: string;
  shopId: string;
  metric: MetricKey;
  value: number;
  baseline: number;
  reason: string;
}
