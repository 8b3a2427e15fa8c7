import {
  PROJECT_STATES,
  SEARCH_KINDS,
  TASK_STATES,
  type OrderPerson,
  type Priority,
  type ProjectDetail,
  type ProjectInput,
  type ProjectPatch,
  type ProjectState,
  type ProjectSummary,
  type ProjectTemplate,
  type SearchHit,
  type SearchKind,
  type TaskInput,
  type TaskMoveResult,
  type TaskPatch,
  type TaskState,
  type TaskView,
} from '@shopcrew/shared';
import { addDays, dayIndex, daySpan, isDay, templatePreview } from './projectDates';
import { internalPath } from './sop';

/**
 * The rules behind the 项目 pages that need no Vue, no store and no messages: the list's filters ⇄ URL query, a project's
 * state actions, the task list's order and groups, a task's marks, the dependencies a task may have, 我的任务 by due day,
 * the task form ⇄ TaskInput / TaskPatch, 新建项目 (by hand, or from a template with owners per task as `taskOwners`), what a move takes
 * along, and the search's filters and groups. Pure, so test/unit/h5/projects.test.ts runs them as they are.
 */

type QueryValue = string | null | readonly (string | null)[] | undefined;

const first = (v: QueryValue): string | undefined => {
  const value = Array.isArray(v) ? v[0] : v;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

const isOne = <T extends string>(list: readonly T[], value: string | undefined): value is T => !!value && (list as readonly string[]).includes(value);

// ---- the list: filters ⇄ URL query (/projects?mine=1&state=active) ----

export interface ProjectFilters {
  /** 我负责的: projects the member owns (mine=1). */
  mine: boolean;
  state?: ProjectState;
}

/** `mine=1` (or the home link's `tab=mine`) and a known state; anything else is left out. */
export function filtersFromQuery(query: Readonly<Record<string, QueryValue>>): ProjectFilters {
  const state = first(query['state']);
  const mine = first(query['mine']) === '1' || first(query['tab']) === 'mine';
  return { mine, ...(isOne(PROJECT_STATES, state) ? { state } : {}) };
}

export function queryFromFilters(filters: ProjectFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.mine) query['mine'] = '1';
  if (filters.state) query['state'] = filters.state;
  return query;
}

export const filtersKey = (filters: ProjectFilters): string => JSON.stringify([filters.mine, filters.state ?? '']);

export const isFiltered = (filters: ProjectFilters): boolean => !!filters.state;

/** GET /api/projects's query for one page. */
export function listQuery(filters: ProjectFilters, cursor: string | null, limit: number): Record<string, string | number | undefined> {
  return { state: filters.state, mine: filters.mine ? 1 : undefined, cursor: cursor ?? undefined, limit };
}

/** A list row from a fresher detail. */
export function toProjectSummary(project: ProjectSummary): ProjectSummary {
  const { id, name, goal, shopId, owner, start, end, state, templateKey, progress, lateTasks, slipping, updatedAt } = project;
  return { id, name, goal, shopId, owner, start, end, state, templateKey, progress, lateTasks, slipping, updatedAt };
}

/** The progress bar's whole percentage, 0–100. */
export const percentOf = (progress: { percent: number }): number => Math.max(0, Math.min(100, Math.round(progress.percent || 0)));

// ---- a project's state: planning → active → done, cancelled from planning or active ----

export const PROJECT_TRANSITIONS: Readonly<Record<ProjectState, readonly ProjectState[]>> = {
  planning: ['active', 'cancelled'],
  active: ['done', 'cancelled'],
  done: [],
  cancelled: [],
};

/** The states a project may move to, for a member who may manage it. */
export function projectActions(project: Pick<ProjectDetail, 'state' | 'canManage'>): ProjectState[] {
  return project.canManage ? [...PROJECT_TRANSITIONS[project.state]] : [];
}

/** 完成 and 取消 ask first; 开始 does not. */
export const transitionNeedsConfirm = (to: ProjectState): boolean => to === 'done' || to === 'cancelled';

// ---- the task list ----

type Dated = Pick<TaskView, 'id' | 'start' | 'due'>;

