import { SecretBox } from '../../lib/secret-box';
import { ALL_EVENTS } from '../../platform/events';
import { defineModule } from '../../platform/module';
import { Delivery } from './delivery.entity';
import { DeliveryService } from './delivery.service';
import { DeliveryWorker } from './delivery.worker';
import { Governor } from './governor';
import { notificationRoutes } from './notification.routes';
import { Robot } from './robot.entity';
import { RobotService } from './robot.service';
import { NotificationRouter } from './router';
import { NotificationRule } from './rule.entity';
import { RuleService } from './rule.service';
import { DeliverySender } from './sender';

declare module '../../platform/services' {
  interface ServiceMap {
    notificationRules: RuleService;
    notificationDeliveries: DeliveryWorker;
  }
}

/** Routing rules, robots, deliveries under WeCom's limits (see README.md). */
export const notificationsModule = defineModule({
  name: 'notifications',
  entities: [NotificationRule, Robot, Delivery],
  create: ({ config, ds, uow, wecom, leases, logger, services, events, options }) => {
    const org = services.get('org');
    const robots = new RobotService(ds, uow, new SecretBox(config.SECRETS_KEY), config.WECOM_API_BASE);
    const rules = new RuleService(ds, uow, events, org, robots, config.TZ_CORP);
    const router = new NotificationRouter(events, org, services.get('roles'), { timeZone: config.TZ_CORP, publicUrl: config.PUBLIC_URL });
    const sender = new DeliverySender(wecom, robots, Number(config.WECOM_AGENT_ID));
    const worker = new DeliveryWorker(ds, leases, sender, new Governor(ds), events, logger, {
      lanes: config.INBOX_LANES,
      // Tests shorten the backoff with the WeCom client's (container option).
      ...(options.wecomRetryBaseMs !== undefined ? { retryBaseMs: options.wecomRetryBaseMs, pollMs: 50 } : {}),
    });
    const deliveries = new DeliveryService(ds, uow);
    return {
      provides: { notificationRules: rules, notificationDeliveries: worker },
      routes: notificationRoutes({ rules, robots, deliveries, router, worker, catalogue: events, uow }),
      subscribers: [
        {
          key: 'notifications.route',
          on: [ALL_EVENTS],
          handle: async (event, tx) => {
            if ((await router.route(event, tx)).length) setImmediate(() => worker.kick()); // after the commit, as good as
          },
        },
      ],
      background: [worker],
    };
  },
});
