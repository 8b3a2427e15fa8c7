/**
 * SLA scheduler on MariaDB (issue 10): with CASES (default 100,000) open after-sales cases, how long one tick of the
 * `aftersales.sla` job takes to find and fire every due reminder step, beside an indexed range scan of the same due
 * rows in the same run. Goal: < 1 s per tick.
 *
 * Setup: one throwaway mariadbd, a fresh migrated database, 5 linked shops with their stored default policy (due soon
 * 120 min before a deadline, escalation 2 h after it), then CASES open cases and their deadlines bulk-inserted
 * (multi-row INSERTs): first_response (running while the case is 受理, else met), resolution (running, or paused while
 * the case waits for the buyer), and Shopee's due_date for half of them, ~2.5 deadlines per case. Every running
 * deadline is at some reminder stage (0 none sent, 1 due soon sent, 2 breached sent) with `at` and `next_at` as
 * sla.service.ts sets them. Time is explicit (as the scheduler passes it): T0 = Tue 2026-12-01 10:00 Shanghai; no
 * next_at lies before the first tick (earlier ticks took those), and minute windows after T0 hold exactly the due rows
 * each measured tick must take; everything else is due 1 h … 3 days later, or met.
 *
 * The ticks run in forked "instance" processes (this file with --instance): each builds the real container
 * (createContainer, ManualClock, own DataSource with its pool of 10, no background work started) and calls
 * container.sla.tick(at) when told; the time is measured around that call inside the instance.
 *
 *  0. Warm-up: a small window ticked once with MariaDB's general log on: the statements the tick's selection runs
 *     (compared with the copy the baselines run) and the statements per step.
 *  a. Normal tick, ROUNDS (default 3) times: DUE (default 1 % of the deadline rows, 2,500) steps due in the minute
 *     before the tick. Before each tick, read-only baselines on the same due rows: the tick's selection alone (the
 *     same keyset-paginated query, pages of 500, hydrated by TypeORM as tick() does, no per-row work) and one indexed
 *     range scan (SELECT … FROM case_deadlines WHERE next_at <= ? ORDER BY next_at). EXPLAIN + ANALYZE of the
 *     selection's first page. Then a second tick at the same time must take 0 steps.
 *  c. Three instances tick the same DUE due rows at once (three server instances on the same minute).
 *  b. Heavy tick: HEAVY (default 10,000) steps due at once, as after a 5-minute outage; 5 % of them are deadlines
 *     Shopee moved during the outage to a time already past, so due soon and breach are both due and only the breach
 *     may be sent ("send only the latest").
 *
 * Every tick is checked against the expected steps computed here from the inserted rows: one outbox event per due
 * (case, deadline) of the right type (case.due_soon / case.breached / case.escalated), none for anything else, one
 * case_history row per step, tick()'s answer equal to the count, and a repeat tick at the same time takes 0 steps.
 * CPU of the instance process(es) and mariadbd is read from /proc around each tick.
 *
 * Scale: the defaults take about 2–3 minutes on 2 CPUs. Standalone:
 *   npx tsx --tsconfig tsconfig.json test/bench/sla.ts [--write] [--cases N] [--due N] [--heavy N] [--rounds R]
 *   [--profile DIR]  (a V8 CPU profile of each instance process into DIR, for finding where the ticks' CPU goes)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createContainer } from '../../server/src/container';
import { openDatabase } from '../../server/src/db/data-source';
import { CaseDeadlineRow } from '../../server/src/modules/aftersales/case.entity';
import { DEADLINE_LABELS, ESCALATE_AFTER_MS, NO_DEADLINE } from '../../server/src/modules/aftersales/sla.service';
import { Shop } from '../../server/src/modules/shops/shop.entity';
import { ManualClock } from '../../server/src/platform/scheduler';
import { DEMO_USERS } from '../../scripts/wecom-sim';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl } from '../support/databases';
import { startMariaDb } from '../support/mariadb';
import { childPidsNamed, cpuDelta, cpuSnapshot, othersMs, waitForQuietMachine, type CpuDelta } from './lib/cpu';
import { fmtInt, fmtMs, newReport, runStandalone, type BenchReport } from './lib/report';

export interface SlaBenchOptions {
  /** Open cases (default 100,000). */
  cases?: number;
  /** Steps due in a normal tick (default 1 % of the deadline rows: 2,500 at 100,000 cases). */
  due?: number;
  /** Steps due in the heavy tick (default 10,000, at most cases / 10). */
  heavy?: number;
  /** Normal ticks measured (default 3). */
  rounds?: number;
  /** Write a V8 CPU profile of each instance process into this directory (a diagnostic; slows the ticks). */
  profileDir?: string;
  log?: (line: string) => void;
}

export const SLA_GOAL_MS = 1_000;
/** sla.service.ts TICK_BATCH (not exported): the page size of tick()'s selection. */
const TICK_BATCH = 500;
const SHOPS = ['7100001', '7100002', '7100003', '7100004', '7100005'];
const MEMBERS = 50;
const MIN = 60_000;
const HOUR = 60 * MIN;
/** Tue 2026-12-01 10:00 in Asia/Shanghai (TZ_CORP's default). */
const T0 = Date.parse('2026-12-01T10:00:00+08:00');
const WARMUP_DUE = 200;
const OUTAGE_MIN = 5;
/** Share of the heavy window that Shopee moved to a time already past (due soon and breach both due: breach only). */
const MOVED_SHARE = 0.05;
const INSERT_BATCH = 5_000;
const SIM_URL = 'http://127.0.0.1:9'; // never called: no background work runs in the instances
const STEP_TYPES = ['case.due_soon', 'case.breached', 'case.escalated'] as const;
type StepType = (typeof STEP_TYPES)[number];
const KEYS = ['first_response', 'resolution', 'due_date'] as const;
type Key = (typeof KEYS)[number];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : 0;
};

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

// ───────────────────────────── the instance (child process) ─────────────────────────────

interface InstanceRequest {
  id: number;
  type: 'tick' | 'select' | 'range' | 'ping' | 'stop';
  at?: number;
  n?: number;
}

interface InstanceAnswer {
  id: number;
  ms: number;
  /** tick: steps taken; select/range: rows read; ping: round trips. */
  count: number;
  pages?: number;
  /** Steps that failed (logged 'SLA step failed'). */
  failed?: number;
  error?: string;
}

/** tick()'s selection, copied from sla.service.ts: the same query builder, pages of TICK_BATCH, without the steps. */
async function selectionOnly(ds: DataSource, now: number): Promise<{ rows: number; pages: number }> {
  let rows = 0;
  let pages = 0;
  for (let afterCase = 0, afterKey = ''; ;) {
    const due = await ds
      .getRepository(CaseDeadlineRow)
      .createQueryBuilder('d')
      .where('d.next_at <= :now', { now })
      .andWhere('(d.case_id > :c OR (d.case_id = :c AND d.deadline_key > :k))', { c: afterCase, k: afterKey })
      .orderBy('d.case_id', 'ASC')
      .addOrderBy('d.deadline_key', 'ASC')
      .limit(TICK_BATCH)
      .getMany();
    rows += due.length;
    pages++;
    if (due.length < TICK_BATCH) return { rows, pages };
    const last = due[due.length - 1]!;
    [afterCase, afterKey] = [last.caseId, last.key];
  }
}

