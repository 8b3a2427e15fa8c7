import type { TaskView } from '@shopcrew/shared';
import { dayFromIndex, dayIndex } from '@/composables/projectDates';

/**
 * The phone's Gantt chart (PhoneGantt.vue) laid out once per project answer: one row per task by start day, as the
 * desktop's frappe-gantt chart has them, each bar in whole day columns from the chart's first day, and the
 * dependencies as row numbers both ways. The component then draws only the rows (and the header's days) near what is
 * on screen, so a project of 2,000 tasks costs the phone the same few dozen bars as one of 20. Pure, no DOM.
 */

/** A row's height (a 24 px bar with 7 px above and below), and the bar's. */
export const ROW_HEIGHT = 38;
export const BAR_HEIGHT = 24;
export const BAR_TOP = (ROW_HEIGHT - BAR_HEIGHT) / 2;
/** Days shown before the first task and after the last (frappe-gantt's Day view pads the same). */
export const PAD_DAYS = 7;

export interface PhoneRow {
  id: number;
  /** The bar's text: the title, a milestone's with ◆ in front. */
  label: string;
  /** For screen readers: the title and its days. */
  aria: string;
  /** Day columns from the chart's first day: the bar covers [startCol, endCol). */
  startCol: number;
  endCol: number;
  /** 0–100 (a done task: 100). */
  progress: number;
  late: boolean;
  critical: boolean;
  done: boolean;
  milestone: boolean;
  /** Rows of the tasks it waits for (only tasks of the chart). */
  after: number[];
}

export interface PhoneLayout {
  rows: PhoneRow[];
  /** For each row, the rows that wait for it. */
  before: number[][];
  /** Day index (days since 1970-01-01) of the chart's first column. */
  firstDay: number;
  /** How many day columns the chart has. */
  days: number;
}

/** The rows by start day, then due day, then id (the task list's and the desktop chart's order). */
export function phoneLayout(tasks: readonly TaskView[]): PhoneLayout {
  const dated = tasks.map((task) => ({ task, start: dayIndex(task.start), due: dayIndex(task.due) }));
  dated.sort((a, b) => a.start - b.start || a.due - b.due || a.task.id - b.task.id);
  if (!dated.length) return { rows: [], before: [], firstDay: 0, days: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (const d of dated) {
    min = Math.min(min, d.start);
    max = Math.max(max, d.due, d.start);
  }
  const firstDay = min - PAD_DAYS;
  const rowOf = new Map(dated.map((d, i) => [d.task.id, i]));
  const before: number[][] = dated.map(() => []);
  const rows = dated.map(({ task, start, due }, i): PhoneRow => {
    const after: number[] = [];
    for (const id of task.dependsOn) {
      const r = rowOf.get(id);
      if (r === undefined || r === i) continue;
      after.push(r);
      before[r]!.push(i);
    }
    const done = task.state === 'done';
    return {
      id: task.id,
      label: task.milestone ? `◆ ${task.title}` : task.title,
      aria: `${task.title} ${task.start} → ${task.due}`,
      startCol: start - firstDay,
      endCol: Math.max(due, start) - firstDay + 1,
      progress: done ? 100 : Math.max(0, Math.min(100, task.progress)),
      late: !done && task.late,
      critical: task.critical,
      done,
      milestone: task.milestone,
      after,
    };
  });
  return { rows, before, firstDay, days: max + PAD_DAYS - firstDay + 1 };
}

/** The rows to draw, [from, to): those within `height` px of the top at `scrollTop`, `overscan` more on each side. */
export function rowWindow(scrollTop: number, height: number, total: number, overscan = 8): [number, number] {
  const first = Math.floor(Math.max(0, scrollTop) / ROW_HEIGHT);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, height)) / ROW_HEIGHT);
  return [Math.max(0, Math.min(total, first - overscan)), Math.max(0, Math.min(total, last + overscan))];
}

