/**
 * Orders on MariaDB (issue 9), three benchmarks. Each runs the real server in a forked child (this file with
 * --target: startStack with `shopee: true`, i.e. the WeCom simulator with the demo corp, the Shopee simulator with one
 * linked shop and no order stream, a fresh database on one throwaway mariadbd, migrations, background work RUNNING),
 * so the load generator in this process never shares an event loop with the server; all share the machine's CPUs.
 *
 *  1. Push ingest: POST /shopee/push at saturation (autocannon, 50 connections, pre-built requests): every request a
 *     correctly signed code-3 push (Authorization = hex HMAC-SHA256(push key, `${PUBLIC_URL}/shopee/push|${body}`))
 *     with its own msg_id, except every REPEAT_EVERY-th, which resends the identical body of one of the last 64 (a
 *     Shopee retry, some of them while the first is still in flight). Beside it, in the same child and the same run, a
 *     bare Koa handler that reads the body with the same cap, checks the same HMAC (the server's verifyPushSignature)
 *     and answers 204. Alternating slices (bare, ours, ours with the inbox worker paused, …) as callback-ingress.ts
 *     does. Then: no loss (every msg_id answered 204 has its `shopee:<msg_id>` row in callback_inbox) and no
 *     duplicates (one row per msg_id, repeats included; no row that was not sent). The pushes name a shop the server
 *     has not linked, so the inbox worker (running, as in production) marks them ignored without calling Shopee:
 *     applying a push (get_order_detail + upsert) is not part of this figure. Diagnostic: the worker's claim query
 *     (captured from the general log) timed and explained against the backlog the load left.
 *  2. Inbox list: ORDERS (default 1,000,000) rows bulk-inserted into `orders` (multi-row INSERTs of 5,000) on the
 *     migrated database: 5 shops, 3 % in the claim pool, 90 % of the rest held by one of 50 members, created_at over 90
 *     days. Then, one request at a time, interleaved round by round: GET /api/orders?view=unclaimed and ?view=mine
 *     (first page and deep keyset pages, limit 20 as the H5 asks) over HTTP as a signed-in cs agent; the exact SQL the
 *     server ran for each (captured from MariaDB's general log) replayed directly; and beside them a primary-key lookup
 *     (SELECT … FROM orders WHERE id = ?, random ids) and GET /api/orders/:sn (one order by its unique key, over
 *     HTTP). p95 goal ≤ 30 ms. EXPLAIN and ANALYZE of each view's statement go into the notes. Also, informational:
 *     the unclaimed view filtered to one shop (?shop=), where the plan is the optimizer's choice.
 *  3. Claims: CLAIMS (default 10,000) READY_TO_SHIP orders in the pool, inserted directly; 50 concurrent HTTP clients,
 *     each its own signed-in session (4 cs agents), claim distinct orders (POST /api/orders/:sn/claim) until none is
 *     left: claims/s, p50/p99; then exactly CLAIMS claimed, each once: one winner per order as the responses say and
 *     the row says, exactly one 'claimed' timeline entry and one order.claimed outbox event per order. Diagnostics: how
 *     far behind the event dispatcher is when the claims stop and how fast it catches up; the statements one claim runs.
 *
 * Scale: the defaults (1,000,000 orders, 10,000 claims, 8 s per push series) take about 3–4 minutes on 2 CPUs.
 *
 * Standalone: npx tsx --tsconfig tsconfig.json test/bench/orders.ts [--write] [--only push,list,claims]
 *   [--duration S] [--no-diagnose] [--orders N] [--rounds R] [--claims N] [--clients C]
 */
import autocannon from 'autocannon';
import { version as autocannonVersion } from 'autocannon/package.json';
import Koa from 'koa';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import { readRawBody } from '../../server/src/http/body';
import { PUSH_BODY_LIMIT } from '../../server/src/marketplace/shopee/push.routes';
import { verifyPushSignature } from '../../server/src/marketplace/shopee/sign';
import { DEMO_PARTNER, pushAuthorization } from '../../scripts/shopee-sim';
import { DEMO_USERS } from '../../scripts/wecom-sim';
import { startMariaDb } from '../support/mariadb';
import { signIn, type Browser } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { childPidsNamed, cpuDelta, cpuSnapshot, othersMs, waitForQuietMachine, type CpuDelta } from './lib/cpu';
import { fmtInt, fmtMs, newReport, runStandalone, type BenchReport } from './lib/report';

export type OrdersPart = 'push' | 'list' | 'claims';
export const ORDERS_PARTS: readonly OrdersPart[] = ['push', 'list', 'claims'];

export interface OrdersBenchOptions {
  only?: readonly OrdersPart[];
  /** 1: seconds per measured series (bare, ours, ours with the worker paused), in slices of sliceSec. Default 8 and 2. */
  durationSec?: number;
  sliceSec?: number;
  warmupSec?: number;
  connections?: number;
  /** 1: also measure ours with the inbox worker paused. Default true. */
  diagnose?: boolean;
  /** 2: rows in `orders`. Default 1,000,000. */
  orders?: number;
  /** 2: measured rounds (each: every view over HTTP and as SQL, the key lookups). Default 1,000. */
  rounds?: number;
  /** 3: orders to claim and concurrent clients. Default 10,000 and 50. */
  claims?: number;
  clients?: number;
  log?: (line: string) => void;
}

export const PUSH_GOAL_PER_S = 1_000;
export const PUSH_GOAL_RATIO = 0.8;
export const LIST_GOAL_P95_MS = 30;

/** A shop id the server has not linked: order-push.handlers.ts marks its pushes 'ignored' (shop_not_linked). */
const UNLINKED_SHOP_ID = 880_000_001;
/** Every REPEAT_EVERY-th request to ours resends one of the last 64 pushes (same body, same msg_id). */
const REPEAT_EVERY = 20;
const REPEAT_WINDOW = 64;
/** Upper bound of pushes per second any run could reach here, for topping up the pool between runs. */
const MAX_RATE = 12_000;
const INSERT_BATCH = 5_000;
const PAGE = 20; // the H5's PAGE_SIZE (h5/src/stores/orders.ts)
const MEMBERS = 50;
const DEEP_PAGES = 5;
const WARMUP_ROUNDS = 20;
/** After the claims: how long to watch the event dispatcher work off the order.claimed backlog. */
const DISPATCH_WAIT_MS = 15_000;
/** Tables only background pollers read while a claim runs (a diagnostic leaves their statements out). */
const BACKGROUND_TABLES = new Set(['callback_inbox', 'notification_deliveries', 'event_deliveries', 'leases', 'scheduled_job_runs', 'scheduled_timers']);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pctText = (x: number) => `${(x * 100).toFixed(1)} %`;

// ───────────────────────────── the target (child process) ─────────────────────────────

export interface OrdersTargetReady {
  type: 'ready';
  baseUrl: string;
  bareUrl: string;
  databaseUrl: string;
  shopId: string;
}

/** The bare handler: the same body cap and the same HMAC check as POST /shopee/push, then an empty 204. Nothing else. */
async function startBarePushServer(): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Koa();
  app.silent = true;
  let callbackUrl = '';
  app.use(async (ctx) => {
    if (ctx.method !== 'POST' || ctx.path !== '/shopee/push') {
      ctx.status = 404;
      return;
    }
    const raw = await readRawBody(ctx, PUSH_BODY_LIMIT);
    if (!verifyPushSignature(DEMO_PARTNER.partnerKey, callbackUrl, raw, ctx.get('authorization') || undefined)) {
      ctx.status = 401;
      return;
    }
    ctx.status = 204;
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  server.keepAliveTimeout = 65_000; // same as the real server
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  callbackUrl = `${url}/shopee/push`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const cookieHeader = (b: Browser) => [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * IPC: sends {type:'ready', …}; {type:'worker', on} stops/starts the inbox worker, {type:'dispatcher', on} the event
 * dispatcher (each acknowledged with a message of the same type); {type:'signin', users} signs each in
 * (its own session) and answers the cookie headers; {type:'close'} closes everything (dropping the database) and exits.
 */
async function targetMain(): Promise<void> {
  const stack: Stack = await startStack({ db: 'mysql', shopee: true });
  const bare = await startBarePushServer();
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await bare.close().catch(() => undefined);
      await stack.close().catch((e) => console.error('[orders-target] close failed:', e));
    })());
  process.on('message', (m: { type?: string; on?: boolean; users?: string[] }) => {
    if (m?.type === 'close') void close().then(() => process.exit(0));
    if (m?.type === 'worker') {
      const w = stack.app.container.worker;
      void (m.on ? Promise.resolve(w.start()) : w.stop()).then(() => process.send!({ type: 'worker', on: m.on }));
    }
    if (m?.type === 'dispatcher') {
      const d = stack.app.container.dispatcher;
      void (m.on ? Promise.resolve(d.start()) : d.stop()).then(() => process.send!({ type: 'dispatcher', on: m.on }));
    }
    if (m?.type === 'signin')
      void (async () => {
        const cookies: string[] = [];
        for (const u of m.users ?? []) cookies.push(cookieHeader((await signIn(stack, u)).browser));
        process.send!({ type: 'signin', cookies });
      })();
  });
  process.on('disconnect', () => void close().then(() => process.exit(0)));
  const ready: OrdersTargetReady = { type: 'ready', baseUrl: stack.baseUrl, bareUrl: bare.url, databaseUrl: stack.databaseUrl, shopId: stack.shopId! };
  process.send!(ready);
}

// ───────────────────────────── the parent's side of the target ─────────────────────────────

interface Target {
  child: ChildProcess;
  ready: OrdersTargetReady;
  ask(message: { type: string } & Record<string, unknown>): Promise<Record<string, unknown>>;
  worker(on: boolean): Promise<void>;
  signIn(users: string[]): Promise<string[]>;
  stop(): Promise<void>;
}