/** By start day, then due day, then id (creation order). */
export const byStart = (a: Dated, b: Dated): number => dayIndex(a.start) - dayIndex(b.start) || dayIndex(a.due) - dayIndex(b.due) || a.id - b.id;

export const sortByStart = <T extends Dated>(tasks: readonly T[]): T[] => [...tasks].sort(byStart);

export const TASK_ORDERS = ['state', 'start'] as const;
export type TaskOrder = (typeof TASK_ORDERS)[number];

export interface TaskSection<T> {
  /** The state of the group; null for the one list sorted by start. */
  state: TaskState | null;
  tasks: T[];
}

/** 按状态: a group per state that has tasks (待开始, 进行中, 待验收, 已完成), each by start; 按开始时间: one list. */
export function taskSections<T extends Dated & Pick<TaskView, 'state'>>(tasks: readonly T[], order: TaskOrder): TaskSection<T>[] {
  const sorted = sortByStart(tasks);
  if (order === 'start') return sorted.length ? [{ state: null, tasks: sorted }] : [];
  return TASK_STATES.map((state) => ({ state, tasks: sorted.filter((t) => t.state === state) })).filter((s) => s.tasks.length > 0);
}

export const TASK_MARKS = ['late', 'blocking', 'critical', 'milestone'] as const;
export type TaskMark = (typeof TASK_MARKS)[number];

/** What a row flags, most urgent first: 逾期, 阻塞后续, 关键路径, 里程碑. A done task is neither late nor blocking. */
export function taskMarks(task: Pick<TaskView, 'late' | 'blocking' | 'critical' | 'milestone' | 'state'>): TaskMark[] {
  const open = task.state !== 'done';
  return TASK_MARKS.filter((mark) => (mark === 'late' || mark === 'blocking' ? open && task[mark] : task[mark]));
}

/** The tasks that wait for `id`, directly or through others. */
export function dependantsOf(tasks: readonly Pick<TaskView, 'id' | 'dependsOn'>[], id: number): Set<number> {
  const out = new Set<number>();
  const queue = [id];
  while (queue.length) {
    const current = queue.shift()!;
    for (const task of tasks) {
      if (task.dependsOn.includes(current) && !out.has(task.id) && task.id !== id) {
        out.add(task.id);
        queue.push(task.id);
      }
    }
  }
  return out;
}

/**
 * The tasks a task may wait for: every other task of the project except those that already wait for it (directly or
 * through others), which would close a loop (the server answers 422 dependency_cycle too). `taskId` null: a new task.
 */
export function dependencyChoices<T extends Dated & Pick<TaskView, 'dependsOn'>>(tasks: readonly T[], taskId: number | null): T[] {
  if (taskId === null) return sortByStart(tasks);
  const blocked = dependantsOf(tasks, taskId);
  return sortByStart(tasks.filter((t) => t.id !== taskId && !blocked.has(t.id)));
}

/** The titles of what a task waits for, in its order; ids not in the project are left out. */
export function dependencyTitles(task: Pick<TaskView, 'dependsOn'>, tasks: readonly Pick<TaskView, 'id' | 'title'>[]): { id: number; title: string }[] {
  return task.dependsOn.flatMap((id) => {
    const found = tasks.find((t) => t.id === id);
    return found ? [{ id, title: found.title }] : [];
  });
}

// ---- 我的任务: by due day ----

export const DUE_BUCKETS = ['late', 'today', 'week', 'later'] as const;
export type DueBucket = (typeof DUE_BUCKETS)[number];

/** 已逾期 (the server says so, or due before today), 今天到期, 7 天内, 以后. */
export function dueBucket(task: Pick<TaskView, 'due' | 'late'>, today: string): DueBucket {
  const days = dayIndex(task.due) - dayIndex(today);
  if (task.late || days < 0) return 'late';
  if (days === 0) return 'today';
  return days <= 7 ? 'week' : 'later';
}

export function groupByDue<T extends Dated & Pick<TaskView, 'late'>>(tasks: readonly T[], today: string): { bucket: DueBucket; tasks: T[] }[] {
  const sorted = [...tasks].sort((a, b) => dayIndex(a.due) - dayIndex(b.due) || byStart(a, b));
  return DUE_BUCKETS.map((bucket) => ({ bucket, tasks: sorted.filter((t) => dueBucket(t, today) === bucket) })).filter((g) => g.tasks.length > 0);
}

