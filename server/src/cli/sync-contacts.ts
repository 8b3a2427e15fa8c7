import { SingleBar, Presets } from 'cli-progress';
import { loadConfigOrExit } from '../config/load-env';
import { createContainer } from '../container';
import { WeComConfigError } from '../wecom/client/errors';

/**
 * npm run sync:contacts — one full contact sync. Exit 0 when done; non-zero with the reason.
 * Resumes an interrupted run. A progress bar is shown on a terminal only.
 */
async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const c = await createContainer({ ...config, LOG_LEVEL: process.stdout.isTTY ? 'warn' : config.LOG_LEVEL });
  const bar = process.stdout.isTTY ? new SingleBar({ format: '同步成员 {bar} {value}/{total} 部门 | {duration}s' }, Presets.shades_classic) : null;
  try {
    let started = false;
    const report = await c.contactSync.run('cli', (done, total) => {
      if (!bar) return;
      if (!started) bar.start(total, done);
      started = true;
      bar.update(done);
    });
    bar?.stop();
    process.stdout.write(
      `contact sync done: ${report.departments} departments, ${report.members} member rows, ${report.deactivated} deactivated, ${report.tags} tags${report.resumed ? ' (resumed)' : ''} in ${report.ms} ms\n`,
    );
    return 0;
  } catch (err) {
    bar?.stop();
    const reason = err instanceof WeComConfigError ? `${err.message} — ${err.hint()}` : (err as Error).message;
    process.stderr.write(`contact sync failed: ${reason}\n`);
    return 1;
  } finally {
    await c.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // a failure before the try above (config, database connection) still exits with the reason, not a stack dump
    process.stderr.write(`contact sync failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
