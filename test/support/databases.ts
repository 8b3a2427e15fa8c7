/**
 * The database matrix for integration/api/e2e tests (the same suite on SQLite and MySQL, as Vendure's
 * https://github.com/vendure-ecommerce/vendure/blob/master/e2e-common/test-config.ts picks one per run). Usage:
 *
 *   describe.each(testDatabases())('orders on $label', ({ kind }) => {
 *     let url: string;
 *     beforeAll(async () => { url = await freshDatabaseUrl(kind); });
 *     afterAll(() => dropDatabaseUrl(url));
 *   });
 *
 * Every call gives a brand-new database, so test files can run in parallel Jest workers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import mysql from 'mysql2/promise';

export type TestDatabaseKind = 'sqlite' | 'mysql';

const SQLITE_DIR_PREFIX = 'shopcrew-sqlite-';

/** sqlite always; mysql when global-setup.ts (or the caller's environment) provided TEST_MYSQL_URL. */
export function testDatabases(): Array<{ kind: TestDatabaseKind; label: string }> {
  const dbs: Array<{ kind: TestDatabaseKind; label: string }> = [{ kind: 'sqlite', label: 'sqlite' }];
  if (process.env.TEST_MYSQL_URL) dbs.push({ kind: 'mysql', label: 'mysql' });
  return dbs;
}

/** `sqlite:<new temp file>` or `mysql://…/t_<random>` (a new utf8mb4 database on TEST_MYSQL_URL). */
export async function freshDatabaseUrl(kind: TestDatabaseKind): Promise<string> {
  if (kind === 'sqlite') {
    // The file itself is created by the driver; its own dir keeps -wal/-shm files together for cleanup.
    return `sqlite:${join(mkdtempSync(join(tmpdir(), SQLITE_DIR_PREFIX)), 'test.db')}`;
  }
  const base = mysqlBaseUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const conn = await mysql.createConnection(base.toString());
  try {
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
  base.pathname = `/${name}`;
  return base.toString();
}

/** Drop a database made by freshDatabaseUrl (sqlite: delete its temp dir). Safe to call twice. */
export async function dropDatabaseUrl(url: string): Promise<void> {
  if (url.startsWith('sqlite:')) {
    const dir = dirname(url.slice('sqlite:'.length));
    // Only ever delete directories this module created.
    if (basename(dir).startsWith(SQLITE_DIR_PREFIX)) await rm(dir, { recursive: true, force: true });
    return;
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^t_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop non-test database "${name}"`);
  const conn = await mysql.createConnection(mysqlBaseUrl().toString());
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
}

function mysqlBaseUrl(): URL {
  const raw = process.env.TEST_MYSQL_URL;
  if (!raw) throw new Error('TEST_MYSQL_URL is not set: MySQL tests need the Jest globalSetup (test/support/global-setup.ts)');
  const url = new URL(raw);
  url.pathname = '/';
  return url;
}
