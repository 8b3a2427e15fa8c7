import type { DataSource } from 'typeorm';
import { isTransient } from '../../db/transaction';
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

/**
 * Run one statement again when the database picked it as a deadlock victim or was busy: the rows a
 * scheduler touches are few and hot (many instances poll them), so this is expected, not a bug.
 */
export async function retryTransient<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isTransient(err) || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}
