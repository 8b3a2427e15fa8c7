/**
 * Campaign projects on MariaDB (issue 12): rescheduling a big project, its Gantt's first render on a throttled phone, and
 * search over 1,000,000 comments.
 * One throwaway mariadbd and one stack in this process (startStack: the WeCom simulator with the demo corp, the real
 * server on a fresh migrated database, background work running); the owner 陈静 (ADMIN_USERIDS, role owner) acts, both
 * through the real services taken from the stack's container and over HTTP with a signed-in session. Requests and
 * calls go one at a time, so the server and this process share an event loop but never compete for it.
 *
 *  reschedule: one project of TASKS (default 2,000) tasks and DEPS (default 3,000) finish-to-start dependencies,
 *     bulk-inserted into projects / project_tasks / task_dependencies: a DAG of LAYERS (default tasks / 50 = 40) layers,
 *     every task of layer ≥ 1 waiting for 1–3 tasks of earlier layers (70 % from the layer just before), 1–5 day
 *     tasks (2 % one-day milestones), each starting 0–2 days after the last of its predecessors ends (dates
 *     consistent); the project started 3 days ago, so a few tasks are done, some in progress, some late. The moved
 *     task is the first-layer task (not done) that the most tasks wait for, directly or not; each move pushes it
 *     SHIFT_DAYS (14) later; two warm-up applied moves first leave the chain behind it tight, so that every later move
 *     moves every task that waits for it. Measured, interleaved round by round: TaskService.move with preview (nothing
 *     written) and POST /api/tasks/:id/move with preview: true; ProjectService.detail and GET /api/projects/:id (the
 *     whole project: every task with its flags, critical path); then applied moves (every moved task's UPDATE and its
 *     project_activity row in one unit of work, then the project as it is now), through the service and over HTTP, each
 *     from where the last one left the project. Beside them in the same run, the pure part: reschedule() and criticalPath() on the loaded
 *     schedule, and loadSchedule() (the two SELECTs). Checked: every preview and apply moves as many tasks as the pure
 *     reschedule() says; after one apply, every moved task's dates in the database and one 'moved' activity row each.
 *     Diagnostic: the statements one applied move runs (MariaDB's general log) and a statement round trip.
 *  search: COMMENTS (default 1,000,000) comment documents bulk-inserted into search_docs (multi-row INSERTs, with
 *     `tokens` from searchTokens() of title + "\n" + body as SearchIndex writes them): texts like a campaign team's task
 *     comments (主图已经上传，请确认一下；SKU1024库存只剩30件…) from a fixed vocabulary and seed, on 20,000 tasks of 2,000
 *     projects (5 shops, 10 % shop-less), `at` over the last 365 days (5 % edited later). The FULLTEXT index is
 *     dropped before the load and built after it (ALTER TABLE … ADD FULLTEXT, as the migration defines it); a probe
 *     on PROBE (default 50,000) of the same rows compares loading with the index in place against load-then-build.
 *     Then, interleaved round by round: SearchIndex.search() (the class GET /api/search uses, on the server's
 *     DataSource) for a rare two-character word, a common one, two words, a latin word (prefix match), and a common
 *     word scoped to one shop (informational), beside a primary-key lookup (SELECT … FROM search_docs WHERE id = ?) on
 *     the same DataSource. Each query's first page is checked against the 20 newest matches computed here from the
 *     generated texts; EXPLAIN and ANALYZE of the statements the server ran (general log): on MariaDB search() walks
 *     the newest documents by the (at, id) index first and asks the FULLTEXT index only when that leaves the page
 *     short (SearchIndex.searchMysql). Diagnostics for the common word: its walk on a plain connection, COUNT(*) of its
 *     matches in the walked window, handler and buffer pool counters. With --proposal, the candidate fix that preceded
 *     that walk (proposalSearch(): the same idea, measured beside search() before it shipped) runs too.
 *
 *  gantt: the same project's Gantt chart, first render, in the built H5 (h5/dist, built first when missing or stale:
 *     scripts/h5-build.ts) in Debian's Chromium (playwright-core): a project of its own from the same generator and
 *     seed (the reschedule part's has been moved ~40 times by then), a browser signed in as the owner through the WeCom
 *     simulator, then /projects/<id>?view=gantt opened in a fresh page, cache disabled, on h5-perf.ts's phone profile
 *     (360×640, 4× CPU slowdown, Fast 3G: the chart readonly) and, as the baseline in the same run, on an unthrottled
 *     desktop window (1280×800: draggable). Measured: navigation start → the chart's first screen in the DOM and the
 *     frame after it painted: every [data-testid="gantt-bar"] the chart draws (data-drawn: all of them on the desktop's
 *     frappe-gantt, the rows in view and a few more on the phone's windowed PhoneGantt), the chart holding every task
 *     (data-rows), by a DOM watcher injected before the page's scripts, --gantt-runs (5)
 *     rounds after one warm-up → p50/p95, with the project JSON's and the chart chunk's arrival (Resource Timing), the
 *     JS heap after render and the chart's SVG nodes. One more phone load runs under the V8 sampling profiler (CDP
 *     Profiler): where the time goes, in our phoneLayout() (the phone's chart), our ganttBars()/build()/decorate() and
 *     frappe-gantt's steps (the desktop's), and Vue.
 *
 * Scale: the defaults take about 9–10 minutes on 2 CPUs, most of it the search load and the common-word searches. Standalone:
 *   npx tsx --tsconfig tsconfig.json test/bench/projects.ts [--write] [--only reschedule,gantt,search] [--tasks N]
 *   [--deps N] [--layers N] [--rounds R] [--gantt-runs N] [--comments N] [--search-rounds R] [--probe N] [--proposal]
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import mysql from 'mysql2/promise';
import type { BrowserContext, BrowserContextOptions } from 'playwright-core';
import type { DataSource } from 'typeorm';
import type { Actor, ProjectDetail, TaskMoveResult } from '@shopcrew/shared';
import { addDays, dayNumber, dayString, todayIn } from '../../server/src/modules/projects/days';
import { loadSchedule } from '../../server/src/modules/projects/project-view';
import { criticalPath, reschedule, type SchedTask } from '../../server/src/modules/projects/schedule';
import { SearchIndex, queryTokens, searchTokens, type QueryTerm, type SearchQuery } from '../../server/src/platform/search';
import { ensureH5Built } from '../../scripts/h5-build';
import { DEMO_USERS } from '../../scripts/wecom-sim';
import { PHONE_CONTEXT, requireBrowser } from '../support/browser';
import { startMariaDb, type MariaDbHandle } from '../support/mariadb';
import { signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { CPU_SLOWDOWN, FAST_3G, H5_DIST } from './h5-perf';
import { childPidsNamed, cpuDelta, cpuSnapshot, othersMs, waitForQuietMachine, type CpuDelta } from './lib/cpu';
import { firstSampleUnder, inclusiveBy, profileMs, selfBy, type CpuProfile, type ProfileFrame } from './lib/cpu-profile';
import { fmtInt, fmtMs, newReport, runStandalone, type BenchReport } from './lib/report';

export type ProjectsPart = 'reschedule' | 'gantt' | 'search';
export const PROJECTS_PARTS: readonly ProjectsPart[] = ['reschedule', 'gantt', 'search'];

export interface ProjectsBenchOptions {
  only?: readonly ProjectsPart[];
  /** reschedule: tasks, dependencies and layers of the project (default 2,000, 3,000, tasks / 50). */
  tasks?: number;
  deps?: number;
  layers?: number;
  /** reschedule: measured calls per operation and way (default 20); the pure functions run 5 × as often. */
  rounds?: number;
  /** search: comment documents (default 1,000,000). */
  comments?: number;
  /** search: measured rounds (default 100, stopped after SEARCH_BUDGET_MS once 20 have run). */
  searchRounds?: number;
  /** search: rows of the load probe (index in place vs built after); 0 skips it. Default 50,000. */
  probe?: number;
  /** search: try the candidate fix on the same data (default false: search() ships it now). */
  proposal?: boolean;
  /** gantt: measured cold loads per profile (phone, desktop), after one warm-up round (default 5). */
  ganttRuns?: number;
  log?: (line: string) => void;
}

/** Goals (p95), set before measuring, from what a person dragging a bar in the Gantt and waiting for it would accept. */
export const PURE_GOAL_MS = 50;
export const PREVIEW_GOAL_MS = 500;
export const APPLY_GOAL_MS = 2_000;
export const DETAIL_GOAL_MS = 1_000;
/** A search box answering within a fifth of a second feels immediate. */
export const SEARCH_GOAL_MS = 200;

const SHIFT_DAYS = 14;
const WARMUP = 3;
const INSERT_BATCH = 1_000;
const SEARCH_BATCH = 5_000;
const SEARCH_WARMUP = 3;
const SEARCH_MIN_ROUNDS = 20;
const SEARCH_BUDGET_MS = 150_000;
const PAGE = 20;
const DAY_MS = 86_400_000;
const OWNER = DEMO_USERS.owner;
const SHOPS = ['7200001', '7200002', '7200003', '7200004', '7200005'];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Deterministic PRNG (mulberry32), as orders.ts. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ───────────────────────────── latency figures ─────────────────────────────

export interface Latency {
  label: string;
  count: number;
  p50: number;
  p95: number;
  max: number;
}

function latency(label: string, samples: readonly number[]): Latency {
  const s = Float64Array.from(samples).sort();
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : 0);
  return { label, count: s.length, p50: at(50), p95: at(95), max: s.length ? s[s.length - 1]! : 0 };
}

const latText = (l: Latency) => `p50 ${fmtMs(l.p50)}, p95 ${fmtMs(l.p95)} (max ${fmtMs(l.max)}, n = ${l.count})`;

class Samples {
  readonly by = new Map<string, number[]>();
  add(key: string, ms: number): void {
    const list = this.by.get(key) ?? [];
    list.push(ms);
    this.by.set(key, list);
  }
  figures(key: string, label: string): Latency {
    return latency(label, this.by.get(key) ?? []);
  }
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t };
}

// ───────────────────────────── the shared context ─────────────────────────────

/** A keep-alive HTTP client signed in as the owner; the latency covers the whole response body. */
interface Client {
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: Buffer; ms: number }>;
  close(): void;
}

