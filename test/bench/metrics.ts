/**
 * Figures on MariaDB (issue 13's benchmark): the daily rollup of one big day, and the dashboard's queries over a year.
 * One throwaway mariadbd and one stack in this process (startStack: the WeCom simulator with the demo corp, the real
 * server on a fresh migrated database, background work running); the owner 陈静 (ADMIN_USERIDS, role owner) reads,
 * both through the real services taken from the stack's container and over HTTP with a signed-in session. Calls and
 * requests go one at a time, so the server and this process share an event loop but never compete for it.
 *
 *  rollup: ORDERS (default 100,000) orders created on day D (yesterday in TZ_CORP) in ONE shop (the heaviest single
 *     unit the rollup job ever gets: Rollup.day is one shop's day), with items over SKUS (default 10,000) SKUs (1–3
 *     lines per order, 70 % from a long-tailed popularity, 30 % uniform), bulk-inserted as facts straight into
 *     metric_orders and metric_refunds (multi-row INSERTs, not timed), the same again created on D−1 and D−2 so that D
 *     also has the shipments and claims a steady shop has (orders ship 2–40 h after creation, 5 % late; 90 % claimed
 *     1–120 min after creation by one of 50 members; 4 % cancelled before shipping), and 2 % refunds a day on D−1 and
 *     D. Then Rollup.day(D, shop) (the class the jobs use, from the container) RUNS times (default 3): the time of each,
 *     the median; after each, the (day, shop)'s metric_daily rows read back and hashed (idempotence: every run gives the
 *     same rows), and compared with the rollup computed here from the generated facts, from the definitions in the
 *     module's README (not from its code). Diagnostics: compute() alone (its three findBy and the sums, nothing
 *     written), the three SELECTs on a plain connection, their EXPLAIN, and the statements one run sends (general log).
 *  dashboard: metric_daily for DAYS (default 365) days up to today × SHOPS (default 20) shops (5 currencies), with
 *     MEMBERS (default 10) claiming members per shop (from the demo corp, so the member scope's names are looked up)
 *     and SHOP_SKUS (default 200) SKUs per shop, each selling on 40–100 % of the days by its popularity; rows
 *     generated directly (what rollups would have written: the shop scope's 8 measures, the member scope's 2, the SKU
 *     scope's 2 per SKU sold), the 20 shops in `shops` (status needs_reauth, so no background job calls Shopee for
 *     them) for their names. Then, interleaved round by round: GET /api/metrics over the whole range as the owner, for
 *     the team scope (the KPI cards) and the shop scope (the chart), by day and by week; the same through
 *     MetricQuery.query() (no HTTP); the statement the server ran for each (MariaDB's general log) replayed on a plain
 *     connection; and beside them a primary-key lookup on metric_daily (all six key columns, random day and shop) and
 *     GET /api/metrics/definitions (the session check and a constant answer). Informational, fewer rounds when slow:
 *     the page's other requests (the other KPI metrics, the member and SKU scopes by week as the 数据 page asks) and
 *     the whole page (its 11 requests at once on 6 connections, as a browser sends them). EXPLAIN and ANALYZE of each
 *     statement. Checked: every answer 200, the team GMV per currency equal to the generated rows' sum, one point per
 *     day (or week).
 *
 * Scale: the defaults took about 17 minutes on 2 CPUs (most of it the year of SKU rows each SKU-table request reads). --quick: 10,000 orders over 1,000 SKUs, 60 days × 5 shops,
 * 30 rounds (a test run, about a minute). Standalone:
 *   npx tsx --tsconfig tsconfig.json test/bench/metrics.ts [--write] [--quick] [--only rollup,dashboard] [--orders N]
 *   [--skus N] [--runs N] [--days N] [--shops N] [--members N] [--shop-skus N] [--rounds R] [--no-proposal]
 * --write also puts this benchmark's goal rows into RESULTS.md's summary table (lib/summary-rows.ts).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import type { Actor, MetricKey, MetricScope, MetricsResponse } from '@shopcrew/shared';
import { addDays, dayBounds, dayIn } from '../../server/src/modules/metrics/days';
import type { MetricQueryInput } from '../../server/src/modules/metrics/metric-query';
import type { Rollup } from '../../server/src/modules/metrics/rollup';
import { DEMO_USERS } from '../../scripts/wecom-sim';
import { startMariaDb, type MariaDbHandle } from '../support/mariadb';
import { signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { childPidsNamed, cpuDelta, cpuSnapshot, othersMs, waitForQuietMachine, type CpuDelta } from './lib/cpu';
import { fmtInt, fmtMs, newReport, writeResults, type BenchReport } from './lib/report';
import { mergeSummaryRows } from './lib/summary-rows';

export type MetricsPart = 'rollup' | 'dashboard';
export const METRICS_PARTS: readonly MetricsPart[] = ['rollup', 'dashboard'];

export interface MetricsBenchOptions {
  only?: readonly MetricsPart[];
  /** rollup: orders created on the rolled day (the same again on each of the two days before), SKUs, timed runs. */
  orders?: number;
  skus?: number;
  runs?: number;
  /** dashboard: days up to today, shops, claiming members and SKUs per shop, measured rounds. */
  days?: number;
  shops?: number;
  members?: number;
  shopSkus?: number;
  rounds?: number;
  /** dashboard: afterwards, time a candidate for the SKU table (totals in SQL, a covering index); default true. */
  proposal?: boolean;
  log?: (line: string) => void;
}

/**
 * Goals, set before measuring. Rollup: the job `metrics.rollup` re-rolls every marked (day, shop) once a minute, and a
 * busy shop's today is marked all day long (every order.synced marks it), so the rollup of a shop's day runs every
 * minute, one after another for every shop, in one process (a lease). At most 10 s for the largest day a shop has
 * (100,000 orders) keeps that shop within a sixth of each minute, leaving the rest for the other shops' (smaller) days
 * and for the request traffic of the same process. Dashboard: ≤ 100 ms p95 for one figure request over HTTP, so the
 * page's requests (6 KPI cards, the chart, the member and SKU tables, on 6 connections) are on screen within well
 * under a second even for a year.
 */
export const ROLLUP_GOAL_MS = 10_000;
export const DASHBOARD_GOAL_P95_MS = 100;

const OWNER = DEMO_USERS.owner;
const DAY_MS = 86_400_000;
const H = 3_600_000;
const ROLLUP_SHOP = '8100001';
const ROLLUP_CURRENCY = 'SGD';
const ROLLUP_MEMBERS = 50;
const ORDER_BATCH = 2_000;
const DAILY_BATCH = 5_000;
const WARMUP_ROUNDS = 3;
/** The informational operations share about this much time in the measured rounds (each at least MIN_SLOW samples). */
const INFO_BUDGET_MS = 150_000;
/** The measured rounds: at most `rounds`, fewer when the warm-up says they would take longer than this (at least MIN_ROUNDS). */
const ROUNDS_BUDGET_MS = 240_000;
const MIN_ROUNDS = 20;
/** Rounds of the four goal requests under each candidate (a covering index, a larger buffer pool), after one warm-up. */
const VARIANT_ROUNDS = 20;
const COVER_INDEX = 'idx_bench_read_cover';
const MIN_SLOW = 3;
/** An operation slower than this in its first warm-up call is not warmed up again. */
const SLOW_WARMUP_MS = 1_000;
/** The whole page: up to PAGE_ROUNDS loads, about PAGE_BUDGET_MS together, at least 3. */
const PAGE_ROUNDS = 10;
const PAGE_BUDGET_MS = 60_000;
/** Shopee markets' currencies; the shops take them in turn (no money is added across them). */
const CURRENCIES = ['SGD', 'MYR', 'THB', 'PHP', 'VND'] as const;
/** A typical order value in each currency. */
const AOV: Record<string, number> = { SGD: 38, MYR: 120, THB: 900, PHP: 1_400, VND: 420_000 };
/** The demo corp's active members (they claim orders in the generated figures, so their names are looked up). */
const MEMBER_POOL = Object.values(DEMO_USERS).filter((u) => u !== DEMO_USERS.inactive);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round2 = (v: number) => Math.round(v * 100) / 100;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
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

// ───────────────────────────── latency figures ─────────────────────────────

export interface Latency {
  label: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function latency(label: string, samples: readonly number[]): Latency {
  const s = Float64Array.from(samples).sort();
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : 0);
  return { label, count: s.length, p50: at(50), p95: at(95), p99: at(99), max: s.length ? s[s.length - 1]! : 0 };
}

const latText = (l: Latency) => `p50 ${fmtMs(l.p50)}, p95 ${fmtMs(l.p95)} (max ${fmtMs(l.max)}, n = ${l.count})`;

