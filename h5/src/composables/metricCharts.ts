import type { ChartLine } from './metrics';

/**
 * The 数据 page's ECharts options, built from what composables/metrics.ts makes of the API's answers: a trend (a line
 * per shop on the range's days or weeks) and a ranking (horizontal bars, the 成员 claims). Plain objects with the
 * formatters passed in, so they need neither ECharts nor messages: components/metrics/MetricChart.vue draws them, and
 * test/unit/h5/metrics.test.ts reads them. Only the pieces MetricChart.vue registers are used (line, bar, grid,
 * tooltip, legend).
 */

/** The lines' colours: the app's blue first, then colours that stay apart on a phone screen. */
export const CHART_COLORS = ['#1989fa', '#07c160', '#ff976a', '#7232dd', '#ee0a24', '#00b6c8', '#ed6a0c', '#8f959e'];

const TEXT = '#646a73';
const SPLIT = '#f2f3f5';
const AXIS = '#dcdee0';

type Formatter = (value: number) => string;

export interface TrendInput {
  /** The x-axis labels (days or weeks, as shown). */
  categories: string[];
  lines: ChartLine[];
  /** A value as the tooltip shows it (SGD 1,234.50, 96.5%, 12 分钟). */
  format: Formatter;
  /** A value on the y-axis (shorter: 1.2万, 95%). */
  axisFormat: Formatter;
  /** Start the y-axis at 0 (counts, money, rates); minutes too. */
  fromZero?: boolean;
}

/** Tooltip text of a value: '—' where the metric is undefined (a rate over nothing). */
const valueText = (format: Formatter) => (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? format(value) : '—');

/** A line per series on a category axis; a legend once there is more than one line; an axis tooltip, kept on screen. */
export function trendOption(input: TrendInput) {
  const legend = input.lines.length > 1;
  const dots = input.categories.length <= 31;
  return {
    color: CHART_COLORS,
    animationDuration: 300,
    textStyle: { fontFamily: 'inherit' },
    grid: { left: 4, right: 12, top: legend ? 36 : 12, bottom: 4, containLabel: true },
    legend: legend
      ? { type: 'scroll', top: 0, left: 0, right: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { color: TEXT, fontSize: 12 } }
      : { show: false },
    tooltip: { trigger: 'axis', confine: true, order: 'valueDesc', valueFormatter: valueText(input.format) },
    xAxis: {
      type: 'category',
      data: input.categories,
      boundaryGap: false,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: AXIS } },
      axisLabel: { color: TEXT, fontSize: 11, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      scale: !input.fromZero,
      splitNumber: 4,
      axisLabel: { color: TEXT, fontSize: 11, formatter: (value: number) => input.axisFormat(value) },
      splitLine: { lineStyle: { color: SPLIT } },
    },
    series: input.lines.map((line) => ({
      type: 'line',
      name: line.name,
      data: line.values,
      showSymbol: dots,
      symbolSize: 5,
      connectNulls: false,
      lineStyle: { width: 2 },
      emphasis: { focus: 'series' },
    })),
  };
}

export interface RankingInput {
  /** Best first (drawn top-down). */
  names: string[];
  values: number[];
  /** The series' name in the tooltip (认领订单数). */
  seriesName: string;
  format: Formatter;
}

/** Horizontal bars, best on top, each with its value at its end (the 成员 claims). */
export function rankingOption(input: RankingInput) {
  return {
    color: CHART_COLORS,
    animationDuration: 300,
    textStyle: { fontFamily: 'inherit' },
    grid: { left: 4, right: 36, top: 4, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, valueFormatter: valueText(input.format) },
    xAxis: { type: 'value', minInterval: 1, splitNumber: 3, axisLabel: { show: false }, splitLine: { lineStyle: { color: SPLIT } } },
    yAxis: {
      type: 'category',
      // ECharts draws a category axis bottom-up: reversed, the best is on top.
      data: [...input.names].reverse(),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: AXIS } },
      axisLabel: { color: TEXT, fontSize: 12, width: 72, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: input.seriesName,
        data: [...input.values].reverse(),
        barMaxWidth: 14,
        itemStyle: { borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: 'right', color: TEXT, fontSize: 11, formatter: (p: { value: unknown }) => valueText(input.format)(p.value) },
      },
    ],
  };
}

/** The ranking's height for `n` bars: 28 px a bar plus the frame, at least 96 px. */
export const rankingHeight = (n: number): number => Math.max(96, n * 28 + 16);
