import { SecretBox } from '../../lib/secret-box';
import { scalarText } from '../../lib/text';
import { ALL_EVENTS } from '../../platform/events';
import { defineModule } from '../../platform/module';
import type { UnitOfWork } from '../../platform/tx';
import type { LeaseStore } from '../../db/leases';
import type { Logger } from '../../lib/logger';
import { Delivery } from './delivery.entity';
import { NotificationChat } from './chat.entity';
import { ChatService } from './chat.service';
import { DeliveryService } from './delivery.service';
import { DeliveryWorker } from './delivery.worker';
import { digestCron } from '../../platform/digests';
import { DIGEST_EVENTS, DigestService } from './digest.service';
import { AppDailyCap, Governor, LIMITS } from './governor';
import { Member } from '../org/member.entity';
import type { Config } from '../../config/config';
import type { DataSource } from 'typeorm';
import { notificationRoutes } from './notification.routes';
import { Robot } from './robot.entity';
import { RobotService } from './robot.service';
import { NotificationRouter } from './router';
import { NotificationRule } from './rule.entity';
import { RuleService } from './rule.service';
import { DeliverySender } from './sender';
import { NotificationCard } from './card.entity';
import { CardService } from './cards';

declare module '../../platform/services' {
  interface ServiceMap {
    notificationRules: RuleService;
    notificationRobots: RobotService;
    notificationDeliveries: DeliveryWorker;
    digests: DigestService;
  }
}

/** Routing rules, robots, deliveries under WeCom's limits (see README.md). */
export const notificationsModule = defineModule({
  name: 'notifications',
  entities: [NotificationRule, Robot, Delivery, NotificationCard, NotificationChat],
  create: ({ config, ds, uow, wecom, leases, logger, services, events, cardActions, digests, options }) => {
    const org = services.get('org');
    const agentId = Number(config.WECOM_AGENT_ID);
    const authz = services.lazy('authz');
    const cards = new CardService(ds, uow, cardActions, authz, org, wecom, agentId, logger);
    const robots = new RobotService(ds, uow, new SecretBox(config.SECRETS_KEY), config.WECOM_API_BASE);
    const chats = new ChatService(ds, uow, org, wecom);
    const rules = new RuleService(ds, uow, events, org, robots, config.TZ_CORP, logger);
    const router = new NotificationRouter(events, org, services.get('roles'), cards, { timeZone: config.TZ_CORP, publicUrl: config.PUBLIC_URL });
    const sender = new DeliverySender(wecom, robots, agentId);
    const worker = new DeliveryWorker(ds, leases, sender, new Governor(ds, LIMITS, appDailyCap(ds, config)), events, logger, {
      lanes: config.INBOX_LANES,
      onCardSent: (taskId, code) => cards.recordSent(taskId, code),
      publicUrl: config.PUBLIC_URL,
      // Tests shorten the backoff with the WeCom client's (container option).
      ...(options.wecomRetryBaseMs !== undefined ? { retryBaseMs: options.wecomRetryBaseMs, pollMs: 50 } : {}),
    });
    const deliveries = new DeliveryService(ds, uow);
    const digest = new DigestService(org, digests, uow, config.TZ_CORP, logger);
    return {
      provides: { notificationRules: rules, notificationRobots: robots, notificationDeliveries: worker, digests: digest },
      routes: notificationRoutes({ rules, robots, chats, deliveries, router, worker, catalogue: events, uow }),
      events: DIGEST_EVENTS,
      // Daily and weekly digests at DIGEST_DAILY_AT / DIGEST_WEEKLY_AT (TZ_CORP), once across instances.
      jobs: [
        {
          key: 'notifications.digest.daily',
          cron: digestCron(config.DIGEST_DAILY_AT, false),
          run: ({ scheduledAt }) => digest.publish('daily', scheduledAt).then(() => undefined),
        },
        {
          key: 'notifications.digest.weekly',
          cron: digestCron(config.DIGEST_WEEKLY_AT, true),
          run: ({ scheduledAt }) => digest.publish('weekly', scheduledAt).then(() => undefined),
        },
      ],
      cardActions: [cards.takeAction()],
      // A click on a card (through the inbox: durable, deduplicated, one card's clicks in order).
      inboxHandlers: { wecom: { template_card_event: (e) => cards.onClick(e) } },
      subscribers: [
        {
          // A newly linked shop gets the default rules of every event that proposes some (新订单认领 cards …).
          key: 'notifications.default-rules',
          on: ['shop.linked'],
          handle: async (event, tx) => void (await rules.installDefaults(String(event.payload['shop_id']), tx)),
        },
        {
          // An event that settles cards (an order claimed in the H5) closes the open cards about the same thing.
          key: 'notifications.settle-cards',
          on: [ALL_EVENTS],
          handle: async (event, tx) => {
            const settles = events.get(event.type)?.settlesCards;
            const subject = settles ? event.payload[settles.subject] : undefined;
            if (!settles || (typeof subject !== 'string' && typeof subject !== 'number')) return;
            const text = settles.text.replace(/\{(\w+)\}/g, (_, k: string) => scalarText(event.payload[k]));
            if (await cards.settleSubject(String(subject), text, tx))
              tx.afterCommit(() => cards.propagateSubject(String(subject)).catch((err: unknown) => logger.warn({ err }, 'could not update settled cards')));
          },
        },
        {
          key: 'notifications.route',
          on: [ALL_EVENTS],
          handle: async (event, tx) => {
            if ((await router.route(event, tx)).length) setImmediate(() => worker.kick()); // after the commit, as good as
          },
        },
      ],
      background: [worker],
      boot: [() => corpDefaults(uow, leases, rules, logger)],
    };
  },
});

/**
 * The app's daily cap: WECOM_SEAT_LIMIT (the corp's 账号上限数) × 200, or, without it, the mirrored active members
 * × 200 (never more than the seat limit, so on the safe side), read at most once a minute; none before the first sync.
 */
function appDailyCap(ds: DataSource, config: Config): AppDailyCap {
  let seats: { n: number; at: number } | null = null;
  const count = async () => {
    if (config.WECOM_SEAT_LIMIT) return config.WECOM_SEAT_LIMIT;
    if (!seats || Date.now() - seats.at > 60_000) seats = { n: await ds.getRepository(Member).countBy({ active: true }), at: Date.now() };
    // Before the first contact sync the seats are unknown: better no cap than a cap of nothing.
    return seats.n || null;
  };
  return new AppDailyCap(ds, count, config.TZ_CORP);
}

/**
 * The corp-wide default rules (events about no shop, e.g. a member's checklist step overdue), installed at boot by one
 * instance (a short lease keeps two booting instances from both adding them).
 */
async function corpDefaults(uow: UnitOfWork, leases: LeaseStore, rules: RuleService, logger: Logger): Promise<void> {
  try {
    if (!(await leases.tryAcquire('notifications.corp-defaults', 30_000))) return;
    const added = await uow.run({ actor: 'system' }, (tx) => rules.installCorpDefaults(tx));
    if (added) logger.info({ added }, 'corp-wide default notification rules installed');
  } catch (err) {
    logger.error({ err }, 'corp-wide default notification rules failed');
  }
}