class Samples {
  readonly by = new Map<string, number[]>();
  add(key: string, ms: number): void {
    const list = this.by.get(key) ?? [];
    list.push(ms);
    this.by.set(key, list);
  }
  count(key: string): number {
    return this.by.get(key)?.length ?? 0;
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

// ───────────────────────────── shared context ─────────────────────────────

/** A keep-alive HTTP client with the owner's cookie; the latency covers the whole response body. */
interface Client {
  get(path: string): Promise<{ status: number; body: Buffer; ms: number }>;
  close(): void;
}

function client(baseUrl: string, cookie: string, sockets = 1): Client {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  return {
    get: (path) =>
      new Promise((resolve, reject) => {
        const t = performance.now();
        const req = http.request(
          { agent, hostname: base.hostname, port: base.port, method: 'GET', path, headers: { cookie, accept: 'application/json' }, timeout: 120_000 },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - t }));
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within 120 s`)));
        req.on('error', reject);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

interface BenchContext {
  o: Required<Omit<MetricsBenchOptions, 'log' | 'only'>>;
  stack: Stack;
  conn: mysql.Connection;
  actor: Actor;
  cookie: string;
  http: Client;
  mariadbPid: number | undefined;
  tz: string;
  report: BenchReport;
  raw: Record<string, unknown>;
  log: (line: string) => void;
}

interface PlanRow {
  id?: number;
  select_type?: string;
  table: string;
  type: string;
  possible_keys?: string | null;
  key: string | null;
  key_len?: string | null;
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
        `table ${r.table}, type ${r.type}, key ${r.key ?? 'NULL'}${r.key_len ? ` (key_len ${r.key_len})` : ''}, rows ${r.rows ?? 'NULL'}${r.r_rows !== undefined ? `, r_rows ${r.r_rows ?? 'NULL'}` : ''}, Extra "${r.Extra ?? ''}"`,
    )
    .join('; ');

/** A plan that reads through an index: no full table scan (ALL), no full index scan (index), a key chosen. */
const indexedPlan = (rows: PlanRow[]) => rows.every((r) => r.key !== null && r.type !== 'ALL' && r.type !== 'index');

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

/** "INSERT metric_daily", "SELECT metric_orders", "START TRANSACTION"… */
function statementKind(sql: string): string {
  const s = sql.trim().replace(/\s+/g, ' ');
  const verb = /^(\w+)/.exec(s)?.[1]?.toUpperCase() ?? '?';
  const table = /\b(?:FROM|INTO|UPDATE)\s+`?(\w+)`?/i.exec(s)?.[1];
  if (!table || verb === 'START' || verb === 'COMMIT' || verb === 'ROLLBACK' || verb === 'SET') return s.slice(0, 40);
  return `${verb} ${table}`;
}

async function tableSize(conn: mysql.Connection, table: string): Promise<{ rows: number; dataMb: number; indexMb: number }> {
  const [[n]] = (await conn.query(`SELECT COUNT(*) AS n FROM ${table}`)) as unknown as [Array<{ n: string | number }>];
  const [[size]] = (await conn.query(
    `SELECT data_length AS d, index_length AS i FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?`,
    [table],
  )) as unknown as [Array<{ d: string | number; i: string | number }>];
  return { rows: Number(n!.n), dataMb: Number(size!.d) / 2 ** 20, indexMb: Number(size!.i) / 2 ** 20 };
}

// ───────────────────────────── rollup ─────────────────────────────

/** A rollup row's identity and value, as metric_daily holds it for one (day, shop). */
type DailyKey = string; // scope \0 scope_key \0 measure \0 currency

class Expected {
  readonly sums = new Map<DailyKey, number>();
  add(scope: string, key: string, measure: string, currency: string, value: number): void {
    const k = `${scope}\u0000${key}\u0000${measure}\u0000${currency}`;
    this.sums.set(k, (this.sums.get(k) ?? 0) + value);
  }
}

interface RollupSeed {
  day: string;
  start: number;
  end: number;
  ordersTotal: number;
  refundsTotal: number;
  createdOnDay: number;
  cancelledOnDay: number;
  shippedOnDay: number;
  claimedOnDay: number;
  refundsOnDay: number;
  skusOnDay: number;
  itemLines: number;
  insertMs: number;
  expected: Expected;
  avgItemsJson: number;
}

/** The SKU picker: 70 % from a long tail (weight 1 / rank^0.9), 30 % uniform, so every SKU sells and a few sell a lot. */
function skuPicker(skus: number, rand: () => number): () => number {
  const cum = new Float64Array(skus);
  let total = 0;
  for (let k = 0; k < skus; k++) cum[k] = total += 1 / Math.pow(k + 1, 0.9);
  return () => {
    if (rand() < 0.3) return Math.floor(rand() * skus);
    const x = rand() * total;
    let lo = 0;
    let hi = skus - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const SKU_WORDS = ['连衣裙', 'T恤', '手机壳', '数据线', '收纳盒', '保温杯', '防晒霜', '面膜', '运动鞋', '双肩包', '蓝牙耳机', '台灯', '抱枕', '拖鞋', '发夹'];
const skuCode = (k: number) => `SKU-${String(k + 1).padStart(5, '0')}`;
const skuName = (k: number) =>
  `${['夏季新款', '爆款', '加厚', '便携', '网红同款'][k % 5]}${SKU_WORDS[k % SKU_WORDS.length]} ${String.fromCharCode(65 + (k % 26))}${(k % 7) + 1}号`;
const skuPrice = (k: number) => 5 + ((k * 7919) % 7500) / 100; // 5.00 … 79.99 SGD

/**
 * The facts of one shop: `n` orders created on each of D−2, D−1 and D (uniformly over each day), refunds on D−1 and D;
 * the expected rollup of D computed here, from the definitions (README): gmv, orders, units and SKU gmv of orders
 * created on D without those cancelled before shipping; shipped_orders and on_time_orders of orders that left the seller
 * on D (on time: by ship-by); claimed_orders and claim_minutes of orders first claimed on D (per shop and member);
 * refund_amount and refunded_orders (distinct orders) of refunds on D.
 */
async function seedRollup(ctx: BenchContext): Promise<RollupSeed> {
  const { conn, o, tz, log } = ctx;
  const rand = rng(13);
  const pick = skuPicker(o.skus, rand);
  const now = Date.now();
  const day = addDays(dayIn(tz, now), -1);
  const [start, end] = dayBounds(tz, day);
  const expected = new Expected();
  const members = Array.from({ length: ROLLUP_MEMBERS }, (_, i) => `cs${String(i + 1).padStart(3, '0')}`);
  const skusOnDay = new Set<number>();
  const seed: Omit<RollupSeed, 'insertMs' | 'avgItemsJson' | 'skusOnDay'> = {
    day,
    start,
    end,
    ordersTotal: 0,
    refundsTotal: 0,
    createdOnDay: 0,
    cancelledOnDay: 0,
    shippedOnDay: 0,
    claimedOnDay: 0,
    refundsOnDay: 0,
    itemLines: 0,
    expected,
  };
  const inDay = (t: number | null) => t !== null && t >= start && t < end;
  const t0 = performance.now();
  let jsonBytes = 0;
  /** Orders that shipped, for the refunds: [order_sn, total]. */
  const refundable: Array<[string, number]> = [];
  let pending: Promise<unknown> | null = null;
  let lastLog = Date.now();
  const dayStarts = [dayBounds(tz, addDays(day, -2))[0], dayBounds(tz, addDays(day, -1))[0], start];
  for (let d = 0; d < 3; d++) {
    const dStart = dayStarts[d]!;
    const dEnd = d < 2 ? dayStarts[d + 1]! : end;
    for (let from = 0; from < o.orders; from += ORDER_BATCH) {
      const rows: unknown[][] = [];
      for (let i = from; i < Math.min(o.orders, from + ORDER_BATCH); i++) {
        const created = Math.floor(dStart + ((dEnd - dStart) * (i + rand())) / o.orders);
        const lines = 1 + (rand() < 0.6 ? 0 : rand() < 0.75 ? 1 : 2);
        const items: Array<{ sku: string; name: string; qty: number; amount: number }> = [];
        const ks: number[] = [];
        for (let l = 0; l < lines; l++) {
          const k = pick();
          const qty = 1 + (rand() < 0.8 ? 0 : Math.floor(rand() * 3));
          ks.push(k);
          items.push({ sku: skuCode(k), name: skuName(k), qty, amount: round2(qty * skuPrice(k)) });
        }
        const total = round2(items.reduce((s, it) => s + it.amount, 0));
        const shipBy = created + 48 * H;
        const cancelled = rand() < 0.04;
        let shippedAt: number | null = null;
        if (!cancelled) {
          const late = rand() < 0.05;
          const at = late ? created + 48 * H + Math.floor(rand() * 24 * H) : created + 2 * H + Math.floor(rand() * 38 * H);
          if (at < now) shippedAt = at;
        }
        const status = cancelled ? 'CANCELLED' : shippedAt === null ? (rand() < 0.5 ? 'READY_TO_SHIP' : 'PROCESSED') : rand() < 0.7 ? 'SHIPPED' : 'COMPLETED';
        const claimed = rand() < 0.9;
        const claimedAt = claimed ? created + 60_000 + Math.floor(rand() * 119 * 60_000) : null;
        const claimedBy = claimed ? members[Math.floor(rand() * members.length)]! : null;
        const orderSn = `${day.slice(2).replace(/-/g, '')}R${d}${i.toString(36).toUpperCase().padStart(6, '0')}`;
        const json = JSON.stringify(items);
        jsonBytes += Buffer.byteLength(json);
        seed.itemLines += lines;
        rows.push([
          orderSn,
          ROLLUP_SHOP,
          ROLLUP_CURRENCY,
          total,
          status,
          created,
          shippedAt ?? created + 60_000,
          shipBy,
          shippedAt,
          claimedAt,
          claimedBy,
          json,
        ]);
        if (shippedAt !== null && shippedAt < end) refundable.push([orderSn, total]);
        // The expected rollup of `day`.
        if (inDay(created)) {
          seed.createdOnDay++;
          if (cancelled && shippedAt === null) seed.cancelledOnDay++;
          else {
            expected.add('shop', ROLLUP_SHOP, 'gmv', ROLLUP_CURRENCY, total);
            expected.add('shop', ROLLUP_SHOP, 'orders', ROLLUP_CURRENCY, 1);
            items.forEach((it, j) => {
              skusOnDay.add(ks[j]!);
              expected.add('sku', it.sku, 'units', '', it.qty);
              expected.add('sku', it.sku, 'gmv', ROLLUP_CURRENCY, it.amount);
            });
          }
        }
        if (inDay(shippedAt)) {
          seed.shippedOnDay++;
          expected.add('shop', ROLLUP_SHOP, 'shipped_orders', '', 1);
          if (shippedAt! <= shipBy) expected.add('shop', ROLLUP_SHOP, 'on_time_orders', '', 1);
        }
        if (inDay(claimedAt)) {
          seed.claimedOnDay++;
          const minutes = Math.max(0, (claimedAt! - created) / 60_000);
          for (const [scope, key] of [
            ['shop', ROLLUP_SHOP],
            ['member', claimedBy!],
          ] as const) {
            expected.add(scope, key, 'claimed_orders', '', 1);
            expected.add(scope, key, 'claim_minutes', '', minutes);
          }
        }
      }
      seed.ordersTotal += rows.length;
      if (pending) await pending;
      pending = conn.query(
        'INSERT INTO metric_orders (order_sn, shop_id, currency, total, status, created_at, update_time, ship_by, shipped_at, claimed_at, claimed_by, items) VALUES ?',
        [rows],
      );
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`[metrics] rollup:   ${fmtInt(seed.ordersTotal)} of ${fmtInt(3 * o.orders)} facts inserted (${seconds(performance.now() - t0)})`);
      }
    }
  }
  if (pending) await pending;
  // Refunds: 2 % of the orders a day, on D−1 and D, of orders that shipped before (one order refunded twice now and then).
  const refundRows: unknown[][] = [];
  const refundedOnDay = new Set<string>();
  for (let d = 1; d < 3; d++) {
    const dStart = dayStarts[d]!;
    const dEnd = d < 2 ? dayStarts[d + 1]! : end;
    const n = Math.round(o.orders * 0.02);
    for (let i = 0; i < n; i++) {
      const at = Math.floor(dStart + ((dEnd - dStart) * (i + rand())) / n);
      const [orderSn, total] = refundable[Math.floor(rand() * refundable.length)]!;
      const amount = rand() < 0.7 ? total : round2(total * (0.2 + rand() * 0.6));
      refundRows.push([`RF${d}${String(i).padStart(8, '0')}`, ROLLUP_SHOP, orderSn, ROLLUP_CURRENCY, amount, at]);
      if (inDay(at)) {
        seed.refundsOnDay++;
        expected.add('shop', ROLLUP_SHOP, 'refund_amount', ROLLUP_CURRENCY, amount);
        if (!refundedOnDay.has(orderSn)) expected.add('shop', ROLLUP_SHOP, 'refunded_orders', '', 1);
        refundedOnDay.add(orderSn);
      }
    }
  }
  for (let from = 0; from < refundRows.length; from += DAILY_BATCH)
    await conn.query('INSERT INTO metric_refunds (case_id, shop_id, order_sn, currency, amount, refunded_at) VALUES ?', [
      refundRows.slice(from, from + DAILY_BATCH),
    ]);
  seed.refundsTotal = refundRows.length;
  await conn.query('ANALYZE TABLE metric_orders, metric_refunds');
  return { ...seed, skusOnDay: skusOnDay.size, insertMs: performance.now() - t0, avgItemsJson: jsonBytes / seed.ordersTotal };
}

/** The (day, shop)'s metric_daily rows, sorted: their count, a hash, and the values by key. */
async function dailyRows(conn: mysql.Connection, day: string, shopId: string): Promise<{ count: number; hash: string; values: Map<DailyKey, number> }> {
  const [rows] = await conn.query(
    'SELECT scope, scope_key AS k, measure, currency, value FROM metric_daily WHERE day = ? AND shop_id = ? ORDER BY scope, scope_key, measure, currency',
    [day, shopId],
  );
  const list = rows as Array<{ scope: string; k: string; measure: string; currency: string; value: number }>;
  const h = createHash('sha256');
  const values = new Map<DailyKey, number>();
  for (const r of list) {
    h.update(`${r.scope}\u0000${r.k}\u0000${r.measure}\u0000${r.currency}\u0000${r.value}\n`);
    values.set(`${r.scope}\u0000${r.k}\u0000${r.measure}\u0000${r.currency}`, Number(r.value));
  }
  return { count: list.length, hash: h.digest('hex').slice(0, 16), values };
}

interface RollupFigures {
  seed: Omit<RollupSeed, 'expected'>;
  runs: Array<{ ms: number; rows: number; hash: string; cpu: CpuDelta }>;
  medianMs: number;
  identical: boolean;
  check: { expectedRows: number; missing: number; extra: number; differing: number; maxDiff: number; examples: string[] };
  byScope: Record<string, number>;
  compute: { ms: number[]; rows: number };
  selects: Array<{ label: string; ms: number; rows: number; explain: PlanRow[] }>;
  statements: { total: number; byKind: Record<string, number>; insertRowsPerStatement: number };
  tables: { orders: { rows: number; dataMb: number; indexMb: number }; daily: { rows: number; dataMb: number; indexMb: number } };
  bigPool: { poolMb: number; runMs: number; computeMs: number; shippedMs: number };
  machineBusy: number;
}

const BIG_POOL_MB = 512;

/** Runs `work` with InnoDB's buffer pool resized to `mb` (online, SET GLOBAL), then puts the size back. */
async function withBufferPool<T extends object>(
  conn: mysql.Connection,
  mb: number,
  log: (l: string) => void,
  work: () => Promise<T>,
): Promise<T & { poolMb: number }> {
  const size = async () => {
    const [[v]] = (await conn.query('SELECT @@innodb_buffer_pool_size AS s')) as unknown as [Array<{ s: string | number }>];
    return Number(v!.s);
  };
  /** The pool's pages × page size: what InnoDB has actually allocated. */
  const allocated = async () => {
    const [[st]] = (await conn.query(`SHOW STATUS LIKE 'Innodb_buffer_pool_pages_total'`)) as unknown as [Array<{ Value: string }>];
    const [[ps]] = (await conn.query('SELECT @@innodb_page_size AS p')) as unknown as [Array<{ p: string | number }>];
    return Number(st?.Value ?? 0) * Number(ps!.p);
  };
  const resize = async (bytes: number) => {
    await conn.query(`SET GLOBAL innodb_buffer_pool_size = ${bytes}`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const now = await allocated();
      if (Math.abs(now - bytes) <= 0.1 * bytes) return;
      if (Date.now() > deadline) {
        log(`[metrics] buffer pool resize: ${(now / 2 ** 20).toFixed(0)} MB allocated after 60 s; going on`);
        return;
      }
      await sleep(250);
    }
  };
  const original = await size();
  await resize(mb * 2 ** 20);
  const poolMb = (await allocated()) / 2 ** 20;
  try {
    return { ...(await work()), poolMb };
  } finally {
    await resize(original);
    log(`[metrics] buffer pool back to ${((await size()) / 2 ** 20).toFixed(0)} MB`);
  }
}

async function rollupPart(ctx: BenchContext): Promise<void> {
  const { o, conn, stack, log, report } = ctx;
  const rollup: Rollup = stack.app.container.metricRollup;
  log(`[metrics] rollup: seeding ${fmtInt(3 * o.orders)} order facts (${fmtInt(o.orders)} a day on 3 days) over ${fmtInt(o.skus)} SKUs, one shop`);
  const seeded = await seedRollup(ctx);
  const { expected, ...seed } = seeded;
  const { day } = seed;
  log(
    `[metrics] rollup: seeded in ${seconds(seed.insertMs)}; day ${day}: ${fmtInt(seed.createdOnDay)} created (${fmtInt(seed.cancelledOnDay)} cancelled), ${fmtInt(seed.shippedOnDay)} shipped, ${fmtInt(seed.claimedOnDay)} claimed, ${fmtInt(seed.refundsOnDay)} refunds, ${fmtInt(seed.skusOnDay)} SKUs sold`,
  );
  const orders = await tableSize(conn, 'metric_orders');
  const quiet = await waitForQuietMachine({ log, maxWaitMs: 60_000 });
  const pids = { mariadb: ctx.mariadbPid };

  const runs: RollupFigures['runs'] = [];
  for (let r = 0; r < o.runs; r++) {
    const before = cpuSnapshot(pids);
    const { value: rows, ms } = await timed(() => rollup.day(day, ROLLUP_SHOP));
    const cpu = cpuDelta(before, cpuSnapshot(pids));
    const read = await dailyRows(conn, day, ROLLUP_SHOP);
    if (read.count !== rows) throw new Error(`rollup run ${r + 1} said ${rows} rows, metric_daily holds ${read.count}`);
    runs.push({ ms, rows, hash: read.hash, cpu });
    log(
      `[metrics] rollup: run ${r + 1}: ${fmtMs(ms)}, ${fmtInt(rows)} rows (hash ${read.hash}); mariadbd ${fmtInt(cpu.procsMs['mariadb'] ?? 0)} ms CPU, this process ${fmtInt(cpu.selfMs)} ms`,
    );
  }
  const identical = runs.every((r) => r.hash === runs[0]!.hash && r.rows === runs[0]!.rows);

  // The rows against the rollup computed here.
  const read = await dailyRows(conn, day, ROLLUP_SHOP);
  const check: RollupFigures['check'] = { expectedRows: expected.sums.size, missing: 0, extra: 0, differing: 0, maxDiff: 0, examples: [] };
  for (const [k, v] of expected.sums) {
    const got = read.values.get(k);
    if (got === undefined) {
      check.missing++;
      if (check.examples.length < 5) check.examples.push(`missing ${k.split('\u0000').join('/')}`);
      continue;
    }
    const diff = Math.abs(got - round2(v));
    check.maxDiff = Math.max(check.maxDiff, diff);
    // Sums of the same numbers in another order may differ in the last bit, so rounding may differ by a cent.
    if (diff > 0.0100001) {
      check.differing++;
      if (check.examples.length < 5) check.examples.push(`${k.split('\u0000').join('/')}: ${got} vs ${round2(v)}`);
    }
  }
  for (const k of read.values.keys()) if (!expected.sums.has(k)) check.extra++;
  const byScope: Record<string, number> = {};
  for (const k of read.values.keys()) byScope[k.split('\u0000')[0]!] = (byScope[k.split('\u0000')[0]!] ?? 0) + 1;
  log(`[metrics] rollup: vs the hand computation: ${check.missing} missing, ${check.extra} extra, ${check.differing} differing (max diff ${check.maxDiff})`);

  // Diagnostics: compute() alone (the three findBy and the sums; nothing written), then the SELECTs on a plain connection.
  const compute = (rollup as unknown as { compute(m: unknown, day: string, shopId: string): Promise<unknown[]> }).compute.bind(rollup);
  const computeMs: number[] = [];
  let computeRows = 0;
  for (let r = 0; r < 2; r++) {
    const t = await timed(() => compute(stack.app.container.ds.manager, day, ROLLUP_SHOP));
    computeMs.push(t.ms);
    computeRows = t.value.length;
  }
  const { start, end } = seed;
  const selects: RollupFigures['selects'] = [];
  for (const [label, col, table] of [
    ['created that day', 'created_at', 'metric_orders'],
    ['shipped that day', 'shipped_at', 'metric_orders'],
    ['claimed that day', 'claimed_at', 'metric_orders'],
    ['refunds that day', 'refunded_at', 'metric_refunds'],
  ] as const) {
    const sql = `SELECT * FROM ${table} WHERE shop_id = ${conn.escape(ROLLUP_SHOP)} AND ${col} BETWEEN ${start} AND ${end - 1}`;
    const t = await timed(() => conn.query(sql));
    const [explain] = await conn.query(`EXPLAIN ${sql}`);
    selects.push({ label, ms: t.ms, rows: (t.value[0] as unknown[]).length, explain: explain as PlanRow[] });
  }
  log(
    `[metrics] rollup: compute() alone ${computeMs.map(fmtMs).join(' / ')}; SELECTs on a plain connection ${selects.map((s) => `${s.label} ${fmtMs(s.ms)} (${fmtInt(s.rows)} rows)`).join(', ')}`,
  );

  // Diagnostic: the same rollup with a production-like buffer pool (startMariaDb gives 32 MB), the second of two runs.
  const shippedSql = `SELECT * FROM metric_orders WHERE shop_id = ${conn.escape(ROLLUP_SHOP)} AND shipped_at BETWEEN ${start} AND ${end - 1}`;
  const bigPool = await withBufferPool(conn, BIG_POOL_MB, log, async () => {
    await rollup.day(day, ROLLUP_SHOP);
    const run = await timed(() => rollup.day(day, ROLLUP_SHOP));
    const c = await timed(() => compute(stack.app.container.ds.manager, day, ROLLUP_SHOP));
    const shipped = await timed(() => conn.query(shippedSql));
    return { runMs: run.ms, computeMs: c.ms, shippedMs: shipped.ms };
  });
  log(
    `[metrics] rollup: with a ${bigPool.poolMb} MB buffer pool: run ${fmtMs(bigPool.runMs)}, compute() ${fmtMs(bigPool.computeMs)}, shipped SELECT ${fmtMs(bigPool.shippedMs)}`,
  );

  // The statements of one more run.
  const statements = await generalLog(conn, async () => void (await rollup.day(day, ROLLUP_SHOP)));
  const ours = statements.filter((s) => /metric_(orders|refunds|daily|dirty)|^\s*(START|COMMIT|ROLLBACK|SET TRANSACTION)/i.test(s.sql));
  const byKind: Record<string, number> = {};
  for (const s of ours) byKind[statementKind(s.sql)] = (byKind[statementKind(s.sql)] ?? 0) + 1;
  const inserts = byKind['INSERT metric_daily'] ?? 0;
  const daily = await tableSize(conn, 'metric_daily');

  const f: RollupFigures = {
    seed,
    runs,
    medianMs: median(runs.map((r) => r.ms)),
    identical,
    check,
    byScope,
    compute: { ms: computeMs, rows: computeRows },
    selects,
    statements: { total: ours.length, byKind, insertRowsPerStatement: inserts ? runs[0]!.rows / inserts : 0 },
    tables: { orders, daily },
    bigPool,
    machineBusy: quiet.busy,
  };
  ctx.raw.rollup = f;

  // Out of the dashboard's way: its team and SKU figures read every shop.
  await conn.query('DELETE FROM metric_daily WHERE shop_id = ?', [ROLLUP_SHOP]);
  await conn.query('TRUNCATE TABLE metric_orders');
  await conn.query('TRUNCATE TABLE metric_refunds');

  const rowsText = Object.entries(byScope)
    .map(([k, v]) => `${k} ${fmtInt(v)}`)
    .join(', ');
  report.rows.push(
    {
      metric: `rollup: Rollup.day() of one shop's day with ${fmtInt(seed.createdOnDay)} orders over ${fmtInt(seed.skusOnDay)} SKUs (${fmtInt(seed.shippedOnDay)} shipped, ${fmtInt(seed.claimedOnDay)} claimed, ${fmtInt(seed.refundsOnDay)} refunds that day), median of ${runs.length}`,
      goal: `< ${seconds(ROLLUP_GOAL_MS)}`,
      measured: `${seconds(f.medianMs)} (runs ${runs.map((r) => fmtInt(r.ms)).join(' / ')} ms; ${fmtInt(runs[0]!.rows)} metric_daily rows: ${rowsText})`,
      pass: f.medianMs < ROLLUP_GOAL_MS,
    },
    {
      metric: 'rollup: idempotent: every run leaves the same metric_daily rows for the (day, shop)',
      goal: 'yes',
      measured: `${identical ? 'identical' : 'DIFFERENT'}: ${runs.map((r) => `${fmtInt(r.rows)} rows, sha256 ${r.hash}`).join('; ')}`,
      pass: identical,
    },
    {
      metric: 'rollup: rows equal the rollup computed by the bench from the generated facts (README definitions)',
      goal: 'yes',
      measured: `${fmtInt(check.expectedRows)} expected rows: ${check.missing} missing, ${check.extra} extra, ${check.differing} off by more than a cent (largest difference ${check.maxDiff.toFixed(4)})${check.examples.length ? `; e.g. ${check.examples.join('; ')}` : ''}`,
      pass: check.missing === 0 && check.extra === 0 && check.differing === 0,
    },
    {
      metric: "rollup: where a run's time goes: compute() alone (three findBy + the sums, nothing written) / the rest (delete + inserts, one transaction)",
      goal: '—',
      measured: `${fmtMs(median(computeMs))} / ~${fmtMs(Math.max(0, f.medianMs - median(computeMs)))}; the SELECTs alone on a plain connection: ${selects.map((s) => `${s.label} ${fmtMs(s.ms)} (${fmtInt(s.rows)} rows)`).join(', ')}`,
      pass: null,
    },
    {
      metric: `rollup: the same run with a ${fmtInt(f.bigPool.poolMb)} MB InnoDB buffer pool (resized online; startMariaDb's is 32 MB), the second of two runs`,
      goal: '(info)',
      measured: `${seconds(f.bigPool.runMs)} (compute() alone ${fmtMs(f.bigPool.computeMs)}; the shipped-that-day SELECT on a plain connection ${fmtMs(f.bigPool.shippedMs)})`,
      pass: null,
    },
  );
  const cpuText = (d: CpuDelta) =>
    `this process (the server) ${fmtInt(d.selfMs)} ms, mariadbd ${fmtInt(d.procsMs['mariadb'] ?? 0)} ms, other processes ${Math.round((othersMs(d) / (d.machineTotalMs || 1)) * 100)} % of all CPUs`;
  report.notes.push(
    `Rollup setup: ${fmtInt(seed.ordersTotal)} order facts bulk-inserted straight into metric_orders (multi-row INSERTs of ${fmtInt(ORDER_BATCH)}; ${fmtInt(orders.rows)} rows, data ${fmtInt(orders.dataMb)} MB + indexes ${fmtInt(orders.indexMb)} MB) and ${fmtInt(seed.refundsTotal)} refunds into metric_refunds, all of ONE shop (${ROLLUP_SHOP}, ${ROLLUP_CURRENCY}), in ${seconds(seed.insertMs)} with ANALYZE TABLE (not timed): ${fmtInt(o.orders)} orders created on each of ${addDays(day, -2)}, ${addDays(day, -1)} and ${day} (TZ_CORP ${ctx.tz}; the rolled day, [${new Date(start).toISOString()}, ${new Date(end).toISOString()})), uniformly over each day; 1–3 item lines each (${(seed.itemLines / seed.ordersTotal).toFixed(2)} on average; items JSON ${fmtInt(seed.avgItemsJson)} bytes on average) over ${fmtInt(o.skus)} SKUs (70 % from a long tail with weight 1/rank^0.9, 30 % uniform: ${fmtInt(seed.skusOnDay)} distinct SKUs sold on ${day}); 4 % cancelled before shipping; the others ship 2–40 h after creation (5 % late: 48–72 h, ship-by 48 h), if before now; 90 % first claimed 1–120 min after creation by one of ${ROLLUP_MEMBERS} members; 2 % refunds a day on ${addDays(day, -1)} and ${day}, of orders shipped before, 70 % in full. On ${day}: ${fmtInt(seed.createdOnDay)} created (${fmtInt(seed.cancelledOnDay)} of them cancelled before shipping), ${fmtInt(seed.shippedOnDay)} shipped, ${fmtInt(seed.claimedOnDay)} first claimed, ${fmtInt(seed.refundsOnDay)} refunds. One shop because Rollup.day() is one shop's day: the largest single unit of work the rollup jobs ever run; the same orders over several shops would be several smaller units, each of them faster.`,
    `Rollup method: Rollup.day('${day}', '${ROLLUP_SHOP}') from the stack's container (the instance the jobs metrics.rollup and metrics.rollup-yesterday call; its own unit of work: delete the mark, the three findBy of metric_orders by created_at / shipped_at / claimed_at and one of metric_refunds, the sums in Node, then DELETE the (day, shop)'s metric_daily rows and INSERT the new ones, 500 per statement, in one transaction), ${runs.length} runs one after another (the first on an empty day, then replacing), machine ${Math.round(f.machineBusy * 100)} % busy before them. After each run its rows were read back (ORDER BY the key) and hashed. CPU per run: ${runs.map((r, i) => `run ${i + 1}: ${cpuText(r.cpu)}`).join('; ')}. The bench's own rollup of ${day} from the generated facts (the module README's definitions, not its code) gives ${fmtInt(check.expectedRows)} rows, compared key by key.`,
    `Where the time goes: compute() alone (called on the rollup instance, nothing written; TypeORM findBy builds an entity per row and parses each order's items JSON) took ${computeMs.map(fmtMs).join(' / ')} for ${fmtInt(computeRows)} rows. The same SELECTs on a plain mysql2 connection (rows sent and parsed, no entities): ${selects.map((s) => `${s.label} ${fmtMs(s.ms)}, ${fmtInt(s.rows)} rows`).join('; ')}. EXPLAIN: ${selects.map((s) => `${s.label}: ${planText(s.explain)}`).join('; ')}. One more run with MariaDB's general log on sent ${fmtInt(f.statements.total)} statements on the module's tables: ${Object.entries(
      byKind,
    )
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} × ${fmtInt(v)}`)
      .join(
        ', ',
      )} (${fmtInt(f.statements.insertRowsPerStatement)} rows per INSERT). metric_daily afterwards: ${fmtInt(daily.rows)} rows, data ${fmtInt(daily.dataMb)} MB + indexes ${fmtInt(daily.indexMb)} MB.`,
  );
}

// ───────────────────────────── dashboard ─────────────────────────────

interface DashboardSeed {
  from: string;
  to: string;
  shops: Array<{ shopId: string; currency: string; name: string }>;
  rows: number;
  byScope: Record<string, number>;
  skuRowsPerShopDay: number;
  insertMs: number;
  analyzeMs: number;
  table: { rows: number; dataMb: number; indexMb: number };
  /** The team GMV over the range per currency (sum of the shop rows' values), for the check. */
  teamGmv: Record<string, number>;
  memberIds: number;
}

/**
 * `days` days up to today × `shops` shops of generated rollups: per shop and day its 8 shop measures (refunds only on
 * days with any), `members` members' claims (2 measures each) and the SKUs it sold that day (units and gmv each); shop
 * sizes from 60 to ~1,500 orders a day, a weekly rhythm and a slow trend. Inserted in primary-key order.
 */
async function seedDashboard(ctx: BenchContext): Promise<DashboardSeed> {
  const { conn, o, tz, log } = ctx;
  const rand = rng(31);
  const to = dayIn(tz, Date.now());
  const from = addDays(to, -(o.days - 1));
  const shops = Array.from({ length: o.shops }, (_, s) => {
    const currency = CURRENCIES[s % CURRENCIES.length]!;
    return {
      shopId: String(8_200_001 + s),
      currency,
      name: `Shopee ${currency.slice(0, 2)} 旗舰店 ${s + 1}`,
      size: 60 + Math.round(1_440 * Math.pow(rand(), 2)),
    };
  });
  // The shops themselves, for their names (the shop scope's labels); needs_reauth keeps Shopee jobs off them.
  const now = Date.now();
  await conn.query(
    'INSERT INTO shops (shop_id, platform, name, region, currency, status, auth_expires_at, access_token, refresh_token, access_expires_at, token_version, assignment_mode, assignment_cap, linked_by, linked_at, updated_at) VALUES ?',
    [shops.map((s) => [s.shopId, 'shopee', s.name, s.currency.slice(0, 2), s.currency, 'needs_reauth', null, 'x', 'x', now, 1, 'manual', 20, OWNER, now, now])],
  );
  const shopMembers = shops.map((_, s) => Array.from({ length: o.members }, (_, m) => MEMBER_POOL[(s * 3 + m) % MEMBER_POOL.length]!));
  const memberIds = new Set(shopMembers.flat()).size;
  const skuSell = Array.from({ length: o.shopSkus }, (_, k) => 0.4 + 0.6 * (1 - k / Math.max(1, o.shopSkus - 1)));
  const skuWeight = Array.from({ length: o.shopSkus }, (_, k) => 1 / Math.pow(k + 1, 0.8));
  const weightSum = skuWeight.reduce((a, b) => a + b, 0);
  const teamGmv: Record<string, number> = {};
  const byScope: Record<string, number> = {};
  let rows: unknown[][] = [];
  let total = 0;
  let skuRows = 0;
  /** The INSERT in flight while the next batch is made. */
  const inflight: { insert: Promise<unknown> | null } = { insert: null };
  const t0 = performance.now();
  let lastLog = Date.now();
  const flush = async () => {
    if (!rows.length) return;
    if (inflight.insert) await inflight.insert;
    inflight.insert = conn.query('INSERT INTO metric_daily (day, shop_id, scope, scope_key, measure, currency, value) VALUES ?', [rows]);
    rows = [];
  };
  for (let d = 0; d < o.days; d++) {
    const day = addDays(from, d);
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    const rhythm = [1.25, 0.9, 0.92, 0.95, 1.0, 1.1, 1.3][dow]! * (0.8 + (0.4 * d) / o.days);
    for (let s = 0; s < shops.length; s++) {
      const shop = shops[s]!;
      const cur = shop.currency;
      const aov = AOV[cur]!;
      const dayRows: Array<[string, string, string, string, number]> = [];
      const put = (scope: string, key: string, measure: string, currency: string, value: number) => {
        dayRows.push([scope, key, measure, currency, round2(value)]);
        byScope[scope] = (byScope[scope] ?? 0) + 1;
      };
      const orders = Math.max(1, Math.round(shop.size * rhythm * (0.85 + 0.3 * rand())));
      const gmv = orders * aov * (0.9 + 0.2 * rand());
      const shipped = Math.round(orders * (0.93 + 0.06 * rand()));
      const onTime = Math.round(shipped * (0.9 + 0.09 * rand()));
      const claimed = Math.round(orders * (0.85 + 0.1 * rand()));
      const refunded = Math.round(shipped * 0.025 * rand() * 2);
      put('shop', shop.shopId, 'gmv', cur, gmv);
      teamGmv[cur] = (teamGmv[cur] ?? 0) + round2(gmv);
      put('shop', shop.shopId, 'orders', cur, orders);
      put('shop', shop.shopId, 'shipped_orders', '', shipped);
      put('shop', shop.shopId, 'on_time_orders', '', onTime);
      let minutesAll = 0;
      let left = claimed;
      const members = shopMembers[s]!;
      members.forEach((m, i) => {
        const n = i === members.length - 1 ? left : Math.min(left, Math.round((claimed / members.length) * (0.6 + 0.8 * rand())));
        left -= n;
        if (n <= 0) return;
        const minutes = n * (8 + 50 * rand());
        minutesAll += minutes;
        put('member', m, 'claimed_orders', '', n);
        put('member', m, 'claim_minutes', '', minutes);
      });
      put('shop', shop.shopId, 'claimed_orders', '', claimed);
      put('shop', shop.shopId, 'claim_minutes', '', minutesAll);
      if (refunded > 0) {
        put('shop', shop.shopId, 'refund_amount', cur, refunded * aov * (0.6 + 0.4 * rand()));
        put('shop', shop.shopId, 'refunded_orders', '', refunded);
      }
      for (let k = 0; k < o.shopSkus; k++) {
        if (rand() >= skuSell[k]!) continue;
        const units = Math.max(1, Math.round(((orders * 1.5 * skuWeight[k]!) / weightSum) * (0.5 + rand())));
        const sku = `${shop.shopId.slice(-2)}-${skuCode(k)}`;
        put('sku', sku, 'units', '', units);
        put('sku', sku, 'gmv', cur, units * (aov / 1.5) * (0.5 + rand()));
        skuRows += 2;
      }
      // Primary-key order within the (day, shop): scope, scope_key, measure, currency.
      dayRows.sort((a, b) =>
        a[0] + '\u0000' + a[1] + '\u0000' + a[2] + '\u0000' + a[3] < b[0] + '\u0000' + b[1] + '\u0000' + b[2] + '\u0000' + b[3] ? -1 : 1,
      );
      for (const r of dayRows) rows.push([day, shop.shopId, ...r]);
      total += dayRows.length;
      if (rows.length >= DAILY_BATCH) await flush();
    }
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`[metrics] dashboard:   ${d + 1} of ${o.days} days, ${fmtInt(total)} rows (${seconds(performance.now() - t0)})`);
    }
  }
  await flush();
  if (inflight.insert) await inflight.insert;
  const insertMs = performance.now() - t0;
  const analyze = await timed(() => conn.query('ANALYZE TABLE metric_daily'));
  const table = await tableSize(conn, 'metric_daily');
  return {
    from,
    to,
    shops: shops.map(({ shopId, currency, name }) => ({ shopId, currency, name })),
    rows: total,
    byScope,
    skuRowsPerShopDay: skuRows / (o.days * o.shops),
    insertMs,
    analyzeMs: analyze.ms,
    table,
    teamGmv,
    memberIds,
  };
}

interface DashCase {
  key: string;
  label: string;
  metric: MetricKey;
  scope: MetricScope;
  granularity: 'day' | 'week';
  limit?: number;
  /** Not one of the issue's four (team and shop, day and week): reported, no goal; measured less often when slow. */
  info?: boolean;
  /** One of the 数据 page's requests (the whole page is measured as well). */
  page?: boolean;
}

const CASES: DashCase[] = [
  { key: 'team-day', label: 'team GMV by day (a KPI card)', metric: 'gmv', scope: 'team', granularity: 'day', page: true },
  { key: 'team-week', label: 'team GMV by week', metric: 'gmv', scope: 'team', granularity: 'week' },
  { key: 'shop-day', label: 'GMV per shop by day (the chart)', metric: 'gmv', scope: 'shop', granularity: 'day', limit: 20, page: true },
  { key: 'shop-week', label: 'GMV per shop by week', metric: 'gmv', scope: 'shop', granularity: 'week', limit: 20 },
  { key: 'kpi-orders', label: 'team orders by day (KPI)', metric: 'orders', scope: 'team', granularity: 'day', info: true, page: true },
  { key: 'kpi-aov', label: 'team AOV by day (KPI)', metric: 'aov', scope: 'team', granularity: 'day', info: true, page: true },
  { key: 'kpi-refund-rate', label: 'team refund rate by day (KPI)', metric: 'refund_rate', scope: 'team', granularity: 'day', info: true, page: true },
  { key: 'kpi-on-time', label: 'team on-time rate by day (KPI)', metric: 'on_time_rate', scope: 'team', granularity: 'day', info: true, page: true },
  { key: 'kpi-claim-minutes', label: 'team minutes to claim by day (KPI)', metric: 'claim_minutes', scope: 'team', granularity: 'day', info: true, page: true },
  {
    key: 'member-claimed',
    label: 'claims per member by week (top 20)',
    metric: 'claimed_orders',
    scope: 'member',
    granularity: 'week',
    limit: 20,
    info: true,
    page: true,
  },
  {
    key: 'member-minutes',
    label: 'minutes to claim per member by week (100)',
    metric: 'claim_minutes',
    scope: 'member',
    granularity: 'week',
    limit: 100,
    info: true,
    page: true,
  },
  { key: 'sku-units', label: 'units per SKU by week (top 10)', metric: 'units', scope: 'sku', granularity: 'week', limit: 10, info: true, page: true },
  { key: 'sku-gmv', label: 'GMV per SKU by week (100)', metric: 'gmv', scope: 'sku', granularity: 'week', limit: 100, info: true, page: true },
];

const pathOf = (c: DashCase, from: string, to: string) =>
  `/api/metrics?${new URLSearchParams({ metric: c.metric, scope: c.scope, from, to, granularity: c.granularity, ...(c.limit ? { limit: String(c.limit) } : {}) }).toString()}`;

const weeksIn = (from: string, to: string) => {
  const monday = (d: string) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return t - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS;
  };
  return Math.round((monday(to) - monday(from)) / (7 * DAY_MS)) + 1;
};

interface CaseFigures {
  key: string;
  label: string;
  info: boolean;
  http: Latency;
  service: Latency;
  sql: Latency;
  bytes: number;
  series: number;
  points: number;
  sqlRows: number;
  sql_text: string;
  explain: PlanRow[];
  analyze: PlanRow[];
  non200: number;
}

interface DashboardFigures {
  seed: DashboardSeed;
  cases: CaseFigures[];
  pk: Latency;
  definitions: Latency;
  page: Latency;
  pageRequests: number;
  rounds: number;
  wallMs: number;
  cpu: CpuDelta;
  machineBusy: number;
  checks: { teamGmv: Array<{ currency: string; expected: number; got: number | null }>; pointsOk: boolean; problems: string[] };
  rowsAfter: number;
  proposal: ProposalFigures | null;
  variants: Variant[];
}

interface Variant {
  label: string;
  /** The index build, for the index candidate. */
  setupMs?: number;
  cases: Record<string, { http: Latency; sql: Latency; explain: PlanRow[] }>;
}

interface ProposalFigures {
  todayMs: number[];
  todayRows: number;
  totalsSql: string;
  pointsSql: string;
  without: { totalsMs: number[]; pointsMs: number[]; totalsPlan: PlanRow[]; pointsPlan: PlanRow[]; pointsRows: number };
  withIndex: { buildMs: number; indexMb: number; totalsMs: number[]; pointsMs: number[]; totalsPlan: PlanRow[]; pointsPlan: PlanRow[] };
  /** The top SKUs by the SQL totals are the API's (same keys, same order). */
  sameTop: boolean;
  top: string[];
}

const PROPOSAL_INDEX = 'idx_bench_sku_read';

/**
 * A candidate for the SKU table, tried after the measurements on the same data (not the shipped code): the top SKUs'
 * totals summed in SQL (GROUP BY), then only those SKUs' points, instead of every SKU row of the range into Node;
 * without and with a covering index on (measure, scope, scope_key, currency, day, value), built for the try and
 * dropped again.
 */
async function skuProposal(ctx: BenchContext, from: string, to: string, todaySql: string, apiTop: string[]): Promise<ProposalFigures> {
  const { conn, log } = ctx;
  const range = `measure = 'units' AND scope = 'sku' AND day BETWEEN ${conn.escape(from)} AND ${conn.escape(to)}`;
  const totalsSql = `SELECT scope_key, SUM(value) AS v FROM metric_daily WHERE ${range} GROUP BY scope_key ORDER BY v DESC, scope_key ASC LIMIT 10`;
  const [topRows] = await conn.query(totalsSql);
  const top = (topRows as Array<{ scope_key: string }>).map((r) => r.scope_key);
  const pointsSql = `SELECT scope_key, day, SUM(value) AS v FROM metric_daily WHERE ${range} AND scope_key IN (${top.map((k) => conn.escape(k)).join(', ')}) GROUP BY scope_key, day`;
  const times = async (sql: string, n = 3) => {
    const ms: number[] = [];
    let rows = 0;
    for (let i = 0; i < n; i++) {
      const t = await timed(() => conn.query(sql));
      ms.push(t.ms);
      rows = (t.value[0] as unknown[]).length;
    }
    return { ms, rows };
  };
  const plan = async (sql: string) => (await conn.query(`EXPLAIN ${sql}`))[0] as PlanRow[];
  const today = await times(todaySql);
  const wTotals = await times(totalsSql);
  const wPoints = await times(pointsSql);
  const without = {
    totalsMs: wTotals.ms,
    pointsMs: wPoints.ms,
    totalsPlan: await plan(totalsSql),
    pointsPlan: await plan(pointsSql),
    pointsRows: wPoints.rows,
  };
  log(
    `[metrics] proposal: SKU totals in SQL ${without.totalsMs.map(fmtMs).join(' / ')}, top-10 points ${without.pointsMs.map(fmtMs).join(' / ')} (today's statement ${today.ms.map(fmtMs).join(' / ')})`,
  );
  const build = await timed(() => conn.query(`CREATE INDEX ${PROPOSAL_INDEX} ON metric_daily (measure, scope, scope_key, currency, day, value)`));
  let withIndex: ProposalFigures['withIndex'];
  try {
    await conn.query('ANALYZE TABLE metric_daily');
    const [[size]] = (await conn.query(
      `SELECT stat_value * @@innodb_page_size AS b FROM mysql.innodb_index_stats WHERE database_name = DATABASE() AND table_name = 'metric_daily' AND index_name = ? AND stat_name = 'size'`,
      [PROPOSAL_INDEX],
    )) as unknown as [Array<{ b: string | number }>];
    const iTotals = await times(totalsSql);
    const iPoints = await times(pointsSql);
    withIndex = {
      buildMs: build.ms,
      indexMb: Number(size?.b ?? NaN) / 2 ** 20,
      totalsMs: iTotals.ms,
      pointsMs: iPoints.ms,
      totalsPlan: await plan(totalsSql),
      pointsPlan: await plan(pointsSql),
    };
  } finally {
    await conn.query(`DROP INDEX ${PROPOSAL_INDEX} ON metric_daily`);
  }
  log(
    `[metrics] proposal: with the covering index (built in ${seconds(withIndex.buildMs)}): totals ${withIndex.totalsMs.map(fmtMs).join(' / ')}, points ${withIndex.pointsMs.map(fmtMs).join(' / ')}`,
  );
  return {
    todayMs: today.ms,
    todayRows: today.rows,
    totalsSql,
    pointsSql,
    without,
    withIndex,
    sameTop: top.length === apiTop.length && top.every((k, i) => k === apiTop[i]),
    top,
  };
}

