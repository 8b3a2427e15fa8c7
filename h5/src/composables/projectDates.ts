import type { Priority, ProjectTemplate } from '@shopcrew/shared';

/**
 * Calendar days as the projects API has them, `YYYY-MM-DD` (the corp's day; a task runs from its start day to its due day,
 * both included), and the templates' `D-14` offsets from a D day. Days are counted as whole numbers (days since
 * 1970-01-01, time zone free), so no daylight-saving hour or UTC offset can move one. Pure, so test/unit/h5/projects.test.ts
 * runs them as they are.
 */

const DAY_MS = 86_400_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Days since 1970-01-01 of `YYYY-MM-DD`; NaN for anything else (2026-02-30 included). */
export function dayIndex(day: string): number {
  const m = DAY_RE.exec(day);
  if (!m) return Number.NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return Number.NaN;
  return Math.round(ms / DAY_MS);
}

/** A real calendar day written `YYYY-MM-DD`. */
export const isDay = (text: unknown): text is string => typeof text === 'string' && Number.isFinite(dayIndex(text));

/** `YYYY-MM-DD` of a day number. */
export function dayFromIndex(index: number): string {
  const d = new Date(index * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export const addDays = (day: string, n: number): string => dayFromIndex(dayIndex(day) + n);

/** `to` minus `from`, in days (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => dayIndex(to) - dayIndex(from);

/** How many days a task from `start` to `due` takes, both included (a milestone: 1). */
export const spanDays = (start: string, due: string): number => daysBetween(start, due) + 1;

/** The earlier / later of two days. */
export const minDay = (a: string, b: string): string => (dayIndex(a) <= dayIndex(b) ? a : b);
export const maxDay = (a: string, b: string): string => (dayIndex(a) >= dayIndex(b) ? a : b);

/** The local calendar day a Date falls on (a date picker's answer, a Gantt bar's new start). */
export const dayOf = (date: Date): string => `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** Today on this device (staff work in the corp's time zone; the server decides what is late). */
export const todayDay = (now: number = Date.now()): string => dayOf(new Date(now));

/** Local midnight of a day, for Vant's date pickers. */
export function dateOfDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

/** `11-05` in the year of `today`, else `2025-11-05`. */
export const shortDay = (day: string, today: string): string => (day.slice(0, 4) === today.slice(0, 4) ? day.slice(5) : day);

/** `11-01 ~ 11-05`; one day once: `11-11`. */
export const dayRange = (start: string, due: string, today: string): string =>
  start === due ? shortDay(start, today) : `${shortDay(start, today)} ~ ${shortDay(due, today)}`;

// ---- templates: `D-14`, `D`, `D+3` from the D day ----

const OFFSET_RE = /^D(?:([+-])(\d{1,3}))?$/;

/** `D-14` → -14, `D` → 0, `D+3` → 3; null for anything else. */
export function parseOffset(text: string): number | null {
  const m = OFFSET_RE.exec(text.trim());
  if (!m) return null;
  if (!m[1]) return 0;
  const n = Number(m[2]);
  return m[1] === '-' ? -n : n;
}

/** The day an offset names from `dDay`; null when either will not do. */
export function offsetDay(dDay: string, offset: string): string | null {
  const n = parseOffset(offset);
  return n === null || !isDay(dDay) ? null : addDays(dDay, n);
}

export interface PreviewTask {
  /** The template task's index (what `dependsOn` counts). */
  index: number;
  title: string;
  start: string;
  due: string;
  priority: Priority;
  role: string | null;
  dependsOn: number[];
  milestone: boolean;
}

/**
 * The template's tasks with their days for a D day (the project's end), as the server will create them. A task whose
 * offsets do not read falls on the D day. Null when the D day is not a day.
 */
export function templatePreview(template: Pick<ProjectTemplate, 'tasks'>, dDay: string): PreviewTask[] | null {
  if (!isDay(dDay)) return null;
  return template.tasks.map((task, index) => {
    const start = offsetDay(dDay, task.start) ?? dDay;
    const due = maxDay(start, offsetDay(dDay, task.due) ?? dDay);
    return { index, title: task.title, start, due, priority: task.priority, role: task.role, dependsOn: [...task.dependsOn], milestone: task.milestone };
  });
}

/** The first start and the last due day of some tasks; null for none. */
export function daySpan(tasks: readonly { start: string; due: string }[]): { start: string; end: string } | null {
  if (!tasks.length) return null;
  let start = tasks[0]!.start;
  let end = tasks[0]!.due;
  for (const task of tasks) {
    start = minDay(start, task.start);
    end = maxDay(end, task.due);
  }
  return { start, end };
}