function client(baseUrl: string, cookie: string): Client {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    request: (method, path, body) =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const headers: Record<string, string | number> = { cookie, accept: 'application/json' };
        if (payload !== undefined)
          Object.assign(headers, { origin: base.origin, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
        const t = performance.now();
        const req = http.request({ agent, hostname: base.hostname, port: base.port, method, path, headers, timeout: 120_000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - t }));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 120 s`)));
        req.on('error', reject);
        req.end(payload);
      }),
    close: () => agent.destroy(),
  };
}

/** What the parts share: the stack, the owner (as the services and HTTP see them), the report being written. */
interface BenchContext {
  o: Required<Omit<ProjectsBenchOptions, 'log' | 'only'>>;
  maria: MariaDbHandle;
  stack: Stack;
  /** A plain connection to the stack's database (bulk loads, checks, the general log). */
  conn: mysql.Connection;
  actor: Actor;
  http: Client;
  mariadbPid: number | undefined;
  report: BenchReport;
  raw: Record<string, unknown>;
  log: (line: string) => void;
  /** The project the reschedule part seeded. */
  project?: SeededProject;
  /** gantt: the state of h5/dist (built by this run when it was missing or stale). */
  h5?: string;
}

interface PlanRow {
  table: string;
  type: string;
  key: string | null;
  rows: string | number | null;
  r_rows?: string | number | null;
  Extra: string | null;
}

const planText = (rows: PlanRow[]) =>
  rows
    .map(
      (r) =>
        `table ${r.table}, type ${r.type}, key ${r.key ?? 'NULL'}, rows ${r.rows ?? 'NULL'}${r.r_rows !== undefined ? `, r_rows ${r.r_rows ?? 'NULL'}` : ''}, Extra "${r.Extra ?? ''}"`,
    )
    .join('; ');

/** Every statement MariaDB ran while `during` ran (general log to a table, on only meanwhile), except this connection's. */
async function generalLog(conn: mysql.Connection, during: () => Promise<void>): Promise<Array<{ thread: number; sql: string }>> {
  await conn.query(`SET GLOBAL log_output = 'TABLE'`);
  await conn.query('TRUNCATE TABLE mysql.general_log');
  await conn.query('SET GLOBAL general_log = 1');
  try {
    await during();
  } finally {
    await conn.query('SET GLOBAL general_log = 0');
  }
  const [rows] = await conn.query(`SELECT thread_id AS t, argument AS a FROM mysql.general_log WHERE command_type IN ('Query', 'Execute') ORDER BY event_time`);
  const [[own]] = (await conn.query('SELECT CONNECTION_ID() AS id')) as unknown as [Array<{ id: number }>];
  return (rows as Array<{ t: number; a: Buffer | string }>).map((r) => ({ thread: Number(r.t), sql: String(r.a) })).filter((r) => r.thread !== Number(own!.id));
}

/** A statement on one of the projects module's tables. */
const PROJECT_TABLES = /\b(projects|project_tasks|task_dependencies|project_activity|task_comments|project_files)\b/;

/** "UPDATE project_tasks", "SELECT project_tasks", "START TRANSACTION"… */
function statementKind(sql: string): string {
  const s = sql.trim().replace(/\s+/g, ' ');
  const verb = /^(\w+)/.exec(s)?.[1]?.toUpperCase() ?? '?';
  const table = /\b(?:FROM|INTO|UPDATE)\s+`?(\w+)`?/i.exec(s)?.[1];
  if (!table || verb === 'START' || verb === 'COMMIT' || verb === 'ROLLBACK' || verb === 'SET') return s.slice(0, 40);
  return `${verb} ${table}`;
}

// ───────────────────────────── reschedule ─────────────────────────────

export interface SeededProject {
  projectId: number;
  tasks: number;
  deps: number;
  layers: number;
  /** The moved task, how many tasks wait for it (directly or not), and how many tasks the first move moves. */
  rootId: number;
  reach: number;
  states: Record<string, number>;
  late: number;
  start: string;
  end: string;
  insertMs: number;
}

const AREAS = ['选品', '主图', '详情页', '定价', '活动报名', '投流', '短视频', '直播', '库存', '物流', '客服话术', '优惠券', '达人合作', '包装', '会员'];
const STEPS = ['调研', '方案', '设计', '评审', '执行', '复核', '上线', '复盘'];
const OWNERS = [
  DEMO_USERS.opsManager,
  DEMO_USERS.opsStaff,
  DEMO_USERS.opsStaff2,
  DEMO_USERS.designLead,
  DEMO_USERS.designer,
  DEMO_USERS.marketing,
  DEMO_USERS.warehouseLead,
  DEMO_USERS.csLead,
];

/**
 * One project, `tasks` tasks in `layers` layers and `deps` dependencies (each task of layer ≥ 1 waits for at least one
 * of an earlier layer while there are dependencies to give; 70 % of them from the layer just before), dates consistent.
 */
async function seedProject(
  conn: mysql.Connection,
  n: number,
  depCount: number,
  layers: number,
  today: string,
): Promise<SeededProject & { sched: SchedTask[] }> {
  const rand = rng(12);
  const t0 = performance.now();
  const layerOf = (i: number) => Math.floor((i * layers) / n);
  const firstOf = new Int32Array(layers + 1);
  for (let i = n - 1; i >= 0; i--) firstOf[layerOf(i)] = i;
  firstOf[layers] = n;
  // Dependencies per task: one each for layer ≥ 1 (while they last), the rest spread at random, at most 3 per task.
  const nonRoot = n - firstOf[1]!;
  const want = new Uint8Array(n);
  for (let i = firstOf[1]!, left = depCount; i < n && left > 0; i++, left--) want[i] = 1;
  for (let extra = depCount - Math.min(depCount, nonRoot), guard = 0; extra > 0 && guard < depCount * 20; guard++) {
    const i = firstOf[1]! + Math.floor(rand() * nonRoot);
    if (want[i]! < 3 && want[i]! < firstOf[layerOf(i)]!) {
      want[i]!++;
      extra--;
    }
  }
  const dependsOn: number[][] = Array.from({ length: n }, () => []);
  let deps = 0;
  for (let i = firstOf[1]!; i < n; i++) {
    const L = layerOf(i);
    const chosen = new Set<number>();
    while (chosen.size < want[i]!) {
      const p = rand() < 0.7 || L === 1 ? firstOf[L - 1]! + Math.floor(rand() * (firstOf[L]! - firstOf[L - 1]!)) : Math.floor(rand() * firstOf[L - 1]!);
      chosen.add(p);
    }
    dependsOn[i] = [...chosen];
    deps += chosen.size;
  }
  // Dates: the project started 3 days ago; each task 1–5 days (a milestone 1), 0–2 days after its predecessors end.
  const start0 = dayNumber(today) - 3;
  const startDay = new Int32Array(n);
  const dueDay = new Int32Array(n);
  const milestone = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    milestone[i] = i >= firstOf[1]! && rand() < 0.02 ? 1 : 0;
    const length = milestone[i] ? 1 : 1 + Math.floor(rand() * 5);
    const g = rand();
    const gap = g < 0.6 ? 0 : g < 0.85 ? 1 : 2;
    const after = dependsOn[i]!.length ? Math.max(...dependsOn[i]!.map((p) => dueDay[p]!)) + 1 : start0 + Math.floor(rand() * 3);
    startDay[i] = after + gap;
    dueDay[i] = startDay[i]! + length - 1;
  }
  const todayN = dayNumber(today);
  const states: Record<string, number> = {};
  const state = (i: number): string => {
    if (dueDay[i]! < todayN) return rand() < 0.7 ? 'done' : 'doing';
    if (startDay[i]! <= todayN) return rand() < 0.3 ? 'review' : 'doing';
    return 'todo';
  };
  const lastDue = Math.max(...dueDay);
  const end = dayString(lastDue + 3);
  const now = Date.now();
  const [res] = await conn.query(
    `INSERT INTO projects (name, goal, shop_id, owner, start_day, end_day, state, template_key, slip_notified, created_by, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, 'active', NULL, NULL, ?, ?, ?)`,
    ['双11大促 · 全店备战', '全店 GMV 同比翻倍，大促期间 0 超卖', OWNER, dayString(start0), end, OWNER, now, now],
  );
  const projectId = (res as mysql.ResultSetHeader).insertId;
  const [[maxRow]] = (await conn.query('SELECT COALESCE(MAX(id), 0) AS m FROM project_tasks')) as unknown as [Array<{ m: number | string }>];
  const firstId = Number(maxRow!.m) + 1;
  const ids = Array.from({ length: n }, (_, i) => firstId + i);
  let late = 0;
  const stateOf: string[] = [];
  for (let from = 0; from < n; from += INSERT_BATCH) {
    const rows: unknown[][] = [];
    for (let i = from; i < Math.min(n, from + INSERT_BATCH); i++) {
      const st = state(i);
      stateOf.push(st);
      states[st] = (states[st] ?? 0) + 1;
      if (st !== 'done' && dueDay[i]! < todayN) late++;
      const owner = rand() < 0.9 ? OWNERS[Math.floor(rand() * OWNERS.length)]! : null;
      rows.push([
        ids[i],
        projectId,
        `${AREAS[i % AREAS.length]}${STEPS[layerOf(i) % STEPS.length]} ${i + 1}`,
        `第 ${layerOf(i) + 1} 阶段：${AREAS[i % AREAS.length]}${STEPS[layerOf(i) % STEPS.length]}，完成后通知下游负责人。`,
        owner,
        rand() < 0.3 ? JSON.stringify([OWNERS[Math.floor(rand() * OWNERS.length)]]) : '[]',
        dayString(startDay[i]!),
        dayString(dueDay[i]!),
        `P${Math.floor(rand() * 4)}`,
        st,
        st === 'done' ? 100 : st === 'todo' ? 0 : 10 * (1 + Math.floor(rand() * 8)),
        milestone[i],
        '[]',
        null,
        null,
        OWNER,
        now,
        now,
      ]);
    }
    await conn.query(
      `INSERT INTO project_tasks (id, project_id, title, description, owner, collaborators, start_day, due_day, priority, state, progress, milestone, links, due_reminded, overdue_notified, created_by, created_at, updated_at) VALUES ?`,
      [rows],
    );
  }
  const depRows: unknown[][] = [];
  for (let i = 0; i < n; i++) for (const p of dependsOn[i]!) depRows.push([ids[i], ids[p], projectId]);
  for (let from = 0; from < depRows.length; from += INSERT_BATCH * 5)
    await conn.query('INSERT INTO task_dependencies (task_id, depends_on, project_id) VALUES ?', [depRows.slice(from, from + INSERT_BATCH * 5)]);
  await conn.query('ANALYZE TABLE project_tasks, task_dependencies');
  const insertMs = performance.now() - t0;

  // The moved task: of the first layer's unfinished tasks, the one the most tasks wait for.
  const succ: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) for (const p of dependsOn[i]!) succ[p]!.push(i);
  const reachOf = (r: number) => {
    const seen = new Uint8Array(n);
    const stack = [r];
    let count = 0;
    while (stack.length)
      for (const s of succ[stack.pop()!]!)
        if (!seen[s]) {
          seen[s] = 1;
          count++;
          stack.push(s);
        }
    return count;
  };
  let root = -1;
  let reach = -1;
  for (let i = 0; i < firstOf[1]!; i++) {
    if (stateOf[i] === 'done') continue;
    const r = reachOf(i);
    if (r > reach) [root, reach] = [i, r];
  }
  if (root < 0) throw new Error('every first-layer task is done: nothing sensible to move');
  const sched: SchedTask[] = ids.map((id, i) => ({
    id,
    start: dayString(startDay[i]!),
    due: dayString(dueDay[i]!),
    done: stateOf[i] === 'done',
    dependsOn: dependsOn[i]!.map((p) => ids[p]!),
  }));
  return { projectId, tasks: n, deps, layers, rootId: ids[root]!, reach, states, late, start: dayString(start0), end, insertMs, sched };
}

interface RescheduleFigures {
  project: SeededProject;
  moved: { fromSeeded: number; preview: number; apply: number[] };
  pure: { reschedule: Latency; criticalPath: Latency; both: Latency; loadSchedule: Latency; criticalPathLength: number };
  preview: { service: Latency; http: Latency };
  detail: { service: Latency; http: Latency; bytes: number };
  apply: { service: Latency; http: Latency };
  check: { datesMatch: boolean; activityRows: number; moved: number };
  applyStatements: { total: number; connections: number; leftOut: number; byKind: Record<string, number> };
  roundTripMs: number;
  cpu: { read: CpuDelta; apply: CpuDelta; readOps: number; applyOps: number };
  machineBusy: number;
}

async function reschedulePart(ctx: BenchContext): Promise<void> {
  const { o, conn, stack, actor, log } = ctx;
  const c = stack.app.container;
  const today = todayIn(c.config.TZ_CORP, Date.now());
  log(`[projects] reschedule: seeding ${fmtInt(o.tasks)} tasks, ${fmtInt(o.deps)} dependencies in ${o.layers} layers`);
  const seeded = await seedProject(conn, o.tasks, o.deps, o.layers, today);
  const { sched: seededSched, ...project } = seeded;
  ctx.project = project;
  log(
    `[projects] reschedule: project ${project.projectId} (${seconds(project.insertMs)}): ${fmtInt(project.deps)} dependencies, moved task ${project.rootId} waited for by ${fmtInt(project.reach)} tasks; states ${JSON.stringify(project.states)}, ${project.late} late`,
  );

  // The schedule as the server loads it must be the one seeded.
  const asLoaded = (await loadSchedule(c.ds.manager, project.projectId)).sched;
  const key = (s: SchedTask) => `${s.id}:${s.start}:${s.due}:${s.done ? 1 : 0}:${[...s.dependsOn].sort((a, b) => a - b).join(',')}`;
  const seededKeys = new Set(seededSched.map(key));
  if (asLoaded.length !== seededSched.length || !asLoaded.every((s) => seededKeys.has(key(s))))
    throw new Error('loadSchedule() does not give back the seeded schedule');
  const rootOf = (sched: SchedTask[]) => sched.find((s) => s.id === project.rootId)!;
  const target = (sched: SchedTask[]) => {
    const r = rootOf(sched);
    return { start: addDays(r.start, SHIFT_DAYS), due: addDays(r.due, SHIFT_DAYS) };
  };
  const fromSeeded = target(seededSched);
  const seededMoves = reschedule(seededSched, project.rootId, fromSeeded.start, fromSeeded.due).length;

  const projects = c.projects;
  const tasks = c.projectTasks;
  const samples = new Samples();
  const pids = { mariadb: ctx.mariadbPid };
  const expectMoved = (what: string, got: number, want: number) => {
    if (got !== want) throw new Error(`${what} moved ${got} tasks, the pure reschedule() moves ${want}`);
  };

  // Applied moves, each from where the last one left the project (r < 0: warm-up, not recorded).
  const moves: number[] = [];
  let check: RescheduleFigures['check'] | null = null;
  // The applies' CPU is read around the measured calls only (the checks between them are left out).
  let cpuApply: CpuDelta | null = null;
  const applyOnce = async (way: 'service' | 'http', r: number) => {
    const { sched } = await loadSchedule(c.ds.manager, project.projectId);
    const to = target(sched);
    const want = reschedule(sched, project.rootId, to.start, to.due);
    const [[before]] = (await conn.query(`SELECT COUNT(*) AS n FROM project_activity WHERE project_id = ? AND kind = 'moved'`, [
      project.projectId,
    ])) as unknown as [Array<{ n: number | string }>];
    let moved: number;
    const cpu0 = cpuSnapshot(pids);
    if (way === 'service') {
      const { value, ms } = await timed(() => tasks.move(actor, project.rootId, to));
      if (!value.project) throw new Error('TaskService.move (applied) answered no project');
      moved = value.moved.length;
      if (r >= 0) samples.add('apply:service', ms);
    } else {
      const res = await ctx.http.request('POST', `/api/tasks/${project.rootId}/move`, to);
      if (res.status !== 200) throw new Error(`POST move answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
      const body = JSON.parse(res.body.toString()) as TaskMoveResult;
      if (!body.project) throw new Error('POST /api/tasks/:id/move answered no project');
      moved = body.moved.length;
      if (r >= 0) samples.add('apply:http', res.ms);
    }
    if (r >= 0) cpuApply = sumCpu(cpuApply, cpuDelta(cpu0, cpuSnapshot(pids)));
    expectMoved(`an applied move (${way})`, moved, want.length);
    if (r >= 0) moves.push(moved);
    if (r === 0 && way === 'service') {
      // Every moved task has its new dates, and one 'moved' row on the log.
      const [rows] = await conn.query('SELECT id, start_day AS s, due_day AS d FROM project_tasks WHERE project_id = ?', [project.projectId]);
      const now = new Map((rows as Array<{ id: number; s: string; d: string }>).map((x) => [Number(x.id), `${x.s}~${x.d}`]));
      const [[after]] = (await conn.query(`SELECT COUNT(*) AS n FROM project_activity WHERE project_id = ? AND kind = 'moved'`, [
        project.projectId,
      ])) as unknown as [Array<{ n: number | string }>];
      check = {
        datesMatch: want.every((m) => now.get(m.id) === `${m.to.start}~${m.to.due}`),
        activityRows: Number(after!.n) - Number(before!.n),
        moved,
      };
      if (!check.datesMatch || check.activityRows !== moved)
        throw new Error(`after an applied move: dates as moved ${check.datesMatch}, ${check.activityRows} activity rows for ${moved} moves`);
    }
  };

  // Warm-up: two applied moves. From the seeded dates the push dies out where tasks have slack; after them the chain
  // behind the moved task is tight, so every later move (preview or applied) moves all of it.
  log(`[projects] reschedule: 2 warm-up applied moves (from the seeded dates, ${fmtInt(seededMoves)} tasks move)`);
  await applyOnce('service', -1);
  await applyOnce('http', -1);

  // Pure: reschedule() and criticalPath() on the loaded schedule; loadSchedule() beside them.
  const loaded = (await loadSchedule(c.ds.manager, project.projectId)).sched;
  const pureRounds = o.rounds * 5;
  const pure = new Samples();
  let criticalPathLength = 0;
  const move0 = target(loaded);
  const previewCount = reschedule(loaded, project.rootId, move0.start, move0.due).length;
  for (let r = -WARMUP * 5; r < pureRounds; r++) {
    const t0 = performance.now();
    reschedule(loaded, project.rootId, move0.start, move0.due);
    const t1 = performance.now();
    criticalPathLength = criticalPath(loaded).path.length;
    const t2 = performance.now();
    const ls = await timed(() => loadSchedule(c.ds.manager, project.projectId));
    if (r < 0) continue;
    pure.add('reschedule', t1 - t0);
    pure.add('cp', t2 - t1);
    pure.add('both', t2 - t0);
    pure.add('load', ls.ms);
  }

  // Read-only: previews and the whole project, through the service and over HTTP, interleaved.
  const quiet = await waitForQuietMachine({ log, maxWaitMs: 60_000 });
  let detailBytes = 0;
  log(`[projects] reschedule: ${o.rounds} rounds of preview and GET (service, HTTP), after ${WARMUP} warm-up rounds`);
  const cpuRead0 = cpuSnapshot(pids);
  for (let r = -WARMUP; r < o.rounds; r++) {
    const record = (k: string, ms: number) => r >= 0 && samples.add(k, ms);
    const ops: Array<() => Promise<void>> = [
      async () => {
        const { value, ms } = await timed(() => tasks.move(actor, project.rootId, { ...move0, preview: true }));
        expectMoved('TaskService.move (preview)', value.moved.length, previewCount);
        record('preview:service', ms);
      },
      async () => {
        const res = await ctx.http.request('POST', `/api/tasks/${project.rootId}/move`, { ...move0, preview: true });
        if (res.status !== 200) throw new Error(`POST move (preview) answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
        expectMoved('POST /api/tasks/:id/move (preview)', (JSON.parse(res.body.toString()) as TaskMoveResult).moved.length, previewCount);
        record('preview:http', res.ms);
      },
      async () => {
        const { value, ms } = await timed(() => projects.detail(actor, project.projectId));
        if (value.tasks.length !== project.tasks) throw new Error(`ProjectService.detail answered ${value.tasks.length} tasks`);
        record('detail:service', ms);
      },
      async () => {
        const res = await ctx.http.request('GET', `/api/projects/${project.projectId}`);
        if (res.status !== 200) throw new Error(`GET /api/projects/:id answered ${res.status}`);
        detailBytes = res.body.length;
        const body = JSON.parse(res.body.toString()) as ProjectDetail;
        if (body.tasks.length !== project.tasks || !body.criticalPath.length) throw new Error('GET /api/projects/:id: not the whole project');
        record('detail:http', res.ms);
      },
    ];
    const shift = ((r % ops.length) + ops.length) % ops.length;
    for (let k = 0; k < ops.length; k++) await ops[(k + shift) % ops.length]!();
  }
  const cpuRead = cpuDelta(cpuRead0, cpuSnapshot(pids));

  log(`[projects] reschedule: ${o.rounds} rounds of applied moves (service, HTTP; order alternating)`);
  for (let r = 0; r < o.rounds; r++) {
    await applyOnce(r % 2 ? 'service' : 'http', r);
    await applyOnce(r % 2 ? 'http' : 'service', r);
  }

  // Diagnostics: what one applied move runs (the connections that touched the project's tables; the background
  // pollers' statements are left out), and a statement's round trip on the server's pool.
  const log0 = await loadSchedule(c.ds.manager, project.projectId);
  const logged = await generalLog(conn, async () => void (await tasks.move(actor, project.rootId, target(log0.sched))));
  const projectThreads = new Set(logged.filter((s) => PROJECT_TABLES.test(s.sql)).map((s) => s.thread));
  const statements = logged.filter((s) => projectThreads.has(s.thread));
  const byKind: Record<string, number> = {};
  for (const s of statements) byKind[statementKind(s.sql)] = (byKind[statementKind(s.sql)] ?? 0) + 1;
  const rt: number[] = [];
  for (let k = 0; k < 300; k++) rt.push((await timed(() => c.ds.query('SELECT 1'))).ms);
  const roundTripMs = latency('', rt.slice(50)).p50;

  const f: RescheduleFigures = {
    project,
    moved: { fromSeeded: seededMoves, preview: previewCount, apply: moves },
    pure: {
      reschedule: pure.figures('reschedule', 'reschedule()'),
      criticalPath: pure.figures('cp', 'criticalPath()'),
      both: pure.figures('both', 'reschedule() + criticalPath()'),
      loadSchedule: pure.figures('load', 'loadSchedule()'),
      criticalPathLength,
    },
    preview: { service: samples.figures('preview:service', 'TaskService.move, preview'), http: samples.figures('preview:http', 'POST move, preview') },
    detail: {
      service: samples.figures('detail:service', 'ProjectService.detail'),
      http: samples.figures('detail:http', 'GET /api/projects/:id'),
      bytes: detailBytes,
    },
    apply: { service: samples.figures('apply:service', 'TaskService.move, applied'), http: samples.figures('apply:http', 'POST move, applied') },
    check: check!,
    applyStatements: { total: statements.length, connections: projectThreads.size, leftOut: logged.length - statements.length, byKind },
    roundTripMs,
    cpu: { read: cpuRead, apply: cpuApply!, readOps: o.rounds * 4 + WARMUP * 4, applyOps: o.rounds },
    machineBusy: quiet.busy,
  };
  ctx.raw.reschedule = f;
  for (const l of [f.pure.both, f.pure.loadSchedule, f.preview.service, f.preview.http, f.detail.service, f.detail.http, f.apply.service, f.apply.http])
    log(`[projects]   ${l.label}: ${latText(l)}`);
  writeRescheduleReport(ctx, f);
}

function sumCpu(a: CpuDelta | null, b: CpuDelta): CpuDelta {
  if (!a) return b;
  return {
    wallMs: a.wallMs + b.wallMs,
    selfMs: a.selfMs + b.selfMs,
    procsMs: Object.fromEntries(Object.keys(b.procsMs).map((k) => [k, (a.procsMs[k] ?? 0) + b.procsMs[k]!])),
    machineBusy: (a.machineBusy * a.machineTotalMs + b.machineBusy * b.machineTotalMs) / Math.max(1, a.machineTotalMs + b.machineTotalMs),
    machineTotalMs: a.machineTotalMs + b.machineTotalMs,
  };
}

function writeRescheduleReport(ctx: BenchContext, f: RescheduleFigures): void {
  const { report } = ctx;
  const p = f.project;
  const size = `${fmtInt(p.tasks)} tasks, ${fmtInt(p.deps)} dependencies`;
  const avgMoved = f.moved.apply.reduce((a, b) => a + b, 0) / Math.max(1, f.moved.apply.length);
  const row = (metric: string, goalMs: number, l: Latency, extra = '') => ({
    metric,
    goal: `p95 < ${fmtMs(goalMs)}`,
    measured: `${latText(l)}${extra}`,
    pass: l.count > 0 && l.p95 < goalMs,
  });
  report.rows.push(
    row(
      `reschedule: pure reschedule() + criticalPath() (${size}, ${fmtInt(f.moved.preview)} moved)`,
      PURE_GOAL_MS,
      f.pure.both,
      `; reschedule() p95 ${fmtMs(f.pure.reschedule.p95)}, criticalPath() p95 ${fmtMs(f.pure.criticalPath.p95)}`,
    ),
    row(`reschedule: preview, TaskService.move (${fmtInt(f.moved.preview)} tasks move)`, PREVIEW_GOAL_MS, f.preview.service),
    row('reschedule: preview, POST /api/tasks/:id/move', PREVIEW_GOAL_MS, f.preview.http),
    row(`reschedule: applied, TaskService.move (${fmtInt(avgMoved)} tasks written each time, + the project re-read)`, APPLY_GOAL_MS, f.apply.service),
    row('reschedule: applied, POST /api/tasks/:id/move', APPLY_GOAL_MS, f.apply.http),
    row('reschedule: the whole project, ProjectService.detail', DETAIL_GOAL_MS, f.detail.service),
    row(`reschedule: the whole project, GET /api/projects/:id (${fmtInt(f.detail.bytes / 1024)} KB)`, DETAIL_GOAL_MS, f.detail.http),
    { metric: 'reschedule: loadSchedule() alone (the SELECTs of tasks and dependencies)', goal: '—', measured: latText(f.pure.loadSchedule), pass: null },
  );
  const kinds = Object.entries(f.applyStatements.byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} × ${fmtInt(v)}`)
    .join(', ');
  const per = (d: CpuDelta, ops: number) =>
    `this process (server + client) ${(d.selfMs / ops).toFixed(0)} ms, mariadbd ${((d.procsMs['mariadb'] ?? 0) / ops).toFixed(0)} ms per operation; all CPUs ${Math.round(d.machineBusy * 100)} % busy (other processes ${Math.round((othersMs(d) / (d.machineTotalMs || 1)) * 100)} %)`;
  report.notes.push(
    `Reschedule setup: one project of ${size} bulk-inserted (multi-row INSERTs, ${seconds(p.insertMs)} with ANALYZE TABLE): ${p.layers} layers of ~${fmtInt(p.tasks / p.layers)} tasks; every task of layer ≥ 1 waits for 1–3 tasks of earlier layers (70 % from the layer just before), 1–5 days long (2 % one-day milestones), starting 0–2 days after its last predecessor ends. Project ${p.start} … ${p.end}, started 3 days before the run: ${Object.entries(
      p.states,
    )
      .map(([k, v]) => `${k} ${fmtInt(v)}`)
      .join(
        ', ',
      )}; ${p.late} late. Moved task: the first-layer task (not done) the most tasks wait for, ${fmtInt(p.reach)} of ${fmtInt(p.tasks)} directly or not; every move pushes it ${SHIFT_DAYS} days later. From the seeded dates that push moves ${fmtInt(f.moved.fromSeeded)} tasks (further down, slack absorbs it); the two warm-up applies leave the chain behind it tight, so afterwards every preview moves ${fmtInt(f.moved.preview)} tasks and every applied move (each from where the last left the project) ${Math.min(...f.moved.apply) === Math.max(...f.moved.apply) ? fmtInt(f.moved.apply[0]!) : `${fmtInt(Math.min(...f.moved.apply))}–${fmtInt(Math.max(...f.moved.apply))}`} (the moved task included). Critical path: ${f.pure.criticalPathLength} tasks.`,
    `Reschedule method: the owner (${OWNER}, ADMIN_USERIDS) through the container's services (TaskService.move, ProjectService.detail; the actor's grants from RoleService.grantsOf as the route guard gets them) and over HTTP (a signed-in session, keep-alive, Origin and JSON type as the H5 sends them; the latency covers the whole body), one call at a time; ${WARMUP} warm-up rounds, then ${f.preview.service.count} rounds, each operation once per round in a rotating order. Order: 2 warm-up applied moves (one each way); the pure baseline; the preview and GET rounds; then ${f.apply.service.count} rounds of one service apply and one HTTP apply (order alternating). Every preview and apply moved exactly as many tasks as the pure reschedule() on the same data; after the first measured apply, ${fmtInt(f.check.moved)} tasks carried their new dates and ${fmtInt(f.check.activityRows)} 'moved' activity rows were written. Pure baseline: reschedule() and criticalPath() on the schedule loadSchedule() gave, ${f.pure.both.count} times after warm-up, in this process; loadSchedule() (TypeORM, two SELECTs) timed beside them.`,
    `Where an applied move's time goes (one more service apply with MariaDB's general log on; the statements of the ${f.applyStatements.connections} connections that touched the project's tables, ${fmtInt(f.applyStatements.leftOut)} of background pollers left out): ${fmtInt(f.applyStatements.total)} statements: ${kinds}. move() writes each moved task with its own UPDATE and its own activity INSERT, one after another inside the unit of work, then checkSlip() loads the schedule again and detail() reads the whole project for the answer; a statement round trip (SELECT 1 on the server's pool) is ${f.roundTripMs.toFixed(3)} ms here. CPU: previews and GETs ${per(f.cpu.read, f.cpu.readOps)}; applies ${per(f.cpu.apply, f.cpu.applyOps * 2)}. Machine ${Math.round(f.machineBusy * 100)} % busy before the measured rounds.`,
  );
}

// ───────────────────────────── search ─────────────────────────────

const TASK_TITLES = [
  '选品策划',
  '主图优化',
  '定价策略',
  '活动报名',
  '投流测试',
  '大促开始',
  '数据复盘',
  '详情页改版',
  '短视频拍摄',
  '直播排期',
  '库存盘点',
  '物流对接',
  '客服话术更新',
  '优惠券配置',
  '达人合作',
  '新品上架',
  '竞品分析',
  '评价维护',
  '包装设计',
  '仓库备货',
  '会员活动',
  '店铺装修',
  '关键词优化',
  '赠品采购',
  '售后预案',
  '预售设置',
  '海报设计',
  '满减规则',
  '社群运营',
  '复购召回',
];
const SUBJECTS = ['主图', '详情页', '短视频', '直播间', '优惠券', '赠品', '包装盒', '物流', '库存', '客服话术', '价格', '活动页', '海报', '买家秀', '评价'];
const ACTIONS = [
  '已经上传',
  '需要修改',
  '请确认一下',
  '已完成',
  '还差一点',
  '明天交付',
  '今天下午更新',
  '有问题',
  '已同步给仓库',
  '待审核',
  '已提交报名',
  '要重新拍',
  '对比过竞品了',
  '文案调整好了',
];
const REMARKS = [
  '老板说要再看看',
  '运营反馈不错',
  '有客户投诉',
  '数据显示转化率下降了',
  '点击率提升了',
  '加购率不错',
  '退款率偏高',
  '发货延迟两天',
  '仓库缺货',
  '快递暂时停发',
  '大促前必须搞定',
  '注意颜色偏差',
  '尺码表要更新',
  '文案里不要用极限词',
  '预算超了一点',
];
const LATIN = ['ROI', 'GMV', 'CPC', 'iPhone15', 'SPX', 'Shopee', 'Excel', 'PPT'];
const NAMES = ['罗欣', '周强', '杨帆', '何雪', '郭宇', '吴军', '马勇', '王芳'];
const PUNCT = ['，', '；', '。', '！', ' '];
/** The rare word: in about one comment in 20,000, and its characters nowhere else in the vocabulary. */
const RARE_PHRASE = '榴莲味的样品到了';
const RARE_EVERY = 20_000;

interface SearchCase {
  key: string;
  label: string;
  q: string;
  shops: 'all' | string[];
  /** Not one of the issue's queries: reported, no goal. */
  info?: boolean;
}

const SEARCH_CASES: SearchCase[] = [
  { key: 'rare', label: 'rare two-character word (榴莲)', q: '榴莲', shops: 'all' },
  { key: 'common', label: 'common two-character word (主图)', q: '主图', shops: 'all' },
  { key: 'two', label: 'two words (主图 上传)', q: '主图 上传', shops: 'all' },
  { key: 'latin', label: 'latin word, prefix (sku)', q: 'sku', shops: 'all' },
  { key: 'common-shop', label: "common word (主图) as one shop's member", q: '主图', shops: [SHOPS[0]!], info: true },
];

/** Every match of a case: ids and `at`, to know the newest 20. */
interface Expected {
  ids: number[];
  ats: number[];
}

const padded = (tokens: string) => ` ${tokens} `;
const termMatches = (p: string, t: QueryTerm) => p.includes(t.prefix ? ` ${t.token}` : ` ${t.token} `);

function comment(rand: () => number): string {
  const parts: string[] = [];
  if (rand() < 0.1) parts.push(`@${NAMES[Math.floor(rand() * NAMES.length)]} `);
  const clauses = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < clauses; k++) {
    if (rand() < 0.8) parts.push(`${SUBJECTS[Math.floor(rand() * SUBJECTS.length)]}${ACTIONS[Math.floor(rand() * ACTIONS.length)]}`);
    else parts.push(REMARKS[Math.floor(rand() * REMARKS.length)]!);
    parts.push(PUNCT[Math.floor(rand() * PUNCT.length)]!);
  }
  const x = rand();
  if (x < 0.05) parts.push(`SKU${100 + Math.floor(rand() * 9900)}库存只剩${1 + Math.floor(rand() * 99)}件`);
  else if (x < 0.12) parts.push(`${LATIN[Math.floor(rand() * LATIN.length)]} ${(rand() * 5).toFixed(1)}`);
  if (rand() < 1 / RARE_EVERY) parts.push(`，${RARE_PHRASE}`);
  return parts.join('').trim();
}

interface LoadFigures {
  comments: number;
  insertMs: number;
  generateMs: number;
  /** Rows per second over the first and the last fifth of the load. */
  firstFifthPerS: number;
  lastFifthPerS: number;
  buildMs: number;
  analyzeMs: number;
  dataMb: number;
  indexMb: number;
  ftAuxMb: number;
  avgTokens: number;
  avgBodyChars: number;
  indexDefinition: string;
  probe: { rows: number; withIndexMs: number; withoutIndexMs: number; buildMs: number } | null;
  expected: Record<string, Expected>;
}

const SEARCH_COLUMNS = 'id, kind, ref_id, project_id, task_id, shop_id, title, body, tokens, `at`';

/** Comment documents `from`…`to` − 1 (ids from + 1 …), as SearchIndex's toValues() makes a row. */
function commentRows(
  rand: () => number,
  from: number,
  to: number,
  n: number,
  now: number,
  onDoc: (id: number, at: number, shop: string | null, tokens: string) => void,
) {
  const rows: unknown[][] = [];
  const start = now - 365 * DAY_MS;
  for (let i = from; i < to; i++) {
    const id = i + 1;
    const taskId = 1 + Math.floor(rand() * 20_000);
    const projectId = 1 + Math.floor((taskId - 1) / 10);
    const shopPick = (projectId * 2654435761) % 10;
    const shop = shopPick === 9 ? null : SHOPS[shopPick % SHOPS.length]!;
    const title = TASK_TITLES[taskId % TASK_TITLES.length]!;
    const body = comment(rand);
    let at = Math.floor(start + ((now - start) * i) / n + rand() * 3_600_000);
    if (rand() < 0.05) at = Math.min(now, at + Math.floor(rand() * 30 * DAY_MS));
    const tokens = searchTokens(`${title}\n${body}`);
    onDoc(id, at, shop, tokens);
    rows.push([id, 'comment', id, projectId, taskId, shop, title, body, tokens, at]);
  }
  return rows;
}

/** Insert `n` comment documents into `table`, one INSERT in flight while the next batch is made. */
async function loadComments(
  conn: mysql.Connection,
  table: string,
  n: number,
  seed: number,
  onDoc: (id: number, at: number, shop: string | null, tokens: string) => void,
  log?: (l: string) => void,
): Promise<{ ms: number; generateMs: number; tenths: number[] }> {
  const rand = rng(seed);
  /** When each tenth of the rows was in (ms since the start). */
  const tenths: number[] = [];
  const now = Date.now();
  const t0 = performance.now();
  let generateMs = 0;
  let pending: Promise<unknown> | null = null;
  let lastLog = Date.now();
  for (let from = 0; from < n; from += SEARCH_BATCH) {
    const g = performance.now();
    const rows = commentRows(rand, from, Math.min(n, from + SEARCH_BATCH), n, now, onDoc);
    generateMs += performance.now() - g;
    if (pending) await pending;
    while (from >= ((tenths.length + 1) * n) / 10) tenths.push(performance.now() - t0);
    pending = conn.query(`INSERT INTO ${table} (${SEARCH_COLUMNS}) VALUES ?`, [rows]);
    if (log && Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`[projects] search:   ${fmtInt(from + rows.length)} of ${fmtInt(n)} inserted (${seconds(performance.now() - t0)})`);
    }
  }
  if (pending) await pending;
  while (tenths.length < 10) tenths.push(performance.now() - t0);
  return { ms: performance.now() - t0, generateMs, tenths };
}

