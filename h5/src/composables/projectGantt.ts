import type { TaskView } from '@shopcrew/shared';
import { addDays, dayIndex, dayOf, daySpan, maxDay, minDay } from './projectDates';
import { sortByStart } from './projects';

/**
 * A project's tasks as frappe-gantt's bars (components/projects/GanttChart.vue), and a dragged bar back as the move it asks
 * for. Pure, so test/unit/h5/projects.test.ts runs them as they are.
 */

/** One bar, in frappe-gantt's task shape. */
export interface GanttBar {
  id: string;
  /** frappe-gantt writes the label with innerHTML: always escaped here. */
  name: string;
  /** YYYY-MM-DD; a date without a time counts as the whole day, so `end` is the due day itself. */
  start: string;
  end: string;
  progress: number;
  dependencies: string[];
  /** One class token (frappe-gantt adds it with classList.add): `gb`, then `-late`, `-crit`, `-done`, `-ms` as they apply. */
  custom_class: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for innerHTML. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The bar's class: red when late, highlighted on the critical path, green when done, a milestone's own look. */
export function barClass(task: Pick<TaskView, 'late' | 'critical' | 'state' | 'milestone'>): string {
  const done = task.state === 'done';
  return ['gb', !done && task.late ? 'late' : '', task.critical ? 'crit' : '', done ? 'done' : '', task.milestone ? 'ms' : ''].filter(Boolean).join('-');
}

/** The bars, one row per task by start day; arrows only between tasks of the chart. */
export function ganttBars(tasks: readonly TaskView[]): GanttBar[] {
  const ids = new Set(tasks.map((t) => t.id));
  return sortByStart(tasks).map((task) => ({
    id: String(task.id),
    name: escapeHtml(task.milestone ? `◆ ${task.title}` : task.title),
    start: task.start,
    end: task.due,
    progress: task.state === 'done' ? 100 : Math.max(0, Math.min(100, task.progress)),
    dependencies: task.dependsOn.filter((id) => ids.has(id)).map(String),
    custom_class: barClass(task),
  }));
}

export interface BarMove {
  taskId: number;
  start: string;
  due: string;
}

/** A bar dropped at new dates (frappe-gantt's on_date_change: the first moment, and the last second of the last day). */
export const barMove = (id: string, start: Date, end: Date): BarMove => ({ taskId: Number(id), start: dayOf(start), due: dayOf(end) });

/** Whether the drop changes the task (a bar let go where it was is not a move). */
export const isRealMove = (move: BarMove, task: Pick<TaskView, 'start' | 'due'> | undefined): boolean =>
  !!task && (move.start !== task.start || move.due !== task.due) && dayIndex(move.due) >= dayIndex(move.start);

/**
 * Where the chart opens (its first day on the left). Today within the tasks' days: a few days before today; and when
 * unfinished tasks are late, early enough to show where the latest of them ends (red), as long as today stays in the
 * `visibleDays` the chart shows at once (a phone shows two weeks or so). Otherwise the day before the first task.
 */
export function scrollTarget(
  tasks: readonly (Pick<TaskView, 'start' | 'due'> & Partial<Pick<TaskView, 'late' | 'state'>>)[],
  today: string,
  visibleDays = 0,
): string {
  const span = daySpan(tasks);
  if (!span) return today;
  const t = dayIndex(today);
  if (t < dayIndex(span.start) || t > dayIndex(span.end)) return addDays(span.start, -1);
  let first = addDays(today, -3);
  const late = tasks.filter((task) => task.late && task.state !== 'done');
  if (late.length && visibleDays > 0) {
    const lateEnd = late.reduce((end, task) => maxDay(end, task.due), late[0]!.due);
    first = minDay(first, maxDay(addDays(lateEnd, -2), addDays(today, -Math.max(3, Math.floor(visibleDays) - 3))));
  }
  return maxDay(first, addDays(span.start, -1));
}

/**
 * The month over the days in the chart's header: `12月` (`2027年1月` in January, so a year's turn shows), `Dec`
 * (`Jan 2027`). frappe-gantt finds the month under the scroll position by this text, so it depends on the day alone.
 */
export function monthLabel(date: Date, language: string): string {
  const month = date.getMonth() + 1;
  if (language.startsWith('zh')) return month === 1 ? `${date.getFullYear()}年1月` : `${month}月`;
  const name = date.toLocaleString('en', { month: 'short' });
  return month === 1 ? `${name} ${date.getFullYear()}` : name;
}

/** Drag only with a fine pointer on a wide screen: on a phone (or a touch screen) the chart is for reading and tapping. */
export const canDragOn = (screen: { width: number; coarsePointer: boolean }): boolean => !screen.coarsePointer && screen.width >= 768;
