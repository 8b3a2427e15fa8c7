/** Jest globalTeardown: stop the MariaDB started by global-setup.ts and delete its temp dir. */
import type {} from './mariadb'; // declares globalThis.__SHOPCREW_MARIADB__

export default async function globalTeardown(): Promise<void> {
  const db = globalThis.__SHOPCREW_MARIADB__;
  if (!db) return;
  globalThis.__SHOPCREW_MARIADB__ = undefined;
  delete process.env.TEST_MYSQL_URL;
  await db.stop();
}