// ---- the task form ⇄ TaskInput / TaskPatch ----

export const TASK_TITLE_MAX = 100;
export const TASK_DESCRIPTION_MAX = 2000;

export interface TaskForm {
  title: string;
  description: string;
  owner: OrderPerson | null;
  collaborators: OrderPerson[];
  start: string;
  due: string;
  priority: Priority;
  milestone: boolean;
  dependsOn: number[];
  state: TaskState;
  /** 0–100. */
  progress: number;
}

export type TaskField = 'title' | 'description' | 'dates' | 'progress';

/** A new task: from `start` for `days` days (within the project when it has days), P2, nothing else. */
export function newTaskForm(start: string, days = 3): TaskForm {
  return {
    title: '',
    description: '',
    owner: null,
    collaborators: [],
    start,
    due: addDays(start, Math.max(0, days - 1)),
    priority: 'P2',
    milestone: false,
    dependsOn: [],
    state: 'todo',
    progress: 0,
  };
}

export function formFromTask(task: TaskView): TaskForm {
  return {
    title: task.title,
    description: task.description,
    owner: task.owner,
    collaborators: [...task.collaborators],
    start: task.start,
    due: task.due,
    priority: task.priority,
    milestone: task.milestone,
    dependsOn: [...task.dependsOn],
    state: task.state,
    progress: task.progress,
  };
}

/** A milestone is one day: its due day is its start. */
export const formDates = (form: Pick<TaskForm, 'start' | 'due' | 'milestone'>): { start: string; due: string } => ({
  start: form.start,
  due: form.milestone ? form.start : form.due,
});

function taskFormErrors(form: TaskForm): TaskField[] {
  const errors: TaskField[] = [];
  const title = form.title.trim();
  if (!title || title.length > TASK_TITLE_MAX) errors.push('title');
  if (form.description.trim().length > TASK_DESCRIPTION_MAX) errors.push('description');
  const { start, due } = formDates(form);
  if (!isDay(start) || !isDay(due) || dayIndex(due) < dayIndex(start)) errors.push('dates');
  if (!Number.isInteger(form.progress) || form.progress < 0 || form.progress > 100) errors.push('progress');
  return errors;
}

const userids = (people: readonly OrderPerson[]): string[] => [...new Set(people.map((p) => p.userid))];

/** POST /api/projects/:id/tasks's body, or every field that will not do. */
export function taskInput(form: TaskForm): { input: TaskInput } | { errors: TaskField[] } {
  const errors = taskFormErrors(form);
  if (errors.length) return { errors };
  const description = form.description.trim();
  const input: TaskInput = {
    title: form.title.trim(),
    ...formDates(form),
    priority: form.priority,
    ...(description ? { description } : {}),
    ...(form.owner ? { owner: form.owner.userid } : {}),
    ...(form.collaborators.length ? { collaborators: userids(form.collaborators) } : {}),
    ...(form.milestone ? { milestone: true } : {}),
    ...(form.dependsOn.length ? { dependsOn: [...new Set(form.dependsOn)] } : {}),
  };
  return { input };
}

const sameSet = (a: readonly (string | number)[], b: readonly (string | number)[]) => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
};

/**
 * What saving the form changes on `task`: PATCH /api/tasks/:id's body with only what differs, and the new days when they
 * differ (those go through POST /api/tasks/:id/move, which may take dependants along). Or every field that will not do.
 */
export interface TaskChanges {
  patch: TaskPatch;
  /** New days, for POST /api/tasks/:id/move; null when they stay. */
  dates: { start: string; due: string } | null;
}

