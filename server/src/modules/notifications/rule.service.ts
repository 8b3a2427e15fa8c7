import { PERMISSIONS, ROLE_KEYS, type NotificationRuleView as RuleView } from '@shopcrew/shared';
import { IsNull, type DataSource } from 'typeorm';
import { z } from 'zod';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import type { EventCatalogue, EventTypeDef } from '../../platform/events';
import type { Tx, UnitOfWork } from '../../platform/tx';
import type { OrgService } from '../org/org.service';
import type { Logger } from '../../lib/logger';
import { NotificationChat } from './chat.entity';
import { checkCondition, parseCondition } from './conditions';
import { defaultTemplateFor } from './default-templates';
import type { RobotService } from './robot.service';
import { CHANNELS, EVENT_PEOPLE, FORMATS, NotificationRule, type Recipients } from './rule.entity';
import { checkTemplate, renderTemplate, sampleFor, SAMPLE_EVENT } from './templates';

const ids = <T extends z.ZodTypeAny>(item: T) => z.array(item).max(100).optional();

/** A rule as the API takes it (POST, and PUT with every field). */
export const ruleBody = z.object({
  name: z.string().trim().min(1, '请填写规则名称 (name is required)').max(64),
  eventType: z.string().min(1),
  shopId: z.string().trim().max(64).nullable().optional(),
  condition: z.string().max(500).nullable().optional(),
  channel: z.enum(CHANNELS),
  format: z.enum(FORMATS).default('text'),
  recipients: z
    .object({
      roles: ids(z.enum(ROLE_KEYS)),
      departments: ids(z.number().int().positive()),
      tags: ids(z.number().int().positive()),
      users: ids(z.string().min(1).max(64)),
      people: ids(z.enum(EVENT_PEOPLE)),
      permissions: ids(z.enum(PERMISSIONS)),
    })
    .strict()
    .optional(),
  robotId: z.number().int().positive().nullable().optional(),
  chatId: z
    .string()
    .regex(/^[0-9a-zA-Z]{1,32}$/, '群聊 ID 为 1-32 位字母或数字 (chatid: 1-32 letters or digits)')
    .nullable()
    .optional(),
  /** Omitted: the default template for the event type (the seller-team guide's), else `{event_label}`. */
  template: z.string().trim().min(1).max(4000).optional(),
  enabled: z.boolean().default(true),
});
export type RuleInput = z.infer<typeof ruleBody>;

/**
 * Routing rules: which events go where. Every rule is checked when saved — the event type exists, the template's
 * placeholders are fields of that event, the condition names only its fields, every recipient exists — so a
 * saved rule cannot fail later for a reason the owner could have been told about.
 */
