// Options of startShopeeSim() and their defaults.
import type { AccessTokenErrorStyle } from './errors';

export interface ShopeeSimOptions {
  partnerId: number;
  partnerKey: string;
  /** The console's "Live Push Partner Key"; pushes are signed with the partner key when absent. */
  pushKey?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The registered callback URL; pushes are signed over exactly this string. */
  pushUrl?: string;
  /** Added to every /api/v2 call. */
  latencyMs?: number;
  /** Delays before the three push retries (Shopee: 300 s, 1800 s, 10800 s). */
  retryDelaysMs?: number[];
  /** Shopee waits 3 s for the 2xx. */
  pushTimeoutMs?: number;
  /** How long a reordered push waits for the next one before it is sent anyway. Default 2000. */
  reorderHoldMs?: number;
  /** Time from ship_order until the 3PL's tracking number appears (and push code 4 goes out). Default 3000. */
  trackingDelayMs?: number;
  /** error_auth "Invalid access_token." (default) or invalid_acceess_token "Invalid access_token, please have a check.". */
  accessTokenError?: AccessTokenErrorStyle;
  /** Mask buyer_username like "j******n" (what apps under a data-masking penalty see). Default false. */
  maskBuyerUsername?: boolean;
  /** Seed for generated ids, names and prices. */
  seed?: number;
  /** Log every API call to stderr. */
  log?: boolean;
}

export interface ResolvedOptions {
  partnerId: number;
  partnerKey: string;
  pushKey?: string;
  port: number;
  host: string;
  pushUrl?: string;
  latencyMs: number;
  retryDelaysMs: number[];
  pushTimeoutMs: number;
  reorderHoldMs: number;
  trackingDelayMs: number;
  accessTokenError: AccessTokenErrorStyle;
  maskBuyerUsername: boolean;
  seed?: number;
  log: boolean;
}

export function resolveOptions(o: ShopeeSimOptions): ResolvedOptions {
  if (!Number.isInteger(o.partnerId) || o.partnerId < 0 || o.partnerId > 4294967295) throw new Error('partnerId must be an integer in [0, 4294967295]');
  if (!o.partnerKey) throw new Error('partnerKey is required');
  return {
    partnerId: o.partnerId,
    partnerKey: o.partnerKey,
    pushKey: o.pushKey,
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    pushUrl: o.pushUrl,
    latencyMs: o.latencyMs ?? 0,
    retryDelaysMs: o.retryDelaysMs ?? [300_000, 1_800_000, 10_800_000],
    pushTimeoutMs: o.pushTimeoutMs ?? 3000,
    reorderHoldMs: o.reorderHoldMs ?? 2000,
    trackingDelayMs: o.trackingDelayMs ?? 3000,
    accessTokenError: o.accessTokenError ?? 'error_auth',
    maskBuyerUsername: o.maskBuyerUsername ?? false,
    seed: o.seed,
    log: o.log ?? false,
  };
}
