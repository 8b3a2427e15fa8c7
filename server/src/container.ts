import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Config } from './config/config';
import { openDatabase } from './db/data-source';
import { LeaseStore } from './db/leases';
import { healthRoutes } from './http/health.routes';
import { createLogger, type Logger } from './lib/logger';
import { AuditService } from './modules/audit/audit.service';
import { MODULES } from './modules';
import { composeModules, type ComposedModules } from './platform/compose';
import { HomeCounterRegistry, homeRoutes } from './platform/home-counters';
import type { ModuleDefinition } from './platform/module';
import { AutomationActionRegistry } from './platform/automation-actions';
import { CardActionRegistry } from './platform/card-actions';
import { DigestRegistry } from './platform/digests';
import { HandoverRegistry } from './platform/handovers';
import { ExportRegistry, exportRoutes } from './platform/exports';
import { Dispatcher, EventCatalogue, Outbox, type DispatcherOptions } from './platform/events';
import { createScheduler, type Clock } from './platform/scheduler';
import { UnitOfWork } from './platform/tx';
import { ServiceRegistry } from './platform/services';
import { CallbackIngressService } from './wecom/callbacks/callback-ingress.service';
import { callbackRoutes } from './wecom/callbacks/callback.routes';
import { InboxWorker, type InboxWorkerOptions } from './wecom/callbacks/inbox-worker';
import { CredentialCache } from './wecom/client/credential-cache';
import { WeComClient } from './wecom/client/wecom-client';
import { WeComCallbackCrypto } from './wecom/crypto/callback-crypto';
import { InboxWriter, type InboxRow } from './wecom/callbacks/inbox-writer';
import { jssdkRoutes } from './wecom/jssdk/jssdk.routes';

export interface ContainerOptions {
  logger?: Logger;
  dataSource?: DataSource;
  worker?: InboxWorkerOptions;
  wecomRetryBaseMs?: number;
  /** The modules to build (default: all of modules/index.ts). */
  modules?: readonly ModuleDefinition[];
  /** The scheduler's clock (tests move time instead of sleeping). */
  clock?: Clock;
  dispatcher?: DispatcherOptions;
}

/**
 * The composition root. The platform (database, leases, WeCom client, callback inbox, audit writer)
 * is built here; every feature is a module (server/src/modules/<name>/index.ts) listed once in
 * modules/index.ts and composed by composeModules, which refuses duplicate names, routes, inbox
 * handlers and services. Nothing else news up a service.
 */
export async function createContainer(config: Config, opts: ContainerOptions = {}) {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const ds = opts.dataSource ?? (await openDatabase(config.DATABASE_URL));
  const leases = new LeaseStore(ds);
  const wecomConfig = {
    apiBase: config.WECOM_API_BASE,
    corpId: config.WECOM_CORP_ID,
    agentSecret: config.WECOM_AGENT_SECRET,
    contactSecret: config.WECOM_CONTACT_SECRET,
    logger,
    retryBaseMs: opts.wecomRetryBaseMs,
  };
  const wecom = new WeComClient(wecomConfig, new CredentialCache(leases));
  const crypto = new WeComCallbackCrypto({
    token: config.WECOM_CALLBACK_TOKEN,
    encodingAESKey: config.WECOM_CALLBACK_AES_KEY,
    receiveId: config.WECOM_CORP_ID,
  });
  const audit = new AuditService();
  const services = new ServiceRegistry();
  const scheduler = createScheduler(ds, { timeZone: config.TZ_CORP, logger, clock: opts.clock });
  const homeCounters = new HomeCounterRegistry();
  const events = new EventCatalogue();
  const cardActions = new CardActionRegistry();
  const automationActions = new AutomationActionRegistry();
  const digests = new DigestRegistry();
  const handovers = new HandoverRegistry();
  const csvExports = new ExportRegistry();
  let kickDispatcher = (): void => undefined;
  const uow = new UnitOfWork(ds, new Outbox(events, Date.now, () => kickDispatcher()), audit);
  const dispatcher = new Dispatcher(ds, uow, events, logger, opts.dispatcher);
  kickDispatcher = () => dispatcher.kick();

  let kickWorker = (): void => undefined;
  const ingress = new CallbackIngressService(ds, crypto, logger, () => kickWorker());
  const platformRoutes = [
    ...healthRoutes(ds),
    ...callbackRoutes(ingress),
    ...jssdkRoutes({ wecom, corpId: config.WECOM_CORP_ID, agentId: config.WECOM_AGENT_ID, publicUrl: config.PUBLIC_URL }),
    ...homeRoutes(homeCounters),
    ...exportRoutes(csvExports, { uow, logger, timeZone: config.TZ_CORP }),
  ];
  const inboxWriter = new InboxWriter(ds);
  const inbox = {
    write: async (row: InboxRow) => {
      const stored = await inboxWriter.write(row);
      if (stored) kickWorker();
      return stored;
    },
  };
  const ctx = {
    inbox,
    config,
    ds,
    logger,
    leases,
    wecom,
    audit,
    uow,
    scheduler,
    events,
    cardActions,
    automationActions,
    digests,
    dispatcher,
    services,
    homeCounters,
    handovers,
    exports: csvExports,
    options: { wecomRetryBaseMs: opts.wecomRetryBaseMs },
  };
  let modules: ComposedModules;
  try {
    modules = composeModules(ctx, opts.modules ?? MODULES, platformRoutes);
  } catch (err) {
    // A duplicate registration (or a module failing to build) stops the boot; don't leave the pool open.
    if (!opts.dataSource && ds.isInitialized) await ds.destroy();
    throw err;
  }
  // Modules' boot work (seeded defaults), one after another, before anything else writes.
  for (const task of modules.boot) await task();
  const worker = new InboxWorker(ds, leases, modules.inbox, logger, { lanes: config.INBOX_LANES, ...opts.worker });
  kickWorker = () => worker.kick();

  return {
    config,
    logger,
    ds,
    leases,
    wecom,
    crypto,
    audit,
    ...services.all(),
    registry: modules.inbox,
    /** The one inbox's door (modules receive webhooks through it). */
    inbox,
    scheduler,
    uow,
    handovers,
    events,
    dispatcher,
    worker,
    ingress,
    routes: modules.routes,
    h5Dist: resolve(config.H5_DIST),
    /** Background work: the inbox worker, the scheduler, then each module's (in module order). */
    startBackground(): void {
      worker.start();
      dispatcher.start();
      scheduler.start();
      for (const job of modules.background) job.start();
    },
    /** Stops background work in reverse order, waits for it, then closes the database it opened. */
    async close(): Promise<void> {
      for (const job of [...modules.background].reverse()) await job.stop();
      await scheduler.stop();
      await dispatcher.stop();
      await worker.stop();
      if (!opts.dataSource && ds.isInitialized) await ds.destroy();
    },
  };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
