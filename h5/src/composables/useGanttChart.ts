import { defineAsyncComponent, h } from 'vue';
import GanttPlaceholder from '@/components/projects/GanttPlaceholder.vue';
import { canDragOn } from './projectGantt';

/**
 * The Gantt chart as a lazy component: GanttChart.vue and frappe-gantt are one chunk, fetched the first time the 甘特图
 * view is shown (never with the home page or the task list), with a loading and a failed state of its own.
 */
export const LazyGanttChart = defineAsyncComponent({
  loader: () => import('@/components/projects/GanttChart.vue'),
  loadingComponent: () => h(GanttPlaceholder),
  errorComponent: () => h(GanttPlaceholder, { failed: true }),
  delay: 0,
});

/** Whether this screen drags bars: a fine pointer on a wide window (a phone only reads and taps). */
export function screenDrags(): boolean {
  if (typeof window === 'undefined') return false;
  const coarsePointer = typeof window.matchMedia === 'function' && window.matchMedia('(pointer: coarse)').matches;
  return canDragOn({ width: window.innerWidth, coarsePointer });
}
