/**
 * The 数据 page's rules that need no browser (h5/src/composables/metrics.ts, metricCharts.ts): the filters ⇄ URL query,
 * a range's from/to on the device's calendar and the API's query, the axis with its gaps filled, KPI figures per
 * currency, one chart per currency (money is never drawn or added across currencies), the 成员 table, the top SKUs,
 * the shop picker's shops, numbers in both UI languages, the trend line's path and the ECharts options.
 */
import { METRIC_DEFS, type MetricKey, type MetricScope, type MetricSeries, type MetricsResponse } from '@shopcrew/shared';
import {
  axisOf,
  CHART_METRICS,
  chartGroups,
  DEFAULT_FILTERS,
  earliestDay,
  emptyValue,
  filtersFromQuery,
  formatCount,
  formatMoney,
  formatPercent,
  isValidRange,
  KPI_METRICS,
  kpiFigures,
  memberRows,
  metricsQuery,
  minutesParts,
  moneyParts,
  noFigures,
  queryFromFilters,
  rangeOf,
  sectionKeys,
  shopOptions,
  shopsIn,
  skuRows,
  sparkPath,
  valuesOn,
  weekOf,
  type MetricFilters,
} from '../../../h5/src/composables/metrics';
import { rankingHeight, rankingOption, trendOption } from '../../../h5/src/composables/metricCharts';

const TODAY = '2025-03-14'; // a Friday

const series = (key: string, points: [string, number | null][], total: number | null, extra: Partial<MetricSeries> = {}): MetricSeries => ({
  scope: 'shop',
  key,
  label: key,
  currency: null,
  points: points.map(([day, value]) => ({ day, value })),
  total,
  ...extra,
});

const answer = (metric: MetricKey, scope: MetricScope, list: MetricSeries[], range: Partial<MetricsResponse> = {}): MetricsResponse => ({
  metric: METRIC_DEFS[metric],
  scope,
  granularity: 'day',
  from: '2025-03-10',
  to: '2025-03-14',
  series: list.map((s) => ({ ...s, scope })),
  ...range,
});

describe('filters ⇄ URL query', () => {
  test('defaults: the last 7 days, every shop, by day, GMV', () => {
    expect(filtersFromQuery({})).toEqual({ range: '7d', granularity: 'day', metric: 'gmv' });
    expect(queryFromFilters({ ...DEFAULT_FILTERS })).toEqual({});
  });

  test('a preset, a shop, weeks and a chart metric round-trip', () => {
    const filters = filtersFromQuery({ range: '30d', shop: '1001', g: 'week', metric: 'orders' });
    expect(filters).toEqual({ range: '30d', shop: '1001', granularity: 'week', metric: 'orders' });
    expect(queryFromFilters(filters)).toEqual({ range: '30d', shop: '1001', g: 'week', metric: 'orders' });
    expect(filtersFromQuery(queryFromFilters(filters))).toEqual(filters);
  });

  test('a custom range is from + to, in order, at most two years', () => {
    const custom = filtersFromQuery({ from: '2025-01-01', to: '2025-01-31' });
    expect(custom).toMatchObject({ range: 'custom', from: '2025-01-01', to: '2025-01-31' });
    expect(queryFromFilters(custom)).toEqual({ from: '2025-01-01', to: '2025-01-31' });
    // A preset wins over stray days; wrong days fall back to the default.
    expect(filtersFromQuery({ range: '90d', from: '2025-01-01', to: '2025-01-31' })).toMatchObject({ range: '90d' });
    expect(filtersFromQuery({ range: '90d', from: '2025-01-01' }).from).toBeUndefined();
    for (const [from, to] of [
      ['2025-01-31', '2025-01-01'],
      ['2025-02-30', '2025-03-01'],
      ['2023-01-01', '2025-01-05'],
      ['yesterday', '2025-01-01'],
    ]) {
      expect(filtersFromQuery({ from, to }).range).toBe('7d');
    }
    expect(isValidRange('2023-01-01', '2025-01-01')).toBe(true); // 731 days apart: the server's limit
    expect(isValidRange('2023-01-01', '2025-01-02')).toBe(false);
  });

  test('junk is left out: a shop that is not digits, an unknown granularity or a metric the chart has not', () => {
    expect(filtersFromQuery({ range: '1y', shop: "1'; drop", g: 'month', metric: 'units' })).toEqual({ ...DEFAULT_FILTERS });
    expect(filtersFromQuery({ shop: ['2002', '3003'], metric: ['refund_rate'] })).toMatchObject({ shop: '2002', metric: 'refund_rate' });
    // units exists for SKUs only; every chart metric has a shop scope.
    expect(CHART_METRICS).not.toContain('units');
    expect(CHART_METRICS.every((k) => METRIC_DEFS[k].scopes.includes('shop'))).toBe(true);
  });
});

