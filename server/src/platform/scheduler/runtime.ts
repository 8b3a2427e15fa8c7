import type { DataSource } from 'typeorm';
import type { Logger } from '../../lib/logger';
import type { Clock } from './clock';

/** What the job and timer engines of one scheduler instance share. */
export interface Runtime {
  ds: DataSource;
  clock: Clock;
  logger: Logger;
  /** This instance, as recorded in `owner` / claim tokens. */
  instanceId: string;
  /** How long a claim holds without renewal; renewed while the work runs. */
  leaseMs: number;
  /** Aborted when the scheduler stops. */
  signal(): AbortSignal;
}

/** An error as recorded in a row: `Name: message`, bounded. */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}

/** One statement again when the database was busy or chose it as a deadlock victim (db/transaction.ts). */
export { retryTransient } from '../../db/transaction';
