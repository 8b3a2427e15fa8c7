import { fork, type ChildProcess } from 'node:child_process';

/**
 * Worker processes for the benchmarks: `file` forked `count` times with `--worker`, each with `env(i)` added, resolved
 * once each has said it is ready (its first IPC message). The workers run under the same tsx loader as the bench.
 */
export function forkWorkers(file: string, count: number, env: (i: number) => Record<string, string>): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = fork(file, ['--worker'], {
            env: { ...process.env, ...env(i) },
            execArgv: process.execArgv,
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          });
          child.once('message', () => resolve(child));
          child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
        }),
    ),
  );
}

/** The worker side: do `start` on "go", `stop` (then exit) on "stop", and say ready. */
export function serveWorker(start: () => void, stop: () => Promise<unknown>): void {
  process.on('message', (m: { type: string }) => {
    if (m.type === 'go') start();
    if (m.type === 'stop') void stop().then(() => process.exit(0));
  });
  process.send!({ type: 'ready' });
}