describe('range → from/to on the device calendar, and the API query', () => {
  test('a preset is the last N days up to today, both included, across month and year ends', () => {
    expect(rangeOf({ range: '7d' }, TODAY)).toEqual({ from: '2025-03-08', to: '2025-03-14' });
    expect(rangeOf({ range: '30d' }, TODAY)).toEqual({ from: '2025-02-13', to: '2025-03-14' });
    expect(rangeOf({ range: '90d' }, TODAY)).toEqual({ from: '2024-12-15', to: '2025-03-14' });
    expect(rangeOf({ range: '7d' }, '2025-01-02')).toEqual({ from: '2024-12-27', to: '2025-01-02' });
    expect(rangeOf({ range: '30d' }, '2024-03-01')).toEqual({ from: '2024-02-01', to: '2024-03-01' }); // 2024-02-29 counts
  });

  test('a custom range is taken as it is; a broken one falls back to 7 days', () => {
    expect(rangeOf({ range: 'custom', from: '2025-01-01', to: '2025-01-31' }, TODAY)).toEqual({ from: '2025-01-01', to: '2025-01-31' });
    expect(rangeOf({ range: 'custom', from: '2025-01-31' }, TODAY)).toEqual({ from: '2025-03-08', to: '2025-03-14' });
    expect(earliestDay(TODAY)).toBe('2023-03-14');
  });

  test('the query has the shop only when one is chosen, and the granularity and limit asked for', () => {
    const filters: MetricFilters = { range: '7d', granularity: 'week', metric: 'gmv' };
    expect(metricsQuery(filters, TODAY, 'gmv', 'team')).toEqual({ metric: 'gmv', scope: 'team', from: '2025-03-08', to: '2025-03-14', granularity: 'week' });
    expect(metricsQuery({ ...filters, shop: '1001' }, TODAY, 'units', 'sku', { granularity: 'day', limit: 10 })).toEqual({
      metric: 'units',
      scope: 'sku',
      from: '2025-03-08',
      to: '2025-03-14',
      granularity: 'day',
      shop: '1001',
      limit: 10,
    });
  });

  test('each part reloads only for what it depends on', () => {
    const a = sectionKeys({ range: '7d', granularity: 'day', metric: 'gmv' }, TODAY);
    const otherMetric = sectionKeys({ range: '7d', granularity: 'week', metric: 'orders' }, TODAY);
    expect(otherMetric.kpis).toBe(a.kpis);
    expect(otherMetric.members).toBe(a.members);
    expect(otherMetric.chart).not.toBe(a.chart);
    const otherShop = sectionKeys({ range: '7d', granularity: 'day', metric: 'gmv', shop: '1' }, TODAY);
    expect(otherShop.kpis).not.toBe(a.kpis);
    // A new day moves a preset range.
    expect(sectionKeys({ range: '7d', granularity: 'day', metric: 'gmv' }, '2025-03-15').kpis).not.toBe(a.kpis);
  });
});

