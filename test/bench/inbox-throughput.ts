/**
 * Inbox throughput on MariaDB (issue 7): how many inbox rows per second the workers apply, with a handler that
 * writes one row in its own transaction, with 1 worker and with 3 workers (goal: ≥ 2,000 rows/s with 3).
 *
 * Each worker is its own forked process (this file with --worker): its own DataSource (pool of 10), LeaseStore and
 * InboxWorker with one lane, as three server instances would run; a fourth run has one process with three lanes
 * (INBOX_LANES=3). Every run starts from the same backlog: 20,000 rows in 2,000 streams of 10, written before the
 * workers start. The clock runs from "go" until no row is pending. Then the bench checks the handler's table: every
 * inbox row applied exactly once, and in order within its stream.
 *
 * Standalone: npx tsx --tsconfig tsconfig.json test/bench/inbox-throughput.ts [--write]
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/db/data-source';
import { LeaseStore } from '../../server/src/db/leases';
import { inTransaction } from '../../server/src/db/transaction';
import { createLogger } from '../../server/src/lib/logger';
import { EventRegistry } from '../../server/src/wecom/callbacks/event-handlers';
import { InboxWorker } from '../../server/src/wecom/callbacks/inbox-worker';
import { InboxWriter } from '../../server/src/wecom/callbacks/inbox-writer';
import { startMariaDb } from '../support/mariadb';
import { dropDatabaseUrl, freshDatabaseUrl } from '../support/databases';
import { cpuDelta, cpuSnapshot, childPidsNamed } from './lib/cpu';
import { forkWorkers, serveWorker } from './lib/workers';
import { fmtInt, newReport, runStandalone, type BenchReport } from './lib/report';

export const INBOX_GOAL_ROWS_PER_S = 2_000;
const EVENT = 'bench_probe';
const STREAMS = 2_000;
const PER_STREAM = 10;

interface Scenario {
  label: string;
  processes: number;
  lanes: number;
}

const SCENARIOS: Scenario[] = [
  { label: '1 worker', processes: 1, lanes: 1 },
  { label: '3 workers (3 processes)', processes: 3, lanes: 1 },
  { label: '3 lanes in 1 process', processes: 1, lanes: 3 },
];

interface RunFigures {
  scenario: Scenario;
  rows: number;
  ms: number;
  rowsPerS: number;
  appliedRows: number;
  distinct: number;
  outOfOrder: number;
  cpu: { workersMs: number; mariadbMs: number; machineBusy: number };
}

const xml = (key: string) =>
  `<xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1</CreateTime>` +
  `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${EVENT}]]></Event><EventKey><![CDATA[${key}]]></EventKey></xml>`;

/** The worker process: apply rows until told to stop; each apply inserts one row in its own transaction. */
async function workerMain(): Promise<void> {
  const ds = await openDatabase(process.env.BENCH_DB_URL!, { migrate: false });
  const name = process.env.BENCH_WORKER_NAME ?? 'w';
  const registry = new EventRegistry().on('wecom', EVENT, async (e) => {
    await inTransaction(ds, (m) => m.query('INSERT INTO bench_inbox_applied (inbox_id, stream_key, applied_by) VALUES (?, ?, ?)', [e.id, e.streamKey, name]));
    return 'applied';
  });
  const worker = new InboxWorker(ds, new LeaseStore(ds), registry, createLogger('warn'), {
    yieldMs: 0,
    pollMs: 20,
    lanes: Number(process.env.BENCH_LANES ?? 1),
  });
  serveWorker(
    () => worker.start(),
    () => worker.stop().then(() => ds.destroy()),
  );
}

function startWorkers(url: string, s: Scenario): Promise<ChildProcess[]> {
  return forkWorkers(__filename, s.processes, (i) => ({ BENCH_DB_URL: url, BENCH_WORKER_NAME: `w${i + 1}`, BENCH_LANES: String(s.lanes) }));
}

async function fillBacklog(ds: DataSource): Promise<number> {
  await ds.query('DELETE FROM callback_inbox');
  await ds.query('DELETE FROM bench_inbox_applied');
  const writer = new InboxWriter(ds);
  const writes: Array<Promise<boolean>> = [];
  const run = Date.now();
  for (let seq = 1; seq <= PER_STREAM; seq++)
    for (let stream = 1; stream <= STREAMS; stream++) {
      const key = `${stream}/${seq}`;
      writes.push(
        writer.write({
          source: 'wecom',
          type: EVENT,
          streamKey: `bench:${stream}`,
          dedupeKey: `bench:${run}:${key}`,
          msgType: 'event',
          event: EVENT,
          changeType: null,
          payload: xml(key),
        }),
      );
    }
  const stored = (await Promise.all(writes)).filter(Boolean).length;
  if (stored !== STREAMS * PER_STREAM) throw new Error(`backlog: stored ${stored} of ${STREAMS * PER_STREAM}`);
  return stored;
}

