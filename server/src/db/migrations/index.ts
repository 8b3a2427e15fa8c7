import { Initial1763780000000 } from './1763780000000-initial';
import { InboxReceivedBy1763790000000 } from './1763790000000-inbox-received-by';
import { AuditFilterIndexes1763800000000 } from './1763800000000-audit-filter-indexes';
import { SyncTriggerWidth1763810000000 } from './1763810000000-sync-trigger-width';
import { SqliteCanonicalColumns1796137788263 } from './1796137788263-sqlite-canonical-columns';
import { Scheduler1796137858571 } from './1796137858571-scheduler';
import { BindingShopScope1796137914149 } from './1796137914149-binding-shop-scope';
import { Outbox1796138292442 } from './1796138292442-outbox';
import { InboxStreams1796139861898 } from './1796139861898-inbox-streams';
import { InboxClaims1796142789587 } from './1796142789587-inbox-claims';
import { Notifications1796144392459 } from './1796144392459-notifications';
import { NotificationCards1796145159767 } from './1796145159767-notification-cards';
import { NotificationChats1796145908300 } from './1796145908300-notification-chats';
import { AppDailyCapIndex1796151573958 } from './1796151573958-app-daily-cap-index';
import { Shops1796151713690 } from './1796151713690-shops';
import { Orders1796151861312 } from './1796151861312-orders';
import { NotificationCardSubjects1796151987339 } from './1796151987339-notification-card-subjects';
import { Aftersales1796153485865 } from './1796153485865-aftersales';
import { DeliveryStatusIndex1796154691437 } from './1796154691437-delivery-status-index';
import { Sop1796162000000 } from './1796162000000-sop';
import { Projects1796163000000 } from './1796163000000-projects';
import { SearchDocs1796164000000 } from './1796164000000-search-docs';
import { Metrics1796165000000 } from './1796165000000-metrics';
import { Automation1796172961701 } from './1796172961701-automation';
import { MetricCases1796172996985 } from './1796172996985-metric-cases';
import { OrderCaseTags1796173108194 } from './1796173108194-order-case-tags';
import { MetricTargets1796173428134 } from './1796173428134-metric-targets';
import { MetricDailyCoveringIndex1796177959887 } from './1796177959887-metric-daily-covering-index';
import { MetricOrdersCoveringIndexes1796178156667 } from './1796178156667-metric-orders-covering-indexes';

/** Every migration, in order. `npm run db:migrate` and server start apply them. */
export const MIGRATIONS = [
  Initial1763780000000,
  InboxReceivedBy1763790000000,
  AuditFilterIndexes1763800000000,
  SyncTriggerWidth1763810000000,
  SqliteCanonicalColumns1796137788263,
  Scheduler1796137858571,
  BindingShopScope1796137914149,
  Outbox1796138292442,
  InboxStreams1796139861898,
  InboxClaims1796142789587,
  Notifications1796144392459,
  NotificationCards1796145159767,
  NotificationChats1796145908300,
  AppDailyCapIndex1796151573958,
  Shops1796151713690,
  Orders1796151861312,
  NotificationCardSubjects1796151987339,
  Aftersales1796153485865,
  DeliveryStatusIndex1796154691437,
  Sop1796162000000,
  Projects1796163000000,
  SearchDocs1796164000000,
  Metrics1796165000000,
  Automation1796172961701,
  MetricCases1796172996985,
  OrderCaseTags1796173108194,
  MetricTargets1796173428134,
  MetricDailyCoveringIndex1796177959887,
  MetricOrdersCoveringIndexes1796178156667,
];
