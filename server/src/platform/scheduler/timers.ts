import { randomUUID } from 'node:crypto';
import { In, LessThan, LessThanOrEqual, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../db/transaction';
import { TimerRow, type TimerPayload, type TimerStatus } from './entities';
import { describeError, retryTransient, type Runtime } from './runtime';

/** What a timer handler is given. */
export interface FiredTimer<P = unknown> {
  /** The whole key, `<kind>:<id>`. */
  key: string;
  kind: string;
  /** The key after `<kind>:`. */
  id: string;
  payload: P;
  /** When it was scheduled to fire (epoch ms); on a retry, still the original time. */
  fireAt: number;
  /** 1 on the first try. */
  attempt: number;
  /** Aborted when the scheduler stops. */
  signal: AbortSignal;
}

export type TimerHandler<P = unknown> = (timer: FiredTimer<P>) => Promise<void> | void;

export interface TimerInfo {
  key: string;
  kind: string;
  payload: unknown;
  fireAt: number;
  nextAttemptAt: number;
  status: TimerStatus;
  attempts: number;
  lastError: string | null;
  firedAt: number | null;
}

/** Schedule inside the caller's transaction, so the timer exists exactly when the caller's rows do. */
export interface TimerWriteOptions {
  manager?: EntityManager;
}

/** The timer API modules use (`scheduler.timers`). */
export interface SchedulerTimers {
  /** Handle timers whose key starts with `<kind>:`. A kind has one handler; a second `on` throws. */
  on<P = unknown>(kind: string, handler: TimerHandler<P>): void;
  /**
   * Fire `<kind>:<id>` once at `fireAt` (epoch ms) with a JSON payload. Idempotent by key: an existing
   * timer (pending, firing, done, dead or cancelled) is re-armed with the new time and payload.
   */
  at(key: string, fireAt: number, payload?: unknown, opts?: TimerWriteOptions): Promise<void>;
  /** Stop a pending timer (or the retries of a firing one). True when there was one to stop. */
  cancel(key: string, opts?: TimerWriteOptions): Promise<boolean>;
  /** Move a pending (or firing) timer to `fireAt`, keeping its payload. False when there is none. */
  reschedule(key: string, fireAt: number, opts?: TimerWriteOptions): Promise<boolean>;
  get(key: string): Promise<TimerInfo | null>;
}

export interface TimerOutcome {
  key: string;
  /** done: handled; retry: failed, will be tried again; dead: failed for the last time; stale: rescheduled or cancelled meanwhile. */
  outcome: 'done' | 'retry' | 'dead' | 'stale';
}

export interface TimerPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Most timers one instance fires at once. */
  concurrency: number;
}

export class DuplicateTimerKindError extends Error {
  constructor(readonly kind: string) {
    super(`timer kind "${kind}" already has a handler`);
    this.name = 'DuplicateTimerKindError';
  }
}

const KIND = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ARMED: TimerStatus[] = ['pending', 'firing'];
/** A TEXT column holds 65,535 bytes on MySQL. */
const MAX_PAYLOAD_BYTES = 65_535;

/** Split `<kind>:<id>`; throws on a key the table cannot hold. */
export function parseTimerKey(key: string): { kind: string; id: string } {
  const colon = key.indexOf(':');
  const kind = colon > 0 ? key.slice(0, colon) : '';
  const id = colon > 0 ? key.slice(colon + 1) : '';
  if (!KIND.test(kind) || !id || key.length > 191)
    throw new Error(`timer key must be "<kind>:<id>" (kind: letters, digits, . _ -; at most 191 characters in all): "${key}"`);
  return { kind, id };
}

/**
 * Due timers. A tick selects due rows of the kinds this instance handles, then claims each with one
 * conditional UPDATE (pending and due, or firing with a lapsed lease → firing with a new claim token
 * and lease): the database lets exactly one instance's UPDATE match, on MySQL and SQLite alike. The
 * claimant runs the handler and records the outcome only while its token is still on the row.
 */
