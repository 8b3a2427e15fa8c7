/**
 * Callback ingress throughput and latency (issue #2).
 *
 * On a throwaway MariaDB (startMariaDb + a fresh database) it forks ingress-target.ts, which runs the
 * real server (startStack: demo corp synced, inbox worker RUNNING and applying what is stored) and a
 * bare Koa handler doing only body → Encrypt → signature → decrypt → empty 200 with the server's own
 * crypto. This process is the load generator (autocannon, programmatic API), so the generator and
 * the servers never share an event loop; they do share the machine's CPUs with MariaDB.
 *
 * Each request is a distinct, validly signed and encrypted change_contact/update_user envelope for a
 * demo-corp member with its own CreateTime, made up front with the simulator's independent
 * WXBizMsgCrypt (demo token, EncodingAESKey and CorpID), so every one is a new inbox dedupe key
 * (cc:CreateTime:ChangeType:UserID:hash, dedupe-key.ts).
 *
 *   1. bare, then ours: saturation, ~50 connections, pipelining 1, ~10 s each (after a 2 s warm-up);
 *      req/s, p50/p99, ratio ours/bare (goal ≥ 50 %).
 *   2. ours at a fixed 500 req/s (overallRate) for ~10 s: p99 (goal < 50 ms).
 *   3. Nothing acknowledged was lost: every envelope answered 200 has its dedupe key in callback_inbox,
 *      and the row count is compared with the number of 200s. Non-2xx must be 0.
 *
 * Standalone: npx tsx --tsconfig tsconfig.json test/bench/callback-ingress.ts [--write] [--duration 10]
 * (--write updates this benchmark's section of test/bench/RESULTS.md.)
 */
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { dedupeKey } from '../../server/src/wecom/callbacks/dedupe-key';
import { parseCallbackXml } from '../../server/src/wecom/crypto/callback-xml';
import { callbackEnvelope, changeContactXml, demoCorp, DEMO_CREDENTIALS, encryptMessage, msgSignature, randomNonce, type Member } from '../../scripts/wecom-sim';
import { memberEventFields } from '../../scripts/wecom-sim/callbacks';
import { startMariaDb, type MariaDbHandle } from '../support/mariadb';
import type { TargetReady } from './ingress-target';
import { fmtInt, fmtMs, newReport, writeResults, type BenchReport } from './lib/report';

export interface CallbackIngressOptions {
  /** Saturation runs. Default 50. */
  connections?: number;
  /** Seconds per saturation run. Default 10. */
  durationSec?: number;
  /** Seconds of warm-up before each saturation run (not reported). Default 2. */
  warmupSec?: number;
  /** Fixed-rate run. Default 500 req/s for 10 s. */
  fixedRate?: number;
  fixedDurationSec?: number;
  /** Distinct envelopes for "ours" (warm-up + saturation + fixed-rate must fit). Default 60,000. */
  poolSize?: number;
  /** A running MariaDB (`mysql://user:pw@host:port/`); default: start a throwaway one. */
  mariadbUrl?: string;
  log?: (line: string) => void;
}

export interface RunFigures {
  label: string;
  reqPerSec: number;
  total: number;
  durationSec: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

export interface CallbackIngressResult {
  bare: RunFigures;
  ours: RunFigures;
  ratio: number;
  fixed: RunFigures & { targetRate: number };
  inbox: {
    rows: number;
    ok200: number;
    sent: number;
    missingAcknowledged: number;
    storedNotAcknowledged: number;
    wrappedPool: number;
    byStatus: Record<string, number>;
    pendingBeforeFixed: number;
  };
  envelopes: { pool: number; generateMs: number; bodyBytes: number };
}

/** Pre-generated envelopes: request path (with the signed query) and XML body. */
interface EnvelopePool {
  paths: string[];
  bodies: string[];
  /** The plaintext of envelope i (deterministic from i, so it need not be kept in memory). */
  plaintext(i: number): string;
}

function makePool(size: number, seed: number): EnvelopePool {
  const { corpId, agentId, callbackToken, callbackAesKey } = DEMO_CREDENTIALS;
  const members: Member[] = [...demoCorp().members.values()];
  const firstCreateTime = Math.floor(Date.now() / 1000) - size - seed * 1_000_000;
  const plaintext = (i: number): string => {
    const m = members[i % members.length]!;
    return changeContactXml(corpId, firstCreateTime + i, 'update_user', memberEventFields(m, false));
  };
  const paths = new Array<string>(size);
  const bodies = new Array<string>(size);
  const timestamp = String(Math.floor(Date.now() / 1000));
  for (let i = 0; i < size; i++) {
    const encrypt = encryptMessage(callbackAesKey, plaintext(i), corpId);
    const nonce = randomNonce();
    paths[i] = `/wecom/callback?msg_signature=${msgSignature(callbackToken, timestamp, nonce, encrypt)}&timestamp=${timestamp}&nonce=${nonce}`;
    bodies[i] = callbackEnvelope(corpId, agentId, encrypt);
  }
  return { paths, bodies, plaintext };
}

/** Hands out envelopes in order across all connections and records which ones were answered 200. */
class Feeder {
  next = 0;
  ok = new Uint8Array(0);
  wrapped = 0;
  constructor(readonly pool: EnvelopePool) {
    this.ok = new Uint8Array(pool.paths.length);
  }

