/**
 * `npm run bench`: the benchmarks of issue #2, one after the other, then a summary table on the
 * console and test/bench/RESULTS.md rewritten with the figures (one section per benchmark, with goal,
 * measured value, pass/fail, date, machine and the code revision).
 *
 *   1. callback-ingress.ts: POST /wecom/callback on MariaDB vs a bare verify+decrypt handler,
 *      saturation and 500 req/s (autocannon), nothing acknowledged lost.
 *   2. contact-sync.ts: full sync of 1,000 departments / 10,000 members at 20 ms per API call, both
 *      secret modes, SQLite (and MariaDB when installed); per-API minute peaks vs 10,000/min.
 *   3. h5-perf.ts (runH5Perf): initial bundle vs 150 KB gzip and the throttled home-page load.
 *   4. inbox-throughput.ts: stored inbox rows applied per second on MariaDB, 1 and 3 workers (issue 7).
 *   5. notifications.ts: deliveries per second to the simulator (20 ms per send), 1 and 3 workers; a burst of
 *      events (5,000 by default; issue 8's 10,000 with --events 10000 when run alone) to 50 members and 5 robots until
 *      everyone is informed, vs the floor WeCom's limits allow (issue 8).
 *   6. orders.ts: signed Shopee pushes into POST /shopee/push vs a bare HMAC-check handler (no loss, no duplicates);
 *      the unclaimed and mine inbox views over 1,000,000 orders vs a primary-key lookup (p95, EXPLAIN); 10,000 claims
 *      by 50 concurrent clients, each claimed once (issue 9).
 *   7. sla.ts: the SLA scheduler's tick over 100,000 open cases: ~1 % of the deadlines due (goal < 1 s per tick) beside
 *      the tick's selection alone and an indexed range scan, three instances at once, and 10,000 due after an outage;
 *      every due reminder step sent exactly once (issue 10).
 *   8. projects.ts: a project of 2,000 tasks and 3,000 dependencies rescheduled on MariaDB (preview, applied move, the
 *      whole project; service and HTTP, beside the pure reschedule() + criticalPath()), and SearchIndex.search() over
 *      1,000,000 comments (rare, common, two-word and latin queries) beside a primary-key lookup, p95 and EXPLAIN
 *      (issue 12, server side).
 *   9. metrics.ts: Rollup.day() of one shop's day with 100,000 orders over 10,000 SKUs on MariaDB (median of 3, the same
 *      rows every run, equal to the bench's own rollup), and the dashboard's GET /api/metrics over 365 days × 20 shops
 *      (team and shop scope, by day and week; over HTTP, through MetricQuery and as SQL) beside a primary-key lookup,
 *      p95 and EXPLAIN (issue 13).
 *
 * Every benchmark also runs alone (see each file). Load goes to 127.0.0.1 only and every run is
 * bounded in count and time. Flags: --only callback-ingress,contact-sync,h5-perf,inbox-throughput,notifications,orders,sla,projects,metrics  --build-h5 (rebuild
 * h5/dist even when present)  --no-write (don't touch RESULTS.md).
 */
import { runCallbackIngress } from './callback-ingress';
import { runContactSync } from './contact-sync';
import { runInboxThroughput } from './inbox-throughput';
import { runNotificationsBench } from './notifications';
import { runMetricsBench } from './metrics';
import { runOrdersBench } from './orders';
import { runProjectsBench } from './projects';
import { runSlaBench } from './sla';
import { runH5Bench } from './lib/h5-report';
import { describeMachine, machineInfo } from './lib/machine';
import { consoleTable, markdownSummary, newReport, reportPassed, RESULTS_MD, writeResults, type BenchReport } from './lib/report';
import { findMariaDb } from '../support/mariadb';

const log = (line: string) => console.error(line);

/** A benchmark that needs MariaDB: its report, or one saying MariaDB is missing. */
async function withMariaDb(name: string, title: string, run: () => Promise<BenchReport>): Promise<BenchReport> {
  if (findMariaDb() !== null) return run();
  return { ...newReport(name, title), error: 'MariaDB is not installed (apt-get install mariadb-server)' };
}

async function main(): Promise<void> {
  const onlyFlag = process.argv.indexOf('--only');
  const only = onlyFlag > 0 ? new Set((process.argv[onlyFlag + 1] ?? '').split(',')) : null;
  const want = (name: string) => !only || only.has(name);
  const started = Date.now();
  log(`[bench] ${new Date().toISOString()} on ${describeMachine(machineInfo())}`);

  const reports: BenchReport[] = [];
  const haveMaria = findMariaDb() !== null;
  if (want('callback-ingress')) {
    log('[bench] 1/9 callback-ingress');
    reports.push(await withMariaDb('callback-ingress', 'Callback ingress (POST /wecom/callback → durable inbox)', () => runCallbackIngress({ log })));
  }
  if (want('contact-sync')) {
    log('[bench] 2/9 contact-sync');
    reports.push(await runContactSync({ databases: haveMaria ? ['sqlite', 'mysql'] : ['sqlite'], log }));
  }
  if (want('h5-perf')) {
    log('[bench] 3/9 h5-perf');
    reports.push(await runH5Bench({ runs: 3, rebuild: process.argv.includes('--build-h5'), log }));
  }
  if (want('inbox-throughput')) {
    log('[bench] 4/9 inbox-throughput');
    reports.push(await withMariaDb('inbox-throughput', 'Inbox throughput (stored rows → applied, MariaDB)', () => runInboxThroughput({ log })));
  }
  if (want('notifications')) {
    log('[bench] 5/9 notifications');
    reports.push(await withMariaDb('notifications', 'Notification deliveries (MariaDB, 20 ms per WeCom messaging call)', () => runNotificationsBench({ log })));
  }
  if (want('orders')) {
    log('[bench] 6/9 orders');
    reports.push(
      await withMariaDb('orders', 'Orders on MariaDB (Shopee push ingest, inbox views over 1,000,000 orders, claims)', () => runOrdersBench({ log })),
    );
  }
  if (want('sla')) {
    log('[bench] 7/9 sla');
    reports.push(await withMariaDb('sla', 'SLA scheduler on MariaDB (reminder ticks over 100,000 open cases)', () => runSlaBench({ log })));
  }
  if (want('projects')) {
    log('[bench] 8/9 projects');
    reports.push(
      await withMariaDb('projects', 'Campaign projects on MariaDB (reschedule 2,000 tasks / 3,000 dependencies, search over 1,000,000 comments)', () =>
        runProjectsBench({ log }),
      ),
    );
  }
  if (want('metrics')) {
    log('[bench] 9/9 metrics');
    reports.push(
      await withMariaDb('metrics', 'Figures on MariaDB (rollup of one day with 100,000 orders / 10,000 SKUs, dashboard queries over 365 days × 20 shops)', () =>
        runMetricsBench({ log }),
      ),
    );
  }

  console.log(`\n${consoleTable(reports)}\n`);
  for (const r of reports) if (r.error) console.log(`${r.name} did not complete:\n${r.error}\n`);
  if (!process.argv.includes('--no-write')) {
    writeResults(reports, only ? undefined : markdownSummary(reports));
    console.log(`Results written to ${RESULTS_MD}`);
  }
  console.log(`Total ${Math.round((Date.now() - started) / 1000)} s`);
  if (!reports.every(reportPassed)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
