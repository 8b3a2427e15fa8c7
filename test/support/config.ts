/** A valid Config for tests that build containers themselves (no HTTP), pointed at a simulator. */
import { loadConfig, type Config } from '../../server/src/config/config';
import { DEMO_CREDENTIALS, DEMO_USERS } from '../../scripts/wecom-sim';

export function testConfig(databaseUrl: string, simUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:3999',
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: 'test-session-secret-0123456789abcdef',
    WECOM_CORP_ID: DEMO_CREDENTIALS.corpId,
    WECOM_AGENT_ID: DEMO_CREDENTIALS.agentId,
    WECOM_AGENT_SECRET: DEMO_CREDENTIALS.agentSecret,
    WECOM_CALLBACK_TOKEN: DEMO_CREDENTIALS.callbackToken,
    WECOM_CALLBACK_AES_KEY: DEMO_CREDENTIALS.callbackAesKey,
    WECOM_API_BASE: simUrl,
    WECOM_OAUTH_BASE: simUrl,
    WECOM_LOGIN_BASE: simUrl,
    ADMIN_USERIDS: DEMO_USERS.owner,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
}