async function dashboardPart(ctx: BenchContext): Promise<void> {
  const { o, conn, stack, log, actor } = ctx;
  log(`[metrics] dashboard: generating metric_daily for ${o.days} days × ${o.shops} shops (${o.members} members, ${o.shopSkus} SKUs per shop)`);
  const seed = await seedDashboard(ctx);
  log(
    `[metrics] dashboard: ${fmtInt(seed.rows)} rows in ${seconds(seed.insertMs)} (${Object.entries(seed.byScope)
      .map(([k, v]) => `${k} ${fmtInt(v)}`)
      .join(', ')}); data ${fmtInt(seed.table.dataMb)} MB + indexes ${fmtInt(seed.table.indexMb)} MB`,
  );
  const { from, to } = seed;
  const query = stack.app.container.metricQuery;
  const input = (c: DashCase): MetricQueryInput => ({ metric: c.metric, scope: c.scope, from, to, granularity: c.granularity, limit: c.limit ?? 20 });

  // Each case once over HTTP with the general log on: the statement the server ran, and the answer's checks.
  const problems: string[] = [];
  const sqlOf = new Map<string, string>();
  const answers = new Map<string, { bytes: number; series: number; points: number }>();
  let teamAnswer: MetricsResponse | null = null;
  let skuTop: string[] = [];
  for (const c of CASES) {
    let res: { status: number; body: Buffer; ms: number } | null = null;
    const statements = await generalLog(conn, async () => void (res = await ctx.http.get(pathOf(c, from, to))));
    const r = res as unknown as { status: number; body: Buffer; ms: number };
    if (r.status !== 200) throw new Error(`GET ${pathOf(c, from, to)} answered ${r.status}: ${r.body.toString().slice(0, 300)}`);
    const body = JSON.parse(r.body.toString()) as MetricsResponse;
    const points = body.series.reduce((n, s) => n + s.points.length, 0);
    answers.set(c.key, { bytes: r.body.length, series: body.series.length, points });
    const sql = statements.map((s) => s.sql).find((s) => /^\s*SELECT\b/i.test(s) && /`metric_daily`/.test(s));
    if (!sql) throw new Error(`no SELECT on metric_daily seen for ${c.key}`);
    sqlOf.set(c.key, sql);
    if (c.key === 'team-day') teamAnswer = body;
    if (c.key === 'sku-units') skuTop = body.series.map((x) => x.key);
    const perSeries = c.granularity === 'day' ? o.days : weeksIn(from, to);
    if ((c.scope === 'team' || c.scope === 'shop') && body.series.some((s) => s.points.length !== perSeries))
      problems.push(`${c.key}: a series without ${perSeries} points (${body.series.map((s) => s.points.length).join(', ')})`);
  }
  const teamGmv = Object.entries(seed.teamGmv).map(([currency, expected]) => ({
    currency,
    expected: round2(expected),
    got: teamAnswer?.series.find((s) => s.currency === currency)?.total ?? null,
  }));
  for (const t of teamGmv) if (t.got === null || Math.abs(t.got - t.expected) > 0.02) problems.push(`team GMV ${t.currency}: ${t.got} vs ${t.expected}`);
  if (teamAnswer && teamAnswer.series.length !== Object.keys(seed.teamGmv).length) problems.push(`team GMV: ${teamAnswer.series.length} series`);
  log(`[metrics] dashboard: checks: ${problems.length ? problems.join('; ') : 'team GMV per currency as generated, one point per day / week'}`);

  // EXPLAIN and ANALYZE of each statement.
  const plans = new Map<string, { explain: PlanRow[]; analyze: PlanRow[]; rows: number }>();
  for (const c of CASES) {
    const sql = sqlOf.get(c.key)!;
    const [explain] = await conn.query(`EXPLAIN ${sql}`);
    const [analyze] = await conn.query(`ANALYZE ${sql}`);
    const [rows] = await conn.query(sql);
    plans.set(c.key, { explain: explain as PlanRow[], analyze: analyze as PlanRow[], rows: (rows as unknown[]).length });
    if (!c.info) log(`[metrics] dashboard: EXPLAIN ${c.key}: ${planText(explain as PlanRow[])}`);
  }

  // Warm-up, then the measured rounds.
  const samples = new Samples();
  const keyRand = rng(77);
  const pkSql = 'SELECT * FROM metric_daily WHERE day = ? AND shop_id = ? AND scope = ? AND scope_key = ? AND measure = ? AND currency = ?';
  const pkLookup = async () => {
    const shop = seed.shops[Math.floor(keyRand() * seed.shops.length)]!;
    const day = addDays(from, Math.floor(keyRand() * o.days));
    const t = performance.now();
    const [rows] = await conn.execute(pkSql, [day, shop.shopId, 'shop', shop.shopId, 'orders', shop.currency]);
    const ms = performance.now() - t;
    if ((rows as unknown[]).length !== 1) throw new Error(`primary-key lookup of ${day}/${shop.shopId} found ${(rows as unknown[]).length} rows`);
    return ms;
  };
  const ops: Array<{ key: string; run: () => Promise<number> }> = [];
  let non200 = new Map<string, number>();
  for (const c of CASES) {
    const p = pathOf(c, from, to);
    const sql = sqlOf.get(c.key)!;
    ops.push({
      key: `http:${c.key}`,
      run: async () => {
        const r = await ctx.http.get(p);
        if (r.status !== 200) non200.set(c.key, (non200.get(c.key) ?? 0) + 1);
        return r.ms;
      },
    });
    ops.push({ key: `service:${c.key}`, run: async () => (await timed(() => query.query(actor, input(c)))).ms });
    ops.push({ key: `sql:${c.key}`, run: async () => (await timed(() => conn.query(sql))).ms });
  }
  ops.push({ key: 'pk', run: pkLookup });
  ops.push({
    key: 'definitions',
    run: async () => {
      const r = await ctx.http.get('/api/metrics/definitions');
      if (r.status !== 200) non200.set('definitions', (non200.get('definitions') ?? 0) + 1);
      return r.ms;
    },
  });
  log(`[metrics] dashboard: ${WARMUP_ROUNDS} warm-up rounds`);
  const warm = new Samples();
  for (let r = 0; r < WARMUP_ROUNDS; r++)
    for (const op of ops) if (r === 0 || median(warm.by.get(op.key) ?? [0]) < SLOW_WARMUP_MS) warm.add(op.key, await op.run());
  non200 = new Map();
  const isInfo = (key: string) => !!CASES.find((x) => key.endsWith(`:${x.key}`))?.info;
  const perRound = ops.filter((op) => !isInfo(op.key)).reduce((sum, op) => sum + median(warm.by.get(op.key) ?? [0]), 0);
  const rounds = Math.max(Math.min(MIN_ROUNDS, o.rounds), Math.min(o.rounds, Math.floor(ROUNDS_BUDGET_MS / Math.max(1, perRound))));
  // Goal cases every round; an informational operation slower than its share of the budget allows, every stride-th round.
  const stride = new Map<string, number>();
  const perInfoOp = INFO_BUDGET_MS / Math.max(1, ops.filter((op) => isInfo(op.key)).length);
  for (const op of ops) {
    const per = median(warm.by.get(op.key) ?? [0]);
    const want = isInfo(op.key) ? Math.max(MIN_SLOW, Math.min(rounds, Math.floor(perInfoOp / Math.max(per, 1)))) : rounds;
    stride.set(op.key, Math.max(1, Math.ceil(rounds / want)));
  }
  const slow = [...stride].filter(([, s]) => s > 1);
  log(
    `[metrics] dashboard: ${rounds} rounds (a round of the goal requests took ${fmtMs(perRound)} in the warm-up)${slow.length ? `; slow informational operations every n-th round: ${slow.map(([k, s]) => `${k} every ${s}`).join(', ')}` : ''}`,
  );
  const quiet = await waitForQuietMachine({ log, maxWaitMs: 60_000 });
  const before = cpuSnapshot({ mariadb: ctx.mariadbPid });
  const t0 = performance.now();
  let lastLog = Date.now();
  for (let r = 0; r < rounds; r++) {
    const order = ops.map((_, i) => ops[(i + r) % ops.length]!);
    for (const op of order) if (r % stride.get(op.key)! === 0) samples.add(op.key, await op.run());
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`[metrics] dashboard:   round ${r + 1} of ${rounds} (${seconds(performance.now() - t0)})`);
    }
  }
  const wallMs = performance.now() - t0;
  const cpu = cpuDelta(before, cpuSnapshot({ mariadb: ctx.mariadbPid }));

  // The whole 数据 page: its requests at once on 6 keep-alive connections (a browser's per-host limit over HTTP/1.1).
  const pageCases = CASES.filter((c) => c.page);
  const pageClient = client(stack.baseUrl, ctx.cookie, 6);
  const pageMs: number[] = [];
  let pageRounds = Math.min(PAGE_ROUNDS, rounds);
  try {
    for (let r = -1; r < pageRounds; r++) {
      const t = performance.now();
      const rs = await Promise.all(pageCases.map((c) => pageClient.get(pathOf(c, from, to))));
      if (rs.some((x) => x.status !== 200)) problems.push(`page round ${r}: ${rs.map((x) => x.status).join(',')}`);
      if (r >= 0) pageMs.push(performance.now() - t);
      else pageRounds = Math.max(3, Math.min(pageRounds, Math.floor(PAGE_BUDGET_MS / (performance.now() - t))));
    }
  } finally {
    pageClient.close();
  }
  const page = latency(`the whole 数据 page (${pageCases.length} requests at once, 6 connections)`, pageMs);
  log(`[metrics] dashboard: ${page.label}: ${latText(page)}`);
  const [[after]] = (await conn.query('SELECT COUNT(*) AS n FROM metric_daily')) as unknown as [Array<{ n: string | number }>];
  if (Number(after!.n) !== seed.rows)
    problems.push(`metric_daily holds ${after!.n} rows after the rounds, ${seed.rows} were generated (a rollup job ran over them?)`);

  // Candidates for the four goal requests, on the same data (not the shipped code): a covering index, a larger pool.
  const goalCases = CASES.filter((c) => !c.info);
  const variant = async (label: string): Promise<Variant> => {
    const vs = new Samples();
    for (let r = -1; r < VARIANT_ROUNDS; r++)
      for (const c of r % 2 ? goalCases : [...goalCases].reverse()) {
        const h = await ctx.http.get(pathOf(c, from, to));
        if (h.status !== 200) problems.push(`${label}: ${c.key} answered ${h.status}`);
        const q = await timed(() => conn.query(sqlOf.get(c.key)!));
        if (r >= 0) {
          vs.add(`http:${c.key}`, h.ms);
          vs.add(`sql:${c.key}`, q.ms);
        }
      }
    const out: Variant = { label, cases: {} };
    for (const c of goalCases)
      out.cases[c.key] = {
        http: vs.figures(`http:${c.key}`, c.label),
        sql: vs.figures(`sql:${c.key}`, c.label),
        explain: (await conn.query(`EXPLAIN ${sqlOf.get(c.key)!}`))[0] as PlanRow[],
      };
    log(
      `[metrics] candidate ${label}: ${goalCases.map((c) => `${c.key} HTTP p95 ${fmtMs(out.cases[c.key]!.http.p95)}, SQL p95 ${fmtMs(out.cases[c.key]!.sql.p95)}`).join('; ')}`,
    );
    return out;
  };
  const variants: Variant[] = [];
  if (o.proposal) {
    const build = await timed(() => conn.query(`CREATE INDEX ${COVER_INDEX} ON metric_daily (measure, scope, day, value)`));
    try {
      await conn.query('ANALYZE TABLE metric_daily');
      variants.push({ ...(await variant(`covering index (measure, scope, day, value)`)), setupMs: build.ms });
    } finally {
      await conn.query(`DROP INDEX ${COVER_INDEX} ON metric_daily`);
    }
    const big = await withBufferPool(conn, BIG_POOL_MB, log, async () => ({ v: await variant(`${BIG_POOL_MB} MB buffer pool`) }));
    variants.push({ ...big.v, label: `${fmtInt(big.poolMb)} MB buffer pool` });
  }

  const proposal = o.proposal ? await skuProposal(ctx, from, to, sqlOf.get('sku-units')!, skuTop) : null;

  const cases: CaseFigures[] = CASES.map((c) => {
    const a = answers.get(c.key)!;
    const p = plans.get(c.key)!;
    return {
      key: c.key,
      label: c.label,
      info: !!c.info,
      http: samples.figures(`http:${c.key}`, `${c.label} over HTTP`),
      service: samples.figures(`service:${c.key}`, `${c.label}, MetricQuery.query()`),
      sql: samples.figures(`sql:${c.key}`, `${c.label}, its SQL alone`),
      bytes: a.bytes,
      series: a.series,
      points: a.points,
      sqlRows: p.rows,
      sql_text: sqlOf.get(c.key)!,
      explain: p.explain,
      analyze: p.analyze,
      non200: non200.get(c.key) ?? 0,
    };
  });
  for (const c of cases)
    log(`[metrics]   ${c.label}: HTTP ${latText(c.http)}; service p95 ${fmtMs(c.service.p95)}; SQL p95 ${fmtMs(c.sql.p95)} (${fmtInt(c.sqlRows)} rows)`);
  const f: DashboardFigures = {
    seed,
    cases,
    pk: samples.figures('pk', 'primary-key lookup on metric_daily'),
    definitions: samples.figures('definitions', 'GET /api/metrics/definitions'),
    page,
    pageRequests: pageCases.length,
    rounds,
    wallMs,
    cpu,
    machineBusy: quiet.busy,
    checks: { teamGmv, pointsOk: !problems.some((p) => p.includes('points')), problems },
    rowsAfter: Number(after!.n),
    proposal,
    variants,
  };
  log(`[metrics]   ${f.pk.label}: ${latText(f.pk)}; ${f.definitions.label}: ${latText(f.definitions)}`);
  ctx.raw.dashboard = { ...f, cases: cases.map((c) => ({ ...c })) };
  writeDashboardReport(ctx, f);
}