const ADD_FULLTEXT = 'ADD FULLTEXT INDEX idx_search_docs_tokens (tokens)';

async function loadSearchDocs(ctx: BenchContext): Promise<LoadFigures> {
  const { conn, o, log } = ctx;
  // The probe: the same first rows into two copies of the table, one with the FULLTEXT index in place, one without
  // (then built), to see which way MariaDB loads faster.
  let probe: LoadFigures['probe'] = null;
  if (o.probe > 0) {
    log(`[projects] search: probe, ${fmtInt(o.probe)} rows with the FULLTEXT index in place vs built after`);
    await conn.query('CREATE TABLE bench_probe_ft LIKE search_docs');
    await conn.query('CREATE TABLE bench_probe_noft LIKE search_docs');
    try {
      await conn.query('ALTER TABLE bench_probe_noft DROP INDEX idx_search_docs_tokens');
      const withIndex = await loadComments(conn, 'bench_probe_ft', o.probe, 21, () => undefined);
      const without = await loadComments(conn, 'bench_probe_noft', o.probe, 21, () => undefined);
      const build = await timed(() => conn.query(`ALTER TABLE bench_probe_noft ${ADD_FULLTEXT}`));
      probe = { rows: o.probe, withIndexMs: withIndex.ms, withoutIndexMs: without.ms, buildMs: build.ms };
      log(
        `[projects] search: probe: with the index ${seconds(withIndex.ms)}; without ${seconds(without.ms)} + build ${seconds(build.ms)} = ${seconds(without.ms + build.ms)}`,
      );
    } finally {
      await conn.query('DROP TABLE IF EXISTS bench_probe_ft, bench_probe_noft');
    }
  }

  const expected: Record<string, Expected> = Object.fromEntries(SEARCH_CASES.map((c) => [c.key, { ids: [], ats: [] }]));
  const terms = SEARCH_CASES.map((c) => ({ c, terms: queryTokens(c.q), exp: expected[c.key]! }));
  let tokenCount = 0;
  log(`[projects] search: FULLTEXT index dropped; inserting ${fmtInt(o.comments)} comments in INSERTs of ${fmtInt(SEARCH_BATCH)}`);
  await conn.query('ALTER TABLE search_docs DROP INDEX idx_search_docs_tokens');
  const load = await loadComments(
    conn,
    'search_docs',
    o.comments,
    22,
    (id, at, shop, tokens) => {
      const p = padded(tokens);
      tokenCount += tokens.split(' ').length;
      for (const { c, terms: ts, exp } of terms) {
        if (c.shops !== 'all' && shop !== null && !c.shops.includes(shop)) continue;
        if (ts.every((t) => termMatches(p, t))) {
          exp.ids.push(id);
          exp.ats.push(at);
        }
      }
    },
    log,
  );
  log(`[projects] search: inserted in ${seconds(load.ms)} (${fmtInt((o.comments / load.ms) * 1000)} rows/s); building the FULLTEXT index`);
  const build = await timed(() => conn.query(`ALTER TABLE search_docs ${ADD_FULLTEXT}`));
  const analyze = await timed(() => conn.query('ANALYZE TABLE search_docs'));
  log(`[projects] search: FULLTEXT index built in ${seconds(build.ms)}`);
  const [[created]] = (await conn.query('SHOW CREATE TABLE search_docs')) as unknown as [Array<Record<string, string>>];
  const indexDefinition = /FULLTEXT KEY `idx_search_docs_tokens` \(`tokens`\)/.exec(created!['Create Table'] ?? '')?.[0] ?? '';
  if (!indexDefinition) throw new Error(`the rebuilt FULLTEXT index is not the migration's: ${created!['Create Table']}`);
  const [[size]] = (await conn.query(
    `SELECT data_length AS d, index_length AS i FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'search_docs'`,
  )) as unknown as [Array<{ d: string | number; i: string | number }>];
  let ftAuxMb = NaN;
  try {
    const [[aux]] = (await conn.query(
      `SELECT COALESCE(SUM(ALLOCATED_SIZE), 0) AS b FROM information_schema.INNODB_SYS_TABLESPACES WHERE NAME LIKE CONCAT(DATABASE(), '/FTS\\_%')`,
    )) as unknown as [Array<{ b: string | number }>];
    ftAuxMb = Number(aux!.b) / 2 ** 20;
  } catch {
    // information_schema.INNODB_SYS_TABLESPACES is not there: size unknown
  }
  const [[avg]] = (await conn.query('SELECT AVG(CHAR_LENGTH(body)) AS b FROM search_docs')) as unknown as [Array<{ b: string | number }>];
  return {
    comments: o.comments,
    insertMs: load.ms,
    generateMs: load.generateMs,
    firstFifthPerS: (0.2 * o.comments) / (load.tenths[1]! / 1000),
    lastFifthPerS: (0.2 * o.comments) / ((load.tenths[9]! - load.tenths[7]!) / 1000),
    buildMs: build.ms,
    analyzeMs: analyze.ms,
    dataMb: Number(size!.d) / 2 ** 20,
    indexMb: Number(size!.i) / 2 ** 20,
    ftAuxMb,
    avgTokens: tokenCount / o.comments,
    avgBodyChars: Number(avg!.b),
    indexDefinition,
    probe,
    expected,
  };
}

