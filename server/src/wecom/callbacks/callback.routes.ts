import { readRawBody } from '../../http/body';
import type { RouteDef } from '../../http/routes';
import type { CallbackIngressService } from './callback-ingress.service';

/** 64 KiB: a project choice (doc section 2.6 rule 9); real envelopes are a few KiB. */
export const CALLBACK_BODY_LIMIT = 64 * 1024;

/** The callback URL configured in the WeCom admin console (接收消息服务器, doc 90930 / 90238). */
export function callbackRoutes(ingress: CallbackIngressService): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/wecom/callback',
      access: 'public',
      handler: (ctx) => {
        // Bare body: no quotes, no newline, no JSON (doc section 2.3).
        ctx.type = 'text/plain';
        ctx.body = ingress.verifyUrl(ctx.query);
      },
    },
    {
      method: 'post',
      path: '/wecom/callback',
      access: 'public',
      crossSite: 'WeCom posts events from its own servers; msg_signature authenticates them',
      handler: async (ctx) => {
        const body = await readRawBody(ctx, CALLBACK_BODY_LIMIT);
        await ingress.receive(ctx.query, body);
        // Empty 200 = received, no passive reply (doc 90238).
        ctx.status = 200;
        ctx.type = 'text/plain';
        ctx.body = '';
      },
    },
  ];
}
