import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../../errors';
import { actorOf } from '../../http/context';
import type { RouteDef } from '../../http/routes';
import { parse } from '../../http/validate';
import type { EventCatalogue } from '../../platform/events';
import type { UnitOfWork } from '../../platform/tx';
import { chatBody, type ChatService } from './chat.service';
import { DEFAULT_TEMPLATES, GROUP_NAME_HINT } from './default-templates';
import { DELIVERY_STATUSES } from './delivery.entity';
import type { DeliveryService } from './delivery.service';
import type { DeliveryWorker } from './delivery.worker';
import type { RobotService } from './robot.service';
import type { NotificationRouter } from './router';
import { ruleBody, type RuleService } from './rule.service';
import { sampleFor } from './templates';

const ACCESS = 'notifications:manage';

const previewBody = z.object({
  event: z.string().min(1),
  template: z.string().min(1).max(4000),
  format: z.enum(['text', 'markdown']).default('text'),
  sample: z.record(z.string(), z.unknown()).optional(),
});
const robotBody = z.object({
  name: z.string().trim().min(1, '请填写群名称 (name is required)').max(64),
  webhookUrl: z.string().min(1, '请粘贴 Webhook 地址 (webhookUrl is required)').max(512),
});
const testBody = z.object({ sample: z.record(z.string(), z.unknown()).optional() }).default({});

export interface NotificationRouteDeps {
  rules: RuleService;
  robots: RobotService;
  chats: ChatService;
  deliveries: DeliveryService;
  router: NotificationRouter;
  worker: DeliveryWorker;
  catalogue: EventCatalogue;
  uow: UnitOfWork;
}

