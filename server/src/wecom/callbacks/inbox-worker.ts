import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import type { HeldLease, HoldOptions, LeaseStore } from '../../db/leases';
import { EventLoopLoad } from '../../lib/event-loop-load';
import type { Logger } from '../../lib/logger';
import { decodePayload, type EventRegistry, type InboxEvent } from './event-handlers';
import { DrainLoop } from '../../platform/drain-loop';
import { claimLanes, type StreamClaims } from '../../platform/stream-claims';
import { InboxEntry, type InboxStatus } from './inbox-entry.entity';

export const MAX_ATTEMPTS = 8;
/** How a row ended: applied/ignored, or back to pending (with its retry time), or parked as dead. */
interface RowOutcome {
  status: InboxStatus;
  attempts: number;
  nextAttemptAt?: number;
  appliedAt?: number | null;
  lastError: string | null;
}

type InboxClaims = StreamClaims<InboxEntry>;
const INBOX_QUEUE = { entity: InboxEntry, table: 'callback_inbox', streamColumn: 'stream_key' };

/** Stream heads one lane claims at a time. */
const HEADS_PER_BATCH = 50;

export interface InboxWorkerOptions {
  pollMs?: number;
  retryBaseMs?: number;
  /**
   * While callbacks are arriving, the least pause between events (ms); 0 turns giving way off. Default 20. The pause
   * also grows with the event's own cost, so that under load the worker takes at most BUSY_SHARE of the time.
   */
  yieldMs?: number;
  /** The claims' TTL and heartbeat (LeaseStore defaults: 3 s, renewed every second). */
  lease?: HoldOptions;
  /** Lanes applying rows in parallel in this process (MySQL only; SQLite has one writer, so one lane). Default 1. */
  lanes?: number;
}

/** While callbacks arrived this recently, the worker gives way to the ingress between events. */
const BUSY_WINDOW_MS = 100;
/** Under load, the share of the time the worker may spend applying (one lane; the others wait for a lull). */
const BUSY_SHARE = 0.05;
/** "Under load": callbacks are arriving and the event loop was at least this busy over the last 100 ms. */
const BUSY_LOOP = 0.7;

/**
 * Applies stored inbox rows, of every source, stream by stream: a lane claims the oldest pending row of up to
 * HEADS_PER_BATCH streams (their heads) that are due and unclaimed, and applies them in id order. Order holds within
 * a stream only (a member's contact events, one department's, one tag's; see inbox-keys.ts): a failing row is retried
 * with backoff and holds up the later rows of its own stream, while the other streams keep flowing; after
 * MAX_ATTEMPTS it is parked as 'dead' with its error and logged, and its stream moves on. Rows stay pending across a
 * crash, so a restart picks them up.
 *
 * Any number of workers, in one process (`lanes`) or many, share the inbox through claims (platform/stream-claims.ts): a
 * claimed head is applied by its claimer only, and the rest of its stream waits for it. Claims are short and
 * heartbeat-renewed: a worker that died mid-batch (kill -9) stops renewing them and another takes the rows over within
 * seconds; a worker that finds only claimed heads retries right when the earliest claim would lapse. Fencing: before
 * each row a lane checks that its claims are still live, and stops at once when they are not (a stall, or the
 * database unreachable for most of the TTL). A row's outcome is recorded only while it is still pending and claimed
 * by that batch, so a worker that lost its claim never undoes what its successor recorded; an apply that was cut off
 * before its row was marked is re-run by the successor (handlers are idempotent).
 */
export class InboxWorker {
  private lastKick = 0;
  private readonly loop: DrainLoop;
  private readonly busyLoop = new EventLoopLoad();
  /** When the last drain found only heads other workers hold: retry when the earliest claim would lapse. */
  private busyRetryMs: number | null = null;
  private readonly lanes: InboxClaims[];

  constructor(
    ds: DataSource,
    leases: LeaseStore,
    private readonly registry: EventRegistry,
    private readonly logger: Logger,
    private readonly opts: InboxWorkerOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.lanes = claimLanes(ds, INBOX_QUEUE, `${leases.instanceId}/inbox`, opts.lanes ?? 1, opts.lease);
    this.loop = new DrainLoop(
      () => this.drainOnce(),
      () => {
        const pollMs = opts.pollMs ?? 1000;
        return this.busyRetryMs === null ? pollMs : Math.min(pollMs, this.busyRetryMs);
      },
      (err) => this.logger.error({ err }, 'inbox worker failed'),
    );
  }

  start(): void {
    this.loop.start();
  }

  /** Stops scheduling; the drain in progress stops after its current row and releases its claims on its way out. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Called after a callback is stored: process soon instead of waiting for the next poll. */
  kick(): void {
    this.lastKick = this.now();
    this.loop.kick();
  }

  /** Apply every due event (used by the loop, and directly by tests and the CLI). Returns how many were handled. */
  drain(): Promise<number> {
    return this.loop.drain();
  }