const RANGE_SQL = 'SELECT case_id, deadline_key, at, stage, next_at FROM case_deadlines WHERE next_at <= ? ORDER BY next_at';

async function instanceMain(): Promise<void> {
  let failed = 0;
  const logger = pino({
    level: 'warn',
    hooks: {
      logMethod(args, method) {
        if (args.some((a) => a === 'SLA step failed')) failed++;
        method.apply(this, args);
      },
    },
  });
  const c = await createContainer(testConfig(process.env.BENCH_DB_URL!, SIM_URL), { logger, clock: new ManualClock(T0) });
  process.on('message', (m: InstanceRequest) => {
    void (async (): Promise<InstanceAnswer> => {
      const t = performance.now();
      if (m.type === 'tick') {
        failed = 0;
        const taken = await c.sla.tick(m.at!);
        return { id: m.id, ms: performance.now() - t, count: taken, failed };
      }
      if (m.type === 'select') {
        const r = await selectionOnly(c.ds, m.at!);
        return { id: m.id, ms: performance.now() - t, count: r.rows, pages: r.pages };
      }
      if (m.type === 'range') {
        const rows = await c.ds.query<unknown[]>(RANGE_SQL, [m.at]);
        return { id: m.id, ms: performance.now() - t, count: rows.length };
      }
      if (m.type === 'ping') {
        for (let k = 0; k < m.n!; k++) await c.ds.query('SELECT 1');
        return { id: m.id, ms: performance.now() - t, count: m.n! };
      }
      await c.close();
      return { id: m.id, ms: 0, count: 0 };
    })()
      .catch((err: unknown): InstanceAnswer => ({ id: m.id, ms: 0, count: 0, error: String((err as Error).stack ?? err) }))
      .then((answer) => {
        process.send!(answer);
        if (m.type === 'stop') process.exit(0);
      });
  });
  process.send!({ type: 'ready' });
}

interface Instance {
  child: ChildProcess;
  ask(type: InstanceRequest['type'], o?: { at?: number; n?: number }): Promise<InstanceAnswer>;
  stop(): Promise<void>;
}