export function taskChanges(form: TaskForm, task: TaskView): TaskChanges | { errors: TaskField[] } {
  const errors = taskFormErrors(form);
  if (errors.length) return { errors };
  const patch: TaskPatch = {};
  const title = form.title.trim();
  const description = form.description.trim();
  if (title !== task.title) patch.title = title;
  if (description !== task.description) patch.description = description;
  if ((form.owner?.userid ?? null) !== (task.owner?.userid ?? null)) patch.owner = form.owner?.userid ?? null;
  if (!sameSet(userids(form.collaborators), userids(task.collaborators))) patch.collaborators = userids(form.collaborators);
  if (form.priority !== task.priority) patch.priority = form.priority;
  if (form.milestone !== task.milestone) patch.milestone = form.milestone;
  if (!sameSet(form.dependsOn, task.dependsOn)) patch.dependsOn = [...new Set(form.dependsOn)];
  if (form.state !== task.state) patch.state = form.state;
  if (form.progress !== task.progress) patch.progress = form.progress;
  const next = formDates(form);
  const dates = next.start !== task.start || next.due !== task.due ? next : null;
  return { patch, dates };
}

export const isEmptyPatch = (patch: object): boolean => Object.keys(patch).length === 0;

/** The dependants a move takes along (the answer lists the task itself first). */
export const followersOf = (result: Pick<TaskMoveResult, 'moved'>, taskId: number) => result.moved.filter((m) => m.id !== taskId);

// ---- 新建项目 / 编辑项目 ----

export const PROJECT_NAME_MAX = 64;
export const PROJECT_GOAL_MAX = 500;

export type ProjectMode = 'manual' | 'template';

export interface ProjectForm {
  mode: ProjectMode;
  name: string;
  goal: string;
  /** null: the member creating it. */
  owner: OrderPerson | null;
  /** By hand: the project's days. */
  start: string;
  end: string;
  /** From a template: which, and its D day (the project's end). */
  templateKey: string | null;
  dDay: string;
  /** A template task's index → who owns it (optional). */
  taskOwners: Record<number, OrderPerson>;
}

export type ProjectField = 'name' | 'goal' | 'dates' | 'template' | 'dDay';

/** A new project: by hand from today for two weeks; from a template its D day a month away. */
export function newProjectForm(today: string): ProjectForm {
  return {
    mode: 'manual',
    name: '',
    goal: '',
    owner: null,
    start: today,
    end: addDays(today, 13),
    templateKey: null,
    dDay: addDays(today, 30),
    taskOwners: {},
  };
}

function nameGoalErrors(form: Pick<ProjectForm, 'name' | 'goal'>): ProjectField[] {
  const errors: ProjectField[] = [];
  const name = form.name.trim();
  if (!name || name.length > PROJECT_NAME_MAX) errors.push('name');
  if (form.goal.trim().length > PROJECT_GOAL_MAX) errors.push('goal');
  return errors;
}

const validSpan = (start: string, end: string) => isDay(start) && isDay(end) && dayIndex(end) >= dayIndex(start);

/**
 * POST /api/projects's body, or every field that will not do. From a template the project ends on the D day and starts
 * with its first task, and the owners picked for its tasks go along as `taskOwners` (template index → userid), so the
 * project and its owned tasks are made in one request.
 */
export function projectInput(form: ProjectForm, template: Pick<ProjectTemplate, 'key' | 'tasks'> | null): { input: ProjectInput } | { errors: ProjectField[] } {
  const errors = nameGoalErrors(form);
  const goal = form.goal.trim();
  const base = { name: form.name.trim(), ...(goal ? { goal } : {}), ...(form.owner ? { owner: form.owner.userid } : {}) };
  if (form.mode === 'manual') {
    if (!validSpan(form.start, form.end)) errors.push('dates');
    return errors.length ? { errors } : { input: { ...base, start: form.start, end: form.end } };
  }
  if (!template || template.key !== form.templateKey) errors.push('template');
  const preview = template ? templatePreview(template, form.dDay) : null;
  if (!isDay(form.dDay)) errors.push('dDay');
  if (errors.length || !template || !preview) return { errors };
  const span = daySpan(preview);
  const start = span && dayIndex(span.start) < dayIndex(form.dDay) ? span.start : form.dDay;
  const taskOwners = templateOwners(form.taskOwners, template.tasks.length);
  return { input: { ...base, start, end: form.dDay, templateKey: template.key, ...(taskOwners ? { taskOwners } : {}) } };
}

