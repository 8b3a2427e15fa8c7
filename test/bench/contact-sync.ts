/**
 * Full contact sync of a large corp (issue #2): 1,000 departments and 10,000 members in the WeCom
 * simulator, 20 ms added to every API call, one `contactSync.run('bench')` of the real server.
 *
 * Reports wall time (goal < 30 s), API calls by path (sim.stats.calls), the busiest sliding minute per
 * API path and overall (sim.stats.maxCallsInAnyMinute / …Overall) against WeCom's 10,000 per minute
 * per API (https://developer.work.weixin.qq.com/document/path/90454), and where the time went: per sync phase, time inside WeCom
 * calls, time inside database queries, and how busy the (single) event loop was.
 *
 * Runs the agent-secret mode (department/list + user/list per department) and the contact-secret
 * mode (user/list_id first, https://developer.work.weixin.qq.com/document/path/96067), on SQLite and, with --mysql
 * (run.ts passes it when MariaDB is installed), on a throwaway MariaDB too. The server is started with startServer
 * (background work off, so the scheduler cannot start a sync of its own); the simulator runs in this process.
 *
 * Standalone: npx tsx --tsconfig tsconfig.json test/bench/contact-sync.ts [--mysql] [--write]
 */
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../server/src/config/config';
import { createLogger } from '../../server/src/lib/logger';
import { startServerOnPort, type RunningServer } from '../../server/src/server';
import { DEMO_CREDENTIALS, generateCorp, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { demoEnv } from '../support/config';
import { findMariaDb, startMariaDb, type MariaDbHandle } from '../support/mariadb';
import { dropDatabaseUrl, freshDatabaseUrl, type TestDatabaseKind } from '../support/databases';
import { fmtInt, fmtMs, newReport, runStandalone, type BenchReport } from './lib/report';
import { waitForQuietMachine } from './lib/cpu';

export const WECOM_PER_API_PER_MINUTE = 10_000;
export const SYNC_GOAL_MS = 30_000;

export interface ContactSyncOptions {
  departments?: number;
  members?: number;
  seed?: number;
  /** Added to every simulator API call. Default 20 ms. */
  latencyMs?: number;
  /** Which combinations to run. Default: sqlite × {agent secret, contact secret}. */
  databases?: TestDatabaseKind[];
  contactSecretModes?: boolean[];
  /** A running MariaDB (`mysql://…/`) for the mysql runs; default: start a throwaway one. */
  mariadbUrl?: string;
  log?: (line: string) => void;
}

export interface PhaseTiming {
  ms: number;
  calls: number;
}

export interface SyncFigures {
  db: TestDatabaseKind;
  contactSecret: boolean;
  mode: string;
  wallMs: number;
  reportMs: number;
  departmentsStored: number;
  activeMembers: number;
  report: Record<string, unknown>;
  calls: Record<string, number>;
  totalCalls: number;
  maxCallsInAnyMinute: Record<string, number>;
  maxCallsInAnyMinuteOverall: number;
  rateLimited: Record<string, number>;
  errors: Record<string, number>;
  /** Sum over calls of the time inside WeComClient.call (includes the 20 ms latency), by API. */
  apiMs: Record<string, number>;
  apiMsTotal: number;
  /** Sum of the time inside database queries and how many there were. */
  dbMs: number;
  dbQueries: number;
  /** Event-loop utilisation during the run (0..1): on SQLite the queries themselves block the loop. */
  eventLoopUtilization: number;
  /** Time per ContactSyncService phase (private methods, wrapped; phases that don't exist are absent). */
  phases: Record<string, PhaseTiming>;
  /** Time in OrgService writes (ORM query building + SQL), summed over lanes. */
  writes: Record<string, PhaseTiming>;
  concurrency: number;
}

const ORG_WRITES = ['upsertMembers', 'upsertMember', 'upsertDepartments', 'upsertDepartment', 'replaceTag', 'deactivateMember'];
const PHASES = [
  'fetchDepartments',
  'storeDepartments',
  'listIdMembership',
  'syncMembersByDepartment',
  'fetchMissing',
  'deactivateUnseen',
  'syncTags',
  'reconcile',
];

/** Wrap the named async methods of `obj` to time them (each wrapper keeps `this`). */
function timeMethods(obj: object, names: string[], into: Record<string, PhaseTiming>): void {
  const target = obj as Record<string, unknown>;
  for (const name of names) {
    const fn = target[name];
    if (typeof fn !== 'function') continue;
    target[name] = async function (this: unknown, ...args: unknown[]) {
      const t = performance.now();
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
      } finally {
        const p = (into[name] ??= { ms: 0, calls: 0 });
        p.ms += performance.now() - t;
        p.calls++;
      }
    };
  }
}

