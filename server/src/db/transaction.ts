import type { DataSource, EntityManager } from 'typeorm';
import { sleep } from '../lib/sleep';

/** MySQL/MariaDB deadlock (1213) or lock wait timeout (1205); SQLite busy/locked. */
export function isTransient(err: unknown): boolean {
  const e = err as { errno?: number; code?: string; driverError?: { errno?: number; code?: string } };
  const errno = e?.driverError?.errno ?? e?.errno;
  const code = e?.driverError?.code ?? e?.code;
  return errno === 1213 || errno === 1205 || code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** A unique index refused the row (MySQL ER_DUP_ENTRY, SQLite UNIQUE/PRIMARY KEY constraint). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { driverError?: { errno?: number; code?: string }; errno?: number; code?: string };
  const errno = e?.driverError?.errno ?? e?.errno;
  const code = e?.driverError?.code ?? e?.code;
  return errno === 1062 || code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Run `work` in a transaction, retrying it whole when the database chose it as a deadlock victim.
 * InnoDB deadlocks under concurrent writers are expected, not bugs; the fix is to retry.
 */
export async function inTransaction<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      // READ COMMITTED on InnoDB: no gap locks for the delete-then-insert of link rows, which is what
      // made parallel sync lanes deadlock under REPEATABLE READ. SQLite serialises writers anyway.
      return ds.options.type === 'mysql' ? await ds.transaction('READ COMMITTED', work) : await ds.transaction(work);
    } catch (err) {
      if (!isTransient(err) || attempt >= attempts) throw err;
      await sleep(10 * attempt + Math.random() * 20);
    }
  }
}

/**
 * Run one statement (or a short sequence) again when the database was busy or picked it as a deadlock
 * victim: rows that many instances poll (scheduler, dispatcher) are few and hot, so this is expected.
 */
export async function retryTransient<T>(work: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isTransient(err) || attempt >= attempts) throw err;
      await sleep(5 * attempt + Math.random() * 10);
    }
  }
}
