import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { EventCatalogue } from './catalogue';
import { OutboxEvent } from './entities';

export interface PublishInput {
  type: string;
  payload: Record<string, unknown>;
  actor: string;
  requestId?: string | null;
}

/**
 * Appends domain events to the outbox inside the caller's transaction (the transactional outbox,
 * https://microservices.io/patterns/data/transactional-outbox.html): the event is stored exactly when
 * the change that caused it commits. The catalogue refuses undeclared types and ill-typed payloads here,
 * at the publisher, not later at a subscriber.
 */
export class Outbox {
  constructor(
    private readonly catalogue: EventCatalogue,
    private readonly now: () => number = Date.now,
    /** Called after a publish, so a local dispatcher can look sooner than its next poll. */
    private readonly onPublish: () => void = () => undefined,
  ) {}

  /** Many events in one INSERT (a tick that fires a page of reminders); ids in order. */
  async publishMany(manager: EntityManager, inputs: readonly PublishInput[]): Promise<string[]> {
    if (!inputs.length) return [];
    for (const input of inputs) this.catalogue.check(input.type, input.payload);
    const rows: Array<Omit<OutboxEvent, 'id'>> = inputs.map((input) => ({
      eventId: randomUUID(),
      type: input.type,
      payload: input.payload,
      actor: input.actor,
      requestId: input.requestId ?? null,
      occurredAt: this.now(),
      fannedOutAt: null,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await manager
        .createQueryBuilder()
        .insert()
        .into(OutboxEvent)
        // TypeORM's partial-entity type cannot see that a JSON column takes a whole object.
        .values(rows.slice(i, i + 200) as QueryDeepPartialEntity<OutboxEvent>[])
        .updateEntity(false)
        .execute();
    this.onPublish();
    return rows.map((r) => r.eventId);
  }

  async publish(manager: EntityManager, input: PublishInput): Promise<string> {
    this.catalogue.check(input.type, input.payload);
    const eventId = randomUUID();
    await manager.insert(OutboxEvent, {
      eventId,
      type: input.type,
      payload: input.payload as OutboxEvent['payload'] & object,
      actor: input.actor,
      requestId: input.requestId ?? null,
      occurredAt: this.now(),
      fannedOutAt: null,
    });
    this.onPublish();
    return eventId;
  }
}