async function startInstance(url: string, profileDir?: string): Promise<Instance> {
  const child = fork(__filename, ['--instance'], {
    env: { ...process.env, BENCH_DB_URL: url },
    execArgv: profileDir ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${profileDir}`] : process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('SLA instance did not start within 120 s')), 120_000);
    child.once('message', () => (clearTimeout(timer), resolve()));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`SLA instance exited (${code}) before it was ready`))));
  });
  let next = 0;
  const ask: Instance['ask'] = (type, o = {}) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const onMessage = (a: InstanceAnswer) => {
        if (a?.id !== id) return;
        child.off('message', onMessage);
        if (a.error) reject(new Error(`instance ${child.pid} ${type}: ${a.error}`));
        else resolve(a);
      };
      child.on('message', onMessage);
      child.send({ id, type, ...o } satisfies InstanceRequest);
    });
  return {
    child,
    ask,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', () => (clearTimeout(timer), resolve()));
        void ask('stop').catch(() => undefined);
      });
    },
  };
}

// ───────────────────────────── the data ─────────────────────────────

/** The deadline rows as inserted (and as later moved by this bench), one entry per row. */
interface Deadlines {
  n: number;
  caseId: Int32Array;
  key: Uint8Array;
  at: Float64Array; // NaN: null (paused)
  stage: Uint8Array;
  nextAt: Float64Array; // NaN: null (met or paused)
  /** The tick window whose tick must take this row (-1: none). */
  window: Int16Array;
}

interface Window {
  label: string;
  from: number;
  /** The tick time (inclusive end of the window). */
  at: number;
  size: number;
}

interface DataSpread {
  cases: number;
  deadlines: number;
  running: number;
  met: number;
  paused: number;
  byKey: Record<string, number>;
  insertMs: number;
  analyzeMs: number;
  casesMb: number;
  deadlinesMb: number;
}

const CASE_COLUMNS = [
  'id',
  'shop_id',
  'order_sn',
  'return_sn',
  'type',
  'state',
  'open',
  'platform_status',
  'reason',
  'title',
  'description',
  'refund',
  'currency',
  'assignee',
  'due_at',
  'breached',
  'market_updated_at',
  'first_response_at',
  'created_by',
  'created_at',
  'updated_at',
] as const;

/** The stage-s row whose next step falls at `next`: at and next_at as nextStepAt() relates them. */
function atFor(next: number, stage: number, dueSoonMs: number): number {
  return stage === 0 ? next + dueSoonMs : stage === 1 ? next : next - ESCALATE_AFTER_MS;
}

/**
 * CASES open cases, ids 1..CASES, and their deadlines. Running deadlines are shuffled; the first ones fill the tick
 * windows in order (each row gets a stage and a next_at inside its window), the rest are due 1 h … 3 days after T0.
 */
async function insertData(
  conn: mysql.Connection,
  cases: number,
  windows: Window[],
  dueSoonMs: number,
  log: (l: string) => void,
): Promise<{ d: Deadlines; spread: DataSpread }> {
  const rand = rng(10);
  const members = Array.from({ length: MEMBERS }, (_, k) => (k === 0 ? DEMO_USERS.csAgent : `bench_cs_${String(k).padStart(2, '0')}`));
  // 1. The cases' shape and which deadlines they have.
  const type: string[] = [];
  const state: string[] = [];
  const rows: Array<{ caseId: number; key: Key; running: boolean; paused: boolean }> = [];
  for (let i = 1; i <= cases; i++) {
    const r = rand();
    type.push(r < 0.45 ? 'return_refund' : r < 0.8 ? 'refund_only' : r < 0.9 ? 'complaint' : 'other');
    const s = rand();
    const st = s < 0.3 ? 'new' : s < 0.9 ? 'in_progress' : 'waiting_buyer';
    state.push(st);
    rows.push({ caseId: i, key: 'first_response', running: st === 'new', paused: false });
    rows.push({ caseId: i, key: 'resolution', running: st !== 'waiting_buyer', paused: st === 'waiting_buyer' });
    if (rand() < 0.5) rows.push({ caseId: i, key: 'due_date', running: true, paused: false });
  }
  const n = rows.length;
  const d: Deadlines = {
    n,
    caseId: new Int32Array(n),
    key: new Uint8Array(n),
    at: new Float64Array(n).fill(NaN),
    stage: new Uint8Array(n),
    nextAt: new Float64Array(n).fill(NaN),
    window: new Int16Array(n).fill(-1),
  };
  const running: number[] = [];
  rows.forEach((r, k) => {
    d.caseId[k] = r.caseId;
    d.key[k] = KEYS.indexOf(r.key);
    if (r.running) running.push(k);
  });
  const wanted = windows.reduce((a, w) => a + w.size, 0);
  if (wanted > running.length * 0.8)
    throw new Error(`${fmtInt(wanted)} due rows asked for, but only ${fmtInt(running.length)} running deadlines: fewer --due/--heavy or more --cases`);
  for (let k = running.length - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    [running[k], running[j]] = [running[j]!, running[k]!];
  }
  // 2. Stages and times.
  let taken = 0;
  windows.forEach((w, wi) => {
    for (let k = 0; k < w.size; k++) {
      const row = running[taken++]!;
      const r = rand();
      const stage = r < 0.55 ? 0 : r < 0.85 ? 1 : 2;
      const next = w.from + 1 + Math.floor(rand() * (w.at - w.from)); // (from, at]
      d.window[row] = wi;
      d.stage[row] = stage;
      d.nextAt[row] = next;
      d.at[row] = atFor(next, stage, dueSoonMs);
    }
  });
  for (const row of running.slice(taken)) {
    const r = rand();
    const stage = r < 0.55 ? 0 : r < 0.85 ? 1 : 2;
    const next = T0 + HOUR + Math.floor(rand() * 71 * HOUR);
    d.stage[row] = stage;
    d.nextAt[row] = next;
    d.at[row] = atFor(next, stage, dueSoonMs);
  }
  const spread: DataSpread = {
    cases,
    deadlines: n,
    running: running.length,
    met: 0,
    paused: 0,
    byKey: {},
    insertMs: 0,
    analyzeMs: 0,
    casesMb: 0,
    deadlinesMb: 0,
  };
  // 3. Insert: deadlines first (they decide each case's due_at and breached), then cases.
  const t0 = performance.now();
  const dueAt = new Float64Array(cases + 1).fill(NO_DEADLINE);
  const breached = new Uint8Array(cases + 1);
  let batch: unknown[][] = [];
  const flush = async (table: string, columns: readonly string[]) => {
    if (batch.length) await conn.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [batch]);
    batch = [];
  };
  const deadlineColumns = ['case_id', 'deadline_key', 'at', 'remaining_minutes', 'met', 'stage', 'next_at'];
  for (let k = 0; k < n; k++) {
    const r = rows[k]!;
    spread.byKey[r.key] = (spread.byKey[r.key] ?? 0) + 1;
    if (r.running) {
      dueAt[r.caseId] = Math.min(dueAt[r.caseId]!, d.at[k]!);
      if (d.stage[k]! >= 2) breached[r.caseId] = 1;
      batch.push([r.caseId, r.key, d.at[k], null, 0, d.stage[k], d.nextAt[k]]);
    } else if (r.paused) {
      spread.paused++;
      batch.push([r.caseId, r.key, null, 60 + Math.floor(rand() * 1_200), 0, Math.floor(rand() * 2), null]);
    } else {
      spread.met++;
      batch.push([r.caseId, r.key, T0 - Math.floor(rand() * 48 * HOUR), null, 1, Math.floor(rand() * 2), null]);
    }
    if (batch.length >= INSERT_BATCH * 2) await flush('case_deadlines', deadlineColumns);
  }
  await flush('case_deadlines', deadlineColumns);
  log(`[sla] ${fmtInt(n)} deadlines inserted (${seconds(performance.now() - t0)})`);
  for (let i = 1; i <= cases; i++) {
    const created = T0 - Math.floor(rand() * 5 * 24 * HOUR);
    const t = type[i - 1]!;
    const isReturn = t === 'return_refund' || t === 'refund_only';
    const assignee = state[i - 1] === 'new' && rand() < 0.5 ? null : members[Math.floor(rand() * MEMBERS)]!;
    batch.push([
      i,
      SHOPS[i % SHOPS.length],
      `26113${String(i).padStart(9, '0')}`,
      isReturn ? `BR${String(i).padStart(10, '0')}` : null,
      t,
      state[i - 1],
      1,
      isReturn ? 'REQUESTED' : null,
      isReturn ? 'ITEM_DAMAGED' : null,
      isReturn ? '退货退款 · 商品损坏' : '买家投诉：发货慢',
      null,
      isReturn ? (5 + Math.floor(rand() * 30_000) / 100).toFixed(2) : null,
      'SGD',
      assignee,
      dueAt[i],
      breached[i],
      isReturn ? created : 0,
      state[i - 1] === 'new' ? null : created + 30 * MIN,
      isReturn ? 'shopee' : members[1],
      created,
      created + 30 * MIN,
    ]);
    if (batch.length >= INSERT_BATCH) await flush('cases', CASE_COLUMNS);
  }
  await flush('cases', CASE_COLUMNS);
  spread.insertMs = performance.now() - t0;
  const t1 = performance.now();
  await conn.query('ANALYZE TABLE cases, case_deadlines');
  spread.analyzeMs = performance.now() - t1;
  const [sizes] = (await conn.query(
    `SELECT table_name AS t, data_length + index_length AS b FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('cases', 'case_deadlines')`,
  )) as unknown as [Array<{ t: string; b: string | number }>];
  for (const s of sizes) {
    if (s.t === 'cases') spread.casesMb = Number(s.b) / 2 ** 20;
    else spread.deadlinesMb = Number(s.b) / 2 ** 20;
  }
  return { d, spread };
}

/**
 * What a tick at `now` must do with the row, restated from the issue (not from sla.service.ts): the latest of the
 * steps whose time has come — due soon from `at` − due-soon minutes, breached from `at`, escalated from `at` + 2 h.
 */
function expectedStep(at: number, stage: number, now: number, dueSoonMs: number): { type: StepType; stage: number } | null {
  let to = 0;
  if (now >= at - dueSoonMs) to = 1;
  if (now >= at) to = 2;
  if (now >= at + ESCALATE_AFTER_MS) to = 3;
  return to > stage ? { type: STEP_TYPES[to - 1]!, stage: to } : null;
}

const LABEL_KEY = new Map(Object.entries(DEADLINE_LABELS).map(([k, v]) => [v, k]));

interface Check {
  expected: number;
  events: number;
  /** Expected steps with exactly one event of the right type. */
  exact: number;
  missing: number;
  duplicated: number;
  wrongType: number;
  /** Events for a (case, deadline) that had no due step. */
  notDue: number;
  history: number;
  /** Due rows (next_at <= now) left after the tick. */
  leftDue: number;
  /** Rows whose stage is not the expected one afterwards. */
  wrongStage: number;
  /** Cases (of all) whose due_at or breached disagrees with their deadlines afterwards (refreshDue()'s rule). */
  casesOff: number;
}

/** Cases whose due_at / breached is not what refreshDue() derives from their unmet deadlines (earliest at; any stage ≥ 2). */
async function inconsistentCases(conn: mysql.Connection): Promise<number> {
  const [[r]] = (await conn.query(
    `SELECT COUNT(*) AS n FROM cases c LEFT JOIN (SELECT case_id, MIN(at) AS due, MAX(stage >= 2) AS br FROM case_deadlines WHERE met = 0 GROUP BY case_id) d ON d.case_id = c.id
     WHERE c.breached <> COALESCE(d.br, 0) OR c.due_at <> COALESCE(d.due, ?)`,
    [NO_DEADLINE],
  )) as unknown as [Array<{ n: string | number }>];
  return Number(r!.n);
}

const checkOk = (c: Check, taken: number) =>
  c.exact === c.expected &&
  c.events === c.expected &&
  c.missing + c.duplicated + c.wrongType + c.notDue + c.leftDue + c.wrongStage === 0 &&
  c.history === c.expected &&
  taken === c.expected;

/** The outbox events and history rows since the last check against the rows of window `wi`; moves the model on. */
async function checkTick(
  conn: mysql.Connection,
  d: Deadlines,
  wi: number,
  now: number,
  dueSoonMs: number,
  marks: { outbox: number; history: number },
): Promise<Check> {
  const expected = new Map<string, { row: number; type: StepType; stage: number }>();
  for (let k = 0; k < d.n; k++) {
    if (Number.isNaN(d.nextAt[k]!) || d.nextAt[k]! > now) continue;
    const step = expectedStep(d.at[k]!, d.stage[k]!, now, dueSoonMs);
    if (step) expected.set(`${d.caseId[k]}|${KEYS[d.key[k]!]}`, { row: k, ...step });
  }
  const [events] = (await conn.query(`SELECT id, type, payload FROM outbox_events WHERE id > ? AND type LIKE 'case.%' ORDER BY id`, [
    marks.outbox,
  ])) as unknown as [Array<{ id: number; type: string; payload: string }>];
  const seen = new Map<string, string[]>();
  for (const e of events) {
    const p = JSON.parse(e.payload) as { case_id: string; deadline: string };
    const k = `${p.case_id}|${LABEL_KEY.get(p.deadline) ?? p.deadline}`;
    seen.set(k, [...(seen.get(k) ?? []), e.type]);
    marks.outbox = Math.max(marks.outbox, Number(e.id));
  }
  const c: Check = {
    expected: expected.size,
    events: events.length,
    exact: 0,
    missing: 0,
    duplicated: 0,
    wrongType: 0,
    notDue: 0,
    history: 0,
    leftDue: 0,
    wrongStage: 0,
    casesOff: 0,
  };
  for (const [k, want] of expected) {
    const got = seen.get(k) ?? [];
    if (!got.length) c.missing++;
    else if (got.length > 1) c.duplicated++;
    else if (got[0] !== want.type) c.wrongType++;
    else c.exact++;
  }
  for (const k of seen.keys()) if (!expected.has(k)) c.notDue++;
  const [[h]] = (await conn.query('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m FROM case_history WHERE id > ?', [marks.history])) as unknown as [
    Array<{ n: string | number; m: string | number }>,
  ];
  c.history = Number(h!.n);
  marks.history = Math.max(marks.history, Number(h!.m));
  const [[left]] = (await conn.query('SELECT COUNT(*) AS n FROM case_deadlines WHERE next_at <= ?', [now])) as unknown as [Array<{ n: string | number }>];
  c.leftDue = Number(left!.n);
  c.casesOff = await inconsistentCases(conn);
  // The stage of every row of this window (and of the moved rows) in the database, against the model.
  const rowsOfWindow = [...expected.values()].map((e) => e.row);
  for (let from = 0; from < rowsOfWindow.length; from += 2_000) {
    const part = rowsOfWindow.slice(from, from + 2_000);
    const [got] = (await conn.query(
      `SELECT case_id AS c, deadline_key AS k, stage AS s FROM case_deadlines WHERE (case_id, deadline_key) IN (${part.map(() => '(?, ?)').join(', ')})`,
      part.flatMap((r) => [d.caseId[r], KEYS[d.key[r]!]]),
    )) as unknown as [Array<{ c: number; k: string; s: number }>];
    const stageOf = new Map(got.map((g) => [`${g.c}|${g.k}`, Number(g.s)]));
    for (const r of part) if (stageOf.get(`${d.caseId[r]}|${KEYS[d.key[r]!]}`) !== expected.get(`${d.caseId[r]}|${KEYS[d.key[r]!]}`)!.stage) c.wrongStage++;
  }
  // The model moves on as the service should have: the new stage and its next step (null after escalation).
  for (const e of expected.values()) {
    const at = d.at[e.row]!;
    d.stage[e.row] = e.stage;
    d.nextAt[e.row] = e.stage === 1 ? at : e.stage === 2 ? at + ESCALATE_AFTER_MS : NaN;
    if (wi >= 0 && d.window[e.row] !== wi) c.notDue++; // a row of another window came due: the model is wrong
  }
  return c;
}

const checkText = (c: Check, taken: number) =>
  `${fmtInt(c.exact)} of ${fmtInt(c.expected)} exactly once (tick said ${fmtInt(taken)}; ${c.events} events, ${c.history} history rows; ${c.missing} missing, ${c.duplicated} twice, ${c.wrongType} wrong type, ${c.notDue} not due, ${c.wrongStage} wrong stage, ${c.leftDue} still due)`;

// ───────────────────────────── general log, EXPLAIN ─────────────────────────────

export interface PlanRow {
  id?: number | string | null;
  select_type?: string;
  table: string;
  type: string;
  possible_keys: string | null;
  key: string | null;
  key_len: string | null;
  ref: string | null;
  rows: string | number | null;
  r_rows?: string | number | null;
  filtered?: string | number | null;
  r_filtered?: string | number | null;
  Extra: string | null;
}

const planText = (rows: PlanRow[]) =>
  rows
    .map(
      (r) =>
        `table ${r.table}, type ${r.type}, possible_keys ${r.possible_keys ?? 'NULL'}, key ${r.key ?? 'NULL'}${r.key_len ? ` (key_len ${r.key_len})` : ''}, rows ${r.rows ?? 'NULL'}${r.r_rows !== undefined ? `, r_rows ${r.r_rows ?? 'NULL'}` : ''}${r.r_filtered !== undefined ? `, r_filtered ${r.r_filtered ?? 'NULL'}` : ''}, Extra "${r.Extra ?? ''}"`,
    )
    .join('; ');

/** Every statement MariaDB ran while `during` ran, on connections other than `conn`'s (general log to a table). */
async function generalLog(conn: mysql.Connection, during: () => Promise<unknown>): Promise<Array<{ thread: number; sql: string }>> {
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

/** "UPDATE case_deadlines", "SELECT cases", "START TRANSACTION", … */
function statementKind(sql: string): string {
  const s = sql.replace(/`/g, '').trim();
  const verb = /^(\w+)/.exec(s)?.[1]?.toUpperCase() ?? '?';
  if (verb === 'START' || verb === 'COMMIT' || verb === 'ROLLBACK' || verb === 'SET') return s.split(/\s+/).slice(0, 2).join(' ').toUpperCase();
  const table = verb === 'INSERT' ? /INTO\s+(\w+)/i.exec(s)?.[1] : verb === 'UPDATE' ? /^UPDATE\s+(\w+)/i.exec(s)?.[1] : /FROM\s+(\w+)/i.exec(s)?.[1];
  return `${verb} ${table ?? '?'}`;
}

const SELECTION = /FROM\s+`?case_deadlines`?\s+`?d`?\s+WHERE\s+`?d`?\.`?next_at`?\s*<=/i;

// ───────────────────────────── the benchmark ─────────────────────────────

interface TickFigures {
  label: string;
  at: number;
  instances: number;
  taken: number;
  /** Per instance: steps taken and ms inside it. */
  perInstance: Array<{ taken: number; ms: number; failed: number }>;
  /** ms: the slowest instance's tick (one instance: its tick). */
  ms: number;
  stepsPerS: number;
  check: Check;
  ok: boolean;
  cpu: CpuDelta;
  /** CPU ms of the instance process(es) and mariadbd over the tick. */
  instanceCpuMs: number;
  mariadbCpuMs: number;
  repeat: { taken: number; ms: number };
  baseline?: { selectMs: number; selectRows: number; pages: number; rangeMs: number; rangeRows: number };
}

export async function runSlaBench(opts: SlaBenchOptions = {}): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const started = Date.now();
  const cases = opts.cases ?? 100_000;
  const report = newReport('sla', `SLA scheduler on MariaDB (reminder ticks over ${fmtInt(cases)} open cases)`);
  const due = opts.due ?? Math.max(10, Math.round(cases * 0.025));
  const heavy = opts.heavy ?? Math.min(10_000, Math.round(cases / 10));
  const rounds = opts.rounds ?? 3;
  if (opts.cases !== undefined && opts.cases < 1_000) throw new Error('--cases: at least 1,000');
  const maria = await startMariaDb();
  process.env.TEST_MYSQL_URL = maria.url;
  const url = await freshDatabaseUrl('mysql');
  let ds: DataSource | null = null;
  let conn: mysql.Connection | null = null;
  const instances: Instance[] = [];
  try {
    ds = await openDatabase(url); // migrated
    const setup = await createContainer(testConfig(url, SIM_URL), { dataSource: ds, logger: pino({ level: 'silent' }), clock: new ManualClock(T0) });
    for (const [k, shopId] of SHOPS.entries())
      await ds.getRepository(Shop).insert({
        shopId,
        platform: 'shopee',
        name: `SLA 店 ${k + 1}`,
        region: 'SG',
        currency: 'SGD',
        status: 'active',
        authExpiresAt: null,
        accessToken: 'x',
        refreshToken: 'x',
        accessExpiresAt: 0,
        tokenVersion: 1,
        assignmentMode: 'manual',
        assignmentCap: 20,
        linkedBy: DEMO_USERS.owner,
        linkedAt: T0 - 30 * 24 * HOUR,
        updatedAt: T0 - 30 * 24 * HOUR,
      });
    await setup.uow.run({ actor: 'system' }, async (tx) => {
      for (const shopId of SHOPS) await setup.aftersalesPolicies.ensure(shopId, 'SGD', tx);
    });
    const dueSoonMinutes = (await setup.aftersalesPolicies.get(SHOPS[0]!, 'SGD')).dueSoonMinutes;
    const dueSoonMs = dueSoonMinutes * MIN;
    conn = await mysql.createConnection(url);
    const [[bp]] = (await conn.query('SELECT @@innodb_buffer_pool_size AS b')) as unknown as [Array<{ b: string | number }>];

    // The tick windows: warm-up, normal rounds, three instances, then the outage.
    const windows: Window[] = [{ label: 'warm-up', from: T0 - MIN, at: T0, size: Math.min(WARMUP_DUE, due) }];
    for (let r = 1; r <= rounds + 1; r++)
      windows.push({ label: r <= rounds ? `normal ${r}` : 'three instances', from: T0 + (r - 1) * MIN, at: T0 + r * MIN, size: due });
    const heavyFrom = T0 + (rounds + 1) * MIN;
    const moved = Math.round(heavy * MOVED_SHARE);
    windows.push({ label: 'heavy', from: heavyFrom, at: heavyFrom + OUTAGE_MIN * MIN, size: heavy - moved });
    const heavyWi = windows.length - 1;

    log(`[sla] inserting ${fmtInt(cases)} open cases and their deadlines (INSERTs of ${fmtInt(INSERT_BATCH)})`);
    const { d, spread } = await insertData(conn, cases, windows, dueSoonMs, log);
    log(
      `[sla] ${fmtInt(spread.cases)} cases, ${fmtInt(spread.deadlines)} deadlines (${fmtInt(spread.running)} running) in ${seconds(spread.insertMs)}; ANALYZE ${fmtMs(spread.analyzeMs)}; cases ${spread.casesMb.toFixed(0)} MB, case_deadlines ${spread.deadlinesMb.toFixed(0)} MB`,
    );
    const casesOffBefore = await inconsistentCases(conn);
    const marks = { outbox: 0, history: 0 };
    {
      const [[m]] = (await conn.query(
        'SELECT (SELECT COALESCE(MAX(id), 0) FROM outbox_events) AS o, (SELECT COALESCE(MAX(id), 0) FROM case_history) AS h',
      )) as unknown as [Array<{ o: number; h: number }>];
      marks.outbox = Number(m!.o);
      marks.history = Number(m!.h);
    }

    log('[sla] starting 3 instances (forked, each its own container and pool)');
    for (let k = 0; k < 3; k++) instances.push(await startInstance(url, opts.profileDir));
    const [one] = instances as [Instance, ...Instance[]];
    const mariadbPid = childPidsNamed('mariadbd')[0];
    const pidsOf = (list: Instance[]) => ({ ...Object.fromEntries(list.map((x, k) => [`i${k + 1}`, x.child.pid])), mariadb: mariadbPid });

    // Round-trip floor: one statement at a time through the instance's TypeORM pool.
    await one.ask('ping', { n: 200 });
    const ping = await one.ask('ping', { n: 2_000 });
    const roundTripMs = ping.ms / ping.count;

    // 0. Warm-up with the general log on: the selection's statement (tick's and the baselines' copy) and statements per step.
    const w0 = windows[0]!;
    let warmTaken = 0;
    const tickLog = await generalLog(conn, async () => (warmTaken = (await one.ask('tick', { at: w0.at })).count));
    const warmCheck = await checkTick(conn, d, 0, w0.at, dueSoonMs, marks);
    const selectionLog = await generalLog(conn, () => one.ask('select', { at: w0.at }));
    const tickSelections = tickLog.filter((s) => SELECTION.test(s.sql)).map((s) => s.sql);
    const copySelections = selectionLog.filter((s) => SELECTION.test(s.sql)).map((s) => s.sql);
    const selectionSql = tickSelections[0];
    if (!selectionSql) throw new Error(`tick()'s selection not found in the general log (${tickLog.length} statements)`);
    const sameSelection = tickSelections[0] === copySelections[0];
    const kinds: Record<string, number> = {};
    for (const s of tickLog) if (!SELECTION.test(s.sql)) kinds[statementKind(s.sql)] = (kinds[statementKind(s.sql)] ?? 0) + 1;
    const perStepStatements = Object.values(kinds).reduce((a, b) => a + b, 0) / Math.max(1, warmTaken);
    const connections = new Set(tickLog.map((s) => s.thread)).size;
    log(
      `[sla] warm-up: ${warmTaken} steps; ${perStepStatements.toFixed(1)} statements per step on ${connections} connections: ${Object.entries(kinds)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${(v / Math.max(1, warmTaken)).toFixed(2)}`)
        .join(', ')}; round trip (SELECT 1) ${roundTripMs.toFixed(3)} ms`,
    );
    // The selection's first page at a tick time: EXPLAIN and ANALYZE (ANALYZE runs it; it only reads).
    // The first statement is the first page (after case 0): only the tick time differs.
    const firstPage = (at: number) => selectionSql.replace(/(next_at`?\s*<=\s*)\d+/, (_m, head: string) => `${head}${at}`);
    const explain = async (at: number) => {
      const sql = firstPage(at);
      const [e] = await conn!.query(`EXPLAIN ${sql}`);
      const [a] = await conn!.query(`ANALYZE ${sql}`);
      const [re] = await conn!.query(`EXPLAIN ${RANGE_SQL}`, [at]);
      return { sql, explain: e as PlanRow[], analyze: a as PlanRow[], range: re as PlanRow[] };
    };

    const quiet = await waitForQuietMachine({ log, maxWaitMs: 30_000 });
    const ticks: TickFigures[] = [];
    const plans: Array<{ label: string; sql: string; explain: PlanRow[]; analyze: PlanRow[]; range: PlanRow[] }> = [];
    const runTick = async (wi: number, list: Instance[], withBaseline: boolean): Promise<TickFigures> => {
      const w = windows[wi]!;
      let baseline: TickFigures['baseline'];
      if (withBaseline) {
        const sel = await one.ask('select', { at: w.at });
        const range = await one.ask('range', { at: w.at });
        baseline = { selectMs: sel.ms, selectRows: sel.count, pages: sel.pages ?? 0, rangeMs: range.ms, rangeRows: range.count };
      }
      const pids = pidsOf(list);
      const before = cpuSnapshot(pids);
      const answers = await Promise.all(list.map((x) => x.ask('tick', { at: w.at })));
      const cpu = cpuDelta(before, cpuSnapshot(pids));
      const taken = answers.reduce((a, x) => a + x.count, 0);
      const check = await checkTick(conn!, d, wi, w.at, dueSoonMs, marks);
      const repeats = await Promise.all(list.map((x) => x.ask('tick', { at: w.at })));
      const repeat = { taken: repeats.reduce((a, x) => a + x.count, 0), ms: Math.max(...repeats.map((x) => x.ms)) };
      const ms = Math.max(...answers.map((x) => x.ms));
      const instanceCpuMs = Object.entries(cpu.procsMs)
        .filter(([k]) => k !== 'mariadb')
        .reduce((a, [, v]) => a + v, 0);
      const f: TickFigures = {
        label: w.label,
        at: w.at,
        instances: list.length,
        taken,
        perInstance: answers.map((x) => ({ taken: x.count, ms: x.ms, failed: x.failed ?? 0 })),
        ms,
        stepsPerS: (taken / ms) * 1000,
        check,
        ok: checkOk(check, taken) && repeat.taken === 0,
        cpu,
        instanceCpuMs,
        mariadbCpuMs: cpu.procsMs['mariadb'] ?? 0,
        repeat,
        baseline,
      };
      log(
        `[sla] ${w.label}: ${fmtInt(taken)} steps in ${fmtMs(ms)} (${fmtInt(f.stepsPerS)} steps/s${list.length > 1 ? `; per instance ${f.perInstance.map((p) => `${p.taken} in ${fmtMs(p.ms)}`).join(', ')}` : ''})${baseline ? `; selection alone ${fmtMs(baseline.selectMs)} (${fmtInt(baseline.selectRows)} rows, ${baseline.pages} pages), range scan ${fmtMs(baseline.rangeMs)}` : ''}; repeat ${repeat.taken} steps in ${fmtMs(repeat.ms)}; CPU per step: instance${list.length > 1 ? 's' : ''} ${(instanceCpuMs / Math.max(1, taken)).toFixed(2)} ms, mariadbd ${(f.mariadbCpuMs / Math.max(1, taken)).toFixed(2)} ms, machine ${Math.round(cpu.machineBusy * 100)} % busy (others ${Math.round((othersMs(cpu) / (cpu.machineTotalMs || 1)) * 100)} %); ${f.ok ? 'exactly once' : `CHECK FAILED: ${checkText(check, taken)}`}; cases off ${check.casesOff}`,
      );
      return f;
    };

    // a. Normal ticks.
    for (let r = 1; r <= rounds; r++) {
      if (r === 1) plans.push({ label: `normal tick (${fmtInt(due)} due)`, ...(await explain(windows[r]!.at)) });
      ticks.push(await runTick(r, [one], true));
    }
    // c. Three instances at once.
    const concurrent = await runTick(rounds + 1, instances, true);
    // b. The outage: the heavy window, plus deadlines Shopee moved during it to a time already past.
    const eligible: number[] = [];
    for (let k = 0; k < d.n; k++)
      if (d.window[k] === -1 && d.stage[k] === 0 && !Number.isNaN(d.nextAt[k]!) && d.nextAt[k]! > windows[heavyWi]!.at + HOUR) eligible.push(k);
    const candidates = Array.from({ length: Math.min(moved, eligible.length) }, (_, j) => eligible[Math.floor((j * eligible.length) / moved)]!); // spread over the cases
    const hw = windows[heavyWi]!;
    const movedRows: unknown[][] = [];
    for (const [j, k] of candidates.entries()) {
      const at = hw.from + 1 + Math.floor(((j + 0.5) / candidates.length) * (hw.at - hw.from - 1)); // (from, at]: breach due
      d.at[k] = at;
      d.nextAt[k] = at - dueSoonMs; // platformDeadlines(): stage 0, next_at = at − due-soon minutes (already past)
      d.window[k] = heavyWi;
      movedRows.push([d.caseId[k], KEYS[d.key[k]!], at, d.nextAt[k]]);
    }
    for (let from = 0; from < movedRows.length; from += 500) {
      const part = movedRows.slice(from, from + 500);
      await conn.query(
        `UPDATE case_deadlines d JOIN (${part.map(() => 'SELECT ? AS c, ? AS k, ? AS a, ? AS n').join(' UNION ALL ')}) m ON d.case_id = m.c AND d.deadline_key = m.k SET d.at = m.a, d.next_at = m.n, d.stage = 0`,
        part.flat(),
      );
      // …and, as platformDeadlines() does, the case's due_at (refreshDue()).
      await conn.query(
        `UPDATE cases c JOIN (SELECT case_id, MIN(at) AS due FROM case_deadlines WHERE met = 0 AND case_id IN (?) GROUP BY case_id) d ON d.case_id = c.id SET c.due_at = COALESCE(d.due, ?)`,
        [part.map((m) => m[0]), NO_DEADLINE],
      );
    }
    plans.push({ label: `heavy tick (${fmtInt(heavy)} due)`, ...(await explain(hw.at)) });
    const outboxBeforeHeavy = marks.outbox;
    const heavyTick = await runTick(heavyWi, [one], true);
    const heavyEventsByType = await (async () => {
      const [rows] = (await conn.query(`SELECT type, COUNT(*) AS n FROM outbox_events WHERE type LIKE 'case.%' AND id > ? GROUP BY type`, [
        outboxBeforeHeavy,
      ])) as unknown as [Array<{ type: string; n: string | number }>];
      return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
    })();

    // ───── the report ─────
    const normalMs = ticks.map((t) => t.ms);
    const normalMedian = median(normalMs);
    const all = [...ticks, concurrent, heavyTick];
    const exact = checkOk(warmCheck, warmTaken) && all.every((t) => t.ok);
    const perStep = (t: TickFigures) => t.ms / Math.max(1, t.taken);
    const selShare = (t: TickFigures) => (t.baseline ? t.baseline.selectMs / t.ms : 0);
    const cpuPerStep = (t: TickFigures) =>
      `instance${t.instances > 1 ? 's' : ''} ${(t.instanceCpuMs / Math.max(1, t.taken)).toFixed(2)} ms, mariadbd ${(t.mariadbCpuMs / Math.max(1, t.taken)).toFixed(2)} ms CPU per step; all CPUs ${Math.round(t.cpu.machineBusy * 100)} % busy (other processes ${Math.round((othersMs(t.cpu) / (t.cpu.machineTotalMs || 1)) * 100)} %)`;
    const baseText = (t: TickFigures) =>
      t.baseline
        ? `selection alone ${fmtMs(t.baseline.selectMs)} (${fmtInt(t.baseline.selectRows)} rows in ${t.baseline.pages} pages of ≤ ${TICK_BATCH}); range scan ${fmtMs(t.baseline.rangeMs)} (${fmtInt(t.baseline.rangeRows)} rows)`
        : '';
    report.rows.push(
      {
        metric: `(a) normal tick: ${fmtInt(due)} due steps (${((due / spread.deadlines) * 100).toFixed(1)} % of ${fmtInt(spread.deadlines)} deadlines, ${fmtInt(cases)} open cases), one instance, time per tick (median of ${rounds})`,
        goal: `< ${seconds(SLA_GOAL_MS)}`,
        measured: `${fmtMs(normalMedian)} (ticks ${normalMs.map((m) => fmtInt(m)).join(' / ')} ms; ${fmtInt(median(ticks.map((t) => t.stepsPerS)))} steps/s, ${(normalMedian / Math.max(1, due)).toFixed(2)} ms per step)`,
        pass: normalMedian < SLA_GOAL_MS && ticks.every((t) => t.ok),
      },
      {
        metric:
          '(a) baseline, same run: the tick’s selection alone (same query, keyset pages of 500, no per-row work) / one indexed range scan (WHERE next_at <= ? ORDER BY next_at)',
        goal: '(baseline)',
        measured: `selection ${ticks.map((t) => fmtMs(t.baseline!.selectMs)).join(' / ')}; range scan ${ticks.map((t) => fmtMs(t.baseline!.rangeMs)).join(' / ')}; ${fmtInt(due)} rows each (the selection is ${(median(ticks.map(selShare)) * 100).toFixed(1)} % of the tick)`,
        pass: null,
      },
      {
        metric: '(a) a second tick at the same time',
        goal: '0 steps',
        measured: ticks.map((t) => `${t.repeat.taken} steps in ${fmtMs(t.repeat.ms)}`).join(' / '),
        pass: ticks.every((t) => t.repeat.taken === 0),
      },
      {
        metric: `(c) three instances tick the same ${fmtInt(due)} due steps at once`,
        goal: '(info)',
        measured: `${fmtMs(concurrent.ms)} (slowest instance; steps taken ${concurrent.perInstance.map((p) => fmtInt(p.taken)).join(' + ')} = ${fmtInt(concurrent.taken)}; ${fmtInt(concurrent.stepsPerS)} steps/s; repeat ${concurrent.repeat.taken} steps)`,
        pass: null,
      },
      {
        metric: `(b) heavy tick: ${fmtInt(heavy)} due at once (a ${OUTAGE_MIN}-minute outage; ${fmtInt(candidates.length)} of them moved by Shopee to a time already past), one instance`,
        goal: `(info; goal for a normal tick < ${seconds(SLA_GOAL_MS)})`,
        measured: `${fmtMs(heavyTick.ms)} (${fmtInt(heavyTick.taken)} steps, ${fmtInt(heavyTick.stepsPerS)} steps/s; ${baseText(heavyTick)}; repeat ${heavyTick.repeat.taken} steps)`,
        pass: null,
      },
      {
        metric: 'every due step taken exactly once, of the right type, none that was not due (warm-up, every normal tick, three instances, heavy)',
        goal: 'yes',
        measured: [
          `warm-up ${checkText(warmCheck, warmTaken)}`,
          ...all.map(
            (t) =>
              `${t.label} ${checkText(t.check, t.taken)}${t.perInstance.some((p) => p.failed) ? `, ${t.perInstance.reduce((a, p) => a + p.failed, 0)} steps failed` : ''}`,
          ),
        ].join('; '),
        pass: exact,
      },
      {
        metric: 'every case’s due_at and breached agree with its deadlines after every tick (refreshDue’s rule, checked over all cases)',
        goal: 'yes',
        measured: `cases off: before the ticks ${casesOffBefore}; after warm-up ${warmCheck.casesOff}, ${all.map((t) => `${t.label} ${t.check.casesOff}`).join(', ')}`,
        pass: casesOffBefore === 0 && warmCheck.casesOff === 0 && all.every((t) => t.check.casesOff === 0),
      },
      {
        metric: 'tick’s selection: plan of the first page (EXPLAIN)',
        goal: '(info)',
        measured: plans
          .map(
            (p) =>
              `${p.label}: ${p.explain.map((e) => `${e.type} on ${e.key ?? 'NULL'}${e.Extra ? ` (${e.Extra})` : ''}`).join(', ')}; rows read ${p.analyze.map((a) => a.r_rows ?? 'NULL').join('+')}`,
          )
          .join(' · '),
        pass: null,
      },
    );
    const kindsText = Object.entries(kinds)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} × ${(v / Math.max(1, warmTaken)).toFixed(2)}`)
      .join(', ');
    const stepMs = perStep(ticks[0]!);
    const serverShare = ticks[0]!.instanceCpuMs / Math.max(1, ticks[0]!.ms);
    report.notes.push(
      `Data: ${fmtInt(cases)} open cases (5 shops; return_refund 45 %, refund_only 35 %, complaint 10 %, other 10 %; 受理 30 %, 处理中 60 %, 待买家 10 %) and ${fmtInt(spread.deadlines)} deadlines (${Object.entries(
        spread.byKey,
      )
        .map(([k, v]) => `${k} ${fmtInt(v)}`)
        .join(
          ', ',
        )}): ${fmtInt(spread.running)} running, ${fmtInt(spread.met)} met, ${fmtInt(spread.paused)} paused; bulk-inserted in ${seconds(spread.insertMs)} (multi-row INSERTs), then ANALYZE TABLE; cases ${spread.casesMb.toFixed(0)} MB, case_deadlines ${spread.deadlinesMb.toFixed(0)} MB (data + indexes) against a ${(Number(bp!.b) / 2 ** 20).toFixed(0)} MB InnoDB buffer pool (startMariaDb's setting). Running deadlines are at stage 0/1/2 (55/30/15 %) with at and next_at as nextStepAt() relates them; policy due-soon ${dueSoonMinutes} min, escalation ${ESCALATE_AFTER_MS / HOUR} h after the breach.`,
      `Ticks at explicit times from T0 = ${new Date(T0).toISOString()} (Tue 10:00 Asia/Shanghai): no next_at before T0 − 1 min (earlier ticks took them); a warm-up window of ${windows[0]!.size} due rows (ticked once with the general log on, not measured); ${rounds} normal windows of one minute with ${fmtInt(due)} due rows each, ticked at the minute's end by one instance; one more window of ${fmtInt(due)} ticked by three instances at once; then a ${OUTAGE_MIN}-minute window of ${fmtInt(heavy - candidates.length)} rows + ${fmtInt(candidates.length)} deadlines moved during it (stage 0, at inside the window, next_at = at − ${dueSoonMinutes} min: due soon and breach both due, breach only expected), ticked once at its end. The rest of the running deadlines are next due 1 h … 3 days after T0. Due rows per window: stage 0 → case.due_soon, 1 → case.breached, 2 → case.escalated, the type expected per row computed here from its at and stage (heavy events by type: ${Object.entries(
        heavyEventsByType,
      )
        .map(([k, v]) => `${k} ${fmtInt(v)}`)
        .join(', ')}).`,
      `Instances: forked processes of this file, each createContainer (all modules, own mysql2 pool of 10, ManualClock, no background work started: the event dispatcher does not fan the events out meanwhile) calling container.sla.tick(at) as the aftersales.sla job does; the time is measured around that call inside the instance. Before each measured tick, on the same due rows and from the same instance: the tick's selection alone (a copy of tick()'s query builder; the general log shows it sends ${sameSelection ? 'the same statement text as tick()' : 'a DIFFERENT statement than tick() — see the statement below'}) and the range scan \`${RANGE_SQL}\` (one statement, all due rows); both only read, and they warm the same pages the tick then reads.`,
      `Where a tick's time goes (warm-up tick with MariaDB's general log on): every due row is its own unit of work, ${perStepStatements.toFixed(1)} statements per step, one after another, on ${connections} connections: ${kindsText}; besides one selection per ${TICK_BATCH} rows. A round trip (SELECT 1 through the instance's TypeORM pool, one at a time) takes ${roundTripMs.toFixed(3)} ms here, so the statements alone are ≥ ${(perStepStatements * roundTripMs).toFixed(2)} ms of the ${stepMs.toFixed(2)} ms per step of normal tick 1. CPU over normal tick 1: ${cpuPerStep(ticks[0]!)}: the instance's one Node event loop was busy ${(serverShare * 100).toFixed(0)} % of the tick (building, sending and parsing each statement: TypeORM, mysql2, a socket write per statement; --profile DIR writes a V8 profile of each instance) and mariadbd ${((ticks[0]!.mariadbCpuMs / Math.max(1, ticks[0]!.ms)) * 100).toFixed(0)} % of one CPU; the selection itself is ${(selShare(ticks[0]!) * 100).toFixed(1)} % of the tick. Heavy: ${cpuPerStep(heavyTick)}, ${perStep(heavyTick).toFixed(2)} ms per step. Three instances: ${cpuPerStep(concurrent)}; all three walk the same due rows in the same (case_id, deadline_key) order, each reads the case and policy and tries the conditional UPDATE for rows another instance is taking (waiting on its row lock, then 0 rows affected), so they share the work only where they happen to be at different rows. In production the scheduler hands each minute's aftersales.sla occurrence to one instance (a job run row per occurrence, and a run still going under its lease makes the next occurrence wait), so three ticks at once are the exception (a lapsed lease, a manual tick); this run checks that exactly-once holds then too.`,
      ...plans.map(
        (p) =>
          `EXPLAIN ${p.label}, first page of the selection: ${planText(p.explain)}. ANALYZE: ${planText(p.analyze)}. Range scan EXPLAIN: ${planText(p.range)}. Statement (captured from the general log, tick time substituted): \`${p.sql.replace(/`/g, '')}\``,
      ),
      `Machine ${Math.round(quiet.busy * 100)} % busy before the measured ticks (waited ${seconds(quiet.waitedMs)}); mariadbd, the instances and this process share the ${report.machine.nproc} CPUs. Whole benchmark ${seconds(Date.now() - started)}; flags: --cases N, --due N, --heavy N, --rounds R.`,
    );
    report.raw = {
      spread,
      windows,
      ticks,
      concurrent,
      heavy: heavyTick,
      warm: { taken: warmTaken, check: warmCheck },
      kinds,
      roundTripMs,
      plans,
      sameSelection,
    };
    await setup.close();
  } catch (err) {
    report.error = String((err as Error).stack ?? err);
  } finally {
    for (const x of instances) await x.stop().catch(() => undefined);
    await conn?.end().catch(() => undefined);
    if (ds?.isInitialized) await ds.destroy().catch(() => undefined);
    await dropDatabaseUrl(url).catch(() => undefined);
    await maria.stop();
  }
  return report;
}

const flag = (name: string): number | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};

if (process.argv.includes('--instance')) {
  if (!process.send) {
    console.error('sla.ts --instance is forked by the SLA benchmark; run it without --instance.');
    process.exit(2);
  }
  instanceMain().catch((err) => {
    console.error('[sla-instance] failed to start:', err);
    process.exit(1);
  });
} else if (require.main === module) {
  const profileAt = process.argv.indexOf('--profile');
  runStandalone(() =>
    runSlaBench({
      cases: flag('--cases'),
      due: flag('--due'),
      heavy: flag('--heavy'),
      rounds: flag('--rounds'),
      profileDir: profileAt > 0 ? process.argv[profileAt + 1] : undefined,
    }),
  );
}