describe('the axis and its gaps', () => {
  test('weeks start on Monday (ISO), the first one before the range when it starts mid-week', () => {
    expect(weekOf('2025-03-14')).toBe('2025-03-10');
    expect(weekOf('2025-03-10')).toBe('2025-03-10');
    expect(weekOf('2025-03-16')).toBe('2025-03-10'); // Sunday
    expect(weekOf('2025-01-01')).toBe('2024-12-30');
    expect(weekOf('1970-01-01')).toBe('1969-12-29');
    expect(axisOf('2025-03-01', '2025-03-14', 'week')).toEqual(['2025-02-24', '2025-03-03', '2025-03-10']);
    expect(axisOf('2025-02-27', '2025-03-02', 'day')).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
    expect(axisOf('2025-03-02', '2025-03-01', 'day')).toEqual([]);
  });

  test('a day without rows is 0 for counts and money, a gap for rates and minutes', () => {
    const axis = ['2025-03-10', '2025-03-11', '2025-03-12'];
    const s = series('1', [['2025-03-11', 5]], 5);
    expect(valuesOn(s, axis, 'count')).toEqual([0, 5, 0]);
    expect(valuesOn(s, axis, 'money')).toEqual([0, 5, 0]);
    expect(valuesOn(s, axis, 'percent')).toEqual([null, 5, null]);
    expect(valuesOn(series('1', [['2025-03-10', null]], null), axis, 'minutes')).toEqual([null, null, null]);
    expect(emptyValue('count')).toBe(0);
    expect(emptyValue('minutes')).toBeNull();
  });
});

describe('KPI figures', () => {
  test('money: one figure per currency, each with its own trend; never added', () => {
    const gmv = answer('gmv', 'team', [
      series(
        'all',
        [
          ['2025-03-10', 100],
          ['2025-03-12', 50],
        ],
        150,
        { currency: 'SGD', label: '全部店铺' },
      ),
      series('all', [['2025-03-14', 4000]], 4000, { currency: 'MYR', label: '全部店铺' }),
    ]);
    expect(kpiFigures(gmv)).toEqual([
      { currency: 'SGD', total: 150, trend: [100, 0, 50, 0, 0] },
      { currency: 'MYR', total: 4000, trend: [0, 0, 0, 0, 4000] },
    ]);
  });

  test('a rate: its total as the server divided it, the trend with gaps', () => {
    const rate = answer('refund_rate', 'team', [
      series(
        'all',
        [
          ['2025-03-11', 0.1],
          ['2025-03-12', null],
        ],
        0.05,
      ),
    ]);
    expect(kpiFigures(rate)).toEqual([{ currency: null, total: 0.05, trend: [null, 0.1, null, null, null] }]);
  });

  test('nothing in the range: no figures, and the page says 暂无数据 only when every card is empty', () => {
    const empty = answer('orders', 'team', []);
    expect(kpiFigures(empty)).toEqual([]);
    expect(noFigures([empty, answer('gmv', 'team', []), null])).toBe(true);
    expect(noFigures([empty, answer('claim_minutes', 'team', [series('all', [], null)])])).toBe(false);
    expect(KPI_METRICS).toEqual(['gmv', 'orders', 'aov', 'refund_rate', 'on_time_rate', 'claim_minutes']);
    expect(KPI_METRICS.every((k) => METRIC_DEFS[k].scopes.includes('team'))).toBe(true);
  });
});

