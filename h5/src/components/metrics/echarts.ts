/**
 * ECharts, tree-shaken: the core and only what the 数据 page draws (line and bar charts on a grid, with a tooltip and a
 * legend, on a canvas). Imported by MetricChart.vue alone, itself a lazy chunk (composables/useMetricChart.ts), so
 * neither the home page nor any other page loads it.
 */
import { init, use } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export { init };
export type { ECharts, EChartsCoreOption } from 'echarts/core';
