import { addDays, dayNumber } from './days';

/** What scheduling needs of a task. Dates are inclusive days `YYYY-MM-DD`. */
export interface SchedTask {
  id: number;
  start: string;
  due: string;
  done: boolean;
  /** Tasks it waits for (finish-to-start). */
  dependsOn: readonly number[];
}

export interface Move {
  id: number;
  from: { start: string; due: string };
  to: { start: string; due: string };
}

/** Successors of every task (who waits for it). */
function successors(tasks: readonly SchedTask[]): Map<number, number[]> {
  const out = new Map<number, number[]>(tasks.map((t) => [t.id, []]));
  for (const t of tasks) for (const p of t.dependsOn) out.get(p)?.push(t.id);
  return out;
}

/**
 * A loop the dependencies would close, as the task ids along it (`[a, b, a]`), or null. Iterative DFS with colours,
 * so 2,000 tasks in a chain do not overflow the stack.
 */
export function findCycle(tasks: readonly SchedTask[]): number[] | null {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const colour = new Map<number, 1 | 2>();
  for (const root of tasks) {
    if (colour.has(root.id)) continue;
    const stack: Array<{ id: number; next: number }> = [{ id: root.id, next: 0 }];
    colour.set(root.id, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const deps = byId.get(top.id)?.dependsOn ?? [];
      if (top.next >= deps.length) {
        colour.set(top.id, 2);
        stack.pop();
        continue;
      }
      const dep = deps[top.next++]!;
      if (!byId.has(dep)) continue;
      const c = colour.get(dep);
      if (c === 1) {
        const from = stack.findIndex((f) => f.id === dep);
        return [...stack.slice(from).map((f) => f.id), dep].reverse();
      }
      if (c === undefined) {
        colour.set(dep, 1);
        stack.push({ id: dep, next: 0 });
      }
    }
  }
  return null;
}

/** Tasks in an order where every task comes after those it waits for (Kahn). Assumes no cycle. */
export function topologicalOrder(tasks: readonly SchedTask[]): number[] {
  const succ = successors(tasks);
  const indegree = new Map(tasks.map((t) => [t.id, t.dependsOn.filter((d) => succ.has(d)).length]));
  const queue = tasks.filter((t) => indegree.get(t.id) === 0).map((t) => t.id);
  const order: number[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    order.push(id);
    for (const s of succ.get(id) ?? []) {
      const n = indegree.get(s)! - 1;
      indegree.set(s, n);
      if (n === 0) queue.push(s);
    }
  }
  return order;
}

/**
 * Move one task to new days; every task that waits for it (directly or not) and would then start on or before the day
 * its predecessor ends moves later by just enough, keeping its length. Tasks are never pulled earlier. Answers every
 * move, the task itself first, in dependency order. O(tasks + dependencies).
 */
export function reschedule(tasks: readonly SchedTask[], id: number, start: string, due: string): Move[] {
  const byId = new Map(tasks.map((t) => [t.id, { start: t.start, due: t.due, dependsOn: t.dependsOn }]));
  const moved = byId.get(id);
  if (!moved) throw new Error(`unknown task ${id}`);
  const moves: Move[] = [{ id, from: { start: moved.start, due: moved.due }, to: { start, due } }];
  moved.start = start;
  moved.due = due;
  const reach = reachableFrom(tasks, id);
  for (const tid of topologicalOrder(tasks)) {
    if (tid === id || !reach.has(tid)) continue;
    const t = byId.get(tid)!;
    const earliest = Math.max(...t.dependsOn.map((p) => (byId.has(p) ? dayNumber(byId.get(p)!.due) + 1 : -Infinity)));
    const shift = earliest - dayNumber(t.start);
    if (shift <= 0) continue;
    const from = { start: t.start, due: t.due };
    t.start = addDays(t.start, shift);
    t.due = addDays(t.due, shift);
    moves.push({ id: tid, from, to: { start: t.start, due: t.due } });
  }
  return moves;
}

/** The tasks that wait for `id`, directly or through others. */
function reachableFrom(tasks: readonly SchedTask[], id: number): Set<number> {
  const succ = successors(tasks);
  const seen = new Set<number>();
  const stack = [id];
  while (stack.length) {
    for (const s of succ.get(stack.pop()!) ?? []) {
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(s);
    }
  }
  return seen;
}

export interface CriticalPath {
  /** Days each task could slip without moving the last due day. */
  slack: Map<number, number>;
  critical: Set<number>;
  /** One chain of critical tasks from a first to the last, in order. */
  path: number[];
}

/**
 * The critical path on the tasks as they are scheduled (CPM's backward pass, https://en.wikipedia.org/wiki/Critical_path_method,
 * on the real days, so it agrees with what `reschedule` does): a task's latest finish is the project's last due day, or
 * the day before the earliest latest-start of the tasks waiting for it; slack = latest start − start, the days it can
 * slip without moving the last due day. Tasks without slack are critical; the chain is followed back from a last task
 * through its critical predecessors.
 */
export function criticalPath(tasks: readonly SchedTask[]): CriticalPath {
  const slack = new Map<number, number>();
  if (!tasks.length) return { slack, critical: new Set(), path: [] };
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const succ = successors(tasks);
  const end = Math.max(...tasks.map((t) => dayNumber(t.due)));
  const latestStart = new Map<number, number>();
  for (const id of topologicalOrder(tasks).reverse()) {
    const t = byId.get(id)!;
    const next = succ.get(id)!;
    const latestFinish = next.length ? Math.min(...next.map((s) => latestStart.get(s)! - 1)) : end;
    const length = dayNumber(t.due) - dayNumber(t.start);
    latestStart.set(id, latestFinish - length);
    slack.set(id, latestFinish - length - dayNumber(t.start));
  }
  const critical = new Set([...slack].filter(([, s]) => s <= 0).map(([id]) => id));
  const path: number[] = [];
  let cursor = tasks.filter((t) => critical.has(t.id) && dayNumber(t.due) === end).sort((a, b) => dayNumber(a.start) - dayNumber(b.start))[0];
  while (cursor && path.length <= tasks.length) {
    path.unshift(cursor.id);
    const c: SchedTask = cursor;
    cursor = c.dependsOn
      .map((p) => byId.get(p))
      .filter((p): p is SchedTask => !!p && critical.has(p.id))
      .sort((a, b) => dayNumber(b.due) - dayNumber(a.due))[0];
  }
  return { slack, critical, path };
}

/** Late: past its due day and not done. Blocking: not done, and a late task waits for it. */
export function lateness(tasks: readonly SchedTask[], today: string): { late: Set<number>; blocking: Set<number> } {
  const t0 = dayNumber(today);
  const late = new Set(tasks.filter((t) => !t.done && dayNumber(t.due) < t0).map((t) => t.id));
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const blocking = new Set<number>();
  const stack = [...late];
  while (stack.length) {
    for (const p of byId.get(stack.pop()!)?.dependsOn ?? []) {
      const pred = byId.get(p);
      if (!pred || pred.done || blocking.has(p)) continue;
      blocking.add(p);
      stack.push(p);
    }
  }
  return { late, blocking };
}
