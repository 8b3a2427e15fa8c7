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
 *
 * Every benchmark also runs alone (see each file). Load goes to 127.0.0.1 only and every run is
 * bounded in count and time. Flags: --only callback-ingress,contact-sync,h5-perf,inbox-throughput  --build-h5 (rebuild
 * h5/dist even when present)  --no-write (don't touch RESULTS.md).
 */
import { runCallbackIngress } from './callback-ingress';
import { runContactSync } from './contact-sync';
import { runInboxThroughput } from './inbox-throughput';
import { runH5Bench } from './lib/h5-report';
import { describeMachine, machineInfo } from './lib/machine';
import { consoleTable, markdownSummary, newReport, reportPassed, RESULTS_MD, writeResults, type BenchReport } from './lib/report';
import { findMariaDb } from '../support/mariadb';

const log = (line: string) => console.error(line);

async function main(): Promise<void> {
  const onlyFlag = process.argv.indexOf('--only');
  const only = onlyFlag > 0 ? new Set((process.argv[onlyFlag + 1] ?? '').split(',')) : null;
  const want = (name: string) => !only || only.has(name);
  const started = Date.now();
  log(`[bench] ${new Date().toISOString()} on ${describeMachine(machineInfo())}`);

  const reports: BenchReport[] = [];
  const haveMaria = findMariaDb() !== null;
  if (want('callback-ingress')) {
    log('[bench] 1/4 callback-ingress');
    reports.push(
      haveMaria
        ? await runCallbackIngress({ log })
        : {
            ...newReport('callback-ingress', 'Callback ingress (POST /wecom/callback → durable inbox)'),
            error: 'MariaDB is not installed (apt-get install mariadb-server)',
          },
    );
  }
  if (want('contact-sync')) {
    log('[bench] 2/4 contact-sync');
    reports.push(await runContactSync({ databases: haveMaria ? ['sqlite', 'mysql'] : ['sqlite'], log }));
  }
  if (want('h5-perf')) {
    log('[bench] 3/4 h5-perf');
    reports.push(await runH5Bench({ runs: 3, rebuild: process.argv.includes('--build-h5'), log }));
  }
  if (want('inbox-throughput')) {
    log('[bench] 4/4 inbox-throughput');
    reports.push(
      haveMaria
        ? await runInboxThroughput({ log })
        : {
            ...newReport('inbox-throughput', 'Inbox throughput (stored rows → applied, MariaDB)'),
            error: 'MariaDB is not installed (apt-get install mariadb-server)',
          },
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