/** The `limit` newest of the expected matches, by (at, id) descending. */
function newest(e: Expected, limit = PAGE): number[] {
  const order = e.ids.map((_, k) => k);
  order.sort((a, b) => e.ats[b]! - e.ats[a]! || e.ids[b]! - e.ids[a]!);
  return order.slice(0, limit).map((k) => e.ids[k]!);
}

/**
 * The candidate fix, for the report (not the shipped code). With an index on (at, id): (1) the (at, id) of the WINDOW-th
 * newest document (after the cursor), an index-only read; (2) walk the index newest first down to that bound, checking
 * each row's tokens with LIKE — the same test as the boolean MATCH: every term a whole token, or a token's prefix for a
 * prefix term, since tokens are space-separated [a-z0-9] — plus the shop filter, stopping at the page's end. When the
 * walk fills the page, that page is the answer (it walked newest first); when it does not, the terms are rare among the
 * newest WINDOW documents, so (3) today's FULLTEXT statement runs, and it reads few rows. Both answer search()'s page.
 */
const WINDOW = 5_000;

const PROPOSAL_COLUMNS =
  'd.id AS id, d.kind AS kind, d.ref_id AS refId, d.project_id AS projectId, d.task_id AS taskId, d.title AS title, d.body AS body, d.at AS at';

function proposalWalkSql(c: SearchCase, limit: number): { sql: string; params: unknown[] } {
  const likes = queryTokens(c.q).map((t) => `CONCAT(' ', d.tokens, ' ') LIKE '% ${t.token}${t.prefix ? '' : ' '}%'`);
  const where = [...likes, 'd.at >= ? AND (d.at > ? OR d.id >= ?)'];
  const params: unknown[] = [];
  if (c.shops !== 'all') {
    where.push(`(d.shop_id IS NULL OR d.shop_id IN (${c.shops.map(() => '?').join(', ')}))`);
    params.push(...c.shops);
  }
  return {
    sql: `SELECT ${PROPOSAL_COLUMNS} FROM search_docs d FORCE INDEX (bench_search_docs_at) WHERE ${where.join(' AND ')} ORDER BY d.at DESC, d.id DESC LIMIT ${limit + 1}`,
    params,
  };
}

async function proposalSearch(ds: DataSource, index: SearchIndex, c: SearchCase, limit = PAGE): Promise<{ ids: number[]; branch: string; walkMs: number }> {
  const t = performance.now();
  const [bound] = await ds.query<Array<{ at: string | number; id: number }>>(
    `SELECT d.at AS at, d.id AS id FROM search_docs d FORCE INDEX (bench_search_docs_at) ORDER BY d.at DESC, d.id DESC LIMIT 1 OFFSET ${WINDOW - 1}`,
  );
  const b = bound ?? { at: 0, id: 0 }; // fewer documents than WINDOW: the walk covers them all
  const walk = proposalWalkSql(c, limit);
  const rows = await ds.query<Array<{ id: number }>>(walk.sql, [Number(b.at), Number(b.at), Number(b.id), ...walk.params]);
  const walkMs = performance.now() - t;
  if (rows.length > limit || !bound) return { ids: rows.slice(0, limit).map((r) => Number(r.id)), branch: 'walk', walkMs };
  const found = await index.search({ q: c.q, shops: c.shops, limit });
  return { ids: found.items.map((h) => h.refId), branch: 'walk, then FULLTEXT', walkMs };
}

interface Plan {
  sql: string;
  explain: PlanRow[];
  analyze: PlanRow[];
  analyzeJson: Record<string, string | number | boolean>;
}

interface SearchFigures {
  load: Omit<LoadFigures, 'expected'>;
  matches: Record<string, number>;
  search: Record<string, Latency>;
  pk: Latency;
  rounds: number;
  wallMs: number;
  cpu: CpuDelta;
  /** Per case: the walk over the newest documents, and the FULLTEXT statement when the walk left the page short. */
  plans: Array<Plan & { key: string; fulltext: Plan | null }>;
  common: {
    /** The common word's walk on a plain connection. */
    plainMs: number;
    handlerReads: Record<string, number>;
    /** COUNT(*) of the common word's matches among the walked (newest) documents. */
    countMs: number;
    count: number;
    poolReads: number;
    poolRequests: number;
    bufferPoolMb: number;
  };
  proposal: {
    indexMs: number;
    search: Record<string, Latency>;
    walk: Record<string, Latency>;
    branch: Record<string, string>;
    same: Record<string, boolean>;
    explain: PlanRow[];
    analyze: PlanRow[];
    walkSql: string;
    rarePool: { reads: number; requests: number };
  } | null;
  machineBusy: number;
}

/** Numbers from ANALYZE FORMAT=JSON (the first occurrence of each key, depth first). */
function pick(json: unknown, keys: string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (keys.includes(k) && !(k in out) && (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) out[k] = x;
      walk(x);
    }
  };
  walk(json);
  return out;
}

