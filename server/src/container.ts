import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { isHttps, type Config } from './config/config';
import { openDatabase } from './db/data-source';
import { LeaseStore } from './db/leases';
import type { RouteDef } from './http/routes';
import { healthRoutes } from './http/health.routes';
import { createLogger, type Logger } from './lib/logger';
import { AuditService } from './modules/audit/audit.service';
import { auditRoutes } from './modules/audit/audit.routes';
import { AuditQueryService } from './modules/audit/audit-query.service';
import { adminRoutes } from './modules/admin/admin.routes';
import { authRoutes } from './modules/auth/auth.routes';
import { SessionService } from './modules/auth/session.service';
import { SigninService } from './modules/auth/signin.service';
import { ContactEventHandlers } from './modules/org/contact-events';
import { ContactSyncService } from './modules/org/contact-sync.service';
import { OrgDirectory } from './modules/org/org-directory';
import { orgRoutes } from './modules/org/org.routes';
import { OrgService } from './modules/org/org.service';
import { syncRoutes } from './modules/org/sync.routes';
import { roleRoutes } from './modules/roles/role.routes';
import { RoleService } from './modules/roles/role.service';
import { CallbackIngressService } from './wecom/callbacks/callback-ingress.service';
import { callbackRoutes } from './wecom/callbacks/callback.routes';
import { EventRegistry } from './wecom/callbacks/event-handlers';
import { InboxWorker, type InboxWorkerOptions } from './wecom/callbacks/inbox-worker';
import { CredentialCache } from './wecom/client/credential-cache';
import { WeComClient } from './wecom/client/wecom-client';
import { WeComCallbackCrypto } from './wecom/crypto/callback-crypto';
import { jssdkRoutes } from './wecom/jssdk/jssdk.routes';
import { ContactSyncScheduler } from './modules/org/contact-sync.scheduler';

export interface ContainerOptions {
  logger?: Logger;
  dataSource?: DataSource;
  worker?: InboxWorkerOptions;
  wecomRetryBaseMs?: number;
}

/**
 * The composition root: every service is built here and handed its collaborators through its
 * constructor (Ghost services/*, service.js). Nothing else news up a service.
 */
export async function createContainer(config: Config, opts: ContainerOptions = {}) {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const ds = opts.dataSource ?? (await openDatabase(config.DATABASE_URL));
  const leases = new LeaseStore(ds);
  const wecom = new WeComClient(
    {
      apiBase: config.WECOM_API_BASE,
      corpId: config.WECOM_CORP_ID,
      agentSecret: config.WECOM_AGENT_SECRET,
      contactSecret: config.WECOM_CONTACT_SECRET,
      logger,
      retryBaseMs: opts.wecomRetryBaseMs,
    },
    new CredentialCache(leases),
  );
  const crypto = new WeComCallbackCrypto({
    token: config.WECOM_CALLBACK_TOKEN,
    encodingAESKey: config.WECOM_CALLBACK_AES_KEY,
    receiveId: config.WECOM_CORP_ID,
  });
  const sessionTtlMs = config.SESSION_TTL_HOURS * 3600_000;
  const audit = new AuditService(ds);
  const sessions = new SessionService(ds, sessionTtlMs);
  const org = new OrgService(ds, sessions);
  const roles = new RoleService(ds, org, audit, config.ADMIN_USERIDS);
  const directory = new OrgDirectory(org, roles);
  const auditQuery = new AuditQueryService(ds, org);
  const signin = new SigninService(ds, wecom, sessions, audit, {
    publicUrl: config.PUBLIC_URL,
    corpId: config.WECOM_CORP_ID,
    agentId: config.WECOM_AGENT_ID,
    oauthBase: config.WECOM_OAUTH_BASE,
    loginBase: config.WECOM_LOGIN_BASE,
  });
  const contactSync = new ContactSyncService(ds, wecom, org, audit, leases, logger, { concurrency: config.CONTACT_SYNC_CONCURRENCY });
  const registry = new EventRegistry();
  new ContactEventHandlers(ds, wecom, org, audit).register(registry);
  const worker = new InboxWorker(ds, leases, registry, logger, opts.worker);
  const ingress = new CallbackIngressService(ds, crypto, logger, () => worker.kick());
  const scheduler = new ContactSyncScheduler(contactSync, logger, { staleMinutes: config.CONTACT_SYNC_STALE_MINUTES });
  const secureCookies = isHttps(config);

  const routes: RouteDef[] = [
    ...healthRoutes(ds),
    ...authRoutes({ signin, sessions, audit, logger, secureCookies, sessionTtlMs }),
    ...callbackRoutes(ingress),
    ...orgRoutes({ directory, roles, demo: config.SHOPCREW_DEMO }),
    ...roleRoutes(roles),
    ...auditRoutes(audit, auditQuery),
    ...syncRoutes(contactSync),
    ...adminRoutes({ roles, auditQuery, contactSync }),
    ...jssdkRoutes({ wecom, corpId: config.WECOM_CORP_ID, agentId: config.WECOM_AGENT_ID, publicUrl: config.PUBLIC_URL }),
  ];

  return {
    config,
    logger,
    ds,
    leases,
    wecom,
    crypto,
    audit,
    auditQuery,
    sessions,
    org,
    roles,
    directory,
    signin,
    contactSync,
    registry,
    worker,
    ingress,
    scheduler,
    routes,
    h5Dist: resolve(config.H5_DIST),
    /** Background work: the inbox worker and the contact-sync schedule. */
    startBackground(): void {
      worker.start();
      scheduler.start();
    },
    async close(): Promise<void> {
      scheduler.stop();
      await worker.stop();
      await scheduler.idle();
      await contactSync.idle();
      if (!opts.dataSource && ds.isInitialized) await ds.destroy();
    },
  };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