  request(): autocannon.Request {
    return {
      setupRequest: (req, context) => {
        const n = this.next++;
        if (n >= this.pool.paths.length) this.wrapped++;
        const i = n % this.pool.paths.length;
        (context as { i?: number }).i = i;
        return { ...req, path: this.pool.paths[i]!, body: this.pool.bodies[i]! };
      },
      onResponse: (status, _body, context) => {
        const i = (context as { i?: number }).i;
        if (status === 200 && i !== undefined) this.ok[i] = 1;
      },
    };
  }
}

function figures(label: string, r: autocannon.Result): RunFigures {
  const statusCodes: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = v?.count ?? 0;
  return {
    label,
    reqPerSec: r.requests.average,
    total: r.requests.total,
    durationSec: r.duration,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    p999: r.latency.p99_9,
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
  };
}

async function cannon(url: string, feeder: Feeder, opts: { connections: number; duration: number; overallRate?: number; title: string }): Promise<autocannon.Result> {
  return autocannon({
    title: opts.title,
    url: `${url}/wecom/callback`,
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    connections: opts.connections,
    pipelining: 1,
    duration: opts.duration,
    overallRate: opts.overallRate,
    timeout: 10,
    requests: [feeder.request()],
  });
}

function startTarget(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; ready: TargetReady }> {
  // BENCH_CPU_PROF=dir: V8 CPU profile of the servers (for finding where the time goes).
  const execArgv = process.env.BENCH_CPU_PROF ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : process.execArgv;
  const child = fork(join(__dirname, 'ingress-target.ts'), [], { env, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ingress target did not start within 120 s')), 120_000);
    child.once('message', (m: TargetReady) => {
      clearTimeout(timer);
      if (m?.type === 'ready') resolve({ child, ready: m });
      else reject(new Error(`unexpected message from ingress target: ${JSON.stringify(m)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ingress target exited (${code}) before it was ready`));
    });
  });
}

async function stopTarget(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send({ type: 'close' });
  });
}

async function countByStatus(conn: mysql.Connection): Promise<Record<string, number>> {
  const [rows] = await conn.query('SELECT status, COUNT(*) AS n FROM callback_inbox GROUP BY status');
  return Object.fromEntries((rows as Array<{ status: string; n: number | string }>).map((r) => [r.status, Number(r.n)]));
}