async function searchPart(ctx: BenchContext): Promise<void> {
  const { conn, o, log, stack } = ctx;
  const ds = stack.app.container.ds;
  const index = new SearchIndex(ds);
  const { expected, ...load } = await loadSearchDocs(ctx);
  const matches = Object.fromEntries(Object.entries(expected).map(([k, e]) => [k, e.ids.length]));
  log(`[projects] search: matches ${JSON.stringify(matches)}`);
  const queryOf = (c: SearchCase): SearchQuery => ({ q: c.q, shops: c.shops, limit: PAGE });

  // Each case's statements as the server runs them (general log), their plans, and its first page against the expected one.
  const planOf = async (sql: string): Promise<Plan> => {
    const [explain] = await conn.query(`EXPLAIN ${sql}`);
    const [analyze] = await conn.query(`ANALYZE ${sql}`);
    const [[json]] = (await conn.query(`ANALYZE FORMAT=JSON ${sql}`)) as unknown as [Array<Record<string, string>>];
    const analyzeJson = pick(JSON.parse(Object.values(json!)[0]!), [
      'r_total_time_ms',
      'r_rows',
      'r_table_time_ms',
      'r_other_time_ms',
      'r_used_priority_queue',
      'r_output_rows',
    ]);
    return { sql, explain: explain as PlanRow[], analyze: analyze as PlanRow[], analyzeJson };
  };
  const plans: SearchFigures['plans'] = [];
  for (const c of SEARCH_CASES) {
    let page: number[] = [];
    const ran = (
      await generalLog(conn, async () => {
        page = (await index.search(queryOf(c))).items.map((h) => h.refId);
      })
    ).map((s) => s.sql);
    const walkSql = ran.find((s) => /CONCAT\(' ', d\.tokens, ' '\) LIKE/.test(s));
    const fulltextSql = ran.find((s) => /MATCH\(d\.tokens\)/.test(s));
    if (!walkSql) throw new Error(`no search statement in the general log for ${c.q}`);
    const want = newest(expected[c.key]!);
    if (page.join() !== want.join()) throw new Error(`search(${c.q}): first page ${page.join()} is not the expected newest ${want.join()}`);
    if (!want.length) throw new Error(`search(${c.q}) has no matches: the data is not what the case needs`);
    const plan = { key: c.key, ...(await planOf(walkSql)), fulltext: fulltextSql ? await planOf(fulltextSql) : null };
    plans.push(plan);
    log(
      `[projects] search: EXPLAIN ${c.label}: walk ${planText(plan.explain)}; ANALYZE ${JSON.stringify(plan.analyzeJson)}${plan.fulltext ? `; then FULLTEXT ${planText(plan.fulltext.explain)}; ANALYZE ${JSON.stringify(plan.fulltext.analyzeJson)}` : ''}`,
    );
  }

  // Diagnostics for the common word: its walk on a plain connection, COUNT(*) in the window, the buffer pool reads of one search.
  const commonSql = plans.find((p) => p.key === 'common')!.sql;
  const median = async (sql: string, k = 5) => {
    const t: number[] = [];
    for (let i = 0; i < k; i++) t.push((await timed(() => conn.query(sql))).ms);
    return latency('', t).p50;
  };
  const countSql = commonSql.replace(/^SELECT .*? FROM /, 'SELECT COUNT(*) AS n FROM ').replace(/ ORDER BY .*$/, '');
  const countMs = await median(countSql);
  const [[countRow]] = (await conn.query(countSql)) as unknown as [Array<{ n: number | string }>];
  const poolStatus = async () => {
    const [rows] = await conn.query(`SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_reads', 'Innodb_buffer_pool_read_requests')`);
    return Object.fromEntries((rows as Array<{ Variable_name: string; Value: string }>).map((r) => [r.Variable_name, Number(r.Value)]));
  };
  const plainMs = await median(commonSql, 3);
  const handlers = async () => {
    const [rows] = await conn.query(`SHOW SESSION STATUS WHERE Variable_name LIKE 'Handler_read%'`);
    return Object.fromEntries((rows as Array<{ Variable_name: string; Value: string }>).map((r) => [r.Variable_name, Number(r.Value)]));
  };
  const h0 = await handlers();
  await conn.query(commonSql);
  const h1 = await handlers();
  const handlerReads = Object.fromEntries(
    Object.keys(h1)
      .map((k) => [k, (h1[k] ?? 0) - (h0[k] ?? 0)])
      .filter(([, v]) => (v as number) > 1),
  );
  const s0 = await poolStatus();
  await index.search(queryOf(SEARCH_CASES.find((c) => c.key === 'common')!));
  const s1 = await poolStatus();
  const [[bp]] = (await conn.query('SELECT @@innodb_buffer_pool_size AS b')) as unknown as [Array<{ b: string | number }>];

  // Measured rounds: every case through SearchIndex.search() and a primary-key lookup, rotating the order.
  const quiet = await waitForQuietMachine({ log, maxWaitMs: 60_000 });
  const samples = new Samples();
  const ids = o.comments;
  const rand = rng(23);
  const pkSql = 'SELECT id, kind, ref_id, project_id, task_id, title, body, `at` FROM search_docs WHERE id = ?';
  const pids = { mariadb: ctx.mariadbPid };
  log(`[projects] search: up to ${o.searchRounds} rounds (stopping after ${seconds(SEARCH_BUDGET_MS)} once ${SEARCH_MIN_ROUNDS} have run)`);
  const cpu0 = cpuSnapshot(pids);
  const t0 = performance.now();
  let rounds = 0;
  for (let r = -SEARCH_WARMUP; r < o.searchRounds; r++) {
    if (r >= SEARCH_MIN_ROUNDS && performance.now() - t0 > SEARCH_BUDGET_MS) break;
    const ops: Array<() => Promise<void>> = [
      ...SEARCH_CASES.map((c) => async () => {
        const { value, ms } = await timed(() => index.search(queryOf(c)));
        if (!value.items.length) throw new Error(`search(${c.q}) found nothing`);
        if (r >= 0) samples.add(c.key, ms);
      }),
      async () => {
        const id = 1 + Math.floor(rand() * ids);
        const { value, ms } = await timed(() => ds.query<unknown[]>(pkSql, [id]));
        if (value.length !== 1) throw new Error(`no search_docs row ${id}`);
        if (r >= 0) samples.add('pk', ms);
      },
    ];
    const shift = ((r % ops.length) + ops.length) % ops.length;
    for (let k = 0; k < ops.length; k++) await ops[(k + shift) % ops.length]!();
    if (r >= 0) rounds++;
  }
  const wallMs = performance.now() - t0;
  const cpu = cpuDelta(cpu0, cpuSnapshot(pids));
  const search = Object.fromEntries(SEARCH_CASES.map((c) => [c.key, samples.figures(c.key, `search(${c.q})`)]));
  for (const l of Object.values(search)) log(`[projects]   ${l.label}: ${latText(l)}`);
  const pk = samples.figures('pk', 'primary-key lookup');
  log(`[projects]   ${pk.label}: ${latText(pk)}`);

  // The candidate fix, on the same data, after the measurements (it adds an index the schema does not have).
  let proposal: SearchFigures['proposal'] = null;
  if (o.proposal) {
    log('[projects] search: the candidate fix (an index on (at, id) walked newest first, FULLTEXT for rare terms)');
    const built = await timed(() => conn.query('ALTER TABLE search_docs ADD INDEX bench_search_docs_at (`at`, id)'));
    const branch: Record<string, string> = {};
    const same: Record<string, boolean> = {};
    for (const c of SEARCH_CASES) {
      const got = await proposalSearch(ds, index, c);
      branch[c.key] = got.branch;
      same[c.key] = got.ids.join() === newest(expected[c.key]!).join();
    }
    // Buffer pool misses of one rare-word call (after a common-word search, as in the rounds).
    await index.search(queryOf(SEARCH_CASES.find((c) => c.key === 'common')!));
    const r0 = await poolStatus();
    await proposalSearch(
      ds,
      index,
      SEARCH_CASES.find((c) => c.key === 'rare')!,
    );
    const r1 = await poolStatus();
    const rarePool = {
      reads: (r1['Innodb_buffer_pool_reads'] ?? 0) - (r0['Innodb_buffer_pool_reads'] ?? 0),
      requests: (r1['Innodb_buffer_pool_read_requests'] ?? 0) - (r0['Innodb_buffer_pool_read_requests'] ?? 0),
    };
    const p = new Samples();
    const proposalRounds = Math.min(rounds, 50);
    for (let r = -SEARCH_WARMUP; r < proposalRounds; r++)
      for (const c of SEARCH_CASES) {
        const { value, ms } = await timed(() => proposalSearch(ds, index, c));
        if (r >= 0) {
          p.add(c.key, ms);
          p.add(`${c.key}:walk`, value.walkMs);
        }
      }
    const walk = proposalWalkSql(
      SEARCH_CASES.find((c) => c.key === 'common')!,
      PAGE,
    );
    const [[b]] = (await conn.query(
      `SELECT at, id FROM search_docs FORCE INDEX (bench_search_docs_at) ORDER BY at DESC, id DESC LIMIT 1 OFFSET ${WINDOW - 1}`,
    )) as unknown as [Array<{ at: string | number; id: number }>];
    const walkSql = conn.format(walk.sql, [Number(b!.at), Number(b!.at), Number(b!.id), ...walk.params]);
    const [explain] = await conn.query(`EXPLAIN ${walkSql}`);
    const [analyze] = await conn.query(`ANALYZE ${walkSql}`);
    proposal = {
      indexMs: built.ms,
      search: Object.fromEntries(SEARCH_CASES.map((c) => [c.key, p.figures(c.key, `proposal(${c.q})`)])),
      walk: Object.fromEntries(SEARCH_CASES.map((c) => [c.key, p.figures(`${c.key}:walk`, `proposal(${c.q}) bound + walk`)])),
      branch,
      same,
      explain: explain as PlanRow[],
      analyze: analyze as PlanRow[],
      walkSql,
      rarePool,
    };
    for (const l of Object.values(proposal.search)) log(`[projects]   ${l.label}: ${latText(l)}`);
    await conn.query('ALTER TABLE search_docs DROP INDEX bench_search_docs_at');
  }

  const f: SearchFigures = {
    load,
    matches,
    search,
    pk,
    rounds,
    wallMs,
    cpu,
    plans,
    common: {
      plainMs,
      handlerReads,
      countMs,
      count: Number(countRow!.n),
      poolReads: (s1['Innodb_buffer_pool_reads'] ?? 0) - (s0['Innodb_buffer_pool_reads'] ?? 0),
      poolRequests: (s1['Innodb_buffer_pool_read_requests'] ?? 0) - (s0['Innodb_buffer_pool_read_requests'] ?? 0),
      bufferPoolMb: Number(bp!.b) / 2 ** 20,
    },
    proposal,
    machineBusy: quiet.busy,
  };
  ctx.raw.search = f;
  writeSearchReport(ctx, f);
}

function writeSearchReport(ctx: BenchContext, f: SearchFigures): void {
  const { report } = ctx;
  const l = f.load;
  const n = fmtInt(l.comments);
  report.rows.push({
    metric: `search: ${n} comments loaded (bulk INSERTs, then the FULLTEXT index built)`,
    goal: '—',
    measured: `insert ${seconds(l.insertMs)} (${fmtInt((l.comments / l.insertMs) * 1000)} rows/s) + FULLTEXT build ${seconds(l.buildMs)}`,
    pass: null,
  });
  for (const c of SEARCH_CASES) {
    const s = f.search[c.key]!;
    const share = ((f.matches[c.key]! / l.comments) * 100).toFixed(f.matches[c.key]! / l.comments < 0.001 ? 3 : 1);
    report.rows.push({
      metric: `search: SearchIndex.search(), ${c.label}, ${fmtInt(f.matches[c.key]!)} matches (${share} %)`,
      goal: c.info ? '—' : `p95 < ${fmtMs(SEARCH_GOAL_MS)}`,
      measured: latText(s),
      pass: c.info ? null : s.count > 0 && s.p95 < SEARCH_GOAL_MS,
    });
  }
  report.rows.push({ metric: 'search: primary-key lookup (SELECT … FROM search_docs WHERE id = ?), same run', goal: '—', measured: latText(f.pk), pass: null });
  if (f.proposal)
    for (const c of SEARCH_CASES)
      report.rows.push({
        metric: `search, candidate fix (not shipped): ${c.label}`,
        goal: '—',
        measured: `${latText(f.proposal.search[c.key]!)}; ${f.proposal.branch[c.key]} (bound + walk p50 ${fmtMs(f.proposal.walk[c.key]!.p50)}); page ${f.proposal.same[c.key] ? 'same as search()' : 'DIFFERENT from search()'}`,
        pass: null,
      });
  const pr = l.probe;
  const probeText = pr
    ? `Load probe (the first ${fmtInt(pr.rows)} of the same rows into two empty copies of search_docs): with the FULLTEXT index in place ${seconds(pr.withIndexMs)} (${fmtInt((pr.rows / pr.withIndexMs) * 1000)} rows/s); without it ${seconds(pr.withoutIndexMs)}, then ADD FULLTEXT ${seconds(pr.buildMs)}, together ${seconds(pr.withoutIndexMs + pr.buildMs)}. Keeping the index up to date cost ${(((pr.withIndexMs - pr.withoutIndexMs) / pr.rows) * 1000).toFixed(0)} µs per row during the inserts, building it afterwards ${((pr.buildMs / pr.rows) * 1000).toFixed(0)} µs per row at ${fmtInt(pr.rows)} rows and ${((l.buildMs / l.comments) * 1000).toFixed(0)} µs per row at ${n} (one sort of all the tokens); the full load builds afterwards, as MariaDB's ALTER TABLE … ADD FULLTEXT sorts the whole table's tokens at once instead of syncing its FTS cache during the inserts. `
    : '';
  const plan = (k: string) => f.plans.find((p) => p.key === k)!;
  const common = plan('common');
  const commonShare = f.matches['common']! / l.comments;
  const hadPool = f.common.poolReads;
  const handlerText = Object.entries(f.common.handlerReads)
    .map(([k, v]) => `${k} ${fmtInt(v)}`)
    .join(', ');
  report.notes.push(
    `Search setup: ${n} comment documents (kind comment) bulk-inserted into search_docs with multi-row INSERTs of ${fmtInt(SEARCH_BATCH)} (ids 1…${n}, ref_id = id), the FULLTEXT index dropped first and rebuilt after with \`ALTER TABLE search_docs ${ADD_FULLTEXT}\` (checked to be the migration's definition). Rows as SearchIndex writes them: title = the task's title (${TASK_TITLES.length} campaign task titles such as 主图优化), body = a generated comment (1–4 clauses from ${SUBJECTS.length} subjects × ${ACTIONS.length} actions and ${REMARKS.length} remarks, 10 % @mentions, 5 % SKU numbers, 7 % latin words such as ROI/GMV, one in ${fmtInt(RARE_EVERY)} with ${RARE_PHRASE}; fixed seed; ${l.avgBodyChars.toFixed(0)} characters on average), tokens = searchTokens(title + "\\n" + body) (${l.avgTokens.toFixed(1)} tokens per document); 20,000 tasks of 2,000 projects over ${SHOPS.length} shops (10 % of projects shop-less); at over the last 365 days in id order with up to 1 h of jitter, 5 % edited up to 30 days later. Generating and tokenizing took ${seconds(l.generateMs)} of the ${seconds(l.insertMs)} insert (overlapped with the INSERTs); the insert ran at ${fmtInt(l.firstFifthPerS)} rows/s over its first fifth and ${fmtInt(l.lastFifthPerS)} rows/s over its last, once the table and its B-trees (project_id and task_id take random keys) outgrew the buffer pool. ${probeText}Full load: insert ${seconds(l.insertMs)}, FULLTEXT build ${seconds(l.buildMs)}, ANALYZE TABLE ${fmtMs(l.analyzeMs)}; table data ${fmtInt(l.dataMb)} MB, B-tree indexes ${fmtInt(l.indexMb)} MB, FULLTEXT auxiliary tables ${Number.isNaN(l.ftAuxMb) ? 'unknown' : `${fmtInt(l.ftAuxMb)} MB`}, against a ${fmtInt(f.common.bufferPoolMb)} MB InnoDB buffer pool (startMariaDb's setting: pages it misses come from the OS page cache).`,
    `Search method: SearchIndex.search({ q, shops, limit: ${PAGE} }) on the server's DataSource (mysql2 pool), the owner's scope ('all': no shop filter) except the one-shop case (shop_id IS NULL OR shop_id IN (…), as GET /api/search asks for a member bound to one shop); the primary-key lookup through the same DataSource (ds.query). ${SEARCH_WARMUP} warm-up rounds, then ${f.rounds} rounds (${seconds(f.wallMs)}), each case once per round in a rotating order, one at a time. Every case's first page equals the ${PAGE} newest matches (by at, id) computed in this process from the generated texts. CPU over the rounds: this process (server + client) ${(f.cpu.selfMs / Math.max(1, f.rounds)).toFixed(0)} ms, mariadbd ${((f.cpu.procsMs['mariadb'] ?? 0) / Math.max(1, f.rounds)).toFixed(0)} ms per round, other processes ${Math.round((othersMs(f.cpu) / (f.cpu.machineTotalMs || 1)) * 100)} % of all CPUs; machine ${Math.round(f.machineBusy * 100)} % busy before the rounds.`,
    ...f.plans.map(
      (p) =>
        `${SEARCH_CASES.find((c) => c.key === p.key)!.label}: ${p.fulltext ? 'the walk, then the FULLTEXT statement (the walk left the page short)' : 'the walk alone (it filled the page)'}. Walk: EXPLAIN ${planText(p.explain)}; ANALYZE ${planText(p.analyze)}; ANALYZE FORMAT=JSON ${JSON.stringify(p.analyzeJson)}.${p.fulltext ? ` FULLTEXT: EXPLAIN ${planText(p.fulltext.explain)}; ANALYZE ${planText(p.fulltext.analyze)}; ANALYZE FORMAT=JSON ${JSON.stringify(p.fulltext.analyzeJson)}.` : ''}`,
    ),
    `Statements (the common word, captured from the general log): the window's bound, \`SELECT d.at, d.id FROM search_docs d ORDER BY d.at DESC, d.id DESC LIMIT 1 OFFSET 4999\` (the (at, id) index, index only), then the walk \`${common.sql.replace(/`/g, '')}\`${common.fulltext ? `, then \`${common.fulltext.sql.replace(/`/g, '')}\`` : ''}.`,
    `Why the common word costs what it does (SearchIndex.searchMysql): MATCH … AGAINST would give the FULLTEXT index's whole result, ${fmtInt(f.matches['common']!)} documents (${(commonShare * 100).toFixed(1)} % of ${n}), each row read before the newest could be picked. Instead the walk reads the newest documents by the (at, id) index and keeps those whose tokens hold every term (\`CONCAT(' ', tokens, ' ') LIKE '% <token> %'\`, the same test as the boolean MATCH), stopping at ${PAGE + 1}: about ${PAGE + 1} ÷ ${commonShare.toFixed(2)} ≈ ${fmtInt((PAGE + 1) / Math.max(commonShare, 1e-9))} rows here, never more than the window (the newest 5,000 documents; ${fmtInt(f.common.count)} of them match, COUNT(*) in ${fmtMs(f.common.countMs)}). On a plain connection the walk takes ${fmtMs(f.common.plainMs)} (median of 3; search() p50 ${fmtMs(f.search['common']!.p50)}, with the bound's statement), and one run counts ${handlerText || 'no handler reads'}; ANALYZE says r_rows ${String(common.analyzeJson['r_rows'] ?? '?')}, r_total_time_ms ${Number(common.analyzeJson['r_total_time_ms'] ?? NaN).toFixed(1)}. One common search read ${fmtInt(f.common.poolRequests)} pages from the buffer pool, ${fmtInt(hadPool)} of them missing it. A term rare among the newest documents (the rare word: ${fmtInt(f.matches['rare']!)} matches in all) walks the whole window, then the FULLTEXT statement reads its few older matches.`,
    ...(f.proposal
      ? [
          `Candidate fix, tried on the same data after the measurements (proposalSearch() in this file, as proposed before SearchIndex.searchMysql shipped the same walk): an index on search_docs (at, id) (built in ${seconds(f.proposal.indexMs)}; it needs a new migration plus an @Index in search-doc.entity.ts) and, in SearchIndex.search() on MySQL/MariaDB: (1) the (at, id) of the ${fmtInt(WINDOW)}th newest document (after the cursor on later pages; this run tried first pages) — an index-only read of ${fmtInt(WINDOW)} entries; (2) walk (at, id) newest first down to that bound (FORCE INDEX), checking each row with \`CONCAT(' ', tokens, ' ') LIKE '% <token> %'\` per term (\`'% <token>%'\` for a prefix term) — the same test as the boolean MATCH, because tokens are distinct, space-separated [a-z0-9] — plus the shop filter, stopping at the page's end; (3) only when the walk does not fill the page (the terms are rare among the newest ${fmtInt(WINDOW)} documents), today's FULLTEXT statement, which then reads few rows. Pages: ${SEARCH_CASES.map((c) => `${c.key} ${f.proposal!.same[c.key] ? 'same as search()' : 'DIFFERENT'} (${f.proposal!.branch[c.key]})`).join(', ')}. Walk for the common word: \`${f.proposal.walkSql.replace(/`/g, '')}\`; EXPLAIN ${planText(f.proposal.explain)}; ANALYZE ${planText(f.proposal.analyze)}. Cost: the walk reads about ${PAGE + 1} ÷ (share of documents matching) rows, never more than ${fmtInt(WINDOW)}; the FULLTEXT fallback runs for terms matching fewer than ~${PAGE + 1} of the newest ${fmtInt(WINDOW)} documents (≲ ${(((PAGE + 1) / WINDOW) * 100).toFixed(1)} % of recent ones), i.e. few rows when the term is as rare overall as recently. Here the rare word paid for that: bound + walk ${fmtMs(f.proposal.walk['rare']!.p50)} p50 (one call right after a common-word search read ${fmtInt(f.proposal.rarePool.requests)} buffer pool pages, ${fmtInt(f.proposal.rarePool.reads)} of them missing the 32 MB pool), then the FULLTEXT statement — ${fmtMs(f.proposal.search['rare']!.p50)} p50 against ${fmtMs(f.search['rare']!.p50)} today; a smaller WINDOW lowers that and sends more terms to the FULLTEXT fallback. Worst case: a term common long ago but absent recently costs today's statement plus the ${fmtInt(WINDOW)}-row walk — never much worse than now. Works the same on MySQL 8 (no MariaDB-only syntax); SQLite (FTS5) is untouched.`,
        ]
      : []),
  );
}