export class TimerEngine implements SchedulerTimers {
  private readonly handlers = new Map<string, TimerHandler<unknown>>();
  /** Claim tokens of the timers this instance is firing. */
  private readonly firing = new Set<string>();

  constructor(
    private readonly rt: Runtime,
    private readonly policy: TimerPolicy,
  ) {}

  on<P = unknown>(kind: string, handler: TimerHandler<P>): void {
    if (!KIND.test(kind)) throw new Error(`timer kind must be 1-64 letters, digits, . _ - : "${kind}"`);
    if (this.handlers.has(kind)) throw new DuplicateTimerKindError(kind);
    this.handlers.set(kind, handler as TimerHandler<unknown>);
  }

  private repo(opts?: TimerWriteOptions) {
    return (opts?.manager ?? this.rt.ds.manager).getRepository(TimerRow);
  }

  async at(key: string, fireAt: number, payload: unknown = null, opts?: TimerWriteOptions): Promise<void> {
    const { kind } = parseTimerKey(key);
    if (!this.handlers.has(kind)) throw new Error(`timer kind "${kind}" has no handler: register it with scheduler.timers.on('${kind}', …) first`);
    if (!Number.isFinite(fireAt)) throw new Error(`timer "${key}": fireAt must be epoch milliseconds`);
    const json = JSON.stringify(payload ?? null) as string | undefined;
    if (json === undefined) throw new Error(`timer "${key}": the payload must be JSON`);
    if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) throw new Error(`timer "${key}": the payload is over ${MAX_PAYLOAD_BYTES} bytes as JSON`);
    const now = this.rt.clock.now();
    const armed = {
      kind,
      payload: (payload ?? null) as TimerPayload,
      fireAt,
      nextAttemptAt: fireAt,
      status: 'pending' as const,
      attempts: 0,
      lastError: null,
      claimToken: null,
      leaseUntil: 0,
      updatedAt: now,
      firedAt: null,
    };
    const repo = this.repo(opts);
    // UPDATE, else INSERT, else (another writer inserted it meanwhile) UPDATE: portable upsert.
    for (let attempt = 1; ; attempt++) {
      if ((await repo.update({ key }, armed)).affected) return;
      try {
        await repo.insert({ key, ...armed, createdAt: now });
        return;
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 3) throw err;
      }
    }
  }

  async cancel(key: string, opts?: TimerWriteOptions): Promise<boolean> {
    const result = await this.repo(opts).update(
      { key, status: In(ARMED) },
      { status: 'cancelled', claimToken: null, leaseUntil: 0, updatedAt: this.rt.clock.now() },
    );
    return !!result.affected;
  }

  async reschedule(key: string, fireAt: number, opts?: TimerWriteOptions): Promise<boolean> {
    if (!Number.isFinite(fireAt)) throw new Error(`timer "${key}": fireAt must be epoch milliseconds`);
    const result = await this.repo(opts).update(
      { key, status: In(ARMED) },
      { fireAt, nextAttemptAt: fireAt, status: 'pending', attempts: 0, lastError: null, claimToken: null, leaseUntil: 0, updatedAt: this.rt.clock.now() },
    );
    return !!result.affected;
  }

  async get(key: string): Promise<TimerInfo | null> {
    const row = await this.repo().findOneBy({ key });
    if (!row) return null;
    const { kind, payload, fireAt, nextAttemptAt, status, attempts, lastError, firedAt } = row;
    return { key, kind, payload, fireAt, nextAttemptAt, status, attempts, lastError, firedAt };
  }

  firingCount(): number {
    return this.firing.size;
  }

  /** Claim due timers up to the free concurrency; returns the firings started (they never reject). */
  async claimDue(now: number): Promise<Array<Promise<TimerOutcome>>> {
    const capacity = this.policy.concurrency - this.firing.size;
    const kinds = [...this.handlers.keys()];
    if (capacity <= 0 || kinds.length === 0) return [];
    const repo = this.repo();
    const due = await repo.find({
      select: { key: true },
      where: [
        { kind: In(kinds), status: 'pending', nextAttemptAt: LessThanOrEqual(now) },
        { kind: In(kinds), status: 'firing', leaseUntil: LessThan(now) },
      ],
      order: { nextAttemptAt: 'ASC' },
      take: capacity,
    });
    const started: Array<Promise<TimerOutcome>> = [];
    for (const { key } of due) {
      const token = randomUUID();
      const claimed = await retryTransient(() =>
        this.rt.ds
          .createQueryBuilder()
          .update(TimerRow)
          .set({ status: 'firing', claimToken: token, leaseUntil: now + this.rt.leaseMs, attempts: () => 'attempts + 1', updatedAt: now })
          .where('timer_key = :key', { key })
          .andWhere("((status = 'pending' AND next_attempt_at <= :now) OR (status = 'firing' AND lease_until < :now))", { now })
          .execute(),
      );
      if (claimed.affected !== 1) continue; // another instance got there first
      const row = await repo.findOneBy({ key, claimToken: token });
      if (row) started.push(this.fire(row, token));
    }
    return started;
  }

  private async fire(row: TimerRow, token: string): Promise<TimerOutcome> {
    this.firing.add(token);
    const { key, kind, attempts } = row;
    const log = this.rt.logger.child({ timer: key, attempt: attempts });
    let failure: unknown = null;
    try {
      if (attempts > this.policy.maxAttempts) {
        failure = new Error(`gave up after ${attempts - 1} attempts (the last one's instance stopped before it finished)`);
      } else {
        const handler = this.handlers.get(kind)!;
        try {
          await handler({ key, kind, id: parseTimerKey(key).id, payload: row.payload, fireAt: row.fireAt, attempt: attempts, signal: this.rt.signal() });
        } catch (err) {
          failure = err ?? new Error('handler threw nothing');
        }
      }
      const now = this.rt.clock.now();
      let outcome: TimerOutcome['outcome'];
      let change: Pick<Partial<TimerRow>, 'status' | 'firedAt' | 'lastError' | 'nextAttemptAt'>;
      if (failure === null) {
        outcome = 'done';
        change = { status: 'done', firedAt: now, lastError: null };
      } else {
        const dead = attempts >= this.policy.maxAttempts;
        outcome = dead ? 'dead' : 'retry';
        const delay = Math.min(this.policy.retryBaseMs * 2 ** Math.max(0, attempts - 1), this.policy.retryMaxMs);
        change = dead
          ? { status: 'dead', lastError: describeError(failure) }
          : { status: 'pending', nextAttemptAt: now + delay, lastError: describeError(failure) };
        log[dead ? 'error' : 'warn']({ err: failure }, dead ? 'timer handler failed for the last time; timer is dead' : 'timer handler failed; will retry');
      }
      const result = await retryTransient(() =>
        this.rt.ds.getRepository(TimerRow).update({ key, claimToken: token }, { ...change, claimToken: null, leaseUntil: 0, updatedAt: now }),
      );
      if (!result.affected) {
        log.info({ outcome }, 'timer was rescheduled, cancelled or reclaimed while its handler ran; outcome not recorded');
        return { key, outcome: 'stale' };
      }
      return { key, outcome };
    } catch (err) {
      log.error({ err }, 'scheduler could not record a timer outcome');
      return { key, outcome: 'stale' };
    } finally {
      this.firing.delete(token);
    }
  }

  /** Keep the leases of this instance's firing timers alive. */
  async renewLeases(now: number): Promise<void> {
    if (this.firing.size === 0) return;
    await this.rt.ds.getRepository(TimerRow).update({ claimToken: In([...this.firing]), status: 'firing' }, { leaseUntil: now + this.rt.leaseMs });
  }

  /** Forget timers that fired or were cancelled before `cutoff` (dead ones stay for a person to look at). */
  async prune(cutoff: number): Promise<void> {
    await this.rt.ds.getRepository(TimerRow).delete({ status: In(['done', 'cancelled']), updatedAt: LessThan(cutoff) });
  }
}
