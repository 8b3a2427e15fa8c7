import { In, type DataSource } from 'typeorm';
import type { HeldLease, HoldOptions, LeaseStore } from '../../db/leases';
import type { Logger } from '../../lib/logger';
import { decodePayload, type EventRegistry, type InboxEvent } from './event-handlers';
import { InboxEntry } from './inbox-entry.entity';

export const INBOX_LEASE = 'job:inbox-worker';
export const MAX_ATTEMPTS = 8;
/** Stream heads fetched per round. */
const HEADS_PER_ROUND = 100;

export interface InboxWorkerOptions {
  pollMs?: number;
  retryBaseMs?: number;
  /** Pause between events while callbacks are arriving (ms); 0 disables. Default 20. */
  yieldMs?: number;
  /** The worker lease's TTL and heartbeat (LeaseStore defaults: 3 s, renewed every second). */
  lease?: HoldOptions;
}

/** While callbacks arrived this recently, the worker gives way to the ingress between events. */
const BUSY_WINDOW_MS = 100;

/**
 * Applies stored inbox rows, of every source, stream by stream: each round takes the oldest pending row of every
 * stream (its head) that is due, and applies them in id order. Order holds within a stream only (a member's
 * contact events, one department's, one tag's; see inbox-keys.ts): a failing row is retried with backoff and holds
 * up the later rows of its own stream, while the other streams keep flowing; after MAX_ATTEMPTS it is parked as
 * 'dead' with its error and logged, and its stream moves on. Rows stay pending across a crash, so a restart picks
 * them up.
 *
 * One worker at a time across all processes holds the lease (so no two processes apply rows of one stream at
 * once). The lease is short and heartbeat-renewed (LeaseStore.hold): a worker that died mid-batch (kill -9)
 * stops renewing it, and another process takes over within seconds; a worker waiting for it retries
 * right when the holder's lease would run out. Fencing: before each row the worker checks that it still
 * holds the lease, and stops at once when it does not (taken over after a stall, or the database
 * unreachable for most of the TTL). A row is marked done or failed only while it is still pending, so
 * a worker that lost the lease mid-apply never undoes what its successor recorded; an apply that was
 * cut off before its row was marked is re-run by the successor (handlers are idempotent).
 */
export class InboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private lastKick = 0;
  /** Not scheduling (never started, or stopped). drain() still works: tests and the CLI call it. */
  private stopped = true;
  private stopRequested = false;
  /** When the last drain found the lease taken: retry when the holder's lease would run out. */
  private busyRetryMs: number | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly leases: LeaseStore,
    private readonly registry: EventRegistry,
    private readonly logger: Logger,
    private readonly opts: InboxWorkerOptions = {},
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.stopped = false;
    this.stopRequested = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // The drain in progress stops after its current row and releases the lease on its way out.
    await this.running?.catch(() => 0);
  }

  /** Called after a callback is stored: process soon instead of waiting for the next poll. */
  kick(): void {
    this.lastKick = this.now();
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    try {
      await this.drain();
    } catch (err) {
      this.logger.error({ err }, 'inbox worker failed');
    }
    const pollMs = this.opts.pollMs ?? 1000;
    if (this.again) {
      this.again = false;
      this.schedule(0);
    } else {
      this.schedule(this.busyRetryMs === null ? pollMs : Math.min(pollMs, this.busyRetryMs));
    }
  }

  /** Apply every due event (used by the loop, and directly by tests and the CLI). Returns how many were handled. */
  drain(): Promise<number> {
    if (!this.running) this.running = this.drainOnce().finally(() => (this.running = null));
    return this.running;
  }

  private async drainOnce(): Promise<number> {
    const lease = await this.leases.hold(INBOX_LEASE, this.opts.lease);
    if (!lease) {
      // Another process is applying (or died holding the lease): try again when its lease would lapse.
      this.busyRetryMs = (await this.leases.remainingMs(INBOX_LEASE).catch(() => null)) ?? null;
      if (this.busyRetryMs !== null) this.busyRetryMs += 10;
      return 0;
    }
    this.busyRetryMs = null;
    let handled = 0;
    try {
      rounds: for (;;) {
        const heads = await this.dueHeads();
        if (!heads.length) break;
        for (const entry of heads) {
          // Fencing: never start applying a row without the lease.
          if (!lease.held) {
            this.logger.warn({ handled, next: entry.id }, 'inbox worker lost its lease; stopping before the next event');
            break rounds;
          }
          await this.applyOne(entry);
          handled++;
          await this.giveWay();
          if (this.stopRequested) break rounds;
        }
      }
    } finally {
      await this.release(lease);
    }
    return handled;
  }

  /**
   * The oldest pending row of each stream, when it is due, oldest first. A stream whose head waits for its retry
   * has no due head: its later rows wait with it. (idx_inbox_stream_due serves the grouping.)
   */
  private async dueHeads(): Promise<InboxEntry[]> {
    const rows: Array<{ id: number | string }> = await this.ds.query(
      `SELECT e.id AS id FROM (SELECT MIN(id) AS id FROM callback_inbox WHERE status = 'pending' GROUP BY stream_key) h ` +
        `JOIN callback_inbox e ON e.id = h.id WHERE e.next_attempt_at <= ? ORDER BY e.id LIMIT ${HEADS_PER_ROUND}`,
      [this.now()],
    );
    if (!rows.length) return [];
    return this.ds.getRepository(InboxEntry).find({ where: { id: In(rows.map((r) => Number(r.id))) }, order: { id: 'ASC' } });
  }

  private async release(lease: HeldLease): Promise<void> {
    try {
      await lease.release();
    } catch (err) {
      // It lapses by itself within the TTL.
      this.logger.warn({ err }, 'inbox worker could not release its lease');
    }
  }

  /**
   * Acknowledging a callback within WeCom's 5 s matters more than applying it a moment sooner: during
   * a burst the worker pauses briefly between events so the event loop serves the ingress first.
   */
  private async giveWay(): Promise<void> {
    const yieldMs = this.opts.yieldMs ?? 20;
    if (yieldMs > 0 && this.now() - this.lastKick < BUSY_WINDOW_MS) await new Promise((r) => setTimeout(r, yieldMs));
  }

  private async applyOne(entry: InboxEntry): Promise<void> {
    const repo = this.ds.getRepository(InboxEntry);
    try {
      const handler = this.registry.resolve(entry.source, entry.type);
      const event: InboxEvent = {
        id: entry.id,
        source: entry.source,
        type: entry.type,
        streamKey: entry.streamKey,
        receivedAt: entry.receivedAt,
        fields: decodePayload(entry.source, entry.payload),
      };
      const outcome = handler ? await handler(event) : 'ignored';
      await repo.update({ id: entry.id, status: 'pending' }, { status: outcome, appliedAt: this.now(), attempts: entry.attempts + 1, lastError: null });
    } catch (err) {
      const attempts = entry.attempts + 1;
      const dead = attempts >= MAX_ATTEMPTS;
      const delay = (this.opts.retryBaseMs ?? 1000) * 2 ** Math.min(attempts - 1, 8);
      const message = (err as Error).message?.slice(0, 1000) ?? String(err);
      await repo.update(
        { id: entry.id, status: 'pending' },
        { attempts, status: dead ? 'dead' : 'pending', nextAttemptAt: this.now() + delay, lastError: message },
      );
      this.logger[dead ? 'error' : 'warn'](
        { inboxId: entry.id, source: entry.source, type: entry.type, stream: entry.streamKey, attempts, err: message },
        dead ? 'callback event parked as dead' : 'callback event failed; will retry',
      );
    }
  }
}