describe('charts by shop', () => {
  test('money: one chart per currency (by code), each with only its own shops; the axis is every day of the range', () => {
    const gmv = answer('gmv', 'shop', [
      series('1001', [['2025-03-10', 300]], 300, { currency: 'SGD', label: '星河旗舰店' }),
      series('2002', [['2025-03-11', 9000]], 9000, { currency: 'MYR', label: '星河 MY' }),
      series('3003', [['2025-03-14', 20]], 20, { currency: 'SGD', label: '' }),
    ]);
    const groups = chartGroups(gmv);
    expect(groups.map((g) => [g.currency, g.lines.map((l) => l.name)])).toEqual([
      ['MYR', ['星河 MY']],
      ['SGD', ['星河旗舰店', '3003']],
    ]);
    expect(groups[1]!.axis).toEqual(['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14']);
    expect(groups[1]!.lines[0]!.values).toEqual([300, 0, 0, 0, 0]);
    expect(groups[0]!.lines[0]!.values).toEqual([0, 9000, 0, 0, 0]);
  });

  test('other units: one chart with every shop; weeks on a week axis', () => {
    const orders = answer(
      'orders',
      'shop',
      [
        series(
          '1',
          [
            ['2025-03-03', 7],
            ['2025-03-10', 3],
          ],
          10,
        ),
        series('2', [['2025-03-10', 1]], 1),
      ],
      {
        granularity: 'week',
        from: '2025-03-01',
        to: '2025-03-14',
      },
    );
    const groups = chartGroups(orders);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ currency: null, axis: ['2025-02-24', '2025-03-03', '2025-03-10'] });
    expect(groups[0]!.lines.map((l) => l.values)).toEqual([
      [0, 7, 3],
      [0, 0, 1],
    ]);
    expect(chartGroups(answer('orders', 'shop', []))).toEqual([]);
  });

  test('the shop picker: listed and seen shops once, by name, only where the member may read figures', () => {
    const seen = shopsIn(answer('gmv', 'shop', [series('3003', [], 0, { label: '星河 ID' }), series('1001', [], 0, { label: '旧名' })]));
    expect(seen).toEqual([
      { shopId: '3003', name: '星河 ID' },
      { shopId: '1001', name: '旧名' },
    ]);
    expect(shopsIn(answer('units', 'sku', [series('SKU-1', [], 1)]))).toEqual([]);
    const listed = [
      { shopId: '1001', name: '星河旗舰店' },
      { shopId: '2002', name: 'Another' },
    ];
    expect(shopOptions(listed, seen, (id) => id !== '2002')).toEqual([
      { shopId: '3003', name: '星河 ID' },
      { shopId: '1001', name: '星河旗舰店' },
    ]);
  });
});

describe('成员 and SKUs', () => {
  test('members: both answers joined by userid, most claims first, then the quicker', () => {
    const claimed = answer('claimed_orders', 'member', [
      series('lina', [], 12, { label: '李娜' }),
      series('zhaolei', [], 12, { label: '赵磊' }),
      series('xuli', [], 3, { label: '徐丽' }),
    ]);
    const minutes = answer('claim_minutes', 'member', [
      series('zhaolei', [], 4.5, { label: '赵磊' }),
      series('lina', [], 9, { label: '李娜' }),
      series('gone', [], 30, { label: 'gone' }),
    ]);
    expect(memberRows(claimed, minutes)).toEqual([
      { userid: 'zhaolei', name: '赵磊', claimed: 12, minutes: 4.5 },
      { userid: 'lina', name: '李娜', claimed: 12, minutes: 9 },
      { userid: 'xuli', name: '徐丽', claimed: 3, minutes: null },
      { userid: 'gone', name: 'gone', claimed: 0, minutes: 30 },
    ]);
    expect(memberRows(null, null)).toEqual([]);
  });

  test('SKUs: by units, GMV per currency (largest first), at most the limit', () => {
    const units = answer('units', 'sku', [series('A', [], 5), series('B', [], 20), series('C', [], 5)]);
    const gmv = answer('gmv', 'sku', [
      series('A', [], 50, { currency: 'SGD' }),
      series('A', [], 900, { currency: 'MYR' }),
      series('C', [], 80, { currency: 'SGD' }),
    ]);
    expect(skuRows(units, gmv)).toEqual([
      { sku: 'B', units: 20, gmv: [] },
      {
        sku: 'A',
        units: 5,
        gmv: [
          { currency: 'MYR', total: 900 },
          { currency: 'SGD', total: 50 },
        ],
      },
      { sku: 'C', units: 5, gmv: [{ currency: 'SGD', total: 80 }] },
    ]);
    expect(skuRows(units, gmv, 1).map((r) => r.sku)).toEqual(['B']);
  });
});