export async function measureCallbackIngress(opts: CallbackIngressOptions = {}): Promise<CallbackIngressResult> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const connections = opts.connections ?? 50;
  const duration = opts.durationSec ?? 10;
  const warmup = opts.warmupSec ?? 2;
  const fixedRate = opts.fixedRate ?? 500;
  const fixedDuration = opts.fixedDurationSec ?? 10;

  const t0 = Date.now();
  const oursPool = makePool(opts.poolSize ?? 60_000, 1);
  const barePool = makePool(10_000, 2);
  const generateMs = Date.now() - t0;
  log(`[callback-ingress] ${fmtInt(oursPool.paths.length + barePool.paths.length)} envelopes generated in ${generateMs} ms`);

  let maria: MariaDbHandle | null = null;
  let child: ChildProcess | null = null;
  let conn: mysql.Connection | null = null;
  try {
    let mariadbUrl = opts.mariadbUrl;
    if (!mariadbUrl) {
      maria = await startMariaDb();
      mariadbUrl = maria.url;
    }
    const target = await startTarget({ ...process.env, TEST_MYSQL_URL: mariadbUrl, TEST_LOG_LEVEL: 'silent' });
    child = target.child;
    const { ours: oursUrl, bare: bareUrl, databaseUrl } = target.ready;
    log(`[callback-ingress] ours ${oursUrl} (MariaDB ${new URL(databaseUrl).pathname.slice(1)}), bare ${bareUrl}`);
    conn = await mysql.createConnection(databaseUrl);

    const bareFeeder = new Feeder(barePool);
    const oursFeeder = new Feeder(oursPool);

    log(`[callback-ingress] bare: warm-up ${warmup} s, then ${duration} s × ${connections} connections`);
    if (warmup > 0) await cannon(bareUrl, bareFeeder, { connections, duration: warmup, title: 'bare warm-up' });
    const bare = figures('bare', await cannon(bareUrl, bareFeeder, { connections, duration, title: 'bare' }));
    log(`[callback-ingress]   bare ${fmtInt(bare.reqPerSec)} req/s, p50 ${bare.p50} ms, p99 ${bare.p99} ms`);

    log(`[callback-ingress] ours: warm-up ${warmup} s, then ${duration} s × ${connections} connections`);
    const warm = warmup > 0 ? await cannon(oursUrl, oursFeeder, { connections, duration: warmup, title: 'ours warm-up' }) : null;
    const ours = figures('ours', await cannon(oursUrl, oursFeeder, { connections, duration, title: 'ours' }));
    log(`[callback-ingress]   ours ${fmtInt(ours.reqPerSec)} req/s, p50 ${ours.p50} ms, p99 ${ours.p99} ms`);

    const pendingBeforeFixed = (await countByStatus(conn)).pending ?? 0;
    log(`[callback-ingress] ours at ${fixedRate} req/s for ${fixedDuration} s (inbox backlog now ${fmtInt(pendingBeforeFixed)} pending)`);
    const fixedRaw = await cannon(oursUrl, oursFeeder, { connections, duration: fixedDuration, overallRate: fixedRate, title: 'ours fixed-rate' });
    const fixed = { ...figures('ours @ fixed rate', fixedRaw), targetRate: fixedRate };
    log(`[callback-ingress]   fixed ${fmtInt(fixed.reqPerSec)} req/s, p50 ${fixed.p50} ms, p99 ${fixed.p99} ms`);

    // Requests cut off by autocannon's stop may still be finishing on the server: let them land.
    await new Promise((r) => setTimeout(r, 1000));
    const [countRows] = await conn.query('SELECT COUNT(*) AS n FROM callback_inbox');
    const rows = Number((countRows as Array<{ n: number | string }>)[0]!.n);
    const byStatus = await countByStatus(conn);
    const [keyRows] = await conn.query('SELECT dedupe_key FROM callback_inbox');
    const stored = new Set((keyRows as Array<{ dedupe_key: string }>).map((r) => r.dedupe_key));
    let ok200 = 0;
    let missing = 0;
    for (let i = 0; i < oursFeeder.ok.length; i++) {
      if (!oursFeeder.ok[i]) continue;
      ok200++;
      const pt = oursPool.plaintext(i);
      if (!stored.has(dedupeKey(parseCallbackXml(pt), pt))) missing++;
    }
    const sent = Math.min(oursFeeder.next, oursPool.paths.length);
    const warmOk = warm ? warm['2xx'] : 0;
    const counted200 = (warm ? warm['2xx'] : 0) + (ours.statusCodes['200'] ?? 0) + (fixed.statusCodes['200'] ?? 0);
    log(`[callback-ingress] inbox check: ${fmtInt(rows)} rows, ${fmtInt(ok200)} distinct envelopes answered 200 (autocannon counted ${fmtInt(counted200)} incl. ${fmtInt(warmOk)} in warm-up), ${fmtInt(sent)} sent, acknowledged but missing: ${missing}`);

    return {
      bare,
      ours,
      ratio: ours.reqPerSec / bare.reqPerSec,
      fixed,
      inbox: { rows, ok200, sent, missingAcknowledged: missing, storedNotAcknowledged: rows - (ok200 - missing), wrappedPool: oursFeeder.wrapped, byStatus, pendingBeforeFixed },
      envelopes: { pool: oursPool.paths.length, generateMs, bodyBytes: Buffer.byteLength(oursPool.bodies[0]!) },
    };
  } finally {
    await conn?.end().catch(() => undefined);
    if (child) await stopTarget(child);
    await maria?.stop();
  }
}