function writeDashboardReport(ctx: BenchContext, f: DashboardFigures): void {
  const { report, o } = ctx;
  const s = f.seed;
  const goalCases = f.cases.filter((c) => !c.info);
  for (const c of goalCases)
    report.rows.push({
      metric: `dashboard: ${c.label}, ${o.days} days × ${o.shops} shops, GET /api/metrics over HTTP, p95`,
      goal: `≤ ${DASHBOARD_GOAL_P95_MS} ms`,
      measured: `${fmtMs(c.http.p95)} (p50 ${fmtMs(c.http.p50)}, p99 ${fmtMs(c.http.p99)}; MetricQuery.query() p95 ${fmtMs(c.service.p95)}; its SQL alone p95 ${fmtMs(c.sql.p95)}, ${fmtInt(c.sqlRows)} rows read${c.non200 ? `; ${c.non200} non-200` : ''})`,
      pass: c.http.p95 <= DASHBOARD_GOAL_P95_MS && c.non200 === 0 && c.http.count > 0,
    });
  report.rows.push(
    {
      metric: 'dashboard: primary-key lookup on metric_daily (all six key columns), same run, p95',
      goal: '(baseline)',
      measured: `${fmtMs(f.pk.p95)} (p50 ${fmtMs(f.pk.p50)})`,
      pass: null,
    },
    {
      metric: 'dashboard: GET /api/metrics/definitions (session check + a constant answer, no figures), same run, p95',
      goal: '(baseline)',
      measured: `${fmtMs(f.definitions.p95)} (p50 ${fmtMs(f.definitions.p50)})`,
      pass: null,
    },
    {
      metric: 'dashboard: each of the four statements reads metric_daily through an index (no full scan)',
      goal: 'yes',
      measured: goalCases
        .map((c) => `${c.key}: ${c.explain.map((e) => `${e.type} on ${e.key ?? 'NULL'}${e.Extra ? ` (${e.Extra})` : ''}`).join(', ')}`)
        .join('; '),
      pass: goalCases.every((c) => indexedPlan(c.explain)),
    },
    {
      metric: 'dashboard: answers right (team GMV per currency = the generated rows, one point per day / week, every answer 200)',
      goal: 'yes',
      measured: f.checks.problems.length
        ? f.checks.problems.join('; ')
        : `yes: ${f.checks.teamGmv.map((t) => `${t.currency} ${fmtInt(t.got ?? NaN)}`).join(', ')}`,
      pass: f.checks.problems.length === 0 && f.cases.every((c) => c.non200 === 0),
    },
  );
  for (const c of f.cases.filter((x) => x.info))
    report.rows.push({
      metric: `dashboard (info): ${c.label} over HTTP, p95`,
      goal: `(info; ≤ ${DASHBOARD_GOAL_P95_MS} ms)`,
      measured: `${fmtMs(c.http.p95)} (p50 ${fmtMs(c.http.p50)}, n = ${c.http.count}; service p95 ${fmtMs(c.service.p95)}; SQL alone p95 ${fmtMs(c.sql.p95)}, ${fmtInt(c.sqlRows)} rows read; ${fmtInt(c.bytes / 1024)} KB)`,
      pass: null,
    });
  report.rows.push({
    metric: `dashboard (info): ${f.page.label}, until the last answer`,
    goal: '—',
    measured: latText(f.page),
    pass: null,
  });
  for (const v of f.variants)
    report.rows.push({
      metric: `dashboard (info): the four goal requests again with a candidate fix: ${v.label} (not the shipped setup; ${VARIANT_ROUNDS} rounds), HTTP p95`,
      goal: `(info; ≤ ${DASHBOARD_GOAL_P95_MS} ms)`,
      measured: `${goalCases
        .map((c) => {
          const x = v.cases[c.key]!;
          return `${c.key} ${fmtMs(x.http.p95)} (SQL alone ${fmtMs(x.sql.p95)}; ${x.explain.map((e) => `${e.type} on ${e.key ?? 'NULL'}${e.Extra ? `, ${e.Extra}` : ''}`).join(', ')})`;
        })
        .join('; ')}${v.setupMs !== undefined ? `; index built in ${seconds(v.setupMs)}` : ''}`,
      pass: null,
    });
  const pr = f.proposal;
  if (pr)
    report.rows.push({
      metric:
        'dashboard (info): candidate for the SKU table (top 10 by units): totals summed in SQL, then only their points; without / with a covering index (not the shipped code)',
      goal: '—',
      measured: `${fmtMs(median(pr.without.totalsMs) + median(pr.without.pointsMs))} / ${fmtMs(median(pr.withIndex.totalsMs) + median(pr.withIndex.pointsMs))} (medians: totals ${fmtMs(median(pr.without.totalsMs))} / ${fmtMs(median(pr.withIndex.totalsMs))}, points ${fmtMs(median(pr.without.pointsMs))} / ${fmtMs(median(pr.withIndex.pointsMs))}), against today's statement alone ${fmtMs(median(pr.todayMs))} (${fmtInt(pr.todayRows)} rows to Node); same top 10 as the API: ${pr.sameTop ? 'yes' : 'NO'}`,
      pass: null,
    });

  const analyzeText = (c: CaseFigures) => c.analyze.map((a) => `r_rows ${a.r_rows ?? 'NULL'}, r_filtered ${a.r_filtered ?? 'NULL'}`).join('; ');
  const d = f.cpu;
  report.notes.push(
    `Dashboard setup: metric_daily generated for ${o.days} days (${s.from} … ${s.to}, today in TZ_CORP ${ctx.tz} included, as the page's ranges are) × ${o.shops} shops (${s.shops.map((x) => x.shopId).join(', ')}; currencies ${CURRENCIES.join(', ')} in turn; 60–1,500 orders a day, a weekly rhythm and a slow trend): per shop and day the shop scope's measures as Rollup writes them (gmv and orders in the shop's currency, shipped_orders, on_time_orders, claimed_orders, claim_minutes, and refund_amount / refunded_orders on days with refunds), ${o.members} members' claimed_orders and claim_minutes (members of the demo corp, ${s.memberIds} distinct over the shops, so the member scope's names are real lookups), and of ${o.shopSkus} SKUs per shop those sold that day (the most popular SKU sells every day, the least popular on 40 % of days, linearly in between; ${s.skuRowsPerShopDay.toFixed(0)} SKU rows per shop and day on average) with units and gmv: ${fmtInt(s.rows)} rows (${Object.entries(
      s.byScope,
    )
      .map(([k, v]) => `${k} ${fmtInt(v)}`)
      .join(
        ', ',
      )}), inserted in primary-key order (multi-row INSERTs of ${fmtInt(DAILY_BATCH)}, ${seconds(s.insertMs)}; ANALYZE TABLE ${fmtMs(s.analyzeMs)}); data ${fmtInt(s.table.dataMb)} MB + index ${fmtInt(s.table.indexMb)} MB (idx_metric_daily_read on (measure, scope, day)) against startMariaDb's 32 MB buffer pool, so pages it misses come from the OS page cache. The ${o.shops} shops are rows of \`shops\` (status needs_reauth: listed with their names, never swept or refreshed); the rollup part's rows were deleted before this part.`,
    `Dashboard method: the owner ${OWNER} (role owner, every shop: no shop filter) over the whole range ${s.from} … ${s.to} (a custom range; the page's presets are 7/30/90 days). Per case: GET /api/metrics over HTTP (a signed-in session, keep-alive, one request at a time; latency to the last byte), MetricQuery.query() from the container (the route's work without HTTP: the query, the sums per bucket, labels), and the statement the server ran (captured from the general log) on a plain mysql2 connection (rows transferred and parsed, no entities); beside them the primary-key lookup (\`${'SELECT * FROM metric_daily WHERE day = ? AND shop_id = ? AND scope = ? AND scope_key = ? AND measure = ? AND currency = ?'}\`, prepared, random day and shop) and GET /api/metrics/definitions. ${WARMUP_ROUNDS} warm-up rounds, then ${f.rounds} rounds in ${seconds(f.wallMs)}, each operation once per round in a rotating order; an operation whose first warm-up call took over ${fmtMs(SLOW_WARMUP_MS)} was not warmed up again, and the informational operations shared about ${seconds(INFO_BUDGET_MS)}: one whose warm-up was slow ran every n-th round only (at least ${MIN_SLOW} samples; with fewer than 20 its p95 is the slowest sample). CPU over the rounds: this process (server + client) ${fmtInt(d.selfMs)} ms, mariadbd ${fmtInt(d.procsMs['mariadb'] ?? 0)} ms; all CPUs ${Math.round(d.machineBusy * 100)} % busy (other processes ${Math.round((othersMs(d) / (d.machineTotalMs || 1)) * 100)} %); machine ${Math.round(f.machineBusy * 100)} % busy before the rounds. The whole page: its ${f.pageRequests} requests (6 KPI cards by day, the chart, the member table's 2 and the SKU table's 2 by week, as stores/metrics.ts asks) sent at once over 6 keep-alive connections, ${f.page.count} times after one warm-up (up to ${PAGE_ROUNDS}, about ${seconds(PAGE_BUDGET_MS)} together). metric_daily held ${fmtInt(f.rowsAfter)} rows afterwards (no rollup job touched the generated ones).`,
    ...(f.variants.length
      ? [
          `Candidate fixes for the four goal requests, tried after the measurements on the same data (not the shipped code or setup), ${VARIANT_ROUNDS} rounds each after one warm-up, each round the four over HTTP and their statements alone: (1) an index on metric_daily (measure, scope, day, value) (${COVER_INDEX}, built online, then ANALYZE; dropped afterwards): with InnoDB a secondary index carries the primary key's columns (day, shop_id, scope, scope_key, measure, currency), so with \`value\` added it holds every column the query selects and MariaDB reads the index alone ("Using index"), no row per entry from the clustered index, where today each of the range's rows is one lookup into the table's pages, spread over the whole table because the SKU rows of each (day, shop) sit between them; it would need a migration and an @Index on MetricDaily (or idx_metric_daily_read extended by \`value\`). (2) the buffer pool resized online from startMariaDb's 32 MB to ${fmtInt(BIG_POOL_MB)} MB (metric_daily is ${fmtInt(s.table.dataMb + s.table.indexMb)} MB here), a deployment setting: ${f.variants.map((v) => `${v.label}: ${goalCases.map((c) => `${c.key} HTTP ${latText(v.cases[c.key]!.http)}, SQL ${latText(v.cases[c.key]!.sql)}`).join('; ')}; EXPLAIN ${goalCases.map((c) => `${c.key}: ${planText(v.cases[c.key]!.explain)}`).join('; ')}`).join('. ')}.`,
        ]
      : []),
    ...(pr
      ? [
          `Candidate for the SKU table, tried after the measurements on the same data (skuProposal() in this file; not the shipped code): MetricQuery.compute() reads every row of the range for the measure (${fmtInt(pr.todayRows)} for units by SKU over ${o.days} days × ${o.shops} shops) into TypeORM entities, sums them per SKU and week in Node, then keeps the top ${pr.top.length}. Summing in SQL instead: (1) the totals, \`${pr.totalsSql}\` (EXPLAIN without the new index: ${planText(pr.without.totalsPlan)}; with it: ${planText(pr.withIndex.totalsPlan)}), then (2) only those SKUs' points, \`${pr.pointsSql.replace(/IN \(.*\)/, 'IN (<the 10>)')}\` (${fmtInt(pr.without.pointsRows)} rows; EXPLAIN without: ${planText(pr.without.pointsPlan)}; with: ${planText(pr.withIndex.pointsPlan)}); weeks are then made of those rows in Node as now. Times (3 runs each): today's statement ${pr.todayMs.map(fmtMs).join(' / ')}; without a new index totals ${pr.without.totalsMs.map(fmtMs).join(' / ')}, points ${pr.without.pointsMs.map(fmtMs).join(' / ')}; with the covering index ${PROPOSAL_INDEX} on (measure, scope, scope_key, currency, day, value) (built in ${seconds(pr.withIndex.buildMs)}, ${fmtInt(pr.withIndex.indexMb)} MB; dropped afterwards; it would need a migration and an @Index on MetricDaily) totals ${pr.withIndex.totalsMs.map(fmtMs).join(' / ')}, points ${pr.withIndex.pointsMs.map(fmtMs).join(' / ')}. The SQL top 10 ${pr.sameTop ? 'equals' : 'DIFFERS from'} the API's (${pr.top.join(', ')}). A money metric (GMV per SKU) would group by currency as well.`,
        ]
      : []),
    ...f.cases.map(
      (c) =>
        `${c.info ? '(info) ' : ''}${c.label}: ${fmtInt(c.series)} series, ${fmtInt(c.points)} points, ${fmtInt(c.bytes / 1024)} KB of JSON; HTTP ${latText(c.http)}; MetricQuery.query() ${latText(c.service)}; SQL alone ${latText(c.sql)}. EXPLAIN: ${planText(c.explain)}. ANALYZE: ${analyzeText(c)}. Statement: \`${c.sql_text.replace(/`/g, '').replace(/^SELECT .*? FROM/, 'SELECT … FROM')}\``,
    ),
  );
}

