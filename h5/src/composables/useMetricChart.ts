import { defineAsyncComponent, h } from 'vue';
import ChartPlaceholder from '@/components/metrics/ChartPlaceholder.vue';

/**
 * The 数据 page's chart as a lazy component: MetricChart.vue and ECharts are one chunk, fetched when the page first
 * shows a chart (never with the home page), with a loading and a failed state of its own.
 */
export const LazyMetricChart = defineAsyncComponent({
  loader: () => import('@/components/metrics/MetricChart.vue'),
  loadingComponent: () => h(ChartPlaceholder),
  errorComponent: () => h(ChartPlaceholder, { failed: true }),
  delay: 0,
});