// ───────────────────────────── gantt ─────────────────────────────

/**
 * Goal (p95, set before measuring): navigation start → every bar of the chart painted, cold, on the throttled phone.
 * Three seconds is the usual limit of how long people wait for a page on a phone; the home page's goal on the same
 * profile is 2 s (issue 3) with far less to fetch and draw, and the chart is a second screen opened on purpose, so it
 * gets one second more, not several.
 */
export const GANTT_GOAL_MS = 3_000;
const GANTT_TIMEOUT_MS = 180_000;
/** The sampling profiler's interval on the profiled run (µs). */
const PROFILE_INTERVAL_US = 250;

/** The baseline: a desktop browser window, wide enough to drag bars (the owner's chart is draggable there), unthrottled. */
const DESKTOP_CONTEXT = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false, locale: 'zh-CN' } as const;

interface GanttProfile {
  key: 'phone' | 'desktop';
  label: string;
  context: BrowserContextOptions;
  cpu: number;
  network: typeof FAST_3G | null;
}

const GANTT_PROFILES: readonly GanttProfile[] = [
  { key: 'phone', label: `phone (360×640@2, ${CPU_SLOWDOWN}× CPU slowdown, Fast 3G)`, context: PHONE_CONTEXT, cpu: CPU_SLOWDOWN, network: FAST_3G },
  { key: 'desktop', label: 'desktop (1280×800, no throttling)', context: DESKTOP_CONTEXT, cpu: 1, network: null },
];

/** What the page's watcher (WATCH_GANTT) records, in performance.now() ms from navigation start. */
interface GanttWatch {
  /** GanttPlaceholder shown: the project is on the page and the chart's chunk is on its way. */
  loadingAt?: number;
  /** Every bar the chart draws in the DOM (frappe-gantt: new Gantt(…) and decorate(), one task; PhoneGantt: one render). */
  barsAt?: number;
  bars?: number;
  /** The next frame's requestAnimationFrame, after frappe-gantt's own label callbacks (registered before it). */
  frameAt?: number;
  /** The first task after that frame's style, layout and paint. */
  paintedAt?: number;
  failed?: boolean;
  longTasks: Array<[number, number]>;
}

declare global {
  interface Window {
    __ganttBench?: GanttWatch;
  }
}

/**
 * Runs before any page script. A string, not a function: tsx/esbuild would wrap named inner functions in a `__name`
 * helper that does not exist in the page (as h5-perf.ts). The chart says how many tasks it holds (data-rows, all of
 * them) and how many bars it draws now (data-drawn: every task on frappe-gantt, the rows in view on the phone's
 * windowed chart); the bars get their data-testid in the same task that draws them (decorate() on frappe-gantt, the
 * render on the phone), so the observer's callback (a microtask after that task's script) sees them all at once.
 */
const watchGantt = (tasks: number) => `(() => {
  const want = ${tasks};
  const m = { longTasks: [] };
  window.__ganttBench = m;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) m.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {}
  const observer = new MutationObserver(() => {
    if (m.loadingAt === undefined && document.querySelector('[data-testid="gantt-loading"]')) m.loadingAt = performance.now();
    if (document.querySelector('[data-testid="gantt-failed"]')) m.failed = true;
    const chart = document.querySelector('[data-testid="gantt-chart"]');
    if (!chart || Number(chart.getAttribute('data-rows')) !== want) return;
    const drawn = Number(chart.getAttribute('data-drawn'));
    const bars = chart.querySelectorAll('[data-testid="gantt-bar"]').length;
    if (!(drawn > 0) || bars < drawn) return;
    m.barsAt = performance.now();
    m.bars = bars;
    observer.disconnect();
    requestAnimationFrame(() => {
      m.frameAt = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { m.paintedAt = performance.now(); };
      channel.port2.postMessage(0);
    });
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

interface GanttNodes {
  /** The chart's <svg> and every element in it. */
  svg: number;
  /** The chart's HTML elements (frappe-gantt 1.x draws its date header and side header as HTML). */
  chartHtml: number;
  /** The tasks the chart holds (data-rows) and who drew it (data-renderer: frappe-gantt or phone). */
  rows: number;
  renderer: string;
  bars: number;
  arrows: number;
  /** Every element of the document. */
  document: number;
  svgWidth: number;
  svgHeight: number;
}

interface GanttSample {
  paintedMs: number;
  barsMs: number;
  frameMs: number;
  loadingMs: number | null;
  /** GET /api/projects/:id (Resource Timing). */
  api: { startMs: number; endMs: number; transferBytes: number; bodyBytes: number } | null;
  /** The GanttChart chunk (frappe-gantt and GanttChart.vue) received; null on the phone (PhoneGantt is in the page's chunk). */
  chunkEndMs: number | null;
  fcpMs: number | null;
  /** Long tasks (> 50 ms) from navigation start until painted. */
  longTasks: { count: number; totalMs: number; longestMs: number };
  /** CDP Performance.getMetrics right after the paint (durations in s, as Chrome reports them). */
  metrics: Record<string, number>;
  heapUsedMb: number;
  heapAfterGcMb: number;
  nodes: GanttNodes;
  transferBytes: number;
  requests: number;
  draggable: boolean;
  /** Every request the page made (Resource Timing; the document itself not included). */
  resources: Array<{ path: string; startMs: number; endMs: number; transferBytes: number; queuedMs: number; protocol: string }>;
}

/** Open the project's Gantt in a fresh page of `context` (signed in), cache disabled, throttled as `p` says. */
async function ganttLoad(
  context: BrowserContext,
  baseUrl: string,
  projectId: number,
  tasks: number,
  p: GanttProfile,
  profile: boolean,
): Promise<{ sample: GanttSample; cpuProfile: CpuProfile | null }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (p.network) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...p.network });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: p.cpu });
    await cdp.send('Performance.enable');
    let transferBytes = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
      transferBytes += e.encodedDataLength;
      requests += 1;
    });
    await page.addInitScript(watchGantt(tasks));
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US });
      await cdp.send('Profiler.start');
    }
    await page.goto(`${baseUrl}/projects/${projectId}?view=gantt`, { waitUntil: 'commit', timeout: 120_000 });
    // A function, not a string: a string would need eval, which the CSP forbids.
    await page.waitForFunction(() => window.__ganttBench?.paintedAt !== undefined || window.__ganttBench?.failed === true, null, {
      timeout: GANTT_TIMEOUT_MS,
      polling: 100,
    });
    const cpuProfile = profile ? ((await cdp.send('Profiler.stop')).profile as CpuProfile) : null;
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = await cdp.send('Runtime.getHeapUsage');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const seen = await page.evaluate((apiPath) => {
      const chart = document.querySelector('[data-testid="gantt-chart"]');
      const svg = chart?.querySelector('svg') ?? null;
      // window.performance: a bare `performance` here would be node:perf_hooks' import, as tsx compiles this file.
      const resources = window.performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const api = resources.find((r) => new URL(r.name).pathname === apiPath);
      const chunk = resources.find((r) => /\/assets\/GanttChart-[^/]*\.js$/.test(new URL(r.name).pathname));
      const fcp = window.performance.getEntriesByName('first-contentful-paint')[0];
      const svgNodes = svg ? svg.getElementsByTagName('*').length + 1 : 0;
      const box = svg?.getBoundingClientRect();
      return {
        watch: window.__ganttBench!,
        path: location.pathname,
        api: api ? { startMs: api.startTime, endMs: api.responseEnd, transferBytes: api.transferSize, bodyBytes: api.decodedBodySize } : null,
        chunkEndMs: chunk ? chunk.responseEnd : null,
        fcpMs: fcp ? fcp.startTime : null,
        nodes: {
          svg: svgNodes,
          chartHtml: chart ? chart.getElementsByTagName('*').length - svgNodes : 0,
          rows: Number(chart?.getAttribute('data-rows') ?? 0),
          renderer: chart?.getAttribute('data-renderer') ?? '?',
          bars: chart ? chart.querySelectorAll('.bar-wrapper').length : 0,
          arrows: chart ? chart.querySelectorAll('.arrow path').length : 0,
          document: document.getElementsByTagName('*').length,
          svgWidth: Math.round(box?.width ?? 0),
          svgHeight: Math.round(box?.height ?? 0),
        },
        draggable: chart?.getAttribute('data-draggable') === 'true',
        resources: resources.map((r) => ({
          path: new URL(r.name).pathname,
          startMs: r.startTime,
          endMs: r.responseEnd,
          transferBytes: r.transferSize,
          queuedMs: r.requestStart > 0 ? r.requestStart - r.startTime : 0,
          protocol: r.nextHopProtocol,
        })),
      };
    }, `/api/projects/${projectId}`);
    await cdp.send('HeapProfiler.collectGarbage');
    const afterGc = await cdp.send('Runtime.getHeapUsage');
    await cdp.detach();
    const w = seen.watch;
    if (seen.path !== `/projects/${projectId}`) throw new Error(`gantt (${p.key}): ended on ${seen.path}, not the project (signed out?)`);
    if (w.failed || w.paintedAt === undefined) throw new Error(`gantt (${p.key}): the chart failed to load${errors.length ? `: ${errors.join('; ')}` : ''}`);
    if (errors.length) throw new Error(`gantt (${p.key}): errors on the page: ${errors.join('; ')}`);
    const until = w.paintedAt;
    const long = w.longTasks.filter(([start]) => start <= until);
    return {
      sample: {
        paintedMs: w.paintedAt,
        barsMs: w.barsAt!,
        frameMs: w.frameAt!,
        loadingMs: w.loadingAt ?? null,
        api: seen.api,
        chunkEndMs: seen.chunkEndMs,
        fcpMs: seen.fcpMs,
        longTasks: { count: long.length, totalMs: long.reduce((s, [, d]) => s + d, 0), longestMs: Math.max(0, ...long.map(([, d]) => d)) },
        metrics: Object.fromEntries(metrics.map((m) => [m.name, m.value])),
        heapUsedMb: heap.usedSize / 2 ** 20,
        heapAfterGcMb: afterGc.usedSize / 2 ** 20,
        nodes: seen.nodes,
        transferBytes,
        requests,
        draggable: seen.draggable,
        resources: seen.resources,
      },
      cpuProfile,
    };
  } finally {
    await page.close();
  }
}

/** Sign `context` in as `userid` through the WeCom simulator's member chooser (unthrottled), as the e2e helpers do. */
async function signInBrowser(context: BrowserContext, stack: Stack, userid: string): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.baseUrl}/`, { timeout: 60_000 });
    await page.waitForURL((u) => u.href.startsWith(stack.sim.url), { timeout: 30_000 });
    await page.click(`a[data-userid="${userid}"]`);
    await page.waitForURL((u) => u.href.startsWith(stack.baseUrl), { timeout: 30_000 });
    await page.waitForSelector('[data-testid="work-cards"]', { timeout: 30_000 });
  } finally {
    await page.close();
  }
}

