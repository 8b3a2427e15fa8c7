/**
 * The H5 bundle (h5/dist) on demand: `npm start` and the test setup build it when it is missing or
 * was built from other sources, so a fresh clone needs no manual build step.
 *
 * Freshness is a hash of the H5's inputs (its sources, config, the shared package and the lockfile),
 * written by the Vite build itself into h5/dist/.source-hash (h5/vite.config.ts), so a manual
 * `npm run build -w h5` counts too. File times are not used: a fresh clone gives every file the same.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const INPUTS = ['h5/src', 'h5/public', 'h5/index.html', 'h5/vite.config.ts', 'h5/package.json', 'h5/tsconfig.json', 'shared/src', 'package-lock.json'];
export const SOURCE_HASH_FILE = '.source-hash';

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/** sha256 over the relative path and content of every input file, in a fixed order. */
export function h5SourceHash(root: string): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => filesUnder(join(root, p)))) {
    hash.update(relative(root, file).replaceAll('\\', '/')).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export type H5BuildState = 'fresh' | 'missing' | 'stale';

export function h5BuildState(root: string): H5BuildState {
  const dist = join(root, 'h5', 'dist');
  if (!existsSync(join(dist, 'index.html'))) return 'missing';
  const stamp = join(dist, SOURCE_HASH_FILE);
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== h5SourceHash(root)) return 'stale';
  return 'fresh';
}

/**
 * Builds h5/dist unless it is fresh. Several processes may ask at once (test runs, npm start): a lock
 * directory makes one build while the others wait, then re-check. Throws when the build fails.
 */
export function ensureH5Built(root: string, log: (line: string) => void = console.log): H5BuildState {
  const state = h5BuildState(root);
  if (state === 'fresh') return state;
  const lock = join(root, 'h5', '.build-lock');
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process is building; a lock older than the deadline is left over from a crash.
      if (Date.now() > deadline || Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (h5BuildState(root) === 'fresh') return state;
    log(`构建 H5 (building the H5 workbench: dist is ${state})…`);
    // A production bundle whoever asks: Jest sets NODE_ENV=test, and Vite would bake that in.
    const env = { ...process.env, NODE_ENV: 'production' };
    const result = spawnSync('npm', ['run', 'build', '-w', 'h5'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm run build -w h5 failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    // Sources edited while Vite ran: this build is usable, the next check rebuilds.
    if (h5BuildState(root) !== 'fresh') log('H5 sources changed during the build; it will be rebuilt next time');
    return state;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