// ───────────────────────────── the benchmark ─────────────────────────────

const PARTS: Record<MetricsPart, (ctx: BenchContext) => Promise<void>> = { rollup: rollupPart, dashboard: dashboardPart };

export const QUICK: Required<Omit<MetricsBenchOptions, 'log' | 'only'>> = {
  orders: 10_000,
  skus: 1_000,
  runs: 3,
  days: 60,
  shops: 5,
  members: 10,
  shopSkus: 200,
  rounds: 30,
  proposal: true,
};

export async function runMetricsBench(opts: MetricsBenchOptions = {}): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const o: BenchContext['o'] = {
    orders: opts.orders ?? 100_000,
    skus: opts.skus ?? 10_000,
    runs: opts.runs ?? 3,
    days: opts.days ?? 365,
    shops: opts.shops ?? 20,
    members: opts.members ?? 10,
    shopSkus: opts.shopSkus ?? 200,
    rounds: opts.rounds ?? 100,
    proposal: opts.proposal ?? true,
  };
  const only = new Set(opts.only?.length ? opts.only : METRICS_PARTS);
  const report = newReport(
    'metrics',
    `Figures on MariaDB (rollup of one day with ${fmtInt(o.orders)} orders / ${fmtInt(o.skus)} SKUs, dashboard queries over ${o.days} days × ${o.shops} shops)`,
  );
  const started = Date.now();
  const raw: Record<string, unknown> = { options: o };
  report.raw = raw;
  let maria: MariaDbHandle | null = null;
  let stack: Stack | null = null;
  let conn: mysql.Connection | null = null;
  let httpClient: Client | null = null;
  try {
    maria = await startMariaDb();
    process.env.TEST_MYSQL_URL = maria.url;
    stack = await startStack({ db: 'mysql' });
    conn = await mysql.createConnection({ uri: stack.databaseUrl });
    const { browser } = await signIn(stack, OWNER);
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (!/\bsid=/.test(cookie)) throw new Error(`sign-in of ${OWNER} gave no session cookie`);
    httpClient = client(stack.baseUrl, cookie);
    const actor: Actor = { userid: OWNER, grants: (await stack.app.container.roles.grantsOf(OWNER)).grants };
    const ctx: BenchContext = {
      o,
      stack,
      conn,
      actor,
      cookie,
      http: httpClient,
      mariadbPid: childPidsNamed('mariadbd')[0],
      tz: stack.app.container.config.TZ_CORP,
      report,
      raw,
      log,
    };
    for (const part of METRICS_PARTS) {
      if (!only.has(part)) continue;
      log(`[metrics] ${part}`);
      await PARTS[part](ctx);
    }
    report.notes.push(
      `MariaDB: one throwaway mariadbd (startMariaDb: 32 MB buffer pool, innodb_flush_log_at_trx_commit=2) and one stack (WeCom simulator, server, background work running) in this process, on the same ${report.machine.nproc} CPUs. Whole benchmark ${seconds(Date.now() - started)}; flags: --quick, --only ${METRICS_PARTS.join(',')}, --orders N, --skus N, --runs N, --days N, --shops N, --members N, --shop-skus N, --rounds R, --no-proposal.`,
    );
  } catch (err) {
    report.error = String((err as Error).stack ?? err);
  } finally {
    httpClient?.close();
    await conn?.end().catch(() => undefined);
    if (stack) await sleep(200);
    await stack?.close().catch((e: unknown) => log(`[metrics] closing the stack failed: ${String(e)}`));
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
  const only = onlyAt > 0 ? ((process.argv[onlyAt + 1] ?? '').split(',').filter((p) => METRICS_PARTS.includes(p as MetricsPart)) as MetricsPart[]) : undefined;
  const base: MetricsBenchOptions = process.argv.includes('--quick') ? { ...QUICK } : {};
  const given = {
    orders: flag('--orders'),
    skus: flag('--skus'),
    runs: flag('--runs'),
    days: flag('--days'),
    shops: flag('--shops'),
    members: flag('--members'),
    shopSkus: flag('--shop-skus'),
    rounds: flag('--rounds'),
  };
  const opts: MetricsBenchOptions = { ...base, only, ...(process.argv.includes('--no-proposal') ? { proposal: false } : {}) };
  for (const [k, v] of Object.entries(given)) if (v !== undefined) (opts as Record<string, unknown>)[k] = v;
  runMetricsBench(opts)
    .then((report) => {
      console.log(JSON.stringify(report, null, 2));
      if (process.argv.includes('--write')) {
        writeResults([report]);
        mergeSummaryRows([report]);
      }
      if (report.error || report.rows.some((r) => r.pass === false)) process.exitCode = 1;
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