/** The owners picked for a template's tasks as ProjectInput's `taskOwners` (`{"1": "wangfang"}`), by index in order; null for none. */
export function templateOwners(owners: Readonly<Record<number, OrderPerson>>, count: number): Record<string, string> | null {
  const entries = Object.entries(owners)
    .map(([index, person]) => [Number(index), person.userid] as const)
    .filter(([index, userid]) => Number.isInteger(index) && index >= 0 && index < count && !!userid)
    .sort((a, b) => a[0] - b[0]);
  return entries.length ? Object.fromEntries(entries.map(([index, userid]) => [String(index), userid])) : null;
}

export function formFromProject(project: ProjectSummary): ProjectForm {
  return { ...newProjectForm(project.start), name: project.name, goal: project.goal, owner: project.owner, start: project.start, end: project.end };
}

/** PUT /api/projects/:id's body with only what differs, or every field that will not do. */
export function projectChanges(form: ProjectForm, project: ProjectSummary): { patch: ProjectPatch } | { errors: ProjectField[] } {
  const errors = nameGoalErrors(form);
  if (!validSpan(form.start, form.end)) errors.push('dates');
  if (errors.length) return { errors };
  const patch: ProjectPatch = {};
  const name = form.name.trim();
  const goal = form.goal.trim();
  if (name !== project.name) patch.name = name;
  if (goal !== project.goal) patch.goal = goal;
  if (form.owner && form.owner.userid !== project.owner.userid) patch.owner = form.owner.userid;
  if (form.start !== project.start) patch.start = form.start;
  if (form.end !== project.end) patch.end = form.end;
  return { patch };
}

// ---- 搜索: filters ⇄ URL query (/search?q=主图&kind=task), results by kind ----

export interface SearchFilters {
  q: string;
  kind?: SearchKind;
}

export const SEARCH_QUERY_MAX = 100;

export function searchFromQuery(query: Readonly<Record<string, QueryValue>>): SearchFilters {
  const q = (first(query['q']) ?? '').slice(0, SEARCH_QUERY_MAX);
  const kind = first(query['kind']);
  return { q, ...(isOne(SEARCH_KINDS, kind) ? { kind } : {}) };
}

export function queryFromSearch(filters: SearchFilters): Record<string, string> {
  const query: Record<string, string> = {};
  const q = filters.q.trim();
  if (q) query['q'] = q;
  if (filters.kind) query['kind'] = filters.kind;
  return query;
}

export const searchKey = (filters: SearchFilters): string => JSON.stringify([filters.q.trim(), filters.kind ?? '']);

/** GET /api/search's query for one page. */
export function searchQuery(filters: SearchFilters, cursor: string | null, limit: number): Record<string, string | number | undefined> {
  return { q: filters.q.trim(), kind: filters.kind, cursor: cursor ?? undefined, limit };
}

/** Hits by kind (项目, 任务, 评论, 文件), newest first within each; kinds without hits are left out. */
export function groupHits<T extends Pick<SearchHit, 'kind'>>(items: readonly T[]): { kind: SearchKind; hits: T[] }[] {
  return SEARCH_KINDS.map((kind) => ({ kind, hits: items.filter((h) => h.kind === kind) })).filter((g) => g.hits.length > 0);
}

/** Where a hit opens: the server's path when it is one of ours, else the task's or the project's page. */
export function hitPath(hit: Pick<SearchHit, 'link' | 'projectId' | 'taskId'>): string {
  return internalPath(hit.link) ?? (hit.taskId !== null ? `/tasks/${hit.taskId}` : `/projects/${hit.projectId}`);
}

/** A snippet split at each word of the query (case-insensitive), for marking them. */
export function markWords(text: string, q: string): { text: string; hit: boolean }[] {
  const words = [...new Set(q.trim().split(/\s+/).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (!words.length || !text) return text ? [{ text, hit: false }] : [];
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const parts = text.split(new RegExp(`(${escaped.join('|')})`, 'gi'));
  return parts.filter((p) => p !== '').map((p) => ({ text: p, hit: words.some((w) => w.toLowerCase() === p.toLowerCase()) }));
}