async function startTarget(mariaUrl: string): Promise<Target> {
  const child = fork(__filename, ['--target'], {
    env: { ...process.env, TEST_MYSQL_URL: mariaUrl, TEST_LOG_LEVEL: 'silent' },
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<OrdersTargetReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('orders target did not start within 120 s')), 120_000);
    child.once('message', (m: OrdersTargetReady) => {
      clearTimeout(timer);
      if (m?.type === 'ready') resolve(m);
      else reject(new Error(`unexpected message from the orders target: ${JSON.stringify(m)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`orders target exited (${code}) before it was ready`));
    });
  });
  const ask = (message: { type: string } & Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const onMessage = (m: { type?: string } & Record<string, unknown>) => {
        if (m?.type !== message.type) return;
        child.off('message', onMessage);
        resolve(m);
      };
      child.on('message', onMessage);
      child.send(message);
    });
  return {
    child,
    ready,
    ask,
    worker: async (on) => void (await ask({ type: 'worker', on })),
    signIn: async (users) => {
      const { cookies } = (await ask({ type: 'signin', users })) as { cookies: string[] };
      const bad = cookies.findIndex((c) => !/\bsid=/.test(c));
      if (bad >= 0) throw new Error(`sign-in of ${users[bad]} gave no session cookie`);
      return cookies;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', () => (clearTimeout(timer), resolve()));
        child.send({ type: 'close' });
      });
    },
  };
}

// ───────────────────────────── latency series ─────────────────────────────

export interface SeriesFigures {
  label: string;
  count: number;
  perS: number;
  durationSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  cpu?: CpuDelta;
}

const percentile = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);

class Series {
  readonly latencies: number[] = [];
  readonly cpuParts: CpuDelta[] = [];
  readonly statusCodes: Record<string, number> = {};
  durationSec = 0;
  non2xx = 0;
  errors = 0;
  timeouts = 0;
  constructor(readonly label: string) {}

  status(code: number, ok: boolean): void {
    this.statusCodes[code] = (this.statusCodes[code] ?? 0) + 1;
    if (!ok) this.non2xx++;
  }

  addCannon(r: autocannon.Result): void {
    this.durationSec += r.duration;
    this.non2xx += r.non2xx;
    this.errors += r.errors;
    this.timeouts += r.timeouts;
    for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) this.statusCodes[code] = (this.statusCodes[code] ?? 0) + (v?.count ?? 0);
  }

  figures(): SeriesFigures {
    const sorted = Float64Array.from(this.latencies).sort();
    const cpu = this.cpuParts.length
      ? this.cpuParts.reduce((a, c) => ({
          wallMs: a.wallMs + c.wallMs,
          selfMs: a.selfMs + c.selfMs,
          procsMs: Object.fromEntries(Object.keys(c.procsMs).map((k) => [k, (a.procsMs[k] ?? 0) + c.procsMs[k]!])),
          machineBusy: (a.machineBusy * a.machineTotalMs + c.machineBusy * c.machineTotalMs) / Math.max(1, a.machineTotalMs + c.machineTotalMs),
          machineTotalMs: a.machineTotalMs + c.machineTotalMs,
        }))
      : undefined;
    return {
      label: this.label,
      count: sorted.length,
      perS: this.durationSec > 0 ? sorted.length / this.durationSec : 0,
      durationSec: this.durationSec,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : 0,
      non2xx: this.non2xx,
      errors: this.errors,
      timeouts: this.timeouts,
      statusCodes: { ...this.statusCodes },
      cpu,
    };
  }
}

/** "CPU per request: server 0.41 ms, mariadb 0.10 ms, generator 0.12 ms; all CPUs 97 % busy (other processes 0 %)". */
function cpuText(f: SeriesFigures): string {
  if (!f.cpu || !f.count) return '';
  const per = (ms: number) => `${(ms / f.count).toFixed(2)} ms`;
  const parts = Object.entries(f.cpu.procsMs)
    .filter(([, ms]) => ms > 0)
    .map(([k, ms]) => `${k} ${per(ms)}`);
  return `CPU per request: ${[...parts, `generator ${per(f.cpu.selfMs)}`].join(', ')}; all CPUs ${Math.round(f.cpu.machineBusy * 100)} % busy (other processes ${Math.round((othersMs(f.cpu) / (f.cpu.machineTotalMs || 1)) * 100)} %)`;
}

const latText = (f: SeriesFigures) => `p50 ${fmtMs(f.p50)}, p95 ${fmtMs(f.p95)}, p99 ${fmtMs(f.p99)}`;

// ───────────────────────────── 1. push ingest ─────────────────────────────

/** Pre-built pushes: body, Authorization for one callback URL, msg_id. */
interface PushPool {
  bodies: string[];
  auths: string[];
  msgIds: string[];
  /** Make `count` more (between runs, never during one); returns the ms it took. */
  extend(count: number): number;
}

const PUSH_STATUSES = ['READY_TO_SHIP', 'PROCESSED', 'SHIPPED'] as const;

/** Code-3 pushes as Shopee sends them (scripts/shopee-sim/push-payloads.ts): 3 per order_sn, each its own msg_id. */
function makePushPool(callbackUrl: string, tag: string, size: number): PushPool {
  const bodies: string[] = [];
  const auths: string[] = [];
  const msgIds: string[] = [];
  const t0 = Math.floor(Date.now() / 1000);
  const extend = (count: number): number => {
    const t = Date.now();
    for (let n = 0; n < count; n++) {
      const i = bodies.length;
      const msgId = randomBytes(16).toString('hex');
      const data = {
        items: [],
        ordersn: `${tag}${Math.floor(i / 3)
          .toString(36)
          .toUpperCase()
          .padStart(10, '0')}`,
        status: PUSH_STATUSES[i % 3],
        completed_scenario: '',
        update_time: t0 + i,
      };
      const body = JSON.stringify({ msg_id: msgId, data, shop_id: UNLINKED_SHOP_ID, code: 3, timestamp: t0 + i });
      bodies.push(body);
      auths.push(pushAuthorization(DEMO_PARTNER.partnerKey, callbackUrl, body));
      msgIds.push(msgId);
    }
    return Date.now() - t;
  };
  extend(size);
  return { bodies, auths, msgIds, extend };
}

/** Hands out pushes across all connections and records which msg_ids were answered 204. */
class PushFeeder {
  next = 0;
  fresh = 0;
  ok = new Uint8Array(0);
  wrapped = 0;
  repeatsSent = 0;
  repeatsAcked = 0;
  generateMs = 0;
  /** distinct (ours): a new push each request except the repeats; else (bare) the pool is cycled. */
  constructor(
    readonly pool: PushPool,
    readonly distinct: boolean,
  ) {
    this.ok = new Uint8Array(pool.bodies.length);
  }

  ensure(n: number): void {
    const missing = n - (this.pool.bodies.length - this.fresh);
    if (!this.distinct || missing <= 0) return;
    this.generateMs += this.pool.extend(missing);
    const ok = new Uint8Array(this.pool.bodies.length);
    ok.set(this.ok);
    this.ok = ok;
  }

  private pick(): { i: number; repeat: boolean } {
    const n = this.next++;
    if (this.distinct && n % REPEAT_EVERY === REPEAT_EVERY - 1 && this.fresh > 0) {
      this.repeatsSent++;
      return { i: this.fresh - 1 - (n % Math.min(this.fresh, REPEAT_WINDOW)), repeat: true };
    }
    const f = this.fresh++;
    if (f >= this.pool.bodies.length) this.wrapped++;
    return { i: f % this.pool.bodies.length, repeat: false };
  }

  request(): autocannon.Request {
    return {
      setupRequest: (req, context) => {
        const { i, repeat } = this.pick();
        Object.assign(context, { i, repeat });
        return { ...req, body: this.pool.bodies[i]!, headers: { ...req.headers, authorization: this.pool.auths[i]! } };
      },
      onResponse: (status, _body, context) => {
        const { i, repeat } = context as { i?: number; repeat?: boolean };
        if (status !== 204 || i === undefined) return;
        this.ok[i] = 1;
        if (repeat) this.repeatsAcked++;
      },
    };
  }
}

async function cannon(
  baseUrl: string,
  feeder: PushFeeder,
  o: { connections: number; duration: number; title: string },
  series?: Series,
  pids: Record<string, number | undefined> = {},
): Promise<void> {
  feeder.ensure(Math.ceil(MAX_RATE * (o.duration + 1)));
  const before = cpuSnapshot(pids);
  // Without a callback autocannon returns its tracker (an EventEmitter) made thenable.
  const run = autocannon({
    title: o.title,
    url: `${baseUrl}/shopee/push`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: o.connections,
    pipelining: 1,
    duration: o.duration,
    timeout: 10,
    requests: [feeder.request()],
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  if (series) run.on('response', (_client, _status, _bytes, responseTime) => series.latencies.push(responseTime));
  const result = await run;
  if (series) {
    series.addCannon(result);
    series.cpuParts.push(cpuDelta(before, cpuSnapshot(pids)));
  }
}

async function countInbox(conn: mysql.Connection): Promise<Record<string, number>> {
  const [rows] = await conn.query(`SELECT status, COUNT(*) AS n FROM callback_inbox WHERE source = 'shopee' GROUP BY status`);
  return Object.fromEntries((rows as Array<{ status: string; n: number | string }>).map((r) => [r.status, Number(r.n)]));
}
const total = (byStatus: Record<string, number>) => Object.values(byStatus).reduce((a, b) => a + b, 0);

export interface PushFigures {
  bare: SeriesFigures;
  ours: SeriesFigures;
  oursWorkerPaused?: SeriesFigures;
  ratio: number;
  inbox: {
    /** Shopee rows before the load (the shop link's own pushes, if any). */
    rowsBefore: number;
    rows: number;
    distinctKeys: number;
    /** Distinct msg_ids sent, answered 204 at least once, answered but with no row, stored but never answered. */
    sent: number;
    acked: number;
    missingAcknowledged: number;
    storedNotAcknowledged: number;
    /** Rows whose key is none of the msg_ids sent. */
    unknownRows: number;
    repeatsSent: number;
    repeatsAcked: number;
    wrappedPool: number;
    byStatus: Record<string, number>;
    drainPerSec: number;
    drainSec: number;
  };
  pool: { pushes: number; generateMs: number; bodyBytes: number };
  machineBusyBefore: number;
  /** The inbox worker's claim query against the backlog left by the load (null: not seen in the general log). */
  claimQuery: { sql: string; pending: number; streams: number; medianMs: number; explain: PlanRow[] } | null;
}

async function measurePush(mariaUrl: string, o: Required<Omit<OrdersBenchOptions, 'log' | 'only'>>, log: (l: string) => void): Promise<PushFigures> {
  const target = await startTarget(mariaUrl);
  let conn: mysql.Connection | null = null;
  try {
    const { baseUrl, bareUrl, databaseUrl } = target.ready;
    log(`[orders] push: ours ${baseUrl} (MariaDB ${new URL(databaseUrl).pathname.slice(1)}), bare ${bareUrl}`);
    conn = await mysql.createConnection(databaseUrl);
    const t0 = Date.now();
    const oursPool = makePushPool(`${baseUrl}/shopee/push`, 'BP', 120_000);
    const barePool = makePushPool(`${bareUrl}/shopee/push`, 'BB', 10_000); // bare cycles through these: it stores nothing
    const generateMs = Date.now() - t0;
    const oursFeeder = new PushFeeder(oursPool, true);
    const bareFeeder = new PushFeeder(barePool, false);
    const rowsBefore = total(await countInbox(conn));

    const quiet = await waitForQuietMachine({ log, maxWaitMs: 30_000 });
    const pids = { server: target.child.pid, mariadb: childPidsNamed('mariadbd')[0] };
    const c = o.connections;
    log(`[orders] push: warm-up ${o.warmupSec} s each`);
    await target.worker(false);
    await cannon(bareUrl, bareFeeder, { connections: c, duration: o.warmupSec, title: 'bare warm-up' });
    await target.worker(true);
    await cannon(baseUrl, oursFeeder, { connections: c, duration: o.warmupSec, title: 'ours warm-up' });

    const slices = Math.max(1, Math.round(o.durationSec / o.sliceSec));
    const slice = o.durationSec / slices;
    const bareS = new Series('bare');
    const oursS = new Series('ours');
    const pausedS = new Series('ours, worker paused');
    log(
      `[orders] push: saturation, ${c} connections, ${slices} × ${slice} s slices alternating bare / ours${o.diagnose ? ' / ours with the inbox worker paused' : ''}`,
    );
    for (let k = 0; k < slices; k++) {
      await target.worker(false);
      await cannon(bareUrl, bareFeeder, { connections: c, duration: slice, title: 'bare' }, bareS, pids);
      await target.worker(true);
      await cannon(baseUrl, oursFeeder, { connections: c, duration: slice, title: 'ours' }, oursS, pids);
      if (o.diagnose) {
        await target.worker(false);
        await cannon(baseUrl, oursFeeder, { connections: c, duration: slice, title: 'ours, worker paused' }, pausedS, pids);
        await target.worker(true);
      }
    }
    const bare = bareS.figures();
    const ours = oursS.figures();
    const oursWorkerPaused = o.diagnose ? pausedS.figures() : undefined;
    for (const f of [bare, ours, oursWorkerPaused].filter((x): x is SeriesFigures => !!x))
      log(`[orders]   ${f.label}: ${fmtInt(f.perS)} pushes/s, ${latText(f)}; ${cpuText(f)}`);

    // Requests cut off by autocannon's stop may still be finishing on the server: let them land.
    await sleep(1000);
    const drainSec = 3;
    const drainStart = (await countInbox(conn)).pending ?? 0;
    const drainT0 = Date.now();
    await sleep(drainSec * 1000);
    const drainEnd = (await countInbox(conn)).pending ?? 0;
    const drainPerSec = (drainStart - drainEnd) / ((Date.now() - drainT0) / 1000);
    log(`[orders] push: idle ${drainSec} s: the inbox worker settled ${fmtInt(drainStart - drainEnd)} pushes (${fmtInt(drainPerSec)}/s)`);

    // Diagnostic: the inbox worker's claim query (platform/stream-claims.ts dueHeads), captured from the general log
    // while the worker drains the backlog, then timed and explained against that backlog (each push order is a stream).
    const dueSql = (await generalLog(conn, () => sleep(500))).map((r) => r.sql).find((q) => /GROUP BY stream_key/.test(q) && /^\s*SELECT e\.id/.test(q));
    let claimQuery: PushFigures['claimQuery'] = null;
    if (dueSql) {
      const [[backlog]] = (await conn.query(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT stream_key) AS s FROM callback_inbox WHERE status = 'pending'`,
      )) as unknown as [Array<{ n: string | number; s: string | number }>];
      const times: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t = performance.now();
        await conn.query(dueSql);
        times.push(performance.now() - t);
      }
      const [explain] = await conn.query(`EXPLAIN ${dueSql}`);
      claimQuery = {
        sql: dueSql,
        pending: Number(backlog!.n),
        streams: Number(backlog!.s),
        medianMs: [...times].sort((a, b) => a - b)[2]!,
        explain: explain as PlanRow[],
      };
      log(
        `[orders] push: the worker's claim query with ${fmtInt(claimQuery.pending)} pending rows in ${fmtInt(claimQuery.streams)} streams: ${fmtMs(claimQuery.medianMs)} (median of 5); EXPLAIN ${planText(claimQuery.explain)}`,
      );
    }

    const byStatus = await countInbox(conn);
    const [[counts]] = (await conn.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT dedupe_key) AS d FROM callback_inbox WHERE source = 'shopee'`)) as unknown as [
      Array<{ n: string | number; d: string | number }>,
    ];
    const [keyRows] = await conn.query(`SELECT dedupe_key FROM callback_inbox WHERE source = 'shopee'`);
    const stored = new Set((keyRows as Array<{ dedupe_key: string }>).map((r) => r.dedupe_key));
    const sent = Math.min(oursFeeder.fresh, oursPool.msgIds.length);
    let acked = 0;
    let missing = 0;
    let storedNotAcked = 0;
    let matched = 0;
    for (let i = 0; i < sent; i++) {
      const has = stored.has(`shopee:${oursPool.msgIds[i]!}`);
      if (has) matched++;
      if (oursFeeder.ok[i]) {
        acked++;
        if (!has) missing++;
      } else if (has) storedNotAcked++;
    }
    const inbox = {
      rowsBefore,
      rows: Number(counts!.n),
      distinctKeys: Number(counts!.d),
      sent,
      acked,
      missingAcknowledged: missing,
      storedNotAcknowledged: storedNotAcked,
      unknownRows: stored.size - matched - rowsBefore,
      repeatsSent: oursFeeder.repeatsSent,
      repeatsAcked: oursFeeder.repeatsAcked,
      wrappedPool: oursFeeder.wrapped,
      byStatus,
      drainPerSec,
      drainSec,
    };
    log(
      `[orders] push: ${fmtInt(inbox.rows)} shopee rows (${fmtInt(inbox.distinctKeys)} distinct keys, ${rowsBefore} before the load); ${fmtInt(sent)} msg_ids sent, ${fmtInt(acked)} answered 204, acknowledged but missing ${missing}, stored but never answered ${storedNotAcked}; ${fmtInt(inbox.repeatsSent)} repeats sent (${fmtInt(inbox.repeatsAcked)} answered 204)`,
    );
    return {
      bare,
      ours,
      oursWorkerPaused,
      ratio: ours.perS / bare.perS,
      inbox,
      pool: {
        pushes: oursPool.bodies.length + barePool.bodies.length,
        generateMs: generateMs + oursFeeder.generateMs,
        bodyBytes: Buffer.byteLength(oursPool.bodies[0]!),
      },
      machineBusyBefore: quiet.busy,
      claimQuery,
    };
  } finally {
    await conn?.end().catch(() => undefined);
    await target.stop();
  }
}

// ───────────────────────────── 2. inbox list ─────────────────────────────

/** Deterministic PRNG (mulberry32). */
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

const ORDER_COLUMNS = [
  'order_sn',
  'shop_id',
  'status',
  'pool',
  'currency',
  'total',
  'buyer',
  'item_count',
  'message_to_seller',
  'package_number',
  'logistics_status',
  'carrier',
  'tracking_number',
  'ship_by',
  'created_at',
  'market_updated_at',
  'assignee',
  'claimed_at',
  'announced',
  'updated_at',
] as const;

const DAY = 86_400_000;
/** Shopee-like order_sn: yymmdd of the create time + 8 base-36 characters (unique per run through `i`). */
const orderSn = (createdMs: number, prefix: string, i: number) =>
  `${new Date(createdMs).toISOString().slice(2, 10).replace(/-/g, '')}${prefix}${i.toString(36).toUpperCase().padStart(7, '0')}`;

export interface OrderSpread {
  orders: number;
  pool: number;
  assigned: number;
  unassigned: number;
  mine: number;
  shops: Record<string, number>;
  insertMs: number;
  analyzeMs: number;
  dataMb: number;
  indexMb: number;
}

/**
 * `n` orders, created_at evenly over the 90 days before `now` in id order (one every ~7.8 s at 1,000,000, as they
 * arrive): 5 shops (the linked one 40 %, four others 15 % each); 3 % in the pool (READY_TO_SHIP 90 % / RETRY_SHIP,
 * nobody holds them), uniformly over the 90 days; of the rest, 90 % held by one of `members` (uniformly; status by age:
 * < 3 days READY_TO_SHIP or PROCESSED, < 10 days SHIPPED, older COMPLETED) and 10 % held by nobody (CANCELLED).
 */
async function insertOrders(
  conn: mysql.Connection,
  n: number,
  shops: string[],
  members: string[],
  mine: string,
  log: (l: string) => void,
): Promise<OrderSpread> {
  const rand = rng(9);
  const now = Date.now();
  const start = now - 90 * DAY;
  const spread: OrderSpread = { orders: n, pool: 0, assigned: 0, unassigned: 0, mine: 0, shops: {}, insertMs: 0, analyzeMs: 0, dataMb: 0, indexMb: 0 };
  const t0 = performance.now();
  let lastLog = Date.now();
  for (let from = 0; from < n; from += INSERT_BATCH) {
    const rows: unknown[][] = [];
    for (let i = from; i < Math.min(n, from + INSERT_BATCH); i++) {
      const created = Math.floor((start + ((now - start) * i) / n) / 1000) * 1000;
      const age = now - created;
      const r = rand();
      const shop = r < 0.4 ? shops[0]! : shops[1 + Math.floor(((r - 0.4) / 0.6) * (shops.length - 1))]!;
      spread.shops[shop] = (spread.shops[shop] ?? 0) + 1;
      let status: string;
      let pool = 0;
      let assignee: string | null = null;
      if (rand() < 0.03) {
        status = rand() < 0.9 ? 'READY_TO_SHIP' : 'RETRY_SHIP';
        pool = 1;
        spread.pool++;
      } else if (rand() < 0.9) {
        assignee = members[Math.floor(rand() * members.length)]!;
        status = age < 3 * DAY ? (rand() < 0.5 ? 'READY_TO_SHIP' : 'PROCESSED') : age < 10 * DAY ? 'SHIPPED' : 'COMPLETED';
        spread.assigned++;
        if (assignee === mine) spread.mine++;
      } else {
        status = 'CANCELLED';
        spread.unassigned++;
      }
      const shipped = status !== 'READY_TO_SHIP' && status !== 'RETRY_SHIP' && status !== 'CANCELLED';
      rows.push([
        orderSn(created, 'L', i),
        shop,
        status,
        pool,
        'SGD',
        (5 + Math.floor(rand() * 20_000) / 100).toFixed(2),
        `buyer_${Math.floor(rand() * 200_000)}`,
        1 + Math.floor(rand() * 3),
        null,
        shipped ? `OFG${i}` : null,
        shipped ? 'LOGISTICS_DELIVERY_DONE' : null,
        shipped ? 'SPX Express' : null,
        shipped ? `SPXSG${String(i).padStart(10, '0')}` : null,
        created + 3 * DAY,
        created,
        created + 60_000,
        assignee,
        assignee ? created + 600_000 : null,
        1,
        created + 60_000,
      ]);
    }
    await conn.query(`INSERT INTO orders (${ORDER_COLUMNS.join(', ')}) VALUES ?`, [rows]);
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log(`[orders] list:   ${fmtInt(from + rows.length)} of ${fmtInt(n)} inserted (${seconds(performance.now() - t0)})`);
    }
  }
  spread.insertMs = performance.now() - t0;
  const t1 = performance.now();
  await conn.query('ANALYZE TABLE orders');
  spread.analyzeMs = performance.now() - t1;
  const [[size]] = (await conn.query(
    `SELECT data_length AS d, index_length AS i FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'orders'`,
  )) as unknown as [Array<{ d: string | number; i: string | number }>];
  spread.dataMb = Number(size!.d) / 2 ** 20;
  spread.indexMb = Number(size!.i) / 2 ** 20;
  return spread;
}

/** One keep-alive HTTP request; the latency covers the whole response body. */
function request(
  agent: http.Agent,
  base: URL,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.request(
      {
        agent,
        hostname: base.hostname,
        port: base.port,
        method,
        path,
        headers: body ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers,
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

const encodeCursor = (at: number, id: number) => Buffer.from(`${at}:${id}`).toString('base64url'); // order.service.ts encodeCursor

interface ViewDef {
  key: string;
  label: string;
  /** The query string of GET /api/orders (without limit and cursor). */
  query: string;
  /** The same rows in SQL, for finding deep cursors. */
  where: string;
  size: number;
  /** The server's statement for it in the general log. */
  pattern: RegExp;
  /** Not one of the issue's views: reported, no goal. */
  info?: boolean;
}

interface PageCase {
  key: string;
  label: string;
  path: string;
  /** The statement the server ran for it (general log), replayed as is. */
  sql: string;
}

export interface PlanRow {
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

export interface ListFigures {
  spread: OrderSpread;
  bufferPoolMb: number;
  http: Record<string, SeriesFigures>;
  sql: Record<string, SeriesFigures>;
  plans: Array<{ key: string; info: boolean; label: string; sql: string; explain: PlanRow[]; analyze: PlanRow[] }>;
  deepOffsets: Record<string, number[]>;
  oneShop: { shopId: string; pool: number };
  pageChecks: { label: string; httpItems: number; sqlRows: number; same: boolean }[];
  rounds: number;
  /** The measured rounds: wall time and CPU (server, mariadbd, this process). */
  wallMs: number;
  cpu: CpuDelta;
}

const planText = (rows: PlanRow[]) =>
  rows
    .map(
      (r) =>
        `table ${r.table}, type ${r.type}, key ${r.key ?? 'NULL'}${r.key_len ? ` (key_len ${r.key_len})` : ''}, ref ${r.ref ?? 'NULL'}, rows ${r.rows ?? 'NULL'}${r.r_rows !== undefined ? `, r_rows ${r.r_rows ?? 'NULL'}` : ''}, Extra "${r.Extra ?? ''}"`,
    )
    .join('; ');

/** Every statement MariaDB ran while `during` ran (general log to a table, on only meanwhile): SQL text and connection. */
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
  const own = Number(((await conn.query('SELECT CONNECTION_ID() AS id'))[0] as Array<{ id: number }>)[0]!.id);
  return (rows as Array<{ t: number; a: Buffer | string }>).map((r) => ({ thread: Number(r.t), sql: String(r.a) })).filter((r) => r.thread !== own);
}

/** The one statement matching `pattern` that the server ran while `doRequest` ran. */
async function capture(conn: mysql.Connection, doRequest: () => Promise<void>, pattern: RegExp): Promise<string> {
  const all = (await generalLog(conn, doRequest)).map((r) => r.sql);
  const statements = all.filter((s) => pattern.test(s));
  if (statements.length !== 1)
    throw new Error(
      `expected one statement matching ${pattern} in the general log, found ${statements.length}; statements on orders: ${JSON.stringify(all.filter((s) => s.includes('orders')))}`,
    );
  return statements[0]!;
}

async function measureList(mariaUrl: string, o: Required<Omit<OrdersBenchOptions, 'log' | 'only'>>, log: (l: string) => void): Promise<ListFigures> {
  const target = await startTarget(mariaUrl);
  let conn: mysql.Connection | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const { baseUrl, databaseUrl, shopId } = target.ready;
    const base = new URL(baseUrl);
    conn = await mysql.createConnection({ uri: databaseUrl });
    const [[bp]] = (await conn.query('SELECT @@innodb_buffer_pool_size AS b')) as unknown as [Array<{ b: string | number }>];
    const bufferPoolMb = Number(bp!.b) / 2 ** 20;
    const me = DEMO_USERS.csAgent;
    const members = [me, ...Array.from({ length: MEMBERS - 1 }, (_, k) => `bench_cs_${String(k + 1).padStart(2, '0')}`)];
    const shops = [shopId, '900000101', '900000102', '900000103', '900000104'];
    log(`[orders] list: inserting ${fmtInt(o.orders)} orders in INSERTs of ${fmtInt(INSERT_BATCH)}`);
    const spread = await insertOrders(conn, o.orders, shops, members, me, log);
    log(
      `[orders] list: ${fmtInt(o.orders)} orders inserted in ${seconds(spread.insertMs)} (${fmtInt((o.orders / spread.insertMs) * 1000)} rows/s; ANALYZE TABLE ${fmtMs(spread.analyzeMs)}); data ${fmtInt(spread.dataMb)} MB, indexes ${fmtInt(spread.indexMb)} MB; pool ${fmtInt(spread.pool)}, ${me}'s ${fmtInt(spread.mine)}`,
    );
    const [cookie] = await target.signIn([me]);
    const headers = { cookie: cookie!, accept: 'application/json' };

    // The cases: first page and DEEP_PAGES deep keyset pages (cursor = the row at 50 … 90 % of the view) of each view.
    const cursorAt = async (where: string, offset: number) => {
      const [rows] = await conn!.query(`SELECT created_at AS at, id FROM orders WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ${offset}`);
      const r = (rows as Array<{ at: string | number; id: number }>)[0]!;
      return encodeCursor(Number(r.at), Number(r.id));
    };
    // The 待认领 tab filtered to one shop (?shop=, one of the 15 % shops): informational, the plan is the optimizer's choice.
    const oneShop = shops[1]!;
    const [[shopPool]] = (await conn.query('SELECT COUNT(*) AS n FROM orders WHERE pool = 1 AND shop_id = ?', [oneShop])) as unknown as [
      Array<{ n: number | string }>,
    ];
    const views: ViewDef[] = [
      {
        key: 'unclaimed',
        label: 'unclaimed',
        query: 'view=unclaimed',
        where: 'pool = 1',
        size: spread.pool,
        pattern: /FROM `orders` `o` WHERE `o`\.`pool` = 1 ORDER BY|FROM `orders` `o` WHERE `o`\.`pool` = 1 AND \(/,
      },
      {
        key: 'mine',
        label: 'mine',
        query: 'view=mine',
        where: `assignee = ${conn.escape(me)}`,
        size: spread.mine,
        pattern: /FROM `orders` `o` WHERE `o`\.`assignee` = /,
      },
      {
        key: 'unclaimed-shop',
        label: 'unclaimed in one shop',
        query: `view=unclaimed&shop=${oneShop}`,
        where: `pool = 1 AND shop_id = ${conn.escape(oneShop)}`,
        size: Number(shopPool!.n),
        pattern: /FROM `orders` `o` WHERE `o`\.`pool` = 1 AND .*shop_id.* = /,
        info: true,
      },
    ];
    const cases: PageCase[] = [];
    const deepOffsets: Record<string, number[]> = {};
    const pageChecks: ListFigures['pageChecks'] = [];
    for (const v of views) {
      const variants: Array<{ key: string; label: string; path: string }> = [
        { key: `${v.key}:first`, label: `${v.label}, first page`, path: `/api/orders?${v.query}&limit=${PAGE}` },
      ];
      for (let d = 0; d < DEEP_PAGES; d++) {
        const offset = Math.floor(v.size * (0.5 + (0.4 * d) / Math.max(1, DEEP_PAGES - 1)));
        (deepOffsets[v.key] ??= []).push(offset);
        variants.push({
          key: `${v.key}:deep`,
          label: `${v.label}, deep keyset page`,
          path: `/api/orders?${v.query}&limit=${PAGE}&cursor=${await cursorAt(v.where, offset)}`,
        });
      }
      for (const c of variants) {
        let res: { status: number; body: string } | null = null;
        const sql = await capture(
          conn,
          async () => {
            res = await request(agent, base, 'GET', c.path, headers);
          },
          v.pattern,
        );
        const got = res as { status: number; body: string } | null;
        if (!got || got.status !== 200) throw new Error(`${c.path} answered ${got?.status}: ${got?.body.slice(0, 200)}`);
        const items = (JSON.parse(got.body) as { items: Array<{ orderSn: string }> }).items.map((x) => x.orderSn);
        const [rows] = await conn.query(sql);
        const sqlSns = (rows as Array<Record<string, unknown>>).map((r) => String(r['o_order_sn'])).slice(0, PAGE);
        pageChecks.push({
          label: c.path,
          httpItems: items.length,
          sqlRows: (rows as unknown[]).length,
          same: items.join() === sqlSns.join() && items.length > 0,
        });
        cases.push({ ...c, sql });
      }
    }
    const bad = pageChecks.filter((p) => !p.same);
    if (bad.length) throw new Error(`pages not as expected (HTTP items vs the captured SQL): ${JSON.stringify(bad.slice(0, 3))}`);
    const casesOf = (v: ViewDef) => cases.filter((c) => c.key.startsWith(`${v.key}:`));

    // EXPLAIN and ANALYZE (MariaDB: the plan plus rows actually read) of each view's first and deepest page, and the key lookup.
    const [[ids]] = (await conn.query('SELECT MIN(id) AS lo, MAX(id) AS hi FROM orders')) as unknown as [Array<{ lo: number; hi: number }>];
    const pkSql = (id: number) => `SELECT * FROM orders WHERE id = ${id}`;
    const plans: ListFigures['plans'] = [];
    const explained = [
      ...views.flatMap((v) => [
        { key: v.key, info: !!v.info, label: `${v.label}, first page`, sql: casesOf(v)[0]!.sql },
        { key: v.key, info: !!v.info, label: `${v.label}, deepest keyset page`, sql: casesOf(v)[DEEP_PAGES]!.sql },
      ]),
      { key: 'pk', info: true, label: 'primary-key lookup', sql: pkSql(Math.floor((ids!.lo + ids!.hi) / 2)) },
    ];
    for (const e of explained) {
      const [explain] = await conn.query(`EXPLAIN ${e.sql}`);
      const [analyze] = await conn.query(`ANALYZE ${e.sql}`);
      plans.push({ ...e, explain: explain as PlanRow[], analyze: analyze as PlanRow[] });
      log(`[orders] list: EXPLAIN ${e.label}: ${planText(explain as PlanRow[])}`);
    }

    // Interleaved rounds, one request at a time: every HTTP case and its SQL, the PK lookup, one order by its key.
    const http: Record<string, Series> = {};
    const sql: Record<string, Series> = {};
    const seriesOf = (m: Record<string, Series>, key: string, label: string) => (m[key] ??= new Series(label));
    const rand = rng(11);
    await waitForQuietMachine({ log, maxWaitMs: 20_000 });
    const pids = { server: target.child.pid, mariadb: childPidsNamed('mariadbd')[0] };
    const cpu0 = cpuSnapshot(pids);
    const t0 = performance.now();
    log(`[orders] list: ${o.rounds} rounds (after ${WARMUP_ROUNDS} warm-up rounds), one request at a time`);
    for (let r = -WARMUP_ROUNDS; r < o.rounds; r++) {
      const record = r >= 0;
      const deep = (r + WARMUP_ROUNDS) % DEEP_PAGES;
      const round = views.flatMap((v) => [casesOf(v)[0]!, casesOf(v)[1 + deep]!]);
      const id = ids!.lo + Math.floor(rand() * (ids!.hi - ids!.lo + 1));
      const sn = async () => {
        const [rows] = await conn!.query(`SELECT order_sn FROM orders WHERE id = ${ids!.lo + Math.floor(rand() * (ids!.hi - ids!.lo + 1))}`);
        return String((rows as Array<{ order_sn: string }>)[0]!.order_sn);
      };
      const bySn = await sn();
      const ops: Array<() => Promise<void>> = [
        ...round.map((c) => async () => {
          const res = await request(agent, base, 'GET', c.path, headers);
          if (!record) return;
          const s = seriesOf(http, c.key, c.label);
          s.latencies.push(res.ms);
          s.status(res.status, res.status === 200);
        }),
        ...round.map((c) => async () => {
          const t = performance.now();
          await conn!.query(c.sql);
          if (record) seriesOf(sql, c.key, `${c.label} (SQL)`).latencies.push(performance.now() - t);
        }),
        async () => {
          const t = performance.now();
          const [rows] = await conn!.query(pkSql(id));
          if ((rows as unknown[]).length !== 1) throw new Error(`no order with id ${id}`);
          if (record) seriesOf(sql, 'pk', 'primary-key lookup (SQL)').latencies.push(performance.now() - t);
        },
        async () => {
          const res = await request(agent, base, 'GET', `/api/orders/${bySn}`, headers);
          if (!record) return;
          const s = seriesOf(http, 'detail', 'GET /api/orders/:sn (one order by its unique key)');
          s.latencies.push(res.ms);
          s.status(res.status, res.status === 200);
        },
      ];
      // Rotate the order round by round so no case always runs first (or right after another).
      const shift = ((r % ops.length) + ops.length) % ops.length;
      for (let k = 0; k < ops.length; k++) await ops[(k + shift) % ops.length]!();
    }
    const wall = performance.now() - t0;
    const delta = cpuDelta(cpu0, cpuSnapshot(pids));
    const fig = (m: Record<string, Series>) =>
      Object.fromEntries(
        Object.entries(m).map(([k, s]) => {
          s.durationSec = wall / 1000;
          return [k, s.figures()];
        }),
      );
    const result: ListFigures = {
      spread,
      bufferPoolMb,
      http: fig(http),
      sql: fig(sql),
      plans,
      deepOffsets,
      oneShop: { shopId: oneShop, pool: Number(shopPool!.n) },
      pageChecks,
      rounds: o.rounds,
      wallMs: wall,
      cpu: delta,
    };
    for (const f of [...Object.values(result.http), ...Object.values(result.sql)]) log(`[orders]   ${f.label}: ${latText(f)}`);
    return result;
  } finally {
    agent.destroy();
    await conn?.end().catch(() => undefined);
    await target.stop();
  }
}