describe('numbers in the UI language', () => {
  const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

  test('money always with its currency code and its own decimals; compact only when asked, from 100,000', () => {
    expect(plain(formatMoney(1234.5, 'SGD', 'zh-CN'))).toBe('SGD 1,234.50');
    expect(plain(formatMoney(1234.5, 'CNY', 'en'))).toBe('CNY 1,234.50');
    expect(plain(formatMoney(1234567, 'MYR', 'zh-CN', true))).toBe('MYR 123.5万');
    expect(plain(formatMoney(1234567, 'MYR', 'en', true))).toBe('MYR 1.2M');
    expect(plain(formatMoney(99999, 'SGD', 'en', true))).toBe('SGD 99,999.00');
    expect(formatMoney(12, 'not a code', 'en')).toBe('not a code 12');
    expect(moneyParts(1234.5, 'SGD', 'zh-CN')).toEqual({ currency: 'SGD', number: '1,234.50' });
    expect(moneyParts(250000, 'SGD', 'zh-CN', true)).toEqual({ currency: 'SGD', number: '25万' });
    expect(moneyParts(-5, 'SGD', 'en')).toEqual({ currency: 'SGD', number: '-5.00' });
  });

  test('counts, rates and minutes', () => {
    expect(formatCount(1234, 'zh-CN')).toBe('1,234');
    expect(formatCount(123456, 'zh-CN', true)).toBe('12.3万');
    expect(formatCount(123456, 'en', true)).toBe('123.5K');
    expect(formatPercent(0.9654, 'zh-CN')).toBe('96.5%');
    expect(formatPercent(0, 'en')).toBe('0%');
    expect(minutesParts(12.345)).toEqual({ h: 0, m: 12.3 });
    expect(minutesParts(65.4)).toEqual({ h: 1, m: 5 });
    expect(minutesParts(59.96)).toEqual({ h: 0, m: 60 }); // still under an hour as measured
    expect(minutesParts(600)).toEqual({ h: 10, m: 0 });
  });
});

describe('the KPI trend line', () => {
  test('scaled into the box, a gap where the value is undefined, a flat line in the middle', () => {
    expect(sparkPath([0, 10], 100, 20, 0)).toBe('M0 20 L100 0');
    expect(sparkPath([1, null, 3, 5], 30, 10, 0)).toBe('M0 10h0.1 M20 5 L30 0');
    expect(sparkPath([4, 4, 4], 100, 20, 0)).toBe('M0 10 L50 10 L100 10');
    expect(sparkPath([7], 100, 20, 0)).toBe('M50 10h0.1');
    expect(sparkPath([null, null], 100, 20)).toBe('');
    expect(sparkPath([], 100, 20)).toBe('');
  });
});

describe('ECharts options', () => {
  test('a trend: a line per shop, a legend only for several, tooltips through the formatter, gaps kept', () => {
    const one = trendOption({
      categories: ['03-10', '03-11'],
      lines: [{ key: '1', name: '星河旗舰店', values: [1, null] }],
      format: (v) => `¥${v}`,
      axisFormat: String,
    });
    expect(one.legend).toEqual({ show: false });
    expect(one.series).toHaveLength(1);
    expect(one.series[0]).toMatchObject({ type: 'line', name: '星河旗舰店', data: [1, null], connectNulls: false });
    expect(one.xAxis.data).toEqual(['03-10', '03-11']);
    expect(one.tooltip.valueFormatter(1.5)).toBe('¥1.5');
    expect(one.tooltip.valueFormatter(null)).toBe('—');

    const two = trendOption({
      categories: ['03-10'],
      lines: [
        { key: '1', name: 'A', values: [1] },
        { key: '2', name: 'B', values: [2] },
      ],
      format: String,
      axisFormat: (v) => `${v * 100}%`,
      fromZero: true,
    });
    expect(two.legend).toMatchObject({ type: 'scroll' });
    expect(two.yAxis.scale).toBe(false);
    expect(two.yAxis.axisLabel.formatter(0.5)).toBe('50%');
  });

  test('a ranking: best on top (ECharts draws categories bottom-up), values at the bars', () => {
    const option = rankingOption({ names: ['赵磊', '李娜', '徐丽'], values: [12, 9, 3], seriesName: '认领订单数', format: (v) => `${v} 单` });
    expect(option.yAxis.data).toEqual(['徐丽', '李娜', '赵磊']);
    expect(option.series[0]!.data).toEqual([3, 9, 12]);
    expect(option.series[0]!.label.formatter({ value: 12 })).toBe('12 单');
    expect(rankingHeight(0)).toBe(96);
    expect(rankingHeight(10)).toBe(296);
  });
});
