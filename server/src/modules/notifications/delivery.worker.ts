import { In, MoreThan, type DataSource } from 'typeorm';
import type { HoldOptions, LeaseStore } from '../../db/leases';
import type { Logger } from '../../lib/logger';
import type { EventCatalogue } from '../../platform/events';
import type { Background } from '../../platform/module';
import { DrainLoop } from '../../platform/drain-loop';
import { claimLanes, type StreamClaims } from '../../platform/stream-claims';
import { Delivery } from './delivery.entity';
import type { Governor } from './governor';
import type { OutgoingMessage } from './message';
import { LIMIT_CODES, SendFailure, type DeliverySender } from './sender';
import { utf8Bytes } from './text-limits';

export interface DeliveryWorkerOptions {
  pollMs?: number;
  /** Backoff base: attempt n waits about base × 2^(n-1), with full jitter, at most 10 minutes. Default 2 s. */
  retryBaseMs?: number;
  maxAttempts?: number;
  /** Targets sent to in parallel by this instance (MySQL only; SQLite: 1). Default 4. */
  lanes?: number;
  lease?: HoldOptions;
  now?: () => number;
  /** Where the H5 is: a summary links to its list of merged messages there. */
  publicUrl?: string;
  /** After an interactive card went out: its task id and first response code (cards.ts). */
  onCardSent?: (taskId: string, responseCode: string | null) => Promise<void>;
}

const QUEUE = { entity: Delivery, table: 'notification_deliveries', streamColumn: 'target' };
const HEADS_PER_BATCH = 20;
const MAX_BACKOFF_MS = 600_000;
/** Bytes of a summary's list of merged messages (under every channel's limit, with room for the title). */
const SUMMARY_BYTES = 1700;

/**
 * Sends notification deliveries. Deliveries are streams by target (a member, a robot, a chat): a target's messages
 * go out one at a time and in order, different targets in parallel, across instances (platform/stream-claims.ts).
 * Before each send the governor says how many more the target may get now: none → the delivery waits until a slot
 * frees (and its target's later ones with it); fewer than are waiting → the waiting ones of the same event type are
 * merged into one summary, so a burst is neither dropped nor held back for long. A failure is retried with
 * exponential backoff and jitter; what WeCom refuses for good, and anything past maxAttempts, is `dead` with its
 * reason (the admin page can retry it).
 */
export class DeliveryWorker implements Background {
  readonly name = 'notification deliveries';
  private readonly lanes: Array<StreamClaims<Delivery>>;
  private readonly loop: DrainLoop;
  private readonly now: () => number;

