/** Boot-time configuration: loadConfig(env) and the one-line exit of a misconfigured process. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../../server/src/config/config';

const REPO = resolve(__dirname, '../../..');

/** Every required variable, valid; nothing optional. */
const VALID: Record<string, string> = {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-chars!!',
  SECRETS_KEY: 'a-secrets-key-of-at-least-32-characters',
  WECOM_CORP_ID: 'ww1234567890abcdef',
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'agent-secret',
  WECOM_CALLBACK_TOKEN: 'Token123',
  WECOM_CALLBACK_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};

function configErrorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  test('the valid fixture really is 43 / ≤32 / ≥32 characters', () => {
    expect(VALID.WECOM_CALLBACK_AES_KEY).toHaveLength(43);
    expect(VALID.SESSION_SECRET!.length).toBeGreaterThanOrEqual(32);
  });

  test('accepts the required variables and fills in the documented defaults', () => {
    const c = loadConfig({ ...VALID });
    expect(c).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      PUBLIC_URL: 'http://localhost:3000',
      DATABASE_URL: 'sqlite:./data/shopcrew.db',
      SESSION_TTL_HOURS: 12,
      WECOM_API_BASE: 'https://qyapi.weixin.qq.com',
      WECOM_OAUTH_BASE: 'https://open.weixin.qq.com',
      WECOM_LOGIN_BASE: 'https://login.work.weixin.qq.com',
      ADMIN_USERIDS: [],
      LOG_LEVEL: 'info',
      TRUST_PROXY: false,
      SHOPCREW_DEMO: false,
    });
    expect(c.WECOM_CONTACT_SECRET).toBeUndefined();
    // The validated values are passed through untouched.
    for (const [k, v] of Object.entries(VALID)) expect(c[k as keyof typeof c]).toBe(v);
  });

  test('empty strings for URL variables mean "use the default"', () => {
    const c = loadConfig({ ...VALID, WECOM_API_BASE: '', WECOM_OAUTH_BASE: '', WECOM_LOGIN_BASE: '', PUBLIC_URL: '', WECOM_CONTACT_SECRET: '' });
    expect(c.WECOM_API_BASE).toBe('https://qyapi.weixin.qq.com');
    expect(c.WECOM_OAUTH_BASE).toBe('https://open.weixin.qq.com');
    expect(c.WECOM_LOGIN_BASE).toBe('https://login.work.weixin.qq.com');
    expect(c.PUBLIC_URL).toBe('http://localhost:3000');
    expect(c.WECOM_CONTACT_SECRET).toBeUndefined();
  });

  test('a full environment is honoured, with trailing slashes trimmed and numbers coerced', () => {
    const c = loadConfig({
      ...VALID,
      NODE_ENV: 'production',
      PORT: '8080',
      PUBLIC_URL: 'https://shop.example.com/',
      DATABASE_URL: 'mysql://u:p@db:3306/shopcrew',
      SESSION_TTL_HOURS: '24',
      WECOM_CONTACT_SECRET: 'contact-secret',
      WECOM_API_BASE: 'http://127.0.0.1:9999//',
      ADMIN_USERIDS: ' chenjing , zhouqiang,,  ,lina ',
      LOG_LEVEL: 'debug',
      CONTACT_SYNC_CONCURRENCY: '4',
      TRUST_PROXY: 'true',
      SHOPCREW_DEMO: '1',
    });
    expect(c).toMatchObject({
      NODE_ENV: 'production',
      PORT: 8080,
      PUBLIC_URL: 'https://shop.example.com',
      DATABASE_URL: 'mysql://u:p@db:3306/shopcrew',
      SESSION_TTL_HOURS: 24,
      WECOM_CONTACT_SECRET: 'contact-secret',
      WECOM_API_BASE: 'http://127.0.0.1:9999',
      ADMIN_USERIDS: ['chenjing', 'zhouqiang', 'lina'],
      LOG_LEVEL: 'debug',
      CONTACT_SYNC_CONCURRENCY: 4,
      TRUST_PROXY: true,
      SHOPCREW_DEMO: true,
    });
  });

  test.each([
    ['WECOM_CALLBACK_AES_KEY', 'a'.repeat(42), /43/],
    ['WECOM_CALLBACK_AES_KEY', 'a'.repeat(44), /43/],
    ['WECOM_CALLBACK_AES_KEY', `${'a'.repeat(42)}=`, /letters and digits/],
    ['WECOM_CALLBACK_TOKEN', 'bad-token', /letters or digits/],
    ['WECOM_CALLBACK_TOKEN', 'a'.repeat(33), /32/],
    ['WECOM_CALLBACK_TOKEN', '', /.+/],
    ['DATABASE_URL', 'postgres://u:p@db/shopcrew', /mysql:\/\/ or sqlite:/],
    ['WECOM_AGENT_ID', 'abc', /numeric/],
    ['WECOM_AGENT_ID', '1000002x', /numeric/],
    ['SESSION_SECRET', 'too-short', /at least 32/],
    ['SECRETS_KEY', 'too-short', /at least 32/],
    ['DIGEST_DAILY_AT', '18:00', /:00 or :30/],
    ['DIGEST_WEEKLY_AT', '09:30', /:00 or :30/],
    ['DIGEST_DAILY_AT', '25:07', /HH:mm/],
    ['PORT', '70000', /65535/],
    ['PORT', '-1', /.+/],
    ['PUBLIC_URL', 'not a url', /.+/],
    ['LOG_LEVEL', 'loud', /.+/],
  ])('%s=%j is refused with a message naming the variable and the problem', (variable, value, problem) => {
    const err = configErrorOf({ ...VALID, [variable]: value });
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable} `)).toBe(true);
    expect(err.message.slice(variable.length + 1)).toMatch(problem);
    expect(err.name).toBe('ConfigError');
  });

  test.each(['SESSION_SECRET', 'SECRETS_KEY', 'WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_AGENT_SECRET', 'WECOM_CALLBACK_TOKEN', 'WECOM_CALLBACK_AES_KEY'])(
    'missing %s is reported as required',
    (variable) => {
      const env: Record<string, string | undefined> = { ...VALID };
      delete env[variable];
      const err = configErrorOf(env);
      expect(err.variable).toBe(variable);
      expect(err.message).toBe(`${variable} is required`);
    },
  );

  test('never echoes a secret value in its message', () => {
    const secret = 'S3cr3tButTooShort';
    const err = configErrorOf({ ...VALID, SESSION_SECRET: secret });
    expect(err.message).not.toContain(secret);
  });
});

describe('the server process with a bad configuration', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'shopcrew-config-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  /** Run server/src/main.ts in `cwd` with only `env` (plus PATH/HOME): no inherited WECOM_* variables. */
  function runMain(env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
    return new Promise((done, fail) => {
      const child = spawn(join(REPO, 'node_modules/.bin/tsx'), ['--tsconfig', join(REPO, 'tsconfig.json'), join(REPO, 'server/src/main.ts')], {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('error', fail);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        done({ code, signal, stdout, stderr });
      });
    });
  }

  const badKey = 'tooShortKey42';

  test('exits 78 with exactly one stderr line naming WECOM_CALLBACK_AES_KEY, before touching a database', async () => {
    const r = await runMain({ ...VALID, DATABASE_URL: 'sqlite:./shopcrew.db', PORT: '0', WECOM_CALLBACK_AES_KEY: badKey });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(78);
    const lines = r.stderr.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('WECOM_CALLBACK_AES_KEY');
    expect(lines[0]).toMatch(/43/);
    expect(lines[0]).not.toContain(badKey);
    expect(r.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]); // no database file, no data dir
  }, 30_000);

  test('reads ./.env from its working directory', async () => {
    const env = { ...VALID, DATABASE_URL: 'sqlite:./shopcrew.db', PORT: '0' };
    delete (env as Record<string, string | undefined>).WECOM_CALLBACK_AES_KEY;
    writeFileSync(join(cwd, '.env'), `WECOM_CALLBACK_AES_KEY=${badKey}\n`);
    const r = await runMain(env);
    expect(r.code).toBe(78);
    const lines = r.stderr.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('WECOM_CALLBACK_AES_KEY');
    expect(lines[0]).not.toMatch(/is required/); // it saw the .env value, and judged it
  }, 30_000);
});

describe('TZ_CORP', () => {
  test('defaults to Asia/Shanghai, also when empty', () => {
    expect(loadConfig(VALID).TZ_CORP).toBe('Asia/Shanghai');
    expect(loadConfig({ ...VALID, TZ_CORP: '' }).TZ_CORP).toBe('Asia/Shanghai');
  });

  test('accepts an IANA zone', () => {
    expect(loadConfig({ ...VALID, TZ_CORP: 'Asia/Singapore' }).TZ_CORP).toBe('Asia/Singapore');
  });

  test('refuses anything else, naming the variable', () => {
    expect(() => loadConfig({ ...VALID, TZ_CORP: 'Asia/Beijing' })).toThrow('TZ_CORP must be an IANA time zone such as Asia/Shanghai');
    expect(() => loadConfig({ ...VALID, TZ_CORP: '+08:00' })).toThrow(/^TZ_CORP /);
  });
});

describe('Shopee settings', () => {
  test('are optional, with the global host by default and the push key falling back to the partner key', () => {
    const c = loadConfig({ ...VALID });
    expect([c.SHOPEE_PARTNER_ID, c.SHOPEE_PARTNER_KEY, c.SHOPEE_API_BASE, c.SHOPEE_RECONCILE_MINUTES]).toEqual([
      undefined,
      undefined,
      'https://partner.shopeemobile.com',
      5,
    ]);
    const set = loadConfig({ ...VALID, SHOPEE_PARTNER_ID: '2001887', SHOPEE_PARTNER_KEY: 'k', SHOPEE_API_BASE: 'https://openplatform.shopee.cn/' });
    expect([set.SHOPEE_PARTNER_ID, set.SHOPEE_API_BASE, set.SHOPEE_PUSH_KEY]).toEqual(['2001887', 'https://openplatform.shopee.cn', undefined]);
  });

  test('a bad value stops the boot naming it', () => {
    expect(configErrorOf({ ...VALID, SHOPEE_PARTNER_ID: 'abc', SHOPEE_PARTNER_KEY: 'k' }).variable).toBe('SHOPEE_PARTNER_ID');
    expect(configErrorOf({ ...VALID, SHOPEE_PARTNER_ID: '2001887' }).message).toBe('SHOPEE_PARTNER_KEY is required when SHOPEE_PARTNER_ID is set');
    expect(configErrorOf({ ...VALID, SHOPEE_PARTNER_KEY: 'k' }).variable).toBe('SHOPEE_PARTNER_ID');
    expect(configErrorOf({ ...VALID, SHOPEE_API_BASE: 'not a url' }).variable).toBe('SHOPEE_API_BASE');
    expect(configErrorOf({ ...VALID, SHOPEE_RECONCILE_MINUTES: '0' }).variable).toBe('SHOPEE_RECONCILE_MINUTES');
  });
});
