/**
 * The part of frappe-gantt 1.2 (MIT, no typings of its own) that components/projects/GanttChart.vue uses, as its
 * src/index.js, bar.js and defaults.js have it.
 */
declare module 'frappe-gantt' {
  export interface FrappeTask {
    id: string;
    /** Written into the bar with innerHTML: escape it (composables/projectGantt.ts does). */
    name: string;
    /** `YYYY-MM-DD`, local time; an `end` without a time counts as that whole day. */
    start: string;
    end: string;
    /** 0–100. */
    progress?: number;
    /** Ids of the tasks it waits for (an arrow from each). */
    dependencies?: string[] | string;
    /** One class token for the bar's group (added with classList.add). */
    custom_class?: string;
  }

  export interface FrappeOptions {
    readonly?: boolean;
    readonly_dates?: boolean;
    readonly_progress?: boolean;
    /** An Intl locale for month names: `zh`, `en`. */
    language?: string;
    view_mode?: 'Day' | 'Week' | 'Month';
    view_mode_select?: boolean;
    today_button?: boolean;
    /** false: no popup on a bar. */
    popup?: false;
    popup_on?: 'click' | 'hover';
    /** false: the chart spans the tasks plus the view's padding, and never grows while scrolling. */
    infinite_padding?: boolean;
    /** Dragging a bar drags its dependants too (visually). */
    move_dependencies?: boolean;
    /** Where it opens: `today`, `start`, `end` or a date. */
    scroll_to?: string | null;
    column_width?: number;
    bar_height?: number;
    bar_corner_radius?: number;
    padding?: number;
    upper_header_height?: number;
    lower_header_height?: number;
    container_height?: number | 'auto';
    lines?: 'both' | 'vertical' | 'horizontal' | 'none';
    /** A bar clicked (or tapped). */
    on_click?: (task: FrappeTask) => void;
    /** A bar's dates while it is dragged or resized (each step, not only on release): start, and the last second of the end. */
    on_date_change?: (task: FrappeTask, start: Date, end: Date) => void;
  }

  export default class Gantt {
    constructor(wrapper: HTMLElement | SVGElement | string, tasks: FrappeTask[], options?: FrappeOptions);
    /** New tasks; the dates and scroll position are worked out again. */
    refresh(tasks: FrappeTask[]): void;
    readonly $container: HTMLElement;
    readonly $svg: SVGSVGElement;
    options: FrappeOptions;
  }
}