async function runScenario(ds: DataSource, url: string, s: Scenario, log: (l: string) => void): Promise<RunFigures> {
  const rows = await fillBacklog(ds);
  const workers = await startWorkers(url, s);
  const pids = Object.fromEntries(workers.map((w, i) => [`w${i + 1}`, w.pid]));
  const mariadb = childPidsNamed('mariadbd')[0];
  const before = cpuSnapshot({ ...pids, mariadb });
  const t0 = performance.now();
  for (const w of workers) w.send({ type: 'go' });
  for (;;) {
    const [{ n }] = await ds.query<[{ n: number | string }]>(`SELECT COUNT(*) AS n FROM callback_inbox WHERE status = 'pending'`);
    if (Number(n) === 0) break;
    if (performance.now() - t0 > 300_000) throw new Error(`${s.label}: still ${n} pending after 300 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const ms = performance.now() - t0;
  const delta = cpuDelta(before, cpuSnapshot({ ...pids, mariadb }));
  await Promise.all(workers.map((w) => new Promise((r) => (w.once('exit', r), w.send({ type: 'stop' })))));
  const [counts] = await ds.query<[{ n: string; d: string }]>('SELECT COUNT(*) AS n, COUNT(DISTINCT inbox_id) AS d FROM bench_inbox_applied');
  const [order] = await ds.query<[{ bad: string }]>(
    `SELECT COUNT(*) AS bad FROM (SELECT inbox_id, LAG(inbox_id) OVER (PARTITION BY stream_key ORDER BY seq) AS prev FROM bench_inbox_applied) x WHERE prev > inbox_id`,
  );
  const workersMs = Object.keys(pids).reduce((a, k) => a + (delta.procsMs[k] ?? 0), 0);
  const figures: RunFigures = {
    scenario: s,
    rows,
    ms,
    rowsPerS: (rows / ms) * 1000,
    appliedRows: Number(counts.n),
    distinct: Number(counts.d),
    outOfOrder: Number(order.bad),
    cpu: { workersMs, mariadbMs: delta.procsMs.mariadb ?? 0, machineBusy: delta.machineBusy },
  };
  log(`[bench] inbox ${s.label}: ${fmtInt(figures.rowsPerS)} rows/s (${fmtInt(rows)} in ${Math.round(ms)} ms)`);
  return figures;
}

export async function runInboxThroughput(opts: { log?: (l: string) => void } = {}): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const report = newReport('inbox-throughput', 'Inbox throughput (stored rows → applied, MariaDB)');
  const maria = await startMariaDb();
  process.env.TEST_MYSQL_URL = maria.url;
  const url = await freshDatabaseUrl('mysql');
  const ds = await openDatabase(url);
  try {
    await ds.query(
      'CREATE TABLE bench_inbox_applied (seq BIGINT AUTO_INCREMENT PRIMARY KEY, inbox_id BIGINT NOT NULL, stream_key VARCHAR(128) NOT NULL, applied_by VARCHAR(16) NOT NULL)',
    );
    const runs: RunFigures[] = [];
    for (const s of SCENARIOS) runs.push(await runScenario(ds, url, s, log));
    const [one, three, lanes] = runs as [RunFigures, RunFigures, RunFigures];
    const exact = runs.every((r) => r.appliedRows === r.rows && r.distinct === r.rows && r.outOfOrder === 0);
    report.rows.push(
      { metric: '1 worker: rows applied per second', goal: '—', measured: `${fmtInt(one.rowsPerS)} rows/s`, pass: null },
      {
        metric: '3 workers (3 processes): rows applied per second',
        goal: `≥ ${fmtInt(INBOX_GOAL_ROWS_PER_S)} rows/s`,
        measured: `${fmtInt(three.rowsPerS)} rows/s (${(three.rowsPerS / one.rowsPerS).toFixed(2)}× 1 worker)`,
        pass: three.rowsPerS >= INBOX_GOAL_ROWS_PER_S,
      },
      { metric: '3 lanes in 1 process: rows applied per second', goal: '(info)', measured: `${fmtInt(lanes.rowsPerS)} rows/s`, pass: null },
      {
        metric: 'every row applied exactly once, in order within its stream (all runs)',
        goal: 'yes',
        measured: runs
          .map((r) => `${r.scenario.label}: ${fmtInt(r.distinct)} of ${fmtInt(r.rows)}, ${r.appliedRows - r.distinct} twice, ${r.outOfOrder} out of order`)
          .join('; '),
        pass: exact,
      },
    );
    report.notes.push(
      `Backlog per run: ${fmtInt(STREAMS * PER_STREAM)} rows in ${fmtInt(STREAMS)} streams of ${PER_STREAM}, written by InboxWriter before the workers start; the clock runs from "go" to no row pending (polled every 25 ms).`,
      'Handler: one INSERT into a bench table inside inTransaction (BEGIN, INSERT, COMMIT), the smallest real handler; rows are claimed 50 stream heads at a time (platform/stream-claims.ts) and recorded applied together, one UPDATE per batch every 50 ms.',
      'Workers: forked processes of this file, each with its own DataSource (mysql2 pool of 10), LeaseStore and InboxWorker (one lane), as separate server instances would run; MariaDB is a throwaway mariadbd (innodb_flush_log_at_trx_commit=2) on the same machine.',
      `CPU per row (ms, all worker processes / mariadbd; machine busy): ${runs.map((r) => `${r.scenario.label} ${(r.cpu.workersMs / r.rows).toFixed(3)} / ${(r.cpu.mariadbMs / r.rows).toFixed(3)}; ${Math.round(r.cpu.machineBusy * 100)} %`).join(' · ')}.`,
    );
    report.raw = runs;
  } catch (err) {
    report.error = String((err as Error).stack ?? err);
  } finally {
    await ds.destroy();
    await dropDatabaseUrl(url).catch(() => undefined);
    await maria.stop();
  }
  return report;
}

if (process.argv.includes('--worker')) void workerMain();
else if (require.main === module) runStandalone(() => runInboxThroughput());
