import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * The one place where MySQL and SQLite differ (Ghost data/db/connection.js).
 * - MySQL/MariaDB: utf8mb4 and UTC on the connection, a bounded pool.
 * - SQLite: WAL so readers don't block the writer, a busy timeout so several server processes can
 *   share the file, and foreign keys on.
 * Schema changes only through migrations: synchronize is never on.
 */
export function createDataSource(databaseUrl: string, opts: { poolSize?: number } = {}): DataSource {
  return new DataSource({
    ...driverOptions(databaseUrl, opts.poolSize ?? 10),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
  });
}

function driverOptions(databaseUrl: string, poolSize: number): DataSourceOptions {
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length) || ':memory:';
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: path,
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
        db.pragma('synchronous = NORMAL');
      },
    };
  }
  if (databaseUrl.startsWith('mysql://')) {
    return {
      type: 'mysql',
      url: databaseUrl,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      poolSize,
      extra: { connectionLimit: poolSize },
    };
  }
  throw new Error('DATABASE_URL must start with mysql:// or sqlite:');
}

export async function openDatabase(databaseUrl: string, opts: { migrate?: boolean; poolSize?: number } = {}): Promise<DataSource> {
  const ds = createDataSource(databaseUrl, opts);
  await ds.initialize();
  if (opts.migrate !== false) await ds.runMigrations({ transaction: 'each' });
  return ds;
}