/** Count and time every query of this DataSource's driver (patches its QueryRunner class; returns an undo). */
function instrumentQueries(ds: DataSource, stats: { ms: number; n: number }): () => void {
  const qr = ds.createQueryRunner();
  const proto = Object.getPrototypeOf(qr) as { query: (...a: unknown[]) => Promise<unknown> };
  void qr.release();
  const original = proto.query;
  proto.query = async function (this: unknown, ...args: unknown[]) {
    const t = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      stats.ms += performance.now() - t;
      stats.n++;
    }
  };
  return () => {
    proto.query = original;
  };
}

async function runOnce(
  db: TestDatabaseKind,
  contactSecret: boolean,
  opts: Required<Pick<ContactSyncOptions, 'departments' | 'members' | 'seed' | 'latencyMs'>>,
  log: (l: string) => void,
): Promise<SyncFigures> {
  const corp = generateCorp({ departments: opts.departments, members: opts.members, seed: opts.seed });
  let sim: WecomSim | null = null;
  let app: RunningServer | null = null;
  let databaseUrl: string | null = null;
  let undo = (): void => {};
  try {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0, latencyMs: opts.latencyMs, corp });
    databaseUrl = await freshDatabaseUrl(db);
    const env = (port: number) =>
      demoEnv(
        { databaseUrl: databaseUrl!, simUrl: sim!.url, port, contactSecret },
        { NODE_ENV: 'production', SESSION_SECRET: 'bench-session-secret-0123456789abcdef', LOG_LEVEL: 'silent' },
      );
    // background: false — no scheduler (it would start its own full sync) and no inbox worker.
    app = await startServerOnPort(0, (port) => loadConfig(env(port)), { background: false, logger: createLogger('silent') });
    const c = app.container;

    const apiMs: Record<string, number> = {};
    const call = c.wecom.call.bind(c.wecom);
    c.wecom.call = async (api: string, o?: Parameters<typeof call>[1]) => {
      const t = performance.now();
      try {
        return await call(api, o);
      } finally {
        apiMs[api] = (apiMs[api] ?? 0) + (performance.now() - t);
      }
    };
    const phases: Record<string, PhaseTiming> = {};
    timeMethods(c.contactSync, PHASES, phases);
    // Mirror writes (ORM + SQL, inside the sync's transactions), whichever of these OrgService has.
    const writes: Record<string, PhaseTiming> = {};
    timeMethods(c.org, ORG_WRITES, writes);
    const q = { ms: 0, n: 0 };
    undo = instrumentQueries(c.ds, q);
    sim.resetStats();

    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    const report = await c.contactSync.run('bench');
    const wallMs = performance.now() - t0;
    const elu = performance.eventLoopUtilization(elu0);
    undo();

    const stats = sim.stats;
    const count = async (sql: string, params: unknown[] = []): Promise<number> =>
      Number((await c.ds.query<Array<{ n: number | string }>>(sql, params))[0]?.n ?? 0);
    const active = await count('SELECT COUNT(*) AS n FROM members WHERE active = ?', [1]);
    const depts = await count('SELECT COUNT(*) AS n FROM departments WHERE deleted_at IS NULL');
    const progress = (await c.contactSync.lastSuccess())?.progress;
    return {
      db,
      contactSecret,
      mode: progress?.mode ?? (contactSecret ? 'list_id' : 'user_list'),
      wallMs,
      reportMs: report.ms,
      departmentsStored: Number(depts),
      activeMembers: Number(active),
      report: { ...report },
      calls: stats.calls,
      totalCalls: Object.values(stats.calls).reduce((a, b) => a + b, 0),
      maxCallsInAnyMinute: stats.maxCallsInAnyMinute,
      maxCallsInAnyMinuteOverall: stats.maxCallsInAnyMinuteOverall,
      rateLimited: stats.rateLimited,
      errors: stats.errors,
      apiMs: Object.fromEntries(Object.entries(apiMs).map(([k, v]) => [k, Math.round(v)])),
      apiMsTotal: Math.round(Object.values(apiMs).reduce((a, b) => a + b, 0)),
      dbMs: Math.round(q.ms),
      dbQueries: q.n,
      eventLoopUtilization: elu.utilization,
      phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, { ms: Math.round(v.ms), calls: v.calls }])),
      writes: Object.fromEntries(Object.entries(writes).map(([k, v]) => [k, { ms: Math.round(v.ms), calls: v.calls }])),
      concurrency: c.config.CONTACT_SYNC_CONCURRENCY,
    };
  } finally {
    undo();
    await app?.close().catch((e) => log(`[contact-sync] server close failed: ${String(e)}`));
    await sim?.close();
    if (databaseUrl) await dropDatabaseUrl(databaseUrl).catch(() => undefined);
  }
}

