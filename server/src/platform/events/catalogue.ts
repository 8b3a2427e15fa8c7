import type { Permission, RoleKey } from '@shopcrew/shared';
import { UniqueKeys } from '../unique';

/** The value types an event field may have (templates and rule conditions later read them). */
export type EventFieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'time';

export interface EventField {
  /** zh-CN label, as a template editor shows it. */
  label: string;
  type: EventFieldType;
  optional?: boolean;
  /** A typical value, for template previews and test sends (`POST /api/notifications/rules/:id/test`). */
  example?: unknown;
}

/** One domain event type a module publishes: `<module noun>.<past tense>`, e.g. `member.left`. */
export interface EventTypeDef {
  type: string;
  /** zh-CN label, e.g. 成员离开. */
  label: string;
  fields: Record<string, EventField>;
  /**
   * The approval-style card of this event, when a rule sends it as one: the module's card actions offered as buttons
   * (platform/card-actions.ts), and the field whose value is their target (an order id, a case id). Every event can
   * also be sent as a card with the generic 我来处理 button.
   */
  card?: { actions: string[]; target: string };
  /** The template a new notification rule for this event starts with (else the seller-team guide's, else its label). */
  template?: string;
  /**
   * Rules every newly linked shop gets for this event (the notifications module creates them, scoped to the shop, when
   * `shop.linked` arrives; owners may change or delete them afterwards).
   */
  defaultRules?: DefaultRuleDef[];
  /**
   * This event settles the open cards about the same thing (an order claimed in the H5 settles its 新订单 cards): every
   * open card group whose card target equals `payload[subject]` then shows `text` (a template over this event's fields).
   */
  settlesCards?: { subject: string; text: string };
}

/** A notification rule a module proposes for its event (app messages to the members with a permission in the shop). */
export interface DefaultRuleDef {
  name: string;
  /**
   * shop (the default): created for each newly linked shop, scoped to it. corp: created once for the whole corp, for
   * events about no shop in particular (a member's checklist).
   */
  scope?: 'shop' | 'corp';
  format: 'text' | 'markdown' | 'textcard' | 'card';
  /** Members holding one of these permissions in the event's shop. */
  permissions?: Permission[];
  roles?: RoleKey[];
  /** The event's own people (its `assignee`, their leads, whoever acted). */
  people?: Array<'assignee' | 'lead_of_assignee' | 'actor'>;
  template?: string;
}

/** An event as stored and delivered. */
export interface DomainEvent<P = Record<string, unknown>> {
  /** Unique id (UUID): subscribers are idempotent by it. */
  id: string;
  type: string;
  payload: P;
  /** Who caused it: a userid, or 'system' / 'wecom' / 'shopee'. */
  actor: string;
  requestId: string | null;
  occurredAt: number;
}

export class UnknownEventTypeError extends Error {
  constructor(type: string) {
    super(`unknown event type "${type}": declare it in a module's events (server/src/platform/events/catalogue.ts)`);
    this.name = 'UnknownEventTypeError';
  }
}

export class InvalidEventPayloadError extends Error {
  constructor(type: string, problems: string[]) {
    super(`event "${type}" payload: ${problems.join('; ')}`);
    this.name = 'InvalidEventPayloadError';
  }
}

const TYPE_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** Every event type of every module, by type; a second declaration of a type throws. */
export class EventCatalogue {
  private readonly types = new Map<string, EventTypeDef>();
  private readonly keys = new UniqueKeys('event type');

  register(def: EventTypeDef, owner: string): void {
    if (!TYPE_NAME.test(def.type)) throw new Error(`event type "${def.type}" (${owner}): use lower_snake words joined by dots, e.g. member.left`);
    this.keys.add(def.type, owner);
    this.types.set(def.type, def);
  }

  /** The declaration of `type`, or undefined. */
  get(type: string): EventTypeDef | undefined {
    return this.types.get(type);
  }

  has(type: string): boolean {
    return this.types.has(type);
  }

  all(): EventTypeDef[] {
    return [...this.types.values()];
  }

  /** Throws unless `type` is declared and `payload` has each declared field with its type, and nothing else. */
  check(type: string, payload: Record<string, unknown>): void {
    const def = this.types.get(type);
    if (!def) throw new UnknownEventTypeError(type);
    const problems: string[] = [];
    for (const [name, field] of Object.entries(def.fields)) {
      const value = payload[name];
      if (value === undefined || value === null) {
        if (!field.optional) problems.push(`${name} is required`);
      } else if (!matches(field.type, value)) problems.push(`${name} must be ${field.type}`);
    }
    for (const name of Object.keys(payload)) if (!(name in def.fields)) problems.push(`${name} is not a field of ${type}`);
    if (problems.length) throw new InvalidEventPayloadError(type, problems);
  }
}

function matches(type: EventFieldType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
    case 'time':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}