// ───────────────────────────── 3. claims ─────────────────────────────

export interface ClaimFigures {
  orders: number;
  clients: number;
  users: string[];
  ms: number;
  perS: number;
  latency: SeriesFigures;
  /** Answers other than 200, by status and error code. */
  failures: Record<string, number>;
  /** 200s whose body names another assignee than the claimer. */
  wrongWinner: number;
  db: {
    claimed: number;
    stillInPool: number;
    /** Rows whose assignee is not the one the 200 went to. */
    assigneeMismatch: number;
    timelineClaimed: number;
    ordersWithoutOneTimelineEntry: number;
    outboxClaimed: number;
    ordersWithoutOneOutboxEvent: number;
    outboxFannedOut: number;
  };
  cpu: CpuDelta;
  /** One more claim with MariaDB's general log on: its answer, the statements run meanwhile, by kind and table. */
  probe: { status: number; statements: number; background: number; connections: number; byKind: Record<string, number> };
  /** The event dispatcher after the claims: events not yet fanned out when the checks ran, its rate after, what was left. */
  dispatch: { unfannedAtEnd: number; leftAfterWait: number; waitedMs: number; perS: number };
}

async function measureClaims(mariaUrl: string, o: Required<Omit<OrdersBenchOptions, 'log' | 'only'>>, log: (l: string) => void): Promise<ClaimFigures> {
  const target = await startTarget(mariaUrl);
  let conn: mysql.Connection | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.clients });
  try {
    const { baseUrl, databaseUrl, shopId } = target.ready;
    const base = new URL(baseUrl);
    conn = await mysql.createConnection({ uri: databaseUrl });
    const now = Date.now();
    const sns: string[] = [];
    for (let from = 0; from < o.claims; from += INSERT_BATCH) {
      const rows: unknown[][] = [];
      for (let i = from; i < Math.min(o.claims, from + INSERT_BATCH); i++) {
        const created = Math.floor((now - DAY + (DAY * i) / o.claims) / 1000) * 1000;
        const sn = orderSn(created, 'C', i);
        sns.push(sn);
        rows.push([
          sn,
          shopId,
          'READY_TO_SHIP',
          1,
          'SGD',
          '25.80',
          `buyer_${i}`,
          1,
          null,
          null,
          null,
          null,
          null,
          created + 3 * DAY,
          created,
          created,
          null,
          null,
          1,
          created,
        ]);
      }
      await conn.query(`INSERT INTO orders (${ORDER_COLUMNS.join(', ')}) VALUES ?`, [rows]);
    }
    const users = [DEMO_USERS.csAgent, DEMO_USERS.csAgent2, DEMO_USERS.csAgent3, DEMO_USERS.csAgent4];
    const clientUsers = Array.from({ length: o.clients }, (_, k) => users[k % users.length]!);
    const cookies = await target.signIn(clientUsers);
    log(`[orders] claims: ${fmtInt(o.claims)} READY_TO_SHIP orders in the pool; ${o.clients} clients signed in (${users.join(', ')})`);

    await waitForQuietMachine({ log, maxWaitMs: 20_000 });
    const pids = { server: target.child.pid, mariadb: childPidsNamed('mariadbd')[0] };
    const series = new Series('claim');
    const failures: Record<string, number> = {};
    const winner = new Map<string, string>();
    let wrongWinner = 0;
    let next = 0;
    const origin = base.origin;
    const cpu0 = cpuSnapshot(pids);
    const t0 = performance.now();
    await Promise.all(
      clientUsers.map(async (user, k) => {
        const headers = { cookie: cookies[k]!, origin, 'content-type': 'application/json', accept: 'application/json' };
        for (;;) {
          const i = next++;
          if (i >= sns.length) return;
          const sn = sns[i]!;
          const res = await request(agent, base, 'POST', `/api/orders/${sn}/claim`, headers, '{}');
          series.latencies.push(res.ms);
          series.status(res.status, res.status === 200);
          if (res.status === 200) {
            winner.set(sn, user);
            const body = JSON.parse(res.body) as { assignee?: { userid?: string } | null };
            if (body.assignee?.userid !== user) wrongWinner++;
          } else {
            let code = '';
            try {
              code = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code ?? '';
            } catch {
              /* not JSON */
            }
            failures[`${res.status} ${code}`.trim()] = (failures[`${res.status} ${code}`.trim()] ?? 0) + 1;
          }
        }
      }),
    );
    const ms = performance.now() - t0;
    const cpu = cpuDelta(cpu0, cpuSnapshot(pids));
    series.durationSec = ms / 1000;
    const latency = series.figures();
    log(
      `[orders] claims: ${fmtInt(o.claims)} in ${seconds(ms)} = ${fmtInt((o.claims / ms) * 1000)} claims/s; ${latText(latency)}; ${cpuText({ ...latency, cpu })}`,
    );

    const q = async <T>(s: string) => (await conn!.query(s))[0] as T[];
    const rows = await q<{ order_sn: string; id: number; assignee: string | null; pool: number }>('SELECT id, order_sn, assignee, pool FROM orders');
    const timeline = new Map(
      (await q<{ order_id: number; n: string | number }>(`SELECT order_id, COUNT(*) AS n FROM order_timeline WHERE kind = 'claimed' GROUP BY order_id`)).map(
        (r) => [Number(r.order_id), Number(r.n)],
      ),
    );
    const outbox = new Map(
      (
        await q<{ sn: string; n: string | number }>(
          `SELECT JSON_VALUE(payload, '$.order_id') AS sn, COUNT(*) AS n FROM outbox_events WHERE type = 'order.claimed' GROUP BY sn`,
        )
      ).map((r) => [r.sn, Number(r.n)]),
    );
    const [fanned] = await q<{ n: string | number }>(`SELECT COUNT(*) AS n FROM outbox_events WHERE type = 'order.claimed' AND fanned_out_at IS NOT NULL`);
    const db: ClaimFigures['db'] = {
      claimed: rows.filter((r) => r.assignee !== null && Number(r.pool) === 0).length,
      stillInPool: rows.filter((r) => Number(r.pool) === 1).length,
      assigneeMismatch: rows.filter((r) => r.assignee !== (winner.get(r.order_sn) ?? null)).length,
      timelineClaimed: [...timeline.values()].reduce((a, b) => a + b, 0),
      ordersWithoutOneTimelineEntry: rows.filter((r) => timeline.get(Number(r.id)) !== 1).length,
      outboxClaimed: [...outbox.values()].reduce((a, b) => a + b, 0),
      ordersWithoutOneOutboxEvent: rows.filter((r) => outbox.get(r.order_sn) !== 1).length,
      outboxFannedOut: Number(fanned?.n ?? 0),
    };
    log(
      `[orders] claims: ${fmtInt(db.claimed)} claimed, ${db.stillInPool} still in the pool, ${db.assigneeMismatch} assignee ≠ the 200's claimer; timeline 'claimed' ${fmtInt(db.timelineClaimed)} (${db.ordersWithoutOneTimelineEntry} orders without exactly one); outbox order.claimed ${fmtInt(db.outboxClaimed)} (${db.ordersWithoutOneOutboxEvent} orders without exactly one)`,
    );

    // How fast the event dispatcher fans the order.claimed events out once the claims stop (bounded wait).
    const unfanned = async () =>
      Number((await q<{ n: string | number }>(`SELECT COUNT(*) AS n FROM outbox_events WHERE type = 'order.claimed' AND fanned_out_at IS NULL`))[0]?.n ?? 0);
    const fanStart = await unfanned();
    const fanT0 = Date.now();
    let fanLeft = fanStart;
    while (fanLeft > 0 && Date.now() - fanT0 < DISPATCH_WAIT_MS) {
      await sleep(250);
      fanLeft = await unfanned();
    }
    const dispatch = {
      unfannedAtEnd: fanStart,
      leftAfterWait: fanLeft,
      waitedMs: Date.now() - fanT0,
      perS: ((fanStart - fanLeft) / Math.max(1, Date.now() - fanT0)) * 1000,
    };
    log(
      `[orders] claims: ${fmtInt(fanStart)} order.claimed events not yet fanned out when the checks ran; the dispatcher then fanned out ${fmtInt(dispatch.perS)}/s (${fmtInt(fanLeft)} left after ${seconds(dispatch.waitedMs)})`,
    );

    // Diagnostic, after the checks: the statements of one more claim (a new order), from MariaDB's general log, with the
    // event dispatcher paused so that its fan-out of the backlog is not mistaken for the claim's work.
    const probeCreated = Math.floor(now / 1000) * 1000;
    const probeSn = orderSn(probeCreated, 'P', 0);
    await conn.query(`INSERT INTO orders (${ORDER_COLUMNS.join(', ')}) VALUES ?`, [
      [
        [
          probeSn,
          shopId,
          'READY_TO_SHIP',
          1,
          'SGD',
          '25.80',
          'buyer_probe',
          1,
          null,
          null,
          null,
          null,
          null,
          probeCreated + 3 * DAY,
          probeCreated,
          probeCreated,
          null,
          null,
          1,
          probeCreated,
        ],
      ],
    ]);
    await target.ask({ type: 'dispatcher', on: false });
    await target.worker(false);
    let probeStatus = 0;
    const statements = await generalLog(conn, async () => {
      probeStatus = (
        await request(
          agent,
          base,
          'POST',
          `/api/orders/${probeSn}/claim`,
          {
            cookie: cookies[0]!,
            origin,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          '{}',
        )
      ).status;
    });
    await target.worker(true);
    await target.ask({ type: 'dispatcher', on: true });
    const verbs: Record<string, number> = {};
    let background = 0;
    for (const st of statements) {
      const verb = /^\s*(\w+)/.exec(st.sql)?.[1]?.toUpperCase() ?? '?';
      const table = /\b(?:FROM|INTO|UPDATE)\s+`?(\w+)`?/i.exec(st.sql)?.[1];
      // The pollers' tables (delivery worker, scheduler, leases, inbox): not the claim's work.
      if (table && BACKGROUND_TABLES.has(table)) {
        background++;
        continue;
      }
      const k = table && verb !== 'START' && verb !== 'COMMIT' ? `${verb} ${table}` : verb;
      verbs[k] = (verbs[k] ?? 0) + 1;
    }
    const probe = {
      status: probeStatus,
      statements: statements.length - background,
      background,
      connections: new Set(statements.map((x) => x.thread)).size,
      byKind: verbs,
    };
    log(
      `[orders] claims: one claim (diagnostic) ran ${probe.statements} statements (+ ${background} of background pollers) on ${probe.connections} connections: ${JSON.stringify(verbs)}`,
    );
    return { orders: o.claims, clients: o.clients, users, ms, perS: (o.claims / ms) * 1000, latency, failures, wrongWinner, db, cpu, probe, dispatch };
  } finally {
    agent.destroy();
    await conn?.end().catch(() => undefined);
    await target.stop();
  }
}

