import type { DataSource } from 'typeorm';
import type { Config } from '../config/config';
import type { LeaseStore } from '../db/leases';
import type { RouteDef } from '../http/routes';
import type { Logger } from '../lib/logger';
import type { AuditService } from '../modules/audit/audit.service';
import type { InboxHandlers } from '../wecom/callbacks/event-handlers';
import type { InboxRow } from '../wecom/callbacks/inbox-writer';
import type { WeComClient } from '../wecom/client/wecom-client';
import type { AutomationActionDef, AutomationActionRegistry } from './automation-actions';
import type { CardActionDef, CardActionRegistry } from './card-actions';
import type { DigestRegistry, DigestSectionDef } from './digests';
import type { EventCatalogue, EventTypeDef, Subscriber } from './events';
import type { ExportDef, ExportRegistry } from './exports';
import type { HandoverDef, HandoverRegistry } from './handovers';
import type { HomeCounterDef, HomeCounterRegistry } from './home-counters';
import type { JobDefinition, Scheduler, TimerHandler } from './scheduler';
import type { UnitOfWork } from './tx';
import type { ServiceMap, ServiceRegistry } from './services';

/** What every module is built with: the platform's shared pieces and the services of earlier modules. */
export interface ModuleContext {
  config: Config;
  ds: DataSource;
  logger: Logger;
  leases: LeaseStore;
  wecom: WeComClient;
  audit: AuditService;
  /** Opens units of work (`uow.run({actor, requestId}, async (tx) => …)`): the way to write and publish. */
  uow: UnitOfWork;
  /** Cron jobs and one-shot timers (schedule a timer with `scheduler.timers.at`, inside the caller's transaction). */
  scheduler: Scheduler;
  services: ServiceRegistry;
  /** Every module's event types. Complete only once all modules are composed: read it while handling, not in create(). */
  events: EventCatalogue;
  /** Every module's card actions (complete once all modules are composed, like `events`). */
  cardActions: CardActionRegistry;
  /** Every module's automation actions (complete once all modules are composed). */
  automationActions: AutomationActionRegistry;
  /** Every module's digest lines (complete once all modules are composed). */
  digests: DigestRegistry;
  /** The home page's counters (GET /api/home); composeModules adds each module's `homeCounters`. */
  homeCounters: HomeCounterRegistry;
  /** Every module's handover of a leaving member's work (complete once all modules are composed). */
  handovers: HandoverRegistry;
  /** Every module's CSV exports, served by GET /api/exports/:kind.csv (complete once all modules are composed). */
  exports: ExportRegistry;
  /**
   * The one inbox (callback_inbox): a module that receives webhooks (marketplace pushes) stores them here, durable and
   * deduplicated, and answers the sender; the inbox worker then applies them through `inboxHandlers`. `write` resolves
   * once the row is committed (false: a duplicate, already stored).
   */
  inbox: { write(row: InboxRow): Promise<boolean> };
  /** Test knobs the container was given (retry delays and the like). */
  options: { wecomRetryBaseMs?: number };
}

/** Work that runs in the background between boot and close (a schedule, a poller). */
export interface Background {
  name: string;
  start(): void;
  /** Stop scheduling and wait for what is running. */
  stop(): Promise<void>;
}

/** What a module contributes once built. Every key is optional; every registry refuses duplicates. */
export interface ModuleParts {
  /** Services other modules (and the container's callers) may use, by name. */
  provides?: Partial<ServiceMap>;
  /** HTTP routes, each declaring its permission (http/routes.ts). */
  routes?: RouteDef[];
  /**
   * Handlers of stored inbox rows, by source and then type: `{ wecom: { 'change_contact:update_user': h } }`. WeCom
   * types are `Event:ChangeType`, `Event` (every ChangeType of it without a handler of its own) or `msg:<MsgType>`;
   * the other sources (`shopee`, `taobao`, `card`) name their types themselves. A WeCom handler gets a WeComEvent
   * (`fields` = the XML's elements), the others an InboxEvent with their JSON payload. One handler per (source,
   * type) across all modules; an event without one is stored and marked `ignored`.
   */
  inboxHandlers?: InboxHandlers;
  /** The domain event types this module publishes (`tx.publish` refuses undeclared types and fields). */
  events?: EventTypeDef[];
  /** Buttons on approval-style cards: a click runs the action as the clicking member (platform/card-actions.ts). */
  cardActions?: CardActionDef[];
  /** What automation rules may do with this module's data (platform/automation-actions.ts). */
  automationActions?: AutomationActionDef[];
  /** Reactions to domain events (of any module), each taking effect once per event. */
  subscribers?: Subscriber[];
  /** Cron jobs (in TZ_CORP), each run once across all instances; keys are `<module>.<job>`. */
  jobs?: JobDefinition[];
  /** Handlers of one-shot timers by kind (a timer key is `<kind>:<id>`). */
  timers?: Record<string, TimerHandler>;
  /** Lines of the daily and weekly digests (platform/digests.ts), counted per department when a digest is due. */
  digestSections?: DigestSectionDef[];
  /** Counters on the H5 home page ("我的工作"), each shown to members with its permission; keys are `<module>.<counter>`. */
  homeCounters?: HomeCounterDef[];
  /**
   * Work done once as the instance boots, awaited before it serves (seeding defaults): nothing else writes yet, so
   * it never contends with requests (on SQLite two writers at once fail with 'database is locked').
   */
  boot?: Array<() => Promise<void>>;
  /** What the module hands over when a member leaves (platform/handovers.ts). */
  handovers?: HandoverDef[];
  /** CSV exports of the module's data (platform/exports.ts), each downloadable at /api/exports/<kind>.csv. */
  exports?: ExportDef[];
  background?: Background[];
}

/**
 * A module: a folder under server/src/modules/<name>/ whose index.ts exports one of these. `entities`
 * are static (the DataSource needs them before anything is built); `create` builds the services.
 */
export interface ModuleDefinition {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM entity classes
  entities: Function[];
  create(ctx: ModuleContext): ModuleParts;
}

export const defineModule = (definition: ModuleDefinition): ModuleDefinition => definition;
