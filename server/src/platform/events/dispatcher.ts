import { randomBytes } from 'node:crypto';
import { In, IsNull, LessThan, LessThanOrEqual, type DataSource } from 'typeorm';
import { retryTransient } from '../../db/transaction';
import type { Logger } from '../../lib/logger';
import type { Background } from '../module';
import type { Tx, UnitOfWork } from '../tx';
import { UniqueKeys } from '../unique';
import type { DomainEvent, EventCatalogue } from './catalogue';
import { EventDelivery, OutboxEvent } from './entities';

/** A subscriber's `on` that takes every event type. */
export const ALL_EVENTS = '*';

/** A module's reaction to domain events. It must be idempotent by `event.id`; its writes go through `tx`. */
export interface Subscriber {
  /** Unique across the app: `<module>.<what it does>`, e.g. `auth.revoke-sessions-of-leavers`. */
  key: string;
  /** The event types it handles (declared in some module's `events`), or `['*']`: every type (notifications routing). */
  on: readonly string[];
  handle(event: DomainEvent, tx: Tx): Promise<void>;
}

export interface DispatcherOptions {
  now?: () => number;
  pollMs?: number;
  /** How long a claimed delivery is this instance's before another may take it over (a crashed instance). */
  leaseMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  batch?: number;
}

export interface DispatchReport {
  fannedOut: number;
  delivered: number;
  failed: number;
}

class LostClaimError extends Error {}

/**
 * Hands outbox events to subscribers, at least once, with several instances running:
 *  1. fan-out: each new event becomes one delivery row per subscriber of its type (a unique index makes
 *     that idempotent when instances race);
 *  2. claim: a conditional UPDATE gives a due delivery to exactly one instance, with a lease;
 *  3. apply: the subscriber runs in a transaction that also marks its delivery done under the claim
 *     token, so its database effects commit exactly once; a failure is retried with backoff, and after
 *     maxAttempts the delivery is parked as `dead` with the error.
 * Deliveries are not ordered across events; a subscriber that needs order reads the current state.
 */
