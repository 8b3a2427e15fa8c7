import { tmpdir } from 'node:os';
import { join } from 'node:path';
/**
 * The environment of a server wired to a WeCom simulator running the demo credentials: one place
 * for tests, the stack, the CLI test and the benchmarks.
 */
import { loadConfig, type Config } from '../../server/src/config/config';
import { DEMO_CREDENTIALS, DEMO_USERS } from '../../scripts/wecom-sim';

export interface DemoEnvOptions {
  databaseUrl: string;
  simUrl: string;
  port?: number;
  /** Configure WECOM_CONTACT_SECRET (full sync through user/list_id). */
  contactSecret?: boolean;
}

export function demoEnv(o: DemoEnvOptions, over: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: String(o.port ?? 0),
    PUBLIC_URL: `http://127.0.0.1:${o.port ?? 3999}`,
    DATABASE_URL: o.databaseUrl,
    SESSION_SECRET: 'test-session-secret-0123456789abcdef',
    SECRETS_KEY: 'test-secrets-key-0123456789abcdef0123',
    WECOM_CORP_ID: DEMO_CREDENTIALS.corpId,
    WECOM_AGENT_ID: DEMO_CREDENTIALS.agentId,
    WECOM_AGENT_SECRET: DEMO_CREDENTIALS.agentSecret,
    WECOM_CONTACT_SECRET: o.contactSecret ? DEMO_CREDENTIALS.contactSecret : '',
    WECOM_CALLBACK_TOKEN: DEMO_CREDENTIALS.callbackToken,
    WECOM_CALLBACK_AES_KEY: DEMO_CREDENTIALS.callbackAesKey,
    WECOM_API_BASE: o.simUrl,
    WECOM_OAUTH_BASE: o.simUrl,
    WECOM_LOGIN_BASE: o.simUrl,
    ADMIN_USERIDS: DEMO_USERS.owner,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Uploaded files of a test go to the OS temp folder, never into the checkout.
    STORAGE_DIR: join(tmpdir(), 'shopcrew-test-files'),
    ...over,
  };
}

/** A valid Config for tests that build containers themselves (no HTTP). */
export function testConfig(databaseUrl: string, simUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig(demoEnv({ databaseUrl, simUrl }, env));
}