/** The RESULTS.md section. */
export async function runCallbackIngress(opts: CallbackIngressOptions = {}): Promise<BenchReport> {
  const report = newReport('callback-ingress', 'Callback ingress (POST /wecom/callback → durable inbox)');
  try {
    const r = await measureCallbackIngress(opts);
    report.raw = r;
    const lat = (f: RunFigures) => `p50 ${fmtMs(f.p50)}, p99 ${fmtMs(f.p99)}`;
    const nonOk = r.bare.non2xx + r.ours.non2xx + r.fixed.non2xx;
    const errs = r.ours.errors + r.fixed.errors + r.bare.errors;
    report.rows.push(
      { metric: 'bare handler (verify + decrypt only), sustained', goal: '—', measured: `${fmtInt(r.bare.reqPerSec)} req/s; ${lat(r.bare)}`, pass: null },
      { metric: 'ours (real server, inbox write), sustained', goal: '—', measured: `${fmtInt(r.ours.reqPerSec)} req/s; ${lat(r.ours)}`, pass: null },
      { metric: 'throughput ours / bare', goal: '≥ 50 %', measured: `${(r.ratio * 100).toFixed(1)} %`, pass: r.ratio >= 0.5 },
      { metric: `ours at fixed ${r.fixed.targetRate} req/s, p99 latency`, goal: '< 50 ms', measured: `${fmtMs(r.fixed.p99)} (p50 ${fmtMs(r.fixed.p50)}, achieved ${fmtInt(r.fixed.reqPerSec)} req/s)`, pass: r.fixed.p99 < 50 },
      { metric: 'non-2xx responses (all runs)', goal: '0', measured: String(nonOk), pass: nonOk === 0 },
      {
        metric: 'acknowledged (200) but not in callback_inbox',
        goal: '0',
        measured: `${r.inbox.missingAcknowledged} (rows ${fmtInt(r.inbox.rows)} vs 200s ${fmtInt(r.inbox.ok200)}${r.inbox.storedNotAcknowledged ? `; ${r.inbox.storedNotAcknowledged} stored for requests cut off unanswered at a run's end` : '; equal'})`,
        pass: r.inbox.missingAcknowledged === 0 && r.inbox.wrappedPool === 0,
      },
      { metric: 'connection errors / timeouts (all runs)', goal: '—', measured: `${errs} / ${r.ours.timeouts + r.fixed.timeouts + r.bare.timeouts}`, pass: null },
    );
    const c = opts.connections ?? 50;
    report.notes.push(
      `autocannon ${(require('autocannon/package.json') as { version: string }).version} in this process; the servers in a forked child (ingress-target.ts); MariaDB a throwaway mariadbd (startMariaDb, innodb_flush_log_at_trx_commit=2, 32 MB buffer pool) on the same machine.`,
      `Saturation: ${c} connections, pipelining 1, ${opts.durationSec ?? 10} s per server after a ${opts.warmupSec ?? 2} s warm-up; req/s is autocannon's mean of per-second samples (${fmtInt(r.bare.total)} bare / ${fmtInt(r.ours.total)} ours requests). Fixed rate: overallRate ${r.fixed.targetRate} over ${c} connections for ${opts.fixedDurationSec ?? 10} s (${fmtInt(r.fixed.total)} requests).`,
      `Every request to ours is a distinct update_user envelope (own CreateTime, demo-corp member, ${r.envelopes.bodyBytes}-byte body), pre-generated with the simulator's WXBizMsgCrypt (${fmtInt(r.envelopes.pool)} in ${r.envelopes.generateMs} ms), so each is a new dedupe key.`,
      `Bare handler: Koa + readRawBody(64 KiB cap) + extractEncrypt + WeComCallbackCrypto.open → empty 200. Ours additionally runs the app middleware (request id, error handler, static fallback, session lookup, router), parseCallbackXml, dedupeKey and the INSERT … IGNORE into callback_inbox (pool of 10 connections).`,
      `Inbox worker: running (startStack, pollMs 100) during all runs, applying events (user/get on the simulator + member upsert + audit) from the same database; backlog when the fixed-rate run started: ${fmtInt(r.inbox.pendingBeforeFixed)} pending. Inbox at the end: ${Object.entries(r.inbox.byStatus).map(([k, v]) => `${k} ${fmtInt(v)}`).join(', ')}.`,
      `Latencies: bare p90 ${fmtMs(r.bare.p90)}, p99.9 ${fmtMs(r.bare.p999)}; ours p90 ${fmtMs(r.ours.p90)}, p99.9 ${fmtMs(r.ours.p999)}, max ${fmtMs(r.ours.max)}; fixed-rate p90 ${fmtMs(r.fixed.p90)}, p99.9 ${fmtMs(r.fixed.p999)}, max ${fmtMs(r.fixed.max)}.`,
    );
  } catch (err) {
    report.error = (err as Error).stack ?? String(err);
  }
  return report;
}

function argNumber(flag: string): number | undefined {
  const i = process.argv.indexOf(flag);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
}

if (require.main === module) {
  runCallbackIngress({ durationSec: argNumber('--duration'), connections: argNumber('--connections'), fixedDurationSec: argNumber('--fixed-duration') })
    .then((report) => {
      console.log(JSON.stringify(report, null, 2));
      if (process.argv.includes('--write')) writeResults([report]);
      if (report.error || report.rows.some((r) => r.pass === false)) process.exitCode = 1;
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
