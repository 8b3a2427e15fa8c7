import { isHttps } from '../../config/config';
import { defineModule } from '../../platform/module';
import { authRoutes } from './auth.routes';
import { OAuthState, Session } from './session.entity';
import { SessionService } from './session.service';
import { SigninService } from './signin.service';

declare module '../../platform/services' {
  interface ServiceMap {
    sessions: SessionService;
    signin: SigninService;
  }
}

/** Sign-in (WeCom OAuth and web login) and database sessions. */
export const authModule = defineModule({
  name: 'auth',
  entities: [Session, OAuthState],
  create: ({ config, ds, wecom, audit, logger, uow }) => {
    const sessionTtlMs = config.SESSION_TTL_HOURS * 3600_000;
    const sessions = new SessionService(ds, sessionTtlMs);
    const signin = new SigninService(ds, wecom, sessions, audit, {
      publicUrl: config.PUBLIC_URL,
      corpId: config.WECOM_CORP_ID,
      agentId: config.WECOM_AGENT_ID,
      oauthBase: config.WECOM_OAUTH_BASE,
      loginBase: config.WECOM_LOGIN_BASE,
    });
    return {
      provides: { sessions, signin },
      subscribers: [
        {
          // A session already refuses an inactive member (SessionService.resolve); this ends the rows too,
          // but only those that existed when the member left, so a re-enabled member's new sign-in lives.
          key: 'auth.revoke-sessions-of-leavers',
          on: ['member.left', 'member.renamed'],
          handle: async (event, tx) => {
            const userid = event.type === 'member.renamed' ? event.payload['from'] : event.payload['userid'];
            await sessions.revokeAllFor(String(userid), tx.manager, event.occurredAt);
          },
        },
      ],
      routes: authRoutes({ uow, signin, sessions, audit, logger, secureCookies: isHttps(config), sessionTtlMs }),
    };
  },
});