/** Our own functions in the built (minified) H5, found by a piece of their code: the last `function NAME(` before it. */
const OWN_FUNCTIONS = [
  { key: 'ganttBars()', what: 'projectGantt.ts: the tasks as frappe-gantt bars, sorted', marker: /dependencies:[\w$]+\.dependsOn\.filter\(/ },
  { key: 'decorate()', what: 'GanttChart.vue: data-testid, aria-label on every bar', marker: /"data-testid","gantt-bar"/ },
  { key: 'build()', what: 'GanttChart.vue: new Gantt(…), then decorate()', marker: /readonly:![\w$]+\.draggable/ },
  { key: 'phoneLayout()', what: "phoneGantt.ts: the phone chart's rows laid out, once per project answer", marker: /aria:`\$\{[\w$]+\.title\} \$\{/ },
] as const;

/** frappe-gantt's methods (kept by the minifier: class members), the steps of its first render. */
const FRAPPE_STEPS = [
  'setup_tasks',
  'setup_dates',
  'setup_layers',
  'make_grid',
  'make_dates',
  'make_grid_extras',
  'make_bars',
  'make_arrows',
  'get_task',
  'map_arrows_on_bars',
  'set_dimensions',
  'set_scroll_position',
  'bind_events',
  'update_label_position',
] as const;

interface OwnFunction {
  key: string;
  what: string;
  file: string;
  name: string;
  offset: number;
}

function findOwnFunctions(): OwnFunction[] {
  const dir = join(H5_DIST, 'assets');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  const found: OwnFunction[] = [];
  for (const fn of OWN_FUNCTIONS)
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      const at = fn.marker.exec(text)?.index;
      if (at === undefined) continue;
      const decls = [...text.slice(0, at).matchAll(/function\s+([\w$]+)\s*\(/g)];
      const last = decls[decls.length - 1];
      if (last) found.push({ key: fn.key, what: fn.what, file, name: last[1]!, offset: last.index });
      break;
    }
  return found;
}

interface GanttProfileFigures {
  intervalUs: number;
  totalMs: number;
  /** From the first sample inside the chart's build() / phoneLayout() to the end of the profile (the paint, then ≤ 100 ms of polling). */
  chartMs: number;
  /** Self time by where the code comes from, over the chart part and over the whole navigation. */
  chartBuckets: Array<[string, number]>;
  allBuckets: Array<[string, number]>;
  /** Time inside our functions and frappe-gantt's steps, their callees included. */
  steps: Array<[string, number]>;
  /** The functions with the most self time over the chart part. */
  top: Array<[string, number]>;
  own: OwnFunction[];
  sample: GanttSample;
}

function analyseGanttProfile(profile: CpuProfile, sample: GanttSample): GanttProfileFigures {
  const own = findOwnFunctions();
  const texts = new Map<string, { text: string; lineStarts: number[] }>();
  const source = (file: string) => {
    let s = texts.get(file);
    if (!s) {
      const text = readFileSync(join(H5_DIST, 'assets', file), 'utf8');
      const lineStarts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
      s = { text, lineStarts };
      texts.set(file, s);
    }
    return s;
  };
  const fileOf = (f: ProfileFrame) => /\/assets\/([^/?#]+\.js)/.exec(f.url)?.[1] ?? null;
  const ownOf = (f: ProfileFrame): OwnFunction | undefined => {
    const file = fileOf(f);
    if (!file) return undefined;
    return own.find((o) => {
      if (o.file !== file || o.name !== f.functionName) return false;
      const at = (source(file).lineStarts[f.lineNumber] ?? 0) + f.columnNumber;
      return Math.abs(at - o.offset) <= 40;
    });
  };
  const inGanttChunk = (f: ProfileFrame) => /\/assets\/GanttChart-[^/]*\.js/.test(f.url);
  const bucket = (f: ProfileFrame): string => {
    if (f.functionName.startsWith('(')) return f.functionName;
    const mine = ownOf(f);
    if (mine) return `our ${mine.key}`;
    const file = fileOf(f);
    if (!file) return f.url ? 'other scripts' : `native: ${f.functionName || '(anonymous)'}`;
    if (inGanttChunk(f)) return 'frappe-gantt';
    if (file.startsWith('vue-')) return 'Vue, vue-router, Pinia';
    if (file.startsWith('i18n-')) return 'vue-i18n';
    return 'other app code';
  };
  const name = (f: ProfileFrame): string => {
    const mine = ownOf(f);
    if (mine) return `our ${mine.key}`;
    if (f.functionName.startsWith('(')) return f.functionName;
    const file = fileOf(f);
    const where = !file ? 'native' : inGanttChunk(f) ? 'frappe-gantt' : file.replace(/-[\w-]{8}\.js$/, '');
    // A minifier's name (or none) says nothing: the start of the function's code beside it.
    let code = '';
    if (file && f.functionName.length <= 2) {
      const src = source(file);
      const at = (src.lineStarts[f.lineNumber] ?? 0) + f.columnNumber;
      code = ` \`${src.text.slice(at, at + 60)}…\``;
    }
    return `${f.functionName || '(anonymous)'} [${where}]${code}`;
  };
  const step = (f: ProfileFrame): string | null => {
    const mine = ownOf(f);
    if (mine) return `our ${mine.key}`;
    return inGanttChunk(f) && (FRAPPE_STEPS as readonly string[]).includes(f.functionName) ? f.functionName : null;
  };
  // Where the chart's own work starts: frappe-gantt's build(), or the phone chart's phoneLayout() (in its first render).
  const startFns = own.filter((o) => o.key === 'build()' || o.key === 'phoneLayout()');
  const from = firstSampleUnder(profile, (f) => startFns.includes(ownOf(f)!)) ?? undefined;
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  const chartBuckets = sorted(selfBy(profile, bucket, { fromUs: from }));
  return {
    intervalUs: PROFILE_INTERVAL_US,
    totalMs: profileMs(profile),
    chartMs: from === undefined ? 0 : (profile.endTime - from) / 1000,
    chartBuckets,
    allBuckets: sorted(selfBy(profile, bucket)),
    steps: sorted(inclusiveBy(profile, step)),
    top: sorted(selfBy(profile, name, { fromUs: from })).slice(0, 15),
    own,
    sample,
  };
}

interface GanttFigures {
  project: SeededProject;
  json: { bytes: number; gzip: number; brotli: number; tasks: number; arrows: number; critical: number };
  runs: number;
  byProfile: Record<
    GanttProfile['key'],
    {
      label: string;
      samples: GanttSample[];
      painted: Latency;
      /** The project JSON (and the GanttChart chunk, on the desktop) received → painted: the chart's own work. */
      chart: Latency;
      /** Bars in the DOM → painted: frappe-gantt's label pass (getBBox per bar), style, layout, paint. */
      paint: Latency;
    }
  >;
  profile: GanttProfileFigures | null;
  h5: string;
  browserVersion: string;
  machineBusy: number;
}

/** When the chart could start: the project JSON received, and the chart's own chunk when it has one (the desktop's). */
const chartStart = (s: GanttSample): number => Math.max(s.api?.endMs ?? NaN, s.chunkEndMs ?? 0);

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

async function ganttPart(ctx: BenchContext): Promise<void> {
  const { o, conn, stack, log, report } = ctx;
  const browser = await requireBrowser();
  if (!browser) {
    report.rows.push({
      metric: 'gantt: first render on the throttled phone',
      goal: `p95 < ${seconds(GANTT_GOAL_MS)}`,
      measured: 'skipped: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)',
      pass: null,
    });
    return;
  }
  try {
    // A project of its own, from the same generator and seed as the reschedule part's: that one has been moved 14 days
    // at a time some 40 times by now, which stretches its chart over well over a year of columns.
    const today = todayIn(stack.app.container.config.TZ_CORP, Date.now());
    log(`[projects] gantt: seeding ${fmtInt(o.tasks)} tasks, ${fmtInt(o.deps)} dependencies in ${o.layers} layers`);
    const { sched: _sched, ...project } = await seedProject(conn, o.tasks, o.deps, o.layers, today);
    const res = await ctx.http.request('GET', `/api/projects/${project.projectId}`);
    if (res.status !== 200) throw new Error(`GET /api/projects/:id answered ${res.status}`);
    const detail = JSON.parse(res.body.toString()) as ProjectDetail;
    if (detail.tasks.length !== project.tasks) throw new Error(`GET /api/projects/:id: ${detail.tasks.length} tasks, not ${project.tasks}`);
    const json = {
      bytes: res.body.length,
      gzip: gzipSync(res.body, { level: 6 }).length,
      brotli: brotliCompressSync(res.body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: res.body.length } })
        .length,
      tasks: detail.tasks.length,
      arrows: detail.tasks.reduce((s, t) => s + t.dependsOn.length, 0),
      critical: detail.tasks.filter((t) => t.critical).length,
    };

    const contexts = new Map<GanttProfile['key'], BrowserContext>();
    for (const p of GANTT_PROFILES) {
      const context = await browser.newContext({ ...p.context });
      await signInBrowser(context, stack, OWNER);
      contexts.set(p.key, context);
    }
    const quiet = await waitForQuietMachine({ log, maxWaitMs: 60_000 });
    const samples: Record<GanttProfile['key'], GanttSample[]> = { phone: [], desktop: [] };
    log(`[projects] gantt: 1 warm-up round, then ${o.ganttRuns} rounds of a cold load on each profile (order alternating)`);
    for (let r = -1; r < o.ganttRuns; r++) {
      for (const p of r % 2 === 0 ? GANTT_PROFILES : [...GANTT_PROFILES].reverse()) {
        const { sample } = await ganttLoad(contexts.get(p.key)!, stack.baseUrl, project.projectId, project.tasks, p, false);
        if (sample.nodes.rows !== project.tasks) throw new Error(`gantt (${p.key}): the chart holds ${sample.nodes.rows} tasks, not ${project.tasks}`);
        if (sample.nodes.renderer === 'frappe-gantt' && sample.nodes.bars !== project.tasks)
          throw new Error(`gantt (${p.key}): ${sample.nodes.bars} bars drawn for ${project.tasks} tasks`);
        if (sample.nodes.bars < 1) throw new Error(`gantt (${p.key}): no bar drawn`);
        if (r >= 0) samples[p.key].push(sample);
        log(
          `[projects]   ${p.key}${r < 0 ? ' (warm-up)' : ` ${r + 1}`}: painted ${fmtMs(sample.paintedMs)} (project JSON ${fmtMs(sample.api?.endMs ?? NaN)}, chunk ${fmtMs(sample.chunkEndMs ?? NaN)}, ${sample.nodes.bars} bars (${sample.nodes.renderer}) in DOM ${fmtMs(sample.barsMs)}), heap ${sample.heapUsedMb.toFixed(1)} MB`,
        );
      }
    }
    log('[projects] gantt: one more phone load with the sampling profiler');
    const phone = GANTT_PROFILES.find((p) => p.key === 'phone')!;
    const profiled = await ganttLoad(contexts.get('phone')!, stack.baseUrl, project.projectId, project.tasks, phone, true);
    const profile = profiled.cpuProfile ? analyseGanttProfile(profiled.cpuProfile, profiled.sample) : null;
    for (const c of contexts.values()) await c.close();

    const figures = (p: GanttProfile) => {
      const list = samples[p.key];
      return {
        label: p.label,
        samples: list,
        painted: latency(
          `${p.key}: navigation → bars painted`,
          list.map((s) => s.paintedMs),
        ),
        chart: latency(
          `${p.key}: JSON and chunk received → painted`,
          list.map((s) => s.paintedMs - chartStart(s)),
        ),
        paint: latency(
          `${p.key}: bars in DOM → painted`,
          list.map((s) => s.paintedMs - s.barsMs),
        ),
      };
    };
    const f: GanttFigures = {
      project,
      json,
      runs: o.ganttRuns,
      byProfile: { phone: figures(phone), desktop: figures(GANTT_PROFILES.find((p) => p.key === 'desktop')!) },
      profile,
      h5: ctx.h5 ?? 'h5/dist as found',
      browserVersion: browser.version(),
      machineBusy: quiet.busy,
    };
    ctx.raw.gantt = { ...f, profile: profile && { ...profile, sample: undefined } };
    for (const k of ['phone', 'desktop'] as const) log(`[projects]   ${f.byProfile[k].painted.label}: ${latText(f.byProfile[k].painted)}`);
    writeGanttReport(ctx, f);
  } finally {
    await browser.close();
  }
}

/**
 * What a load fetched before it asked for the project (the app's boot on this page): requests by kind, and the longest
 * chain of requests each started only after the one before it had ended (each link costs at least one round trip).
 */
function bootRequests(s: GanttSample): string {
  const apiStart = s.api?.startMs ?? Infinity;
  const before = s.resources.filter((r) => r.startMs < apiStart).sort((a, b) => a.startMs - b.startMs);
  const kind = (path: string) =>
    path.startsWith('/api/') || path.startsWith('/auth/')
      ? 'API'
      : path.endsWith('.js')
        ? 'JS'
        : path.endsWith('.css')
          ? 'CSS'
          : /\.(woff2?|ttf)$/.test(path)
            ? 'font'
            : 'other';
  const counts = new Map<string, number>();
  for (const r of before) counts.set(kind(r.path), (counts.get(kind(r.path)) ?? 0) + 1);
  const depth: number[] = [];
  before.forEach((r, i) => {
    depth[i] = 1 + Math.max(0, ...before.slice(0, i).flatMap((q, j) => (q.endMs <= r.startMs ? [depth[j]!] : [])));
  });
  const apis = [...new Set(before.filter((r) => kind(r.path) === 'API').map((r) => r.path))];
  const queued = before.filter((r) => r.queuedMs >= 50);
  const protocols = [...new Set(before.map((r) => r.protocol).filter(Boolean))];
  return `${before.length} requests before the project JSON was asked for at ${fmtMs(apiStart)} (${[...counts.entries()].map(([k, v]) => `${v} ${k}`).join(', ')}; ${fmtInt(before.reduce((n, r) => n + r.transferBytes, 0) / 1024)} KB; API calls: ${apis.join(', ') || 'none'}; ${protocols.join(', ') || 'protocol unknown'}), the document's own request not counted; the longest chain of them each started after the previous one ended: ${Math.max(0, ...depth)} requests; ${queued.length} of them waited ≥ 50 ms for a connection (Resource Timing requestStart − startTime: median ${fmtMs(median(queued.map((r) => r.queuedMs)))}, longest ${fmtMs(Math.max(0, ...queued.map((r) => r.queuedMs)))})`;
}