  constructor(
    private readonly ds: DataSource,
    leases: LeaseStore,
    private readonly sender: DeliverySender,
    private readonly governor: Governor,
    private readonly catalogue: EventCatalogue,
    private readonly logger: Logger,
    private readonly opts: DeliveryWorkerOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.lanes = claimLanes(ds, QUEUE, `${leases.instanceId}/deliveries`, opts.lanes ?? 4, opts.lease);
    this.loop = new DrainLoop(
      () => this.drainOnce(),
      () => opts.pollMs ?? 500,
      (err) => this.logger.error({ err }, 'notification delivery worker failed'),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** New deliveries were committed: send soon rather than at the next poll. */
  kick(): void {
    this.loop.kick();
  }

  /** Send every due delivery (the loop's step; tests call it directly). Returns how many were handled. */
  drain(): Promise<number> {
    return this.loop.drain();
  }

  private async drainOnce(): Promise<number> {
    const counts = await Promise.all(this.lanes.map((claims) => this.runLane(claims)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async runLane(claims: StreamClaims<Delivery>): Promise<number> {
    let handled = 0;
    while (!this.loop.stopping) {
      const batch = await claims.claim(HEADS_PER_BATCH, this.now());
      if (!('hold' in batch)) break;
      try {
        for (const delivery of batch.rows) {
          if (!batch.hold.held || this.loop.stopping) return handled;
          await this.handle(claims, batch.hold.owner, delivery);
          handled++;
        }
      } finally {
        await batch.hold.release().catch(() => undefined);
      }
    }
    return handled;
  }

  private async handle(claims: StreamClaims<Delivery>, token: string, delivery: Delivery): Promise<void> {
    const budget = await this.governor.budget(delivery.target, this.now());
    if (budget.waitUntil !== null || budget.left === 0) {
      // Not a failure: it waits for its slot, and the target's later messages gather behind it.
      await claims.finish(delivery.id, token, { nextAttemptAt: (budget.waitUntil ?? this.now() + 1000) + Math.floor(Math.random() * 100) });
      return;
    }
    await this.mergeBacklog(delivery, budget.left, budget.scarce);
    const attempts = delivery.attempts + 1;
    try {
      const { msgid, responseCode } = await this.sender.send(delivery);
      this.governor.counted(delivery.target);
      await claims.finish(delivery.id, token, { status: 'sent', sentAt: this.now(), msgid, attempts, lastError: null });
      if (delivery.message.card && this.opts.onCardSent)
        await this.opts
          .onCardSent(delivery.message.card.taskId, responseCode ?? null)
          .catch((err: unknown) => this.logger.warn({ err, delivery: delivery.id }, 'could not record the card'));
    } catch (err) {
      const failure = err instanceof SendFailure ? err : new SendFailure(String(err), 'retry');
      const dead = failure.kind === 'dead' || attempts >= (this.opts.maxAttempts ?? 8);
      if (failure.errcode !== null && LIMIT_CODES.has(failure.errcode))
        this.logger.error(
          { delivery: delivery.id, target: delivery.target, errcode: failure.errcode },
          'WeCom frequency limit hit despite the governor: a bug',
        );
      else this.logger.warn({ delivery: delivery.id, target: delivery.target, attempts, dead, err: failure.message }, 'notification delivery failed');
      await claims.finish(delivery.id, token, {
        status: dead ? 'dead' : 'pending',
        attempts,
        nextAttemptAt: this.now() + this.backoff(attempts),
        lastError: failure.message.slice(0, 1000),
      });
    }
  }

  /** Full jitter (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/): spreads retries of many deliveries. */
  private backoff(attempts: number): number {
    const cap = Math.min(MAX_BACKOFF_MS, (this.opts.retryBaseMs ?? 2000) * 2 ** (attempts - 1));
    return Math.floor(cap / 2 + Math.random() * (cap / 2));
  }

  /**
   * More messages of this event type wait for this target than it may get now (or its budget runs low): fold them into this one, as a summary
   * listing each (or counting what does not fit), and mark them merged into it. They are behind this delivery in its
   * target's stream, so no other worker can be sending them.
   */
  private async mergeBacklog(delivery: Delivery, left: number, scarce: boolean): Promise<void> {
    const waiting = await this.ds.getRepository(Delivery).find({
      where: { target: delivery.target, eventType: delivery.eventType, status: 'pending', id: MoreThan(delivery.id) },
      order: { id: 'ASC' },
      take: 1000,
    });
    if (!waiting.length || (!scarce && waiting.length + 1 <= left)) return;
    const all = [delivery, ...waiting];
    const label = this.catalogue.get(delivery.eventType)?.label ?? delivery.eventType;
    // A summary that failed and is merging more keeps what it already stood for.
    const before = delivery.message.batch;
    const first = before?.first ?? {
      title: delivery.message.title,
      text: delivery.message.text,
      ...(delivery.message.url ? { url: delivery.message.url } : {}),
    };
    const items: OutgoingMessage[] = before
      ? [{ ...delivery.message, ...first }, ...(await this.mergedMessages(before.mergedIds)), ...waiting.map((w) => w.message)]
      : all.map((d) => d.message);
    delivery.message = {
      ...summarize(label, items),
      ...(this.opts.publicUrl ? { url: `${this.opts.publicUrl}/notifications/batches/${delivery.id}` } : {}),
      batch: { first, mergedIds: [...(before?.mergedIds ?? []), ...waiting.map((w) => w.id)] },
    };
    await this.ds.transaction(async (m) => {
      await m.update(Delivery, { id: In(waiting.map((w) => w.id)), status: 'pending' }, { status: 'merged', mergedInto: delivery.id });
      await m.update(Delivery, { id: delivery.id }, { message: delivery.message });
    });
    this.logger.info({ delivery: delivery.id, target: delivery.target, merged: waiting.length }, 'burst merged into one summary');
  }

  private async mergedMessages(ids: number[]): Promise<OutgoingMessage[]> {
    if (!ids.length) return [];
    return (await this.ds.getRepository(Delivery).find({ where: { id: In(ids) }, order: { id: 'ASC' } })).map((d) => d.message);
  }
}

/** One message standing for many: each one's first line, as many as fit, then how many more. */
export function summarize(label: string, messages: OutgoingMessage[]): OutgoingMessage {
  const lines: string[] = [];
  let bytes = 0;
  for (const m of messages) {
    const line = `· ${m.text.split('\n')[0] ?? ''}`;
    if (bytes + utf8Bytes(line) + 1 > SUMMARY_BYTES) break;
    lines.push(line);
    bytes += utf8Bytes(line) + 1;
  }
  const rest = messages.length - lines.length;
  if (rest > 0) lines.push(`…另有 ${rest} 条 (${rest} more)`);
  const first = messages[0]!;
  const mentions = [...new Set(messages.flatMap((m) => m.mentions ?? []))];
  return {
    format: first.format === 'card' || first.format === 'textcard' ? 'markdown' : first.format,
    title: `${messages.length} 条${label}`,
    text: lines.join('\n'),
    ...(mentions.length ? { mentions } : {}),
  };
}
