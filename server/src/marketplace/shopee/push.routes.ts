import { readRawBody } from '../../http/body';
import type { RouteDef } from '../../http/routes';
import type { Logger } from '../../lib/logger';
import { AppError } from '../../errors';
import type { InboxRow } from '../../wecom/callbacks/inbox-writer';
import { isVerifyPush, pushInboxRow, type ShopeePushBody } from './push';
import { verifyPushSignature } from './sign';

/** Shopee pushes are small JSON documents; 256 KiB leaves room for code 12's paginated lists. */
export const PUSH_BODY_LIMIT = 256 * 1024;

export interface PushReceiverDeps {
  pushKey: string;
  /** The push URL exactly as registered in the Shopee console: {PUBLIC_URL}/shopee/push. */
  callbackUrl: string;
  inbox: { write(row: InboxRow): Promise<boolean> };
  logger: Logger;
}

/**
 * POST /shopee/push (https://open.shopee.com/developer-guide/18): verify `Authorization` over the registered URL and
 * the raw body, store the push in the inbox under its dedupe key, and answer 204 with an empty body well inside
 * Shopee's 3 s (anything else counts as a failure and is retried). A bad or missing signature → 401, nothing stored.
 */
export function shopeePushRoutes(d: PushReceiverDeps): RouteDef[] {
  return [
    {
      method: 'post',
      path: '/shopee/push',
      access: 'public',
      crossSite: 'Shopee posts pushes from its own servers; the Authorization HMAC authenticates them',
      handler: async (ctx) => {
        const raw = await readRawBody(ctx, PUSH_BODY_LIMIT);
        if (!verifyPushSignature(d.pushKey, d.callbackUrl, raw, ctx.get('authorization') || undefined)) {
          // Loud: a wrong SHOPEE_PUSH_KEY makes every genuine push fail, and Shopee disables the subscription below 30 %.
          d.logger.warn({ bytes: raw.length }, 'Shopee push with a bad or missing signature refused (check SHOPEE_PUSH_KEY and PUBLIC_URL)');
          throw new AppError(401, 'bad_signature', '推送签名无效 (push signature does not match)');
        }
        let body: ShopeePushBody;
        try {
          body = JSON.parse(raw) as ShopeePushBody;
        } catch {
          throw new AppError(400, 'invalid_json', '推送内容不是 JSON (push body is not JSON)');
        }
        if (!body || typeof body !== 'object' || typeof body.code !== 'number') throw new AppError(400, 'invalid_push', '推送缺少 code (push without a code)');
        if (!isVerifyPush(body)) await d.inbox.write(pushInboxRow(raw, body));
        ctx.status = 204;
      },
    },
  ];
}