function writeGanttReport(ctx: BenchContext, f: GanttFigures): void {
  const { report } = ctx;
  const p = f.project;
  const ph = f.byProfile.phone;
  const dt = f.byProfile.desktop;
  const kb = (b: number) => `${fmtInt(b / 1024)} KB`;
  const mid = (list: GanttSample[], pick: (s: GanttSample) => number | null | undefined) =>
    median(list.map((s) => pick(s) ?? NaN).filter((x) => !Number.isNaN(x)));
  const phases = (list: GanttSample[]) =>
    `medians: project JSON requested ${fmtMs(mid(list, (s) => s.api?.startMs))}, received ${fmtMs(mid(list, (s) => s.api?.endMs))}, ${list.some((s) => s.chunkEndMs !== null) ? `GanttChart chunk received ${fmtMs(mid(list, (s) => s.chunkEndMs))}` : 'no chart chunk (PhoneGantt is in the page chunk)'}, the bars drawn in the DOM ${fmtMs(mid(list, (s) => s.barsMs))}, painted ${fmtMs(mid(list, (s) => s.paintedMs))}`;
  const last = ph.samples[ph.samples.length - 1];
  report.rows.push(
    {
      metric: `gantt: first render, ${ph.label}, cold: navigation → the chart of ${fmtInt(p.tasks)} tasks (${fmtInt(f.json.arrows)} dependencies) painted, its first screen (${ph.samples[0]?.nodes.renderer === 'phone' ? `windowed: ${fmtInt(mid(ph.samples, (s) => s.nodes.bars))} rows drawn` : 'every bar'})`,
      goal: `p95 < ${seconds(GANTT_GOAL_MS)}`,
      measured: `${latText(ph.painted)}; ${phases(ph.samples)}`,
      pass: ph.painted.count > 0 && ph.painted.p95 < GANTT_GOAL_MS,
    },
    {
      metric: `gantt: first render, ${dt.label}, cold (baseline, same run; frappe-gantt, every bar, draggable there)`,
      goal: '—',
      measured: `${latText(dt.painted)}; ${phases(dt.samples)}`,
      pass: null,
    },
    {
      metric: 'gantt: the chart alone (the project JSON and, on the desktop, the GanttChart chunk received → painted), phone / desktop',
      goal: '—',
      measured: `phone ${latText(ph.chart)}; desktop ${latText(dt.chart)}`,
      pass: null,
    },
    {
      metric: 'gantt: after render on the phone: JS heap, SVG nodes',
      goal: '—',
      measured: last
        ? `JS heap ${mid(ph.samples, (s) => s.heapUsedMb).toFixed(1)} MB used (median; ${mid(ph.samples, (s) => s.heapAfterGcMb).toFixed(1)} MB after a forced GC); SVG ${fmtInt(last.nodes.svg)} elements (${fmtInt(last.nodes.bars)} bars, ${fmtInt(last.nodes.arrows)} arrows), ${fmtInt(last.nodes.chartHtml)} HTML elements in the chart, ${fmtInt(last.nodes.document)} in the document; SVG ${fmtInt(last.nodes.svgWidth)} × ${fmtInt(last.nodes.svgHeight)} CSS px`
        : '—',
      pass: null,
    },
  );
  const metric = (list: GanttSample[], name: string, scale = 1000) => mid(list, (s) => (s.metrics[name] ?? NaN) * scale);
  const chromeText = (list: GanttSample[]) =>
    `script ${fmtMs(metric(list, 'ScriptDuration'))}, style recalculation ${fmtMs(metric(list, 'RecalcStyleDuration'))} (${fmtInt(metric(list, 'RecalcStyleCount', 1))} times), layout ${fmtMs(metric(list, 'LayoutDuration'))} (${fmtInt(metric(list, 'LayoutCount', 1))} times), all main-thread tasks ${fmtMs(metric(list, 'TaskDuration'))}; long tasks ${fmtInt(mid(list, (s) => s.longTasks.count))}, ${fmtMs(mid(list, (s) => s.longTasks.totalMs))} together, the longest ${fmtMs(mid(list, (s) => s.longTasks.longestMs))}`;
  const api = last?.api;
  report.notes.push(
    `Gantt setup: a project of its own (the reschedule part's generator and seed: ${fmtInt(p.tasks)} tasks, ${fmtInt(p.deps)} dependencies, ${p.layers} layers, ${p.start} … ${p.end}), because by then the reschedule part has pushed its project's chain ${SHIFT_DAYS} days at a time some 40 times. GET /api/projects/:id for it: ${kb(f.json.bytes)} of JSON, compressed by the server for a browser that accepts it (koa-compress; gzip -6 makes it ${kb(f.json.gzip)}, brotli q5 ${kb(f.json.brotli)}). ${fmtInt(f.json.critical)} tasks on the critical path. H5: ${f.h5}. Browser: Debian's Chromium ${f.browserVersion} via playwright-core (test/support/browser.ts), headless; one browser context per profile, signed in as the owner ${OWNER} through the WeCom simulator's member chooser (unthrottled), then every load a fresh page of that context.`,
    `Gantt method: each load opens /projects/${p.projectId}?view=gantt in a new page with the cache disabled (Network.setCacheDisabled, as h5-perf's cold runs), throttled through CDP: phone = PHONE_CONTEXT (360×640, DPR 2, touch, zh-CN: the chart readonly, drawn by PhoneGantt, windowed, column width 24) with Emulation.setCPUThrottlingRate ${CPU_SLOWDOWN} and Lighthouse's "Fast 3G" (${FAST_3G.latency} ms RTT, ${((FAST_3G.downloadThroughput * 8) / 1e6).toFixed(2)} Mbps down), h5-perf's phone profile; desktop = 1280×800, DPR 1, mouse (frappe-gantt, draggable, column width 36), no throttling. A script injected before the page's own (Page.addScriptToEvaluateOnNewDocument) watches the DOM: the time is performance.now() (from navigation start) at the first task after the frame in which the chart holds all ${fmtInt(p.tasks)} tasks (its data-rows) and every [data-testid="gantt-bar"] it draws exists (its data-drawn: all ${fmtInt(p.tasks)} on frappe-gantt, whose label callbacks, one requestAnimationFrame per bar, have run by then; on the phone the rows in the chart's box and 8 more either side, with their arrows, the header's days and months: what the screen shows), i.e. after that frame's style, layout and paint. The project JSON and the chunk times are Resource Timing's responseEnd. One warm-up round, then ${f.runs} rounds of one phone and one desktop load (order alternating); p95 of ${f.runs} is the slowest. Heap: Runtime.getHeapUsage right after the paint, then after HeapProfiler.collectGarbage. Machine ${Math.round(f.machineBusy * 100)} % busy before the rounds; the server, the simulator and MariaDB ran on the same ${report.machine.nproc} CPUs as Chromium.`,
    `Gantt, what Chrome counted per load (CDP Performance.getMetrics at the paint, medians): phone ${chromeText(ph.samples)}; desktop ${chromeText(dt.samples)}. Phone network: ${last ? `${fmtInt(last.requests)} requests, ${kb(last.transferBytes)} over the wire; ${bootRequests(last)}` : '—'}${api ? `; GET /api/projects/:id started at ${fmtMs(api.startMs)} and ended at ${fmtMs(api.endMs)} (${kb(api.transferBytes)})` : ''}. On the desktop the chart's chunk (frappe-gantt) is requested only once the project is on the page (the component is lazy, rendered inside v-if="item"), so its download follows the JSON's; the phone's chart is part of the project page's chunk.`,
  );
  const split = (list: GanttSample[]) => {
    const d = (pick: (s: GanttSample) => number) => fmtMs(median(list.map(pick).filter((x) => !Number.isNaN(x))));
    const head = `navigation → project JSON requested ${d((s) => s.api?.startMs ?? NaN)} (the app's boot on this route), its download ${d((s) => (s.api ? s.api.endMs - s.api.startMs : NaN))}`;
    if (list.every((s) => s.chunkEndMs === null))
      return `${head}, then JSON → the bars in the DOM ${d((s) => s.barsMs - (s.api?.endMs ?? NaN))} (JSON parse, the page's render, PhoneGantt's layout and first rows) and bars → painted ${d((s) => s.paintedMs - s.barsMs)} (style, layout, paint)`;
    return `${head}, then the chart's chunk ${d((s) => (s.chunkEndMs ?? NaN) - (s.api?.endMs ?? NaN))}, then chunk → all bars in the DOM ${d((s) => s.barsMs - (s.chunkEndMs ?? NaN))} (module, Vue mount, build()) and bars → painted ${d((s) => s.paintedMs - s.barsMs)} (frappe-gantt's label pass, style, layout, paint)`;
  };
  report.notes.push(`Gantt, the medians split up: phone ${split(ph.samples)}; desktop ${split(dt.samples)}.`);
  const pr = f.profile;
  if (pr) {
    const list = (xs: Array<[string, number]>, n = 99) =>
      xs
        .slice(0, n)
        .map(([k, v]) => `${k} ${fmtMs(v)}`)
        .join(', ');
    const steps = new Map(pr.steps);
    const stepText = (k: string) => (steps.has(k) ? fmtMs(steps.get(k)!) : 'not sampled');
    const s = pr.sample;
    report.notes.push(
      `Where the phone's time goes (one more cold phone load with the V8 sampling profiler, CDP Profiler at ${pr.intervalUs} µs, painted at ${fmtMs(s.paintedMs)} with the profiler's own overhead; throttled milliseconds). Navigation → project JSON received ${fmtMs(s.api?.endMs ?? NaN)}: the network (Fast 3G) and the app's boot; self time over the whole load: ${list(pr.allBuckets, 8)}. From the chart's ${s.nodes.renderer === 'phone' ? 'phoneLayout()' : 'build()'} to the end of the profile (${fmtMs(pr.chartMs)}: the paint, then up to 100 ms of polling, idle): ${list(pr.chartBuckets, 10)}. Inside (callees included): ${
        s.nodes.renderer === 'phone'
          ? `our phoneLayout() ${stepText('our phoneLayout()')} (the ${fmtInt(f.project.tasks)} rows sorted and laid out, the dependencies both ways); PhoneGantt draws ${fmtInt(s.nodes.bars)} bars and ${fmtInt(s.nodes.arrows)} arrows, no frappe-gantt`
          : `our build() ${stepText('our build()')} of which our ganttBars() ${stepText('our ganttBars()')} (the data mapping) and our decorate() ${stepText('our decorate()')}; frappe-gantt setup_tasks ${stepText('setup_tasks')}, setup_dates ${stepText('setup_dates')}, make_grid ${stepText('make_grid')}, make_dates ${stepText('make_dates')}, make_grid_extras ${stepText('make_grid_extras')}, make_bars ${stepText('make_bars')}, make_arrows ${stepText('make_arrows')} (of which get_task, a linear search of the tasks per dependency, ${stepText('get_task')}), map_arrows_on_bars ${stepText('map_arrows_on_bars')} (every bar filters every arrow), set_dimensions ${stepText('set_dimensions')}, set_scroll_position ${stepText('set_scroll_position')}, bind_events ${stepText('bind_events')}; then update_label_position ${stepText('update_label_position')} (one requestAnimationFrame per bar, each reading its label's getBBox() after the last one moved a label: a layout each)`
      }. Functions with the most self time in that part: ${list(pr.top, 12)}. Our functions found in the build by their code: ${pr.own.map((o) => `${o.key} = ${o.name} in ${o.file}`).join(', ')}.`,
    );
  }
}

// ───────────────────────────── the benchmark ─────────────────────────────

/** The parts, in the order they run; a part may read what an earlier one left in the context (ctx.project). */
const PARTS: Record<ProjectsPart, (ctx: BenchContext) => Promise<void>> = {
  reschedule: reschedulePart,
  gantt: ganttPart,
  search: searchPart,
};

export async function runProjectsBench(opts: ProjectsBenchOptions = {}): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const tasks = opts.tasks ?? 2_000;
  const o: BenchContext['o'] = {
    tasks,
    deps: opts.deps ?? 3_000,
    layers: opts.layers ?? Math.max(2, Math.round(tasks / 50)),
    rounds: opts.rounds ?? 20,
    comments: opts.comments ?? 1_000_000,
    searchRounds: opts.searchRounds ?? 100,
    probe: opts.probe ?? 50_000,
    proposal: opts.proposal ?? false,
    ganttRuns: opts.ganttRuns ?? 5,
  };
  const only = new Set(opts.only?.length ? opts.only : PROJECTS_PARTS);
  const report = newReport(
    'projects',
    `Campaign projects on MariaDB (reschedule ${fmtInt(o.tasks)} tasks / ${fmtInt(o.deps)} dependencies, their Gantt on a throttled phone, search over ${fmtInt(o.comments)} comments)`,
  );
  const started = Date.now();
  const raw: Record<string, unknown> = { options: o };
  report.raw = raw;
  let maria: MariaDbHandle | null = null;
  let stack: Stack | null = null;
  let conn: mysql.Connection | null = null;
  let httpClient: Client | null = null;
  try {
    // Before the stack starts: the build (when needed) runs synchronously, a minute or two.
    let h5: string | undefined;
    if (only.has('gantt')) {
      const state = ensureH5Built(resolve(__dirname, '..', '..'), (line) => log(`[projects] ${line}`));
      h5 =
        state === 'fresh'
          ? 'h5/dist as found (its .source-hash matches the sources)'
          : `h5/dist ${state}, so built by this run (npm run build -w h5, scripts/h5-build.ts) from the working tree`;
    }
    maria = await startMariaDb();
    process.env.TEST_MYSQL_URL = maria.url;
    stack = await startStack({ db: 'mysql' });
    conn = await mysql.createConnection({ uri: stack.databaseUrl });
    const { browser } = await signIn(stack, OWNER);
    httpClient = client(stack.baseUrl, [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const actor: Actor = { userid: OWNER, grants: (await stack.app.container.roles.grantsOf(OWNER)).grants };
    const ctx: BenchContext = {
      o,
      maria,
      stack,
      conn,
      actor,
      http: httpClient,
      mariadbPid: childPidsNamed('mariadbd')[0],
      report,
      raw,
      log,
      h5,
    };
    for (const part of PROJECTS_PARTS) {
      if (!only.has(part)) continue;
      log(`[projects] ${part}`);
      await PARTS[part](ctx);
    }
    report.notes.push(
      `MariaDB: one throwaway mariadbd (startMariaDb: 32 MB buffer pool, innodb_flush_log_at_trx_commit=2) and one stack (WeCom simulator, server, background work running) in this process, on the same ${report.machine.nproc} CPUs. Whole benchmark ${seconds(Date.now() - started)}; flags: --only ${PROJECTS_PARTS.join(',')}, --tasks N, --deps N, --layers N, --rounds R, --gantt-runs N, --comments N, --search-rounds R, --probe N, --proposal.`,
    );
  } catch (err) {
    report.error = String((err as Error).stack ?? err);
  } finally {
    httpClient?.close();
    await conn?.end().catch(() => undefined);
    // Let a last notification of the background work land before the database goes.
    if (stack) await sleep(200);
    await stack?.close().catch((e: unknown) => log(`[projects] closing the stack failed: ${String(e)}`));
    await maria?.stop();
  }
  return report;
}

const flag = (name: string): number | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};

if (require.main === module) {
  const onlyAt = process.argv.indexOf('--only');
  const only =
    onlyAt > 0 ? ((process.argv[onlyAt + 1] ?? '').split(',').filter((p) => PROJECTS_PARTS.includes(p as ProjectsPart)) as ProjectsPart[]) : undefined;
  runStandalone(() =>
    runProjectsBench({
      only,
      tasks: flag('--tasks'),
      deps: flag('--deps'),
      layers: flag('--layers'),
      rounds: flag('--rounds'),
      comments: flag('--comments'),
      searchRounds: flag('--search-rounds'),
      probe: flag('--probe'),
      proposal: process.argv.includes('--proposal'),
      ganttRuns: flag('--gantt-runs'),
    }),
  );
}