/** 通知设置: rules, robots, app group chats, the event catalogue, previews, test sends and deliveries. All need notifications:manage. */
export function notificationRoutes(d: NotificationRouteDeps): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/notifications/events',
      access: ACCESS,
      handler: (ctx) => {
        ctx.body = {
          events: d.catalogue
            .all()
            .map((e) => ({ type: e.type, label: e.label, fields: Object.entries(e.fields).map(([name, f]) => ({ name, ...f })) }))
            .sort((a, b) => a.type.localeCompare(b.type)),
          templates: DEFAULT_TEMPLATES,
          groupNameHint: GROUP_NAME_HINT,
        };
      },
    },
    { method: 'get', path: '/api/notifications/rules', access: ACCESS, handler: async (ctx) => void (ctx.body = { rules: await d.rules.list() }) },
    {
      method: 'post',
      path: '/api/notifications/rules',
      access: ACCESS,
      handler: async (ctx) => {
        const input = await parse(ruleBody, ctx);
        ctx.status = 201;
        ctx.body = await d.rules.create(input, ctx.state.userid!, ctx.state.requestId);
      },
    },
    {
      method: 'get',
      path: '/api/notifications/rules/:id',
      access: ACCESS,
      handler: async (ctx) => void (ctx.body = d.rules.view(await d.rules.get(idParam(ctx.params)))),
    },
    {
      method: 'put',
      path: '/api/notifications/rules/:id',
      access: ACCESS,
      handler: async (ctx) => {
        const id = idParam(ctx.params);
        ctx.body = await d.rules.update(id, await parse(ruleBody, ctx), ctx.state.userid!, ctx.state.requestId);
      },
    },
    {
      method: 'delete',
      path: '/api/notifications/rules/:id',
      access: ACCESS,
      handler: async (ctx) => {
        await d.rules.remove(idParam(ctx.params), ctx.state.userid!, ctx.state.requestId);
        ctx.status = 204;
      },
    },
    {
      method: 'post',
      path: '/api/notifications/rules/:id/test',
      access: ACCESS,
      handler: async (ctx) => {
        const rule = await d.rules.get(idParam(ctx.params));
        const { sample } = await parse(testBody, ctx);
        const def = d.rules.eventDef(rule.eventType);
        const event = {
          id: `test-${randomUUID()}`,
          type: def.type,
          payload: sampleFor(def, sample),
          actor: ctx.state.userid!,
          requestId: ctx.state.requestId ?? null,
          occurredAt: Date.now(),
        };
        // The same path as a real event: rendered by the rule, queued as deliveries, sent by the worker under the governor.
        const queued = await d.uow.run({ actor: ctx.state.userid!, requestId: ctx.state.requestId }, async (tx) => {
          const rows = await d.router.deliver(rule, event, tx, event.id);
          await tx.audit({ action: 'notifications.rule_tested', targetType: 'notification_rule', targetId: String(rule.id), after: { queued: rows.length } });
          return rows;
        });
        d.worker.kick();
        ctx.body = { queued };
      },
    },
    {
      method: 'post',
      path: '/api/notifications/preview',
      access: ACCESS,
      handler: async (ctx) => {
        const input = await parse(previewBody, ctx);
        ctx.body = { text: d.rules.preview(input.event, input.template, input.format, input.sample) };
      },
    },
    { method: 'get', path: '/api/notifications/robots', access: ACCESS, handler: async (ctx) => void (ctx.body = { robots: await d.robots.list() }) },
    {
      method: 'post',
      path: '/api/notifications/robots',
      access: ACCESS,
      handler: async (ctx) => {
        const input = await parse(robotBody, ctx);
        ctx.status = 201;
        ctx.body = await d.robots.add(input, ctx.state.userid!, ctx.state.requestId);
      },
    },
    {
      method: 'delete',
      path: '/api/notifications/robots/:id',
      access: ACCESS,
      handler: async (ctx) => {
        await d.robots.remove(idParam(ctx.params), ctx.state.userid!, ctx.state.requestId);
        ctx.status = 204;
      },
    },
    { method: 'get', path: '/api/notifications/chats', access: ACCESS, handler: async (ctx) => void (ctx.body = { chats: await d.chats.list() }) },
    {
      // Creates the chat in WeCom (appchat/create), then records it: 422 validation_failed, unknown_recipient,
      // wecom_config; 409 chat_exists; 502 wecom_unavailable.
      method: 'post',
      path: '/api/notifications/chats',
      access: ACCESS,
      handler: async (ctx) => {
        const input = await parse(chatBody, ctx);
        ctx.status = 201;
        ctx.body = await d.chats.create(input, ctx.state.userid!, ctx.state.requestId);
      },
    },
    {
      // From ShopCrew's list only (WeCom cannot dissolve a chat); 409 chat_in_use while a rule sends to it.
      method: 'delete',
      path: '/api/notifications/chats/:id',
      access: ACCESS,
      handler: async (ctx) => {
        await d.chats.remove(idParam(ctx.params), ctx.state.userid!, ctx.state.requestId);
        ctx.status = 204;
      },
    },
    {
      method: 'get',
      path: '/api/notifications/deliveries',
      access: ACCESS,
      handler: async (ctx) => {
        const status = ctx.query['status'];
        if (status !== undefined && !DELIVERY_STATUSES.includes(status as never))
          throw new ValidationError(`status 只能是 ${DELIVERY_STATUSES.join('、')} (unknown status)`);
        const cursor = ctx.query['cursor'] === undefined ? undefined : Number(ctx.query['cursor']);
        if (cursor !== undefined && !(Number.isInteger(cursor) && cursor > 0)) throw new ValidationError('cursor 无效 (invalid cursor)');
        ctx.body = await d.deliveries.list(status as never, cursor);
      },
    },
    {
      // Any signed-in member: the service decides whether this summary is theirs to read.
      method: 'get',
      path: '/api/notifications/batches/:id',
      access: 'authenticated',
      handler: async (ctx) => {
        ctx.body = await d.deliveries.batch(idParam(ctx.params), actorOf(ctx));
      },
    },
    {
      method: 'post',
      path: '/api/notifications/deliveries/:id/retry',
      access: ACCESS,
      handler: async (ctx) => {
        ctx.body = await d.deliveries.retry(idParam(ctx.params), ctx.state.userid!, ctx.state.requestId);
        d.worker.kick();
      },
    },
  ];
}

function idParam(params: unknown): number {
  const id = Number((params as Record<string, string>)['id']);
  if (!Number.isInteger(id) || id <= 0) throw new ValidationError('id 必须是正整数 (id must be a positive integer)');
  return id;
}