export async function measureContactSync(options: ContactSyncOptions = {}): Promise<SyncFigures[]> {
  const log = options.log ?? ((l: string) => console.error(l));
  const opts = { departments: options.departments ?? 1000, members: options.members ?? 10_000, seed: options.seed ?? 2024, latencyMs: options.latencyMs ?? 20 };
  const databases = options.databases ?? ['sqlite'];
  const modes = options.contactSecretModes ?? [false, true];
  const results: SyncFigures[] = [];
  let maria: MariaDbHandle | null = null;
  const savedUrl = process.env.TEST_MYSQL_URL;
  try {
    if (databases.includes('mysql')) {
      if (options.mariadbUrl) process.env.TEST_MYSQL_URL = options.mariadbUrl;
      else {
        maria = await startMariaDb();
        process.env.TEST_MYSQL_URL = maria.url;
      }
    }
    for (const db of databases) {
      for (const contactSecret of modes) {
        await waitForQuietMachine({ log, maxWaitMs: 20_000 });
        log(
          `[contact-sync] ${db}, ${contactSecret ? 'contact secret (user/list_id)' : 'agent secret (user/list)'}: ${fmtInt(opts.departments)} departments, ${fmtInt(opts.members)} members, ${opts.latencyMs} ms per API call …`,
        );
        const r = await runOnce(db, contactSecret, opts, log);
        log(
          `[contact-sync]   ${fmtMs(r.wallMs)}; ${fmtInt(r.totalCalls)} API calls; busiest minute ${fmtInt(Math.max(0, ...Object.values(r.maxCallsInAnyMinute)))} on one API, ${fmtInt(r.maxCallsInAnyMinuteOverall)} overall; DB ${fmtInt(r.dbQueries)} queries ${fmtMs(r.dbMs)}; event loop ${Math.round(r.eventLoopUtilization * 100)} % busy`,
        );
        results.push(r);
      }
    }
  } finally {
    if (maria) await maria.stop();
    if (savedUrl === undefined) delete process.env.TEST_MYSQL_URL;
    else process.env.TEST_MYSQL_URL = savedUrl;
  }
  return results;
}

const label = (r: SyncFigures) => `${r.db === 'mysql' ? 'MariaDB' : 'SQLite'}, ${r.contactSecret ? 'contact secret (list_id)' : 'agent secret (user/list)'}`;

/** Where the wall time went, in one sentence. */
function verdict(r: SyncFigures, latencyMs: number): string {
  const floor = (r.totalCalls * latencyMs) / r.concurrency;
  const busy = r.eventLoopUtilization * r.wallMs;
  const bound =
    r.eventLoopUtilization >= 0.7 ? "CPU-bound on the server's single JS thread, not waiting on WeCom" : 'mostly waiting (API latency / database I/O)';
  return `Where the time went: the API-latency floor is ${fmtInt(r.totalCalls)} calls × ${latencyMs} ms / ${r.concurrency} lanes = ${fmtMs(floor)}; the event loop was busy ${fmtMs(busy)} of the ${fmtMs(r.wallMs)} wall, so this run was ${bound}.`;
}

