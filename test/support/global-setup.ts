/**
 * Jest globalSetup for integration/api/e2e (https://jestjs.io/docs/configuration#globalsetup-string):
 * builds the H5 when h5/dist is missing or stale, and starts one throwaway MariaDB for the whole run and exports its base URL as TEST_MYSQL_URL. Workers
 * are spawned after this hook, so they inherit the variable; globals only reach globalTeardown.
 *
 * - TEST_MYSQL_URL already set: use that server (e.g. a developer's own MySQL 8), start nothing.
 * - MariaDB missing: fail when CI (any non-empty value) or REQUIRE_MYSQL=1, since a silent skip in CI
 *   would hide the MySQL half of the matrix; otherwise warn and run on SQLite only.
 */
import { join } from 'node:path';
import { ensureH5Built } from '../../scripts/h5-build';
import { findMariaDb, startMariaDb } from './mariadb';

export default async function globalSetup(): Promise<void> {
  // The API (H5 serving) and browser tiers need h5/dist: build it when missing or stale, so
  // `npm ci && npm test` works on a fresh clone. A failed build fails the run; nothing is skipped.
  // SKIP_H5_BUILD=1: server-side work while the H5 sources are mid-edit (uses the h5/dist there is; ignored in CI).
  if (!(process.env.SKIP_H5_BUILD === '1' && !process.env.CI)) ensureH5Built(join(__dirname, '..', '..'), (line) => console.log(`\n[test] ${line}`));
  if (process.env.TEST_MYSQL_URL) return;
  if (!findMariaDb()) {
    if (process.env.CI || process.env.REQUIRE_MYSQL === '1') {
      throw new Error('MariaDB (mariadbd + mariadb-install-db) is required here but not installed: apt-get install mariadb-server');
    }
    console.warn('\n[test] MariaDB not installed: database tests run on SQLite only (apt-get install mariadb-server).');
    return;
  }
  const db = await startMariaDb();
  globalThis.__SHOPCREW_MARIADB__ = db;
  process.env.TEST_MYSQL_URL = db.url;
}
