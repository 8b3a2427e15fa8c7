import { z } from 'zod';
import { parseStorageUrl } from '../lib/s3-storage';
import { isTimeZone } from '../platform/scheduler/cron';

/**
 * Typed configuration, parsed and validated once at boot from the environment.
 * Nothing else in the server reads process.env. Every variable is documented in .env.example.
 */
const alnum = /^[A-Za-z0-9]+$/;
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const url = (fallback: string) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? fallback : v),
    z
      .string()
      .url()
      .transform((u) => u.replace(/\/+$/, '')),
  );

/**
 * `HH:mm` in TZ_CORP, off the :00 and :30 minute: WeCom advises against them, when most corps push
 * (https://developer.work.weixin.qq.com/document/path/90236).
 */
const digestTime = (fallback: string) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? fallback : v),
    z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm, e.g. 18:07')
      .refine((t) => !t.endsWith(':00') && !t.endsWith(':30'), 'must not be on the :00 or :30 minute (WeCom advises against them), e.g. 18:07'),
  );

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: url('http://localhost:3000'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/shopcrew.db')
    .refine((v) => /^(mysql:\/\/|sqlite:)/.test(v), 'must start with mysql:// or sqlite:'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  SECRETS_KEY: z.string().min(32, 'must be at least 32 characters'),
  WECOM_CORP_ID: z.string().min(1, 'is required'),
  WECOM_AGENT_ID: z.string().regex(/^\d+$/, 'must be the numeric AgentId'),
  WECOM_AGENT_SECRET: z.string().min(1, 'is required'),
  WECOM_CONTACT_SECRET: optionalString,
  WECOM_CALLBACK_TOKEN: z.string().min(1).max(32).regex(alnum, 'must be 1-32 letters or digits'),
  WECOM_CALLBACK_AES_KEY: z.string().length(43, 'must be exactly 43 characters').regex(alnum, 'must be letters and digits only'),
  WECOM_API_BASE: url('https://qyapi.weixin.qq.com'),
  WECOM_OAUTH_BASE: url('https://open.weixin.qq.com'),
  WECOM_LOGIN_BASE: url('https://login.work.weixin.qq.com'),
  ADMIN_USERIDS: z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    z.array(z.string()),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONTACT_SYNC_STALE_MINUTES: z.coerce.number().positive().default(60),
  CONTACT_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(8),
  INBOX_LANES: z.coerce.number().int().min(1).max(32).default(4),
  // Shopee Open Platform v2 (https://open.shopee.com/developer-guide/16). Without SHOPEE_PARTNER_ID the orders
  // features answer 'not configured'; the key is used as a UTF-8 string, never hex-decoded.
  SHOPEE_PARTNER_ID: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[1-9]\d{0,18}$/, 'must be the numeric partner_id')
      .optional(),
  ),
  SHOPEE_PARTNER_KEY: optionalString,
  SHOPEE_PUSH_KEY: optionalString,
  SHOPEE_API_BASE: url('https://partner.shopeemobile.com'),
  SHOPEE_RECONCILE_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
  WECOM_SEAT_LIMIT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).optional()),
  /** Where uploaded files (checklist photos) are kept: a folder on this machine's disk. */
  STORAGE_DIR: z.string().min(1).default('./data/files'),
  /**
   * An S3-compatible bucket instead of STORAGE_DIR: s3+https://ACCESS_KEY:SECRET@HOST[:PORT]/BUCKET?region=REGION (empty = the
   * local disk). Parsed into an S3Target whose secret is non-enumerable (never in a log); errors never repeat the value.
   */
  STORAGE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .transform((v, ctx) => {
        try {
          return parseStorageUrl(v);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
  ),
  DIGEST_DAILY_AT: digestTime('18:07'),
  DIGEST_WEEKLY_AT: digestTime('09:07'),
  TZ_CORP: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().default('Asia/Shanghai').refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  ),
  TRUST_PROXY: z.preprocess((v) => v === '1' || v === 'true', z.boolean()),
  H5_DIST: z.string().default('h5/dist'),
  SHOPCREW_DEMO: z.preprocess((v) => v === '1' || v === 'true', z.boolean()),
});

export type Config = z.infer<typeof schema>;

/** A partner id without its key (or the reverse) is a half-done setup: name the missing one. */
function checkShopee(c: Config): void {
  if (c.SHOPEE_PARTNER_ID && !c.SHOPEE_PARTNER_KEY) throw new ConfigError('SHOPEE_PARTNER_KEY', 'is required when SHOPEE_PARTNER_ID is set');
  if (!c.SHOPEE_PARTNER_ID && c.SHOPEE_PARTNER_KEY) throw new ConfigError('SHOPEE_PARTNER_ID', 'is required when SHOPEE_PARTNER_KEY is set');
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Parse the environment. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = schema.safeParse(env);
  if (result.success) {
    checkShopee(result.data);
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const variable = String(issue.path[0] ?? 'config');
  const problem = issue.code === 'invalid_type' && env[variable] === undefined ? 'is required' : issue.message;
  throw new ConfigError(variable, problem);
}

export const isHttps = (config: Pick<Config, 'PUBLIC_URL'>): boolean => config.PUBLIC_URL.startsWith('https://');