function breakdown(r: SyncFigures): string {
  const phases = Object.entries(r.phases)
    .filter(([, p]) => p.ms >= 1)
    .map(([k, p]) => `${k} ${fmtMs(p.ms)}`)
    .join(', ');
  const calls = Object.entries(r.calls)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k.replace('/cgi-bin/', '')} ${fmtInt(n)}`)
    .join(', ');
  const maxMin = Object.entries(r.maxCallsInAnyMinute)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k.replace('/cgi-bin/', '')} ${fmtInt(n)}`)
    .join(', ');
  return (
    `${label(r)}: wall ${fmtMs(r.wallMs)} (run() reported ${fmtMs(r.reportMs)}); stored ${fmtInt(r.departmentsStored)} departments, ${fmtInt(r.activeMembers)} active members. ` +
    `API calls: ${calls}. Busiest sliding minute per API: ${maxMin}; overall ${fmtInt(r.maxCallsInAnyMinuteOverall)}. ` +
    `${Object.keys(r.rateLimited).length ? `45009 answers: ${JSON.stringify(r.rateLimited)}. ` : ''}${Object.keys(r.errors).length ? `errcodes answered: ${JSON.stringify(r.errors)}. ` : ''}` +
    `Phases: ${phases}. Time inside WeCom calls (summed over ${r.concurrency} lanes, incl. ${r.totalCalls} × latency): ${fmtMs(r.apiMsTotal)}; ` +
    `database: ${fmtInt(r.dbQueries)} queries, ${fmtMs(r.dbMs)} summed (${(r.dbMs / Math.max(1, r.dbQueries)).toFixed(2)} ms each); ` +
    `OrgService writes (ORM + SQL): ${
      Object.entries(r.writes)
        .map(([k, p]) => `${k} ×${fmtInt(p.calls)} ${fmtMs(p.ms)}`)
        .join(', ') || 'none'
    }; ` +
    `event loop ${Math.round(r.eventLoopUtilization * 100)} % busy (${fmtMs(r.eventLoopUtilization * r.wallMs)} of CPU work on the one JS thread).`
  );
}

export async function runContactSync(options: ContactSyncOptions = {}): Promise<BenchReport> {
  const report = newReport('contact-sync', 'Full contact sync (1,000 departments, 10,000 members, 20 ms per API call)');
  try {
    const results = await measureContactSync(options);
    report.raw = results;
    for (const r of results) {
      const perApiMax = Math.max(0, ...Object.values(r.maxCallsInAnyMinute));
      const complete = r.activeMembers === (options.members ?? 10_000) && r.departmentsStored === (options.departments ?? 1000);
      report.rows.push(
        { metric: `${label(r)}: wall time of one full sync`, goal: '< 30 s', measured: `${(r.wallMs / 1000).toFixed(1)} s`, pass: r.wallMs < SYNC_GOAL_MS },
        {
          metric: `${label(r)}: busiest minute on one API`,
          goal: `≤ ${fmtInt(WECOM_PER_API_PER_MINUTE)}`,
          measured: `${fmtInt(perApiMax)} (all APIs together ${fmtInt(r.maxCallsInAnyMinuteOverall)}; ${fmtInt(r.totalCalls)} calls)`,
          pass: perApiMax <= WECOM_PER_API_PER_MINUTE && !Object.keys(r.rateLimited).length,
        },
        {
          metric: `${label(r)}: mirror complete`,
          goal: 'all stored',
          measured: `${fmtInt(r.departmentsStored)} departments, ${fmtInt(r.activeMembers)} active members`,
          pass: complete,
        },
      );
      report.notes.push(`${breakdown(r)} ${verdict(r, options.latencyMs ?? 20)}`);
    }
    report.notes.push(
      `Setup: generateCorp({departments: ${options.departments ?? 1000}, members: ${options.members ?? 10_000}, seed: ${options.seed ?? 2024}}) in the WeCom simulator (same process, ${options.latencyMs ?? 20} ms added to every /cgi-bin call, 10,000/min per-path limit enforced); the real server via startServer with background work off; CONTACT_SYNC_CONCURRENCY default; a fresh database per run. Time "inside WeCom calls" and "database" are sums over concurrent lanes, so they can exceed the wall time; on SQLite (better-sqlite3, synchronous) query time is time the single event loop was blocked.`,
    );
  } catch (err) {
    report.error = (err as Error).stack ?? String(err);
  }
  return report;
}

if (require.main === module) {
  const withMysql = process.argv.includes('--mysql');
  if (withMysql && !findMariaDb()) console.error('[contact-sync] --mysql: MariaDB is not installed; SQLite only');
  runStandalone(() => runContactSync({ databases: withMysql && findMariaDb() ? ['sqlite', 'mysql'] : ['sqlite'] }));
}
