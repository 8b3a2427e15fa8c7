import { readRawBody } from '../../http/body';
import type { RouteDef } from '../../http/routes';
import type { CallbackIngressService } from './callback-ingress.service';

/** 64 KiB: a project choice, not a WeCom limit; real envelopes are a few KiB. */
export const CALLBACK_BODY_LIMIT = 64 * 1024;

/** The callback URL configured in the WeCom admin console (接收消息服务器): 回调配置
 * https://developer.work.weixin.qq.com/document/path/90930, 接收消息与事件 https://developer.work.weixin.qq.com/document/path/90238. */
export function callbackRoutes(ingress: CallbackIngressService): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/wecom/callback',
      access: 'public',
      handler: (ctx) => {
        // Bare body: no quotes, no newline, no JSON (https://developer.work.weixin.qq.com/document/path/90930).
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
        // Empty 200 = received, no passive reply (https://developer.work.weixin.qq.com/document/path/90238).
        ctx.status = 200;
        ctx.type = 'text/plain';
        ctx.body = '';
      },
    },
  ];
}