/** Which day columns to draw the header for, [from, to), with a few more on each side. */
export function columnWindow(scrollLeft: number, width: number, columnWidth: number, days: number, overscan = 4): [number, number] {
  const first = Math.floor(Math.max(0, scrollLeft) / columnWidth);
  const last = Math.ceil((Math.max(0, scrollLeft) + Math.max(0, width)) / columnWidth);
  return [Math.max(0, Math.min(days, first - overscan)), Math.max(0, Math.min(days, last + overscan))];
}

/**
 * The dependency arrows to draw for rows [from, to): every arrow with one end in them (its other end may be off
 * screen), each once, as [row it starts from, row it points at].
 */
export function visibleArrows(layout: PhoneLayout, from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let r = from; r < to; r++) {
    for (const p of layout.rows[r]!.after) out.push([p, r]);
    for (const s of layout.before[r]!) if (s < from || s >= to) out.push([r, s]);
  }
  return out;
}

/**
 * An arrow from the bar of row `a` to the start of row `b`'s bar: down (or up) from under the first, then across into
 * the second's left end; when the second starts before the first's arrow could come down, it goes round along the
 * row line above (below) the second.
 */
export function arrowPath(a: PhoneRow, aRow: number, b: PhoneRow, bRow: number, columnWidth: number): string {
  const aStart = a.startCol * columnWidth;
  const aEnd = a.endCol * columnWidth;
  const bStart = b.startCol * columnWidth;
  const down = bRow >= aRow;
  const sx = Math.round(Math.max(aStart + 6, Math.min(aEnd - 6, bStart - 12, aStart + (aEnd - aStart) / 2)));
  const sy = aRow * ROW_HEIGHT + (down ? BAR_TOP + BAR_HEIGHT : BAR_TOP);
  const ty = bRow * ROW_HEIGHT + ROW_HEIGHT / 2;
  const tx = bStart - 2;
  if (tx - sx >= 8) return `M${sx},${sy}V${ty}H${tx}`;
  const lane = down ? bRow * ROW_HEIGHT + 2 : (bRow + 1) * ROW_HEIGHT - 2;
  return `M${sx},${sy}V${lane}H${tx - 10}V${ty}H${tx}`;
}

/** About how wide `text` is at 12 px (CJK and full-width signs 12 px, the rest about 7 px), without measuring it. */
export function labelWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0)! >= 0x2e80 ? 12 : 7;
  return w;
}

/** The first column of every month that starts within [from, to), and the month the chart shows at `from`. */
export function monthStarts(firstDay: number, from: number, to: number): number[] {
  const cols: number[] = [];
  let col = from;
  // The month under `from`: back to its first day (or the chart's first column).
  const first = dayFromIndex(firstDay + from);
  cols.push(Math.max(0, from - (Number(first.slice(8, 10)) - 1)));
  while (col < to) {
    const day = dayFromIndex(firstDay + col);
    if (day.endsWith('-01') && col !== cols[0]) cols.push(col);
    col++;
  }
  return cols;
}

/**
 * The row to open at, once the chart shows the `count` columns from `firstCol`: the first late task whose bar is in
 * them, else the first task whose bar is (rows run by start day: in a long project the tasks of the days in view are
 * far down the list), else 0.
 */
export function openingRow(rows: readonly Pick<PhoneRow, 'startCol' | 'endCol' | 'late'>[], firstCol: number, count: number): number {
  const inView = (r: Pick<PhoneRow, 'startCol' | 'endCol'>) => r.endCol > firstCol && r.startCol < firstCol + count;
  const late = rows.findIndex((r) => r.late && inView(r));
  if (late >= 0) return late;
  return Math.max(0, rows.findIndex(inView));
}

/** The column of `day` (YYYY-MM-DD) in the chart. */
export const columnOf = (layout: Pick<PhoneLayout, 'firstDay'>, day: string): number => dayIndex(day) - layout.firstDay;