  private async drainOnce(): Promise<number> {
    this.busyRetryMs = null;
    const counts = await Promise.all(this.lanes.map((claims, lane) => this.runLane(claims, lane)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** One lane: claim a batch of heads, apply it, repeat until nothing is claimable (or stop() / a lost claim). */
  private async runLane(claims: InboxClaims, lane: number): Promise<number> {
    let handled = 0;
    while (!this.loop.stopping && !(lane > 0 && this.arriving())) {
      const batch = await claims.claim(HEADS_PER_BATCH, this.now());
      if (!('hold' in batch)) {
        if (batch.retryInMs !== null) this.busyRetryMs = Math.min(this.busyRetryMs ?? Infinity, batch.retryInMs + 10);
        break;
      }
      const { rows, hold } = batch;
      const done = new DoneRows(claims, hold.owner, this.now);
      try {
        for (const entry of rows) {
          // Fencing: never start applying a row without a live claim.
          if (!hold.held) {
            this.logger.warn({ handled, next: entry.id }, 'inbox worker lost its claims; stopping before the next event');
            return handled;
          }
          const startedAt = performance.now();
          const outcome = await this.applyOne(entry);
          if (outcome.status === 'applied' || outcome.status === 'ignored') done.add(entry.id, outcome.status);
          else await claims.finish(entry.id, hold.owner, outcome);
          handled++;
          await done.flushIfDue();
          // While callbacks arrive the extra lanes step aside (their rows are freed below); under load the first slows down.
          if (lane > 0 && this.arriving()) break;
          await this.giveWay(performance.now() - startedAt);
          if (this.loop.stopping) break;
        }
      } finally {
        // Record what was applied before freeing the rest: a freed row that was applied would be applied again.
        await done.flush().catch((err: unknown) => this.logger.warn({ err }, 'inbox worker could not record applied events; they will be re-applied'));
        await this.release(hold);
      }
    }
    return handled;
  }

  private async release(hold: HeldLease): Promise<void> {
    try {
      await hold.release();
    } catch (err) {
      // They lapse by themselves within the TTL.
      this.logger.warn({ err }, 'inbox worker could not release its claims');
    }
  }

  /** Callbacks arrived within the last BUSY_WINDOW_MS (and giving way is on): one lane applies, the others wait. */
  private arriving(): boolean {
    return (this.opts.yieldMs ?? 20) > 0 && this.now() - this.lastKick < BUSY_WINDOW_MS;
  }

  /**
   * Callbacks are arriving and the event loop is busy. A steady trickle of callbacks on an idle loop (a bulk member
   * import: dozens a second) is not load, and the worker's one lane keeps applying at full speed; only when the
   * ingress competes for the loop does it slow down.
   */
  private underLoad(): boolean {
    return this.arriving() && this.busyLoop.utilization() >= BUSY_LOOP;
  }

  /**
   * Acknowledging a callback within WeCom's 5 s matters more than applying it a moment sooner: during a burst the
   * worker pauses after each event for at least yieldMs and long enough that applying takes at most BUSY_SHARE of the
   * time, so the event loop (and the database pool) serve the ingress first. Once callbacks stop, it runs flat out.
   */
  private async giveWay(appliedInMs: number): Promise<void> {
    if (!this.underLoad()) return;
    const pauseMs = Math.max(this.opts.yieldMs ?? 20, (appliedInMs * (1 - BUSY_SHARE)) / BUSY_SHARE);
    await new Promise((r) => setTimeout(r, Math.min(pauseMs, 2_000)));
  }

  /** Run the row's handler; what happened, as the row's next state (not yet recorded). */
  private async applyOne(entry: InboxEntry): Promise<RowOutcome> {
    const attempts = entry.attempts + 1;
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
      const status = handler ? await handler(event) : 'ignored';
      return { status, appliedAt: this.now(), attempts, lastError: null };
    } catch (err) {
      const dead = attempts >= MAX_ATTEMPTS;
      const delay = (this.opts.retryBaseMs ?? 1000) * 2 ** Math.min(attempts - 1, 8);
      const message = (err as Error).message?.slice(0, 1000) ?? String(err);
      this.logger[dead ? 'error' : 'warn'](
        { inboxId: entry.id, source: entry.source, type: entry.type, stream: entry.streamKey, attempts, err: message },
        dead ? 'callback event parked as dead' : 'callback event failed; will retry',
      );
      return { status: dead ? 'dead' : 'pending', attempts, nextAttemptAt: this.now() + delay, lastError: message };
    }
  }
}

/** How long applied rows may wait to be recorded: the next row of their streams waits as long. */
const RECORD_EVERY_MS = 50;

/**
 * Rows of one batch that were applied but not yet recorded: recorded together, one UPDATE per outcome, every
 * RECORD_EVERY_MS and when the batch ends. (A crash in between re-applies them after takeover: handlers are
 * idempotent; the rows stay claimed, so no other worker applies their streams meanwhile.)
 */
class DoneRows {
  private readonly ids = { applied: [] as number[], ignored: [] as number[] };
  private since: number | null = null;

  constructor(
    private readonly claims: InboxClaims,
    private readonly token: string,
    private readonly now: () => number,
  ) {}

  add(id: number, status: 'applied' | 'ignored'): void {
    this.ids[status].push(id);
    this.since ??= this.now();
  }

  async flushIfDue(): Promise<void> {
    if (this.since !== null && this.now() - this.since >= RECORD_EVERY_MS) await this.flush();
  }

  async flush(): Promise<void> {
    const at = this.now();
    for (const status of ['applied', 'ignored'] as const) {
      const ids = this.ids[status].splice(0);
      await this.claims.finishMany(ids, this.token, { status, appliedAt: at, lastError: null });
    }
    this.since = null;
  }
}
