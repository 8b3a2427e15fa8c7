/**
 * A throwaway MariaDB server from Debian's packages (`mariadb-server`: /usr/sbin/mariadbd,
 * mariadb-install-db), for the integration/api/e2e tiers. Vendure and Ghost run the same suites on
 * SQLite and MySQL (https://github.com/vendure-ecommerce/vendure/blob/master/e2e-common/test-config.ts,
 * https://github.com/TryGhost/Ghost/blob/main/ghost/core/core/shared/config/env/config.testing-mysql.json); this gives
 * the MySQL half a real server with production-like settings (utf8mb4, UTC, a password user over TCP; no
 * --skip-grant-tables) without Docker.
 *
 * Options: https://mariadb.com/kb/en/mariadbd-options/ and https://mariadb.com/kb/en/mariadb-install-db/
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

declare global {
  /** The server started by global-setup.ts, for global-teardown.ts (same process). */
  var __SHOPCREW_MARIADB__: MariaDbHandle | undefined;
}

export interface MariaDbHandle {
  /** `mysql://shopcrew:<password>@127.0.0.1:<port>/` — append a database name to use it. */
  url: string;
  /** Shut the server down and delete its temp dir. Idempotent. */
  stop(): Promise<void>;
}

const SERVER_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/libexec/mariadbd'];
const INSTALL_CANDIDATES = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'];

/** Absolute paths of the server and install-db binaries, or null when MariaDB isn't installed. */
export function findMariaDb(): { server: string; installDb: string } | null {
  const find = (candidates: string[], name: string): string | null =>
    candidates.find((p) => existsSync(p)) ?? (spawnSync('which', [name], { encoding: 'utf8' }).stdout.trim() || null);
  const server = find(SERVER_CANDIDATES, 'mariadbd');
  const installDb = find(INSTALL_CANDIDATES, 'mariadb-install-db');
  return server && installDb ? { server, installDb } : null;
}

export async function startMariaDb(): Promise<MariaDbHandle> {
  const bins = findMariaDb();
  if (!bins) throw new Error('MariaDB is not installed (apt-get install mariadb-server)');

  const dir = await mkdtemp(join(tmpdir(), 'shopcrew-mariadb-'));
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock'); // keep short: unix socket paths are limited to ~107 bytes
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : []; // mariadbd refuses to run as root otherwise
  // Small InnoDB files: the defaults (96 MB redo log, 128 MB pool) are wasted on a test server.
  const innodb = ['--innodb-buffer-pool-size=32M', '--innodb-log-file-size=8M', '--innodb-use-native-aio=0'];

  try {
    // normal root auth (no unix_socket plugin) so root can log in over the socket from this process.
    const install = spawnSync(
      bins.installDb,
      ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot, ...innodb],
      { encoding: 'utf8' },
    );
    if (install.status !== 0) throw new Error(`mariadb-install-db failed (${install.status}): ${install.stderr || install.stdout}`);

    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort(); // tiny race with other processes: retried below
      const child = spawn(
        bins.server,
        [
          '--no-defaults', // must be first; ignore /etc/mysql so the host's config can't leak in
          `--datadir=${datadir}`,
          `--socket=${socket}`,
          `--pid-file=${join(dir, 'mysqld.pid')}`,
          `--log-error=${join(dir, 'error.log')}`,
          '--bind-address=127.0.0.1',
          `--port=${port}`,
          '--skip-name-resolve',
          '--skip-log-bin',
          '--character-set-server=utf8mb4',
          '--collation-server=utf8mb4_unicode_ci',
          '--default-time-zone=+00:00',
          '--max-connections=500', // parallel Jest workers each open a pool
          ...innodb,
          '--innodb-flush-log-at-trx-commit=2', // durability is irrelevant for a throwaway server
          ...asRoot,
        ],
        { stdio: 'ignore' },
      );
      const killOnExit = (): void => void child.kill('SIGKILL'); // don't orphan the server if Jest dies
      process.once('exit', killOnExit);
      try {
        await waitForSocket(socket, child, join(dir, 'error.log'));
        const password = randomBytes(12).toString('hex');
        const root = await mysql.createConnection({ socketPath: socket, user: 'root' });
        try {
          await root.query(`CREATE USER 'shopcrew'@'127.0.0.1' IDENTIFIED BY ?`, [password]);
          // Tests create and drop their own t_<random> databases, hence global privileges.
          await root.query(`GRANT ALL PRIVILEGES ON *.* TO 'shopcrew'@'127.0.0.1'`);
        } finally {
          await root.end();
        }
        const url = `mysql://shopcrew:${password}@127.0.0.1:${port}/`;
        let stopped = false;
        return {
          url,
          async stop() {
            if (stopped) return;
            stopped = true;
            await stopChild(child);
            process.removeListener('exit', killOnExit);
            await rm(dir, { recursive: true, force: true });
          },
        };
      } catch (e) {
        lastError = e;
        await stopChild(child);
        process.removeListener('exit', killOnExit);
        if (!/already in use|bind on tcp/i.test(String(e))) break;
      }
    }
    throw lastError;
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Ask the kernel for a free port on 127.0.0.1 (closed again before mariadbd binds it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Poll with mysql2 until the server answers SELECT 1; fail fast (with the error log) if it exits. */
async function waitForSocket(socket: string, child: ChildProcess, errorLog: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const state: { exited: string | null } = { exited: null };
  child.once('exit', (code, signal) => (state.exited = `mariadbd exited (${code ?? signal})`));
  child.once('error', (e) => (state.exited = `mariadbd failed to start: ${e.message}`));
  const logTail = (): string => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8').split('\n').slice(-15).join('\n') : '');
  for (;;) {
    if (state.exited) throw new Error(`${state.exited}:\n${logTail()}`);
    try {
      const conn = await mysql.createConnection({ socketPath: socket, user: 'root', connectTimeout: 1000 });
      await conn.query('SELECT 1');
      await conn.end();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`mariadbd did not accept connections within ${timeoutMs} ms:\n${logTail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** SIGTERM is mariadbd's clean shutdown; SIGKILL after 20 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