export class RuleService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly catalogue: EventCatalogue,
    private readonly org: OrgService,
    private readonly robots: RobotService,
    private readonly timeZone: string,
    private readonly logger?: Logger,
  ) {}

  eventDef(type: string): EventTypeDef {
    const def = this.catalogue.get(type);
    if (!def) throw new AppError(422, 'unknown_event', `未知事件 ${type} (unknown event type)`);
    return def;
  }

  async list(): Promise<RuleView[]> {
    const rules = await this.ds.getRepository(NotificationRule).find({ order: { eventType: 'ASC', id: 'ASC' } });
    return rules.map((r) => this.view(r));
  }

  async get(id: number): Promise<NotificationRule> {
    const rule = await this.ds.getRepository(NotificationRule).findOneBy({ id });
    if (!rule) throw new NotFoundError('通知规则不存在 (rule not found)');
    return rule;
  }

  async create(input: RuleInput, actor: string, requestId?: string): Promise<RuleView> {
    const values = await this.validate(input);
    return this.uow.run({ actor, requestId }, async (tx) => {
      const now = Date.now();
      const rule = await tx.manager.save(tx.manager.create(NotificationRule, { ...values, createdBy: actor, createdAt: now, updatedAt: now }));
      await tx.audit({ action: 'notifications.rule_created', targetType: 'notification_rule', targetId: String(rule.id), after: values });
      return this.view(rule);
    });
  }

  async update(id: number, input: RuleInput, actor: string, requestId?: string): Promise<RuleView> {
    const values = await this.validate(input);
    return this.uow.run({ actor, requestId }, async (tx) => {
      const rule = await tx.manager.findOneBy(NotificationRule, { id });
      if (!rule) throw new NotFoundError('通知规则不存在 (rule not found)');
      const before = this.view(rule);
      Object.assign(rule, values, { updatedAt: Date.now() });
      await tx.manager.save(rule);
      await tx.audit({ action: 'notifications.rule_updated', targetType: 'notification_rule', targetId: String(id), before, after: values });
      return this.view(rule);
    });
  }

  async remove(id: number, actor: string, requestId?: string): Promise<void> {
    await this.uow.run({ actor, requestId }, async (tx) => {
      const rule = await tx.manager.findOneBy(NotificationRule, { id });
      if (!rule) throw new NotFoundError('通知规则不存在 (rule not found)');
      await tx.manager.delete(NotificationRule, { id });
      await tx.audit({ action: 'notifications.rule_deleted', targetType: 'notification_rule', targetId: String(id), before: this.view(rule) });
    });
  }

  /** The template rendered for a sample of the event (given fields win, the catalogue's examples fill the rest). */
  preview(eventType: string, template: string, format: 'text' | 'markdown' = 'text', sample: Record<string, unknown> = {}): string {
    const def = this.eventDef(eventType);
    return renderTemplate(template, def, sampleFor(def, sample), { timeZone: this.timeZone, format, event: SAMPLE_EVENT });
  }

  /**
   * A newly linked shop gets the rules the modules propose for their events (EventTypeDef.defaultRules), scoped to it,
   * unless a rule of that name already exists for the shop. Validated like any rule; written in the caller's unit.
   */
  async installDefaults(shopId: string, tx: Tx): Promise<number> {
    return this.install('shop', shopId, tx);
  }

  /** The corp-wide default rules (`scope: 'corp'`), once: at boot, unless a rule of that name already exists. */
  async installCorpDefaults(tx: Tx): Promise<number> {
    return this.install('corp', null, tx);
  }

  private async install(scope: 'shop' | 'corp', shopId: string | null, tx: Tx): Promise<number> {
    let added = 0;
    for (const def of this.catalogue.all()) {
      for (const d of def.defaultRules ?? []) {
        if ((d.scope ?? 'shop') !== scope) continue;
        if (await tx.manager.findOneBy(NotificationRule, { eventType: def.type, shopId: shopId ?? IsNull(), name: d.name })) continue;
        const recipients = {
          ...(d.permissions ? { permissions: d.permissions } : {}),
          ...(d.roles ? { roles: d.roles } : {}),
          ...(d.people ? { people: d.people } : {}),
        };
        const input = { name: d.name, eventType: def.type, shopId, channel: 'app' as const, format: d.format, recipients, template: d.template, enabled: true };
        const values = await this.validate(input).catch((err: unknown) => {
          // One module's broken proposal must not keep a shop from the others' rules.
          this.logger?.error({ err, eventType: def.type, rule: d.name }, 'default notification rule refused');
          return null;
        });
        if (!values) continue;
        const now = Date.now();
        const rule = await tx.manager.save(NotificationRule, { ...values, createdBy: 'system', createdAt: now, updatedAt: now });
        await tx.audit({
          action: 'notifications.rule_created',
          targetType: 'notification_rule',
          targetId: String(rule.id),
          after: { ...values, default: true },
        });
        added++;
      }
    }
    return added;
  }

  /**
   * A new rule's template: the seller-team guide's for this kind of event when the event has every field it names
   * (case.opened has the 售后 template's; case.due_soon does not), else the event's own, else its label.
   */
  private defaultTemplate(def: EventTypeDef): string {
    const guide = defaultTemplateFor(def.type)?.text;
    if (guide) {
      try {
        checkTemplate(guide, def);
        return guide;
      } catch {
        // the guide's placeholders are not all fields of this event
      }
    }
    return def.template ?? '{event_label}';
  }

  private async validate(input: RuleInput): Promise<Omit<NotificationRule, 'id' | 'createdBy' | 'createdAt' | 'updatedAt'>> {
    const def = this.eventDef(input.eventType);
    const template = input.template ?? this.defaultTemplate(def);
    checkTemplate(template, def);
    const condition = input.condition?.trim() ? input.condition.trim() : null;
    if (condition) checkCondition(parseCondition(condition), def);
    const recipients = input.channel === 'app' ? await this.checkRecipients(input.recipients ?? {}, def) : (input.recipients ?? null);
    if (input.channel === 'robot') {
      if (!input.robotId || !(await this.robots.exists(input.robotId))) throw new AppError(422, 'unknown_robot', '请选择已登记的群机器人 (robot not found)');
      if (input.format !== 'text' && input.format !== 'markdown') throw new ValidationError('群机器人只能发送文本或 Markdown (robots send text or markdown)');
    }
    if (input.channel === 'appchat') {
      if (!input.chatId) throw new ValidationError('请选择应用群聊 (chatId is required)');
      // Only a chat the app created can be sent to; ShopCrew's list of them is notification_chats (chat.service.ts).
      const chat = await this.ds.getRepository(NotificationChat).findOneBy({ chatid: input.chatId });
      if (chat?.chatid !== input.chatId)
        throw new AppError(422, 'unknown_chat', `请选择已创建的应用群聊：${input.chatId} 不在列表中 (chat not found: ${input.chatId})`, {
          chatId: input.chatId,
        });
      if (input.format !== 'text' && input.format !== 'markdown') throw new ValidationError('应用群聊只能发送文本或 Markdown (app chats get text or markdown)');
    }
    if (input.format === 'card' && input.channel !== 'app')
      throw new AppError(422, 'card_not_available', '可操作的卡片只能以应用消息发送 (cards with buttons go as app messages only)');
    return {
      name: input.name,
      eventType: def.type,
      shopId: input.shopId?.trim() || null,
      condition,
      channel: input.channel,
      format: input.format,
      recipients,
      robotId: input.channel === 'robot' ? (input.robotId ?? null) : null,
      chatId: input.channel === 'appchat' ? (input.chatId ?? null) : null,
      template,
      enabled: input.enabled,
    };
  }

  /** App messages need someone to go to, and every named department, tag and member must exist. */
  private async checkRecipients(r: Recipients, def: EventTypeDef): Promise<Recipients> {
    const count =
      (r.roles?.length ?? 0) +
      (r.departments?.length ?? 0) +
      (r.tags?.length ?? 0) +
      (r.users?.length ?? 0) +
      (r.people?.length ?? 0) +
      (r.permissions?.length ?? 0);
    if (!count) throw new ValidationError('请至少选择一个接收人 (choose at least one recipient)');
    const missing = async (type: 'department' | 'tag' | 'user', values: Array<string | number> = []) => {
      for (const v of values) if (!(await this.org.subjectExists(type, String(v)))) return `${type} ${v}`;
      return null;
    };
    const absent = (await missing('department', r.departments)) ?? (await missing('tag', r.tags)) ?? (await missing('user', r.users));
    if (absent) throw new AppError(422, 'unknown_recipient', `接收人不存在：${absent} (recipient not found)`, { recipient: absent });
    for (const person of r.people ?? []) {
      const field = person === 'lead_of_assignee' ? 'assignee' : person;
      if (person !== 'actor' && !(field in def.fields))
        throw new AppError(422, 'unknown_recipient', `事件 ${def.label} 没有 ${field} 字段，不能发给“${person}” (event has no ${field})`, {
          recipient: person,
        });
    }
    return r;
  }

  view(r: NotificationRule): RuleView {
    const def = this.catalogue.get(r.eventType);
    return {
      id: r.id,
      name: r.name,
      eventType: r.eventType,
      eventLabel: def?.label ?? null,
      shopId: r.shopId,
      condition: r.condition,
      channel: r.channel,
      format: r.format,
      recipients: r.recipients,
      robotId: r.robotId,
      chatId: r.chatId,
      template: r.template,
      enabled: r.enabled,
      updatedAt: r.updatedAt,
    };
  }
}
