import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../db/transaction';
import type { AuditInput, AuditService } from '../modules/audit/audit.service';
import type { Outbox } from './events/outbox';

/**
 * A unit of work: one database transaction plus who is acting and why. Service methods that write take
 * a Tx, never a DataSource, so a write cannot land outside the transaction by a forgotten argument.
 * `publish` and `audit` commit or roll back with the change.
 */
export interface Tx {
  readonly manager: EntityManager;
  /** A userid, or 'system' / 'wecom' / 'shopee' for work the server does on its own. */
  readonly actor: string;
  readonly requestId: string | null;
  /** A domain event of a declared type (the module's `events`), delivered to subscribers after commit. */
  publish(type: string, payload: Record<string, unknown>): Promise<string>;
  /** Several events in one statement, in order (same checks as publish). */
  publishMany(events: ReadonlyArray<{ type: string; payload: Record<string, unknown> }>): Promise<string[]>;
  /** An audit entry by this actor with this request id. */
  audit(entry: Omit<AuditInput, 'actor' | 'requestId'>): Promise<void>;
  /**
   * Work that must see this unit's writes (a call to WeCom about them): run once the unit has committed, never if it
   * rolls back. Failures are the callback's own to log.
   */
  afterCommit(fn: () => Promise<void> | void): void;
  /** The same unit acting for someone else (an automation rule acting inside the event's unit): same transaction, same after-commit list. */
  as(context: TxContext): Tx;
}

export interface TxContext {
  actor: string;
  requestId?: string | null;
}

/** Opens units of work: the one way to write (retries the whole unit on a deadlock). */
export class UnitOfWork {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
    private readonly auditLog: AuditService,
  ) {}

  async run<T>(context: TxContext, work: (tx: Tx) => Promise<T>): Promise<T> {
    let after: Array<() => Promise<void> | void> = [];
    const result = await inTransaction(this.ds, (manager) => {
      after = []; // a deadlock retry starts the unit afresh
      return work(this.wrap(manager, context, after));
    });
    for (const fn of after)
      setImmediate(
        () =>
          void Promise.resolve()
            .then(fn)
            .catch(() => undefined),
      );
    return result;
  }

  /** A Tx on a transaction someone else opened (the dispatcher's, a legacy service's): afterCommit runs right away. */
  wrap(manager: EntityManager, context: TxContext, after?: Array<() => Promise<void> | void>): Tx {
    const requestId = context.requestId ?? null;
    return {
      manager,
      actor: context.actor,
      requestId,
      publish: (type, payload) => this.outbox.publish(manager, { type, payload, actor: context.actor, requestId }),
      publishMany: (events) =>
        this.outbox.publishMany(
          manager,
          events.map((e) => ({ ...e, actor: context.actor, requestId })),
        ),
      audit: (entry) => this.auditLog.record({ ...entry, actor: context.actor, requestId }, manager),
      as: (other) => this.wrap(manager, other, after),
      afterCommit: (fn) =>
        after
          ? after.push(fn)
          : void setImmediate(
              () =>
                void Promise.resolve()
                  .then(fn)
                  .catch(() => undefined),
            ),
    };
  }
}