export class Dispatcher implements Background {
  readonly name = 'event dispatcher';
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly keys = new UniqueKeys('event subscriber');
  private readonly token = randomBytes(8).toString('hex');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<DispatchReport> | null = null;
  private stopped = true;
  private readonly now: () => number;
  private readonly o: Required<Omit<DispatcherOptions, 'now'>>;

  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly catalogue: EventCatalogue,
    private readonly logger: Logger,
    opts: DispatcherOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.o = {
      pollMs: opts.pollMs ?? 250,
      leaseMs: opts.leaseMs ?? 30_000,
      maxAttempts: opts.maxAttempts ?? 8,
      retryBaseMs: opts.retryBaseMs ?? 1000,
      batch: opts.batch ?? 100,
    };
  }

  subscribe(subscriber: Subscriber, owner: string): void {
    this.keys.add(subscriber.key, owner);
    this.subscribers.set(subscriber.key, subscriber);
  }

  /** After every module is composed: each subscriber listens to declared event types only. */
  verify(): void {
    for (const s of this.subscribers.values()) {
      for (const type of s.on)
        if (type !== ALL_EVENTS && !this.catalogue.has(type)) throw new Error(`subscriber ${s.key} listens to undeclared event type "${type}"`);
    }
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Look now rather than at the next poll (after a local publish). */
  kick(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  /** One round: fan out new events, then apply what is due. Tests call it directly. */
  async tick(): Promise<DispatchReport> {
    const fannedOut = await this.fanOut();
    let delivered = 0;
    let failed = 0;
    for (const delivery of await this.claimDue()) {
      if (await this.apply(delivery)) delivered++;
      else failed++;
    }
    return { fannedOut, delivered, failed };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick();
      void this.running
        .catch((err: unknown) => {
          this.logger.error({ err }, 'event dispatch round failed');
          return { fannedOut: 0, delivered: 0, failed: 0 };
        })
        .then((r) => {
          this.running = null;
          this.schedule(r.fannedOut + r.delivered + r.failed > 0 ? 0 : this.o.pollMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async fanOut(): Promise<number> {
    const events = await retryTransient(() =>
      this.ds.getRepository(OutboxEvent).find({ where: { fannedOutAt: IsNull() }, order: { id: 'ASC' }, take: this.o.batch }),
    );
    for (const event of events) {
      const targets = [...this.subscribers.values()].filter((s) => s.on.includes(event.type) || s.on.includes(ALL_EVENTS));
      if (targets.length) {
        // INSERT IGNORE / INSERT OR IGNORE: an instance that fans out the same event again adds nothing.
        await retryTransient(() =>
          this.ds
            .createQueryBuilder()
            .insert()
            .into(EventDelivery)
            .values(
              targets.map((s) => ({
                eventId: event.eventId,
                subscriber: s.key,
                status: 'pending' as const,
                attempts: 0,
                nextAttemptAt: this.now(),
                claimToken: null,
                leaseUntil: 0,
                lastError: null,
                doneAt: null,
              })),
            )
            .orIgnore()
            .updateEntity(false)
            .execute(),
        );
      }
      await retryTransient(() => this.ds.getRepository(OutboxEvent).update({ id: event.id }, { fannedOutAt: this.now() }));
    }
    return events.length;
  }

  /** Due deliveries of subscribers this instance has, each claimed by one conditional UPDATE. */
  private async claimDue(): Promise<Array<EventDelivery & { claimToken: string }>> {
    const now = this.now();
    const keys = [...this.subscribers.keys()];
    if (!keys.length) return [];
    const repo = this.ds.getRepository(EventDelivery);
    const due = await retryTransient(async () => [
      ...(await repo.find({
        where: { status: 'pending', nextAttemptAt: LessThanOrEqual(now), subscriber: In(keys) },
        order: { id: 'ASC' },
        take: this.o.batch,
      })),
      ...(await repo.find({ where: { status: 'running', leaseUntil: LessThan(now), subscriber: In(keys) }, order: { id: 'ASC' }, take: this.o.batch })),
    ]);
    const claimed: Array<EventDelivery & { claimToken: string }> = [];
    for (const d of due) {
      const claimToken = `${this.token}:${d.id}:${d.attempts + 1}`;
      const result = await retryTransient(() =>
        repo.update(
          { id: d.id, status: d.status, attempts: d.attempts },
          { status: 'running', claimToken, leaseUntil: now + this.o.leaseMs, attempts: d.attempts + 1 },
        ),
      );
      if (result.affected === 1) claimed.push({ ...d, status: 'running', claimToken, attempts: d.attempts + 1 });
    }
    return claimed;
  }

  private async apply(delivery: EventDelivery & { claimToken: string }): Promise<boolean> {
    const subscriber = this.subscribers.get(delivery.subscriber)!;
    const row = await retryTransient(() => this.ds.getRepository(OutboxEvent).findOneByOrFail({ eventId: delivery.eventId }));
    const event: DomainEvent = {
      id: row.eventId,
      type: row.type,
      payload: row.payload,
      actor: row.actor,
      requestId: row.requestId,
      occurredAt: row.occurredAt,
    };
    try {
      await this.uow.run({ actor: event.actor, requestId: event.requestId }, async (tx) => {
        await subscriber.handle(event, tx);
        const done = await tx.manager.update(
          EventDelivery,
          { id: delivery.id, claimToken: delivery.claimToken },
          { status: 'done', doneAt: this.now(), claimToken: null, lastError: null },
        );
        if (done.affected !== 1) throw new LostClaimError(`delivery ${delivery.id} was taken over`); // roll the effects back
      });
      return true;
    } catch (err) {
      if (err instanceof LostClaimError) return false;
      const dead = delivery.attempts >= this.o.maxAttempts;
      const message = err instanceof Error ? err.message : String(err);
      this.logger[dead ? 'error' : 'warn'](
        { err, subscriber: delivery.subscriber, eventId: delivery.eventId, attempt: delivery.attempts },
        dead ? 'event delivery parked as dead' : 'event delivery failed; will retry',
      );
      await retryTransient(() =>
        this.ds.getRepository(EventDelivery).update(
          { id: delivery.id, claimToken: delivery.claimToken },
          {
            status: dead ? 'dead' : 'pending',
            claimToken: null,
            leaseUntil: 0,
            lastError: message.slice(0, 2000),
            nextAttemptAt: this.now() + this.o.retryBaseMs * 2 ** (delivery.attempts - 1),
          },
        ),
      );
      return false;
    }
  }
}
