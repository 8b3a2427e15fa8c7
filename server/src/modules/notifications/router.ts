import type { Permission, RoleKey } from '@shopcrew/shared';
import { In } from 'typeorm';
import type { DomainEvent, EventCatalogue } from '../../platform/events';
import type { Tx } from '../../platform/tx';
import type { OrgService } from '../org/org.service';
import type { RoleService } from '../roles/role.service';
import { evaluateCondition, parseCondition } from './conditions';
import { Delivery, pendingDelivery } from './delivery.entity';
import type { OutgoingMessage } from './message';
import { NotificationRule, type Recipients } from './rule.entity';
import { renderTemplate } from './templates';
import { taskIdFor, type CardService } from './cards';

/** What routing one event through one rule queued. */
export interface QueuedDelivery {
  id: number;
  channel: Delivery['channel'];
  target: string;
}

/**
 * Turns a domain event into deliveries: every enabled rule for its type whose shop and condition match is rendered
 * and fanned out to its targets, one delivery row per target, in the subscriber's transaction (so an event makes
 * its deliveries exactly once: the dispatcher marks the event handled in the same commit, and the idempotency key
 * `<event>:<rule>:<target>` makes a repeat insert nothing).
 */
export class NotificationRouter {
  constructor(
    private readonly catalogue: EventCatalogue,
    private readonly org: OrgService,
    private readonly roles: RoleService,
    private readonly cards: CardService,
    private readonly opts: { timeZone: string; publicUrl: string },
  ) {}

  async route(event: DomainEvent, tx: Tx): Promise<QueuedDelivery[]> {
    const rules = await tx.manager.findBy(NotificationRule, { eventType: event.type, enabled: true });
    const queued: QueuedDelivery[] = [];
    for (const rule of rules) if (this.matches(rule, event)) queued.push(...(await this.deliver(rule, event, tx, event.id)));
    return queued;
  }

  /** One rule, for a real event or a test send (`key` then names the test, so it never collides with a real one). */
  async deliver(rule: NotificationRule, event: DomainEvent, tx: Tx, key: string): Promise<QueuedDelivery[]> {
    const def = this.catalogue.get(event.type);
    if (!def) return [];
    const format = rule.format === 'markdown' ? 'markdown' : 'text';
    const text = renderTemplate(rule.template, def, event.payload, { timeZone: this.opts.timeZone, format, event });
    const url = typeof event.payload['url'] === 'string' ? this.absolute(event.payload['url']) : undefined;
    const message: OutgoingMessage = { format: rule.format, title: def.label, text, url };
    const targets = await this.targets(rule, event);
    if (rule.channel === 'robot') message.mentions = await this.people(rule.recipients, event);
    const groupKey = `${key}:${rule.id}`;
    const buttons = rule.format === 'card' ? this.cards.buttonsFor(def, event.payload) : [];
    if (rule.format === 'card')
      await this.cards.createGroup(
        groupKey,
        targets.map((t) => t.slice('user:'.length)),
        tx,
        this.cards.subjectOf(def, event.payload),
      );
    // A card is one per member: each has its own task id (unique per app), hence its own message.
    const messageFor = (target: string): OutgoingMessage =>
      rule.format === 'card' ? { ...message, card: { taskId: taskIdFor(groupKey, target.slice('user:'.length)), buttons } } : message;
    const now = Date.now();
    const rows = targets.map((target) =>
      pendingDelivery(
        {
          idempotencyKey: `${key}:${rule.id}:${target}`.slice(0, 191),
          eventId: event.id,
          eventType: event.type,
          ruleId: rule.id,
          channel: rule.channel,
          target,
          message: messageFor(target),
        },
        now,
      ),
    );
    if (!rows.length) return [];
    await tx.manager.createQueryBuilder().insert().into(Delivery).values(rows).orIgnore().updateEntity(false).execute();
    // By their unique keys: event_id has no index, so a lookup by event and rule read the whole table, per rule and event.
    const stored = await tx.manager.find(Delivery, { where: { idempotencyKey: In(rows.map((r) => r.idempotencyKey)) }, order: { id: 'ASC' } });
    return stored.map((d) => ({ id: d.id, channel: d.channel, target: d.target }));
  }

  private matches(rule: NotificationRule, event: DomainEvent): boolean {
    if (rule.shopId && event.payload['shop_id'] !== rule.shopId) return false;
    if (!rule.condition) return true;
    try {
      return evaluateCondition(parseCondition(rule.condition), event.payload);
    } catch {
      return false; // checked when saved; an event type that changed since must not stop the others
    }
  }

  private async targets(rule: NotificationRule, event: DomainEvent): Promise<string[]> {
    if (rule.channel === 'robot') return rule.robotId ? [`robot:${rule.robotId}`] : [];
    if (rule.channel === 'appchat') return rule.chatId ? [`chat:${rule.chatId}`] : [];
    const users = new Set<string>();
    const r = rule.recipients ?? {};
    for (const role of r.roles ?? []) for (const u of await this.roles.membersWithRole(role as RoleKey)) users.add(u);
    for (const d of r.departments ?? []) for (const m of await this.org.activeMembersIn(d)) users.add(m.userid);
    for (const t of r.tags ?? []) for (const m of await this.org.activeMembersWithTag(t)) users.add(m.userid);
    for (const u of r.users ?? []) users.add(u);
    const shopId = typeof event.payload['shop_id'] === 'string' ? event.payload['shop_id'] : null;
    for (const p of r.permissions ?? []) for (const u of await this.roles.membersWithPermission(p as Permission, shopId)) users.add(u);
    for (const u of await this.people(r, event)) users.add(u);
    return [...users].sort().map((u) => `user:${u}`);
  }

  /** The event's own people a rule names (assignee, their lead, the actor) and its named members. */
  private async people(r: Recipients | null, event: DomainEvent): Promise<string[]> {
    const out = new Set<string>(r?.users ?? []);
    const assignee = typeof event.payload['assignee'] === 'string' ? event.payload['assignee'] : null;
    for (const person of r?.people ?? []) {
      if (person === 'assignee' && assignee) out.add(assignee);
      if (person === 'lead_of_assignee' && assignee) for (const lead of await this.org.leadsOf(assignee)) out.add(lead);
      if (person === 'actor' && !['system', 'wecom', 'shopee', 'taobao'].includes(event.actor)) out.add(event.actor);
    }
    return [...out];
  }

  private absolute(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.opts.publicUrl}${path.startsWith('/') ? '' : '/'}${path}`;
  }
}