// ───────────────────────────── report ─────────────────────────────

export async function runOrdersBench(opts: OrdersBenchOptions = {}): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const o: Required<Omit<OrdersBenchOptions, 'log' | 'only'>> = {
    durationSec: opts.durationSec ?? 8,
    sliceSec: opts.sliceSec ?? 2,
    warmupSec: opts.warmupSec ?? 2,
    connections: opts.connections ?? 50,
    diagnose: opts.diagnose ?? true,
    orders: opts.orders ?? 1_000_000,
    rounds: opts.rounds ?? 1000,
    claims: opts.claims ?? 10_000,
    clients: opts.clients ?? 50,
  };
  const only = new Set(opts.only ?? ORDERS_PARTS);
  const report = newReport('orders', `Orders on MariaDB (Shopee push ingest, inbox views over ${fmtInt(o.orders)} orders, claims)`);
  const raw: { push?: PushFigures; list?: ListFigures; claims?: ClaimFigures } = {};
  report.raw = raw;
  const maria = await startMariaDb();
  const started = Date.now();
  try {
    if (only.has('push')) {
      log('[orders] 1/3 push ingest');
      const r = (raw.push = await measurePush(maria.url, o, log));
      const all = [r.bare, r.ours, r.oursWorkerPaused].filter((f): f is SeriesFigures => !!f);
      const non2xx = all.reduce((n, f) => n + f.non2xx, 0);
      const i = r.inbox;
      report.rows.push(
        { metric: 'push: bare handler (HMAC check only), sustained', goal: '—', measured: `${fmtInt(r.bare.perS)}/s; ${latText(r.bare)}`, pass: null },
        {
          metric: 'push: ours (POST /shopee/push → callback_inbox, inbox worker running), sustained',
          goal: `≥ ${fmtInt(PUSH_GOAL_PER_S)}/s`,
          measured: `${fmtInt(r.ours.perS)}/s; ${latText(r.ours)}`,
          pass: r.ours.perS >= PUSH_GOAL_PER_S,
        },
        { metric: 'push: ours / bare', goal: `≥ ${PUSH_GOAL_RATIO * 100} %`, measured: pctText(r.ratio), pass: r.ratio >= PUSH_GOAL_RATIO },
        {
          metric: 'push: acknowledged (204) but missing from callback_inbox',
          goal: '0',
          measured: `${i.missingAcknowledged} (${fmtInt(i.acked)} msg_ids answered 204 of ${fmtInt(i.sent)} sent; ${i.storedNotAcknowledged} stored but never answered: in flight when autocannon stopped a run)${i.wrappedPool ? `; INVALID: ${fmtInt(i.wrappedPool)} requests reused a push (pool exhausted)` : ''}`,
          pass: i.missingAcknowledged === 0 && i.wrappedPool === 0,
        },
        {
          metric: 'push: duplicates (one row per msg_id, repeats included; no row that was not sent)',
          goal: '0',
          measured: `${i.rows - i.distinctKeys} duplicate rows, ${i.unknownRows} unknown rows; ${fmtInt(i.repeatsSent)} repeats of a recent msg_id sent (${fmtInt(i.repeatsAcked)} answered 204), all stored once`,
          pass: i.rows === i.distinctKeys && i.unknownRows === 0,
        },
        {
          metric: 'push: non-2xx responses / connection errors / timeouts (all runs)',
          goal: '0',
          measured: `${non2xx} / ${all.reduce((n, f) => n + f.errors, 0)} / ${all.reduce((n, f) => n + f.timeouts, 0)}`,
          pass: non2xx === 0,
        },
      );
      if (r.oursWorkerPaused)
        report.rows.push({
          metric: 'push diagnostic: ours with the inbox worker paused, sustained',
          goal: '(info)',
          measured: `${fmtInt(r.oursWorkerPaused.perS)}/s = ${pctText(r.oursWorkerPaused.perS / r.bare.perS)} of bare (with the worker running ours did ${pctText(r.ours.perS / r.oursWorkerPaused.perS)} of this); ${latText(r.oursWorkerPaused)}`,
          pass: null,
        });
      if (r.claimQuery)
        report.rows.push({
          metric: "push diagnostic: the inbox worker's claim query (stream heads) against the backlog the load left",
          goal: '(info)',
          measured: `${fmtMs(r.claimQuery.medianMs)} per claim of ≤ 150 heads, with ${fmtInt(r.claimQuery.pending)} pending rows in ${fmtInt(r.claimQuery.streams)} streams`,
          pass: null,
        });
      report.notes.push(
        `Push ingest setup: autocannon ${autocannonVersion} (programmatic) in the bench process, ${o.connections} connections, pipelining 1; both servers in a forked child (this file with --target): ours is startStack({ db: 'mysql', shopee: true }) (demo corp synced, Shopee simulator with one linked shop and no order stream, background work running), bare is a Koa app in the same child doing only readRawBody (256 KiB cap, as the route) + verifyPushSignature (the server's own HMAC check over \`\${url}/shopee/push|\${body}\`) → empty 204. Ours adds the app middleware (request id, error handler, security headers, session cookie check, router), JSON.parse, pushInboxRow and the durable insert into callback_inbox (unique dedupe key; mysql2 pool of 10). Saturation: ${r.bare.durationSec.toFixed(1)} s per series in slices of ${o.sliceSec} s alternating bare (inbox worker paused), ours (worker running, as in production)${r.oursWorkerPaused ? ', ours with the worker paused' : ''}, after a ${o.warmupSec} s warm-up each; pushes/s = responses / time, latency percentiles exact over every response (${fmtInt(r.bare.count)} bare, ${fmtInt(r.ours.count)} ours).`,
        `Pushes: code 3 (order_status) bodies as the simulator builds them (${r.pool.bodyBytes} bytes: msg_id of 32 hex, data {items, ordersn, status, completed_scenario, update_time}, shop_id, code, timestamp), 3 per order_sn, each with its own msg_id, signed up front with the partner key (SHOPEE_PUSH_KEY unset → SHOPEE_PARTNER_KEY) over ours' PUBLIC_URL (${fmtInt(r.pool.pushes)} made in ${fmtInt(r.pool.generateMs)} ms, bare's cycled). Every ${REPEAT_EVERY}th request to ours resends the identical body of one of the last ${REPEAT_WINDOW} pushes (a Shopee retry; some arrive while the first is still being stored). The check reads every dedupe_key of source 'shopee' back: each msg_id answered 204 must have its \`shopee:<msg_id>\` row, there must be one row per key (${fmtInt(i.rows)} rows, ${fmtInt(i.distinctKeys)} distinct; ${i.rowsBefore} from before the load) and no row for a msg_id never sent.`,
        `The pushes name shop ${UNLINKED_SHOP_ID}, which the server has not linked: the inbox worker (running) marks them ignored (order-push.handlers.ts: shop_not_linked → 'ignored') without calling Shopee, so applying a push (get_order_detail + upsert of the order) is not part of this figure; it is the cost of acknowledging durably, plus an idle worker's bookkeeping. Under load the worker steps aside on purpose (inbox-worker.ts). Inbox at the end: ${Object.entries(
          i.byStatus,
        )
          .map(([k, v]) => `${k} ${fmtInt(v)}`)
          .join(', ')}; after the load it settled ${fmtInt(i.drainPerSec)} pushes/s (${i.drainSec} s idle).${
          r.claimQuery
            ? ` Each push names its own order, and an order is an inbox stream (order:<shop>:<ordersn>), so the backlog has ${fmtInt(r.claimQuery.streams)} streams for ${fmtInt(r.claimQuery.pending)} pending rows; the worker's claim query (captured from the general log while it drained) groups every pending row by stream to find the heads, and took ${fmtMs(r.claimQuery.medianMs)} here (median of 5 runs from this process): the query reads the index entry of every pending row whatever the batch size (EXPLAIN below), so each claim costs more the larger the backlog, which bounds how fast the worker drains a large backlog of pushes when every push is its own stream. EXPLAIN: ${planText(r.claimQuery.explain)}. Statement: \`${r.claimQuery.sql}\`.`
            : ''
        }`,
        `Push CPU (machine ${Math.round(r.machineBusyBefore * 100)} % busy before the runs): ${all.map((f) => `${f.label}: ${cpuText(f)}`).join('. ')}. More latency: bare p99 ${fmtMs(r.bare.p99)}, max ${fmtMs(r.bare.max)}; ours p99 ${fmtMs(r.ours.p99)}, max ${fmtMs(r.ours.max)}.`,
      );
    }

    if (only.has('list')) {
      log(`[orders] 2/3 inbox list over ${fmtInt(o.orders)} orders`);
      const r = (raw.list = await measureList(maria.url, o, log));
      const s = r.spread;
      const viewRow = (k: string, info: boolean) => {
        const h = r.http[k]!;
        const q = r.sql[k]!;
        return {
          metric: `list: ${h.label} over HTTP, p95${info ? " (?shop= filter, not one of the issue's views)" : ''}`,
          goal: info ? `(info; ≤ ${LIST_GOAL_P95_MS} ms)` : `≤ ${LIST_GOAL_P95_MS} ms`,
          measured: `${fmtMs(h.p95)} (p50 ${fmtMs(h.p50)}, p99 ${fmtMs(h.p99)}; its SQL alone p95 ${fmtMs(q.p95)}${h.non2xx ? `; ${h.non2xx} non-200` : ''})`,
          pass: info ? null : h.p95 <= LIST_GOAL_P95_MS && h.non2xx === 0,
        };
      };
      const pk = r.sql['pk']!;
      const detail = r.http['detail']!;
      const viewPlans = r.plans.filter((p) => !p.info);
      const planSummary = (ps: ListFigures['plans']) =>
        ps.map((p) => `${p.label}: ${p.explain.map((e) => `${e.type} on ${e.key ?? 'NULL'}${e.Extra ? ` (${e.Extra})` : ''}`).join(', ')}`).join('; ');
      const badPlan = (p: ListFigures['plans'][number]) =>
        p.explain.some(
          (row) =>
            /filesort|temporary/i.test(row.Extra ?? '') || row.type === 'ALL' || row.type === 'index' || !/^idx_orders_(pool|assignee)$/.test(row.key ?? ''),
        );
      const shopPlans = r.plans.filter((p) => p.key === 'unclaimed-shop');
      const rowsRead = (p: ListFigures['plans'][number]) => p.analyze.map((a) => Number(a.r_rows ?? 0)).reduce((x, y) => x + y, 0);
      const deep = (k: string) => (r.deepOffsets[k] ?? []).map(fmtInt).join(', ');
      report.rows.push(
        ...['unclaimed:first', 'unclaimed:deep', 'mine:first', 'mine:deep'].map((k) => viewRow(k, false)),
        {
          metric: 'list: primary-key lookup (SELECT * FROM orders WHERE id = ?), same run, p95',
          goal: '(baseline)',
          measured: `${fmtMs(pk.p95)} (p50 ${fmtMs(pk.p50)})`,
          pass: null,
        },
        {
          metric: 'list: GET /api/orders/:sn (one order by its unique key over HTTP), same run, p95',
          goal: '(baseline)',
          measured: `${fmtMs(detail.p95)} (p50 ${fmtMs(detail.p50)})${detail.non2xx ? `; ${detail.non2xx} non-200` : ''}`,
          pass: null,
        },
        {
          metric: 'list: each view read through its index (idx_orders_pool / idx_orders_assignee), no filesort, no scan',
          goal: 'yes',
          measured: planSummary(viewPlans),
          pass: !viewPlans.some(badPlan),
        },
        viewRow('unclaimed-shop:first', true),
        viewRow('unclaimed-shop:deep', true),
        {
          metric: 'list: plan of the unclaimed view filtered to one shop',
          goal: '(info)',
          measured: `${planSummary(shopPlans)}; rows read (ANALYZE r_rows) ${shopPlans.map((p) => fmtInt(rowsRead(p))).join(' / ')} for ${PAGE + 1} returned`,
          pass: null,
        },
      );
      report.notes.push(
        `Inbox list setup: ${fmtInt(s.orders)} rows bulk-inserted into \`orders\` of a migrated database (multi-row INSERTs of ${fmtInt(INSERT_BATCH)}, ${seconds(s.insertMs)}; then ANALYZE TABLE orders, ${fmtMs(s.analyzeMs)}; data ${fmtInt(s.dataMb)} MB + indexes ${fmtInt(s.indexMb)} MB against a ${fmtInt(r.bufferPoolMb)} MB InnoDB buffer pool, startMariaDb's setting, so pages the buffer pool misses come from the OS page cache, not from disk). Spread: created_at evenly over the last 90 days in id order; 5 shops (the linked one ${pctText((s.shops[Object.keys(s.shops)[0]!] ?? 0) / s.orders)}, four others ~15 % each); ${fmtInt(s.pool)} in the pool (${pctText(s.pool / s.orders)}; READY_TO_SHIP or RETRY_SHIP, nobody holding them, spread uniformly over the 90 days, so unclaimed pages are not just the newest rows); ${fmtInt(s.assigned)} held by one of ${MEMBERS} members (status by age: READY_TO_SHIP/PROCESSED, SHIPPED, COMPLETED), ${fmtInt(s.unassigned)} CANCELLED and held by nobody. The signed-in cs agent (${DEMO_USERS.csAgent}, role cs_agent bound without a shop scope, so list() adds no shop_id IN (…)) is one of the ${MEMBERS}: ${fmtInt(s.mine)} orders in 我的.`,
        `Measured: ${fmtInt(r.rounds)} rounds after ${WARMUP_ROUNDS} warm-up rounds, one request at a time (no concurrent load: this is the latency of the query path, not of a busy server), the order rotated round by round; each round: each view's first page and one of ${DEEP_PAGES} deep keyset pages over HTTP (GET /api/orders?view=…&limit=${PAGE}[&cursor=…] as the H5 asks, keep-alive, cookie session; latency to the last byte of the body), the same statements as SQL from this process (mysql2, text protocol, one connection), a primary-key lookup of a random id and GET /api/orders/:sn of a random order (uq_orders_order_sn + its items + timeline + names). Deep pages start after the row at ${deep('unclaimed')} of the unclaimed view, ${deep('mine')} of 我的 and ${deep('unclaimed-shop')} of the unclaimed view of shop ${r.oneShop.shopId} (${fmtInt(r.oneShop.pool)} in its pool): the cursor the server would have handed out there. The SQL is the statement the server itself ran for each page, captured from MariaDB's general log while the page was requested; each HTTP page was checked against it (the same orders in the same order). HTTP adds the session check, list()'s member-name and shop lookups and the JSON.`,
        `EXPLAIN's "rows" for a ref/range access is the optimizer's estimate of the rows matching the key prefix, not what is read: with ORDER BY created_at DESC, id DESC LIMIT 21 satisfied by the index order (no "Using filesort"), MariaDB reads the index backwards and stops after 21 rows, which ANALYZE's r_rows shows. "Using where" is the keyset condition (and the shop filter) checked on the rows read.`,
        ...r.plans.map(
          (p) =>
            `EXPLAIN ${p.label}: ${planText(p.explain)}. ANALYZE: ${p.analyze.map((a) => `r_rows ${a.r_rows ?? 'NULL'}, r_filtered ${a.r_filtered ?? 'NULL'}`).join('; ')}. Statement: \`${p.sql.replace(/`/g, '').replace(/^SELECT .*? FROM/, 'SELECT … FROM')}\``,
        ),
        `Other percentiles (HTTP): ${Object.values(r.http)
          .map((f) => `${f.label} p50 ${fmtMs(f.p50)} / p95 ${fmtMs(f.p95)} / p99 ${fmtMs(f.p99)} / max ${fmtMs(f.max)}`)
          .join('; ')}. SQL alone: ${Object.values(r.sql)
          .map((f) => `${f.label} p50 ${fmtMs(f.p50)} / p95 ${fmtMs(f.p95)} / max ${fmtMs(f.max)}`)
          .join(
            '; ',
          )}. CPU over the ${fmtInt(r.rounds)} measured rounds (${seconds(r.wallMs)}, ${Object.keys(r.http).length + Object.keys(r.sql).length} operations each): server ${((r.cpu.procsMs['server'] ?? 0) / r.rounds).toFixed(1)} ms, mariadbd ${((r.cpu.procsMs['mariadb'] ?? 0) / r.rounds).toFixed(1)} ms, this process ${(r.cpu.selfMs / r.rounds).toFixed(1)} ms per round; all CPUs ${Math.round(r.cpu.machineBusy * 100)} % busy.`,
      );
    }

    if (only.has('claims')) {
      log(`[orders] 3/3 claims: ${fmtInt(o.claims)} orders, ${o.clients} clients`);
      const r = (raw.claims = await measureClaims(maria.url, o, log));
      const d = r.db;
      const fails = Object.entries(r.failures);
      const serverMsPerClaim = (r.cpu.procsMs['server'] ?? 0) / r.orders;
      const serverCore = (serverMsPerClaim * r.perS) / 1000;
      const exact =
        d.claimed === r.orders &&
        d.stillInPool === 0 &&
        d.assigneeMismatch === 0 &&
        r.wrongWinner === 0 &&
        !fails.length &&
        d.timelineClaimed === r.orders &&
        d.ordersWithoutOneTimelineEntry === 0 &&
        d.outboxClaimed === r.orders &&
        d.ordersWithoutOneOutboxEvent === 0;
      report.rows.push(
        {
          metric: `claims: ${r.clients} concurrent clients over HTTP, claims per second`,
          goal: '—',
          measured: `${fmtInt(r.perS)}/s (${fmtInt(r.orders)} in ${seconds(r.ms)})`,
          pass: null,
        },
        {
          metric: 'claims: latency of POST /api/orders/:sn/claim',
          goal: '—',
          measured: `p50 ${fmtMs(r.latency.p50)}, p99 ${fmtMs(r.latency.p99)} (max ${fmtMs(r.latency.max)})`,
          pass: null,
        },
        {
          metric: `claims: exactly ${fmtInt(r.orders)} claimed, each once (row, response, timeline, outbox)`,
          goal: 'yes',
          measured: `${fmtInt(d.claimed)} claimed, ${d.stillInPool} left in the pool, ${fails.length ? fails.map(([k, v]) => `${v} × ${k}`).join(', ') : 'every claim 200'}, ${d.assigneeMismatch + r.wrongWinner} assignee mismatches; timeline 'claimed' ${fmtInt(d.timelineClaimed)} (${d.ordersWithoutOneTimelineEntry} orders without exactly one); outbox order.claimed ${fmtInt(d.outboxClaimed)} (${d.ordersWithoutOneOutboxEvent} orders without exactly one)`,
          pass: exact,
        },
      );
      report.notes.push(
        `Claims setup: a fresh database with ${fmtInt(r.orders)} READY_TO_SHIP orders of the linked shop in the pool (pool = 1, nobody holding them), inserted directly; ${r.clients} clients in this process, each its own signed-in session (${r.users.join(', ')} in turn: cs_agent, all shops) and its own keep-alive connection, each taking the next unclaimed order from a shared counter and POSTing /api/orders/:sn/claim (Origin and JSON type as the H5 sends them) until none is left: no two clients ever claim the same order, so this is throughput, not contention (test/api/orders.test.ts covers 200 claims on one order). A claim is readable() + the compare-and-set UPDATE … WHERE assignee IS NULL AND status IN (…) + the claimer's name + the 'claimed' timeline row + the order.claimed outbox event in one transaction, then the order's detail (items, timeline, names, shops) as the answer; the server's mysql2 pool has 10 connections. The event dispatcher runs meanwhile (order.claimed: settle-cards and route, no rule matches); ${fmtInt(d.outboxFannedOut)} of the ${fmtInt(d.outboxClaimed)} events were fanned out by the time the checks ran, and afterwards it fanned out ${fmtInt(r.dispatch.perS)} events/s (${fmtInt(r.dispatch.leftAfterWait)} still waiting after ${seconds(r.dispatch.waitedMs)}): under a burst of claims like this one the dispatcher falls behind and catches up afterwards, so what order.claimed triggers (open 新订单 cards settled, notifications routed) follows late; the claim itself does not wait for it.`,
        `Checked after the run: every answer 200 naming the claimer as assignee; every row claimed (assignee = the client whose claim got the 200, pool = 0); per order exactly one order_timeline row of kind 'claimed' and exactly one outbox_events row of type order.claimed (payload order_id). CPU: ${cpuText({ ...r.latency, cpu: r.cpu })}; ${serverCore >= 0.85 ? `the server's ${serverMsPerClaim.toFixed(2)} ms of CPU per claim × ${fmtInt(r.perS)} claims/s is ${pctText(serverCore)} of one core: the server process (one Node event loop) is saturated and sets the rate, not MariaDB, and the latency is mostly the wait of ${r.clients} clients for it` : `the server process used ${pctText(serverCore)} of one core (${serverMsPerClaim.toFixed(2)} ms of CPU per claim)`}.`,
        `What one claim costs the database (diagnostic, after the checks: one more order claimed over HTTP with MariaDB's general log on, the event dispatcher and the inbox worker paused meanwhile; statements of every connection but the bench's own in that window, less ${r.probe.background} on the pollers' tables ${[...BACKGROUND_TABLES].join('/')}): answered ${r.probe.status}, ${r.probe.statements} statements on ${r.probe.connections} connections (six of them, sessions/role_bindings/member_departments/departments/tag_members/tag_departments, are the session and role lookup every API request makes): ${Object.entries(
          r.probe.byKind,
        )
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} × ${v}`)
          .join(', ')}.`,
      );
    }
    report.notes.push(
      `MariaDB: one throwaway mariadbd for the whole benchmark (startMariaDb: 32 MB buffer pool, innodb_flush_log_at_trx_commit=2), a fresh database per part, on the same ${report.machine.nproc} CPUs as the servers and the load generator. Whole benchmark ${seconds(Date.now() - started)}; flags: --duration S (push series), --orders N, --rounds R, --claims N, --clients C, --only push,list,claims.`,
    );
  } catch (err) {
    report.error = String((err as Error).stack ?? err);
  } finally {
    await maria.stop();
  }
  return report;
}

const flag = (name: string): number | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};

if (process.argv.includes('--target')) {
  if (!process.send) {
    console.error('orders.ts --target is forked by the orders benchmark; run it without --target.');
    process.exit(2);
  }
  targetMain().catch((err) => {
    console.error('[orders-target] failed to start:', err);
    process.exit(1);
  });
} else if (require.main === module) {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? ((process.argv[onlyAt + 1] ?? '').split(',').filter((p) => ORDERS_PARTS.includes(p as OrdersPart)) as OrdersPart[]) : undefined;
  runStandalone(() =>
    runOrdersBench({
      only,
      durationSec: flag('--duration'),
      orders: flag('--orders'),
      rounds: flag('--rounds'),
      claims: flag('--claims'),
      clients: flag('--clients'),
      diagnose: !process.argv.includes('--no-diagnose'),
    }),
  );
}
