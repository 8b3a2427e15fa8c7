/**
 * Proves the database harness: every database of the matrix can be created, reached and dropped.
 * If this fails, every other integration/api test would fail for reasons unrelated to the app.
 */
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { existsSync } from 'node:fs';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';

test('CI runs the MySQL half of the matrix', () => {
  // global-setup.ts already throws when MariaDB is missing in CI; this guards a misconfigured run.
  if (process.env.CI || process.env.REQUIRE_MYSQL === '1') {
    expect(testDatabases().map((d) => d.kind)).toEqual(['sqlite', 'mysql']);
  }
});

describe.each(testDatabases())('database harness on $label', ({ kind }) => {
  let url: string;
  beforeAll(async () => {
    url = await freshDatabaseUrl(kind);
  });
  afterAll(async () => {
    await dropDatabaseUrl(url);
  });

  test('fresh database answers SELECT 1', async () => {
    if (kind === 'sqlite') {
      expect(url).toMatch(/^sqlite:\//);
      const db = new Database(url.slice('sqlite:'.length));
      try {
        expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
      } finally {
        db.close();
      }
      return;
    }
    expect(url).toMatch(/^mysql:\/\/shopcrew:[^@]+@127\.0\.0\.1:\d+\/t_[0-9a-f]+$/);
    const conn = await mysql.createConnection(url);
    try {
      const [rows] = await conn.query('SELECT 1 AS one, DATABASE() AS db, @@character_set_database AS cs, @@session.time_zone AS tz');
      const name = new URL(url).pathname.slice(1);
      expect(rows).toEqual([{ one: 1, db: name, cs: 'utf8mb4', tz: '+00:00' }]);
      // utf8mb4 end to end: 4-byte characters (emoji) survive a round trip.
      await conn.query('CREATE TABLE t (s VARCHAR(20)) ENGINE=InnoDB');
      await conn.query('INSERT INTO t VALUES (?)', ['店务通 ✅😀']);
      const [back] = await conn.query('SELECT s FROM t');
      expect(back).toEqual([{ s: '店务通 ✅😀' }]);
    } finally {
      await conn.end();
    }
  });

  test('each call gives a different, empty database', async () => {
    const other = await freshDatabaseUrl(kind);
    try {
      expect(other).not.toBe(url);
      if (kind === 'sqlite') {
        expect(existsSync(other.slice('sqlite:'.length))).toBe(false); // not even a file yet
      } else {
        const conn = await mysql.createConnection(other);
        try {
          const [tables] = await conn.query('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()');
          expect(tables).toEqual([{ n: 0 }]);
        } finally {
          await conn.end();
        }
      }
    } finally {
      await dropDatabaseUrl(other);
    }
  });
});
