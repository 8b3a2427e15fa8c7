import type { JssdkConfigResponse } from '@shopcrew/shared';
import { ValidationError } from '../../errors';
import type { RouteDef } from '../../http/routes';
import type { WeComClient } from '../client/wecom-client';
import { jsapiSignature, newNonce } from './signature';

export interface JssdkDeps {
  wecom: WeComClient;
  corpId: string;
  agentId: string;
  publicUrl: string;
  now?: () => number;
}

/**
 * Signatures for ww.register's getConfigSignature / getAgentConfigSignature (https://developer.work.weixin.qq.com/document/path/90506,
 * wx.agentConfig https://developer.work.weixin.qq.com/document/path/94313).
 * Only pages of our own origin are signed; the tickets never leave the server.
 */
export function jssdkRoutes(d: JssdkDeps): RouteDef[] {
  const origin = new URL(d.publicUrl).origin;
  return [
    {
      method: 'get',
      path: '/api/wecom/jssdk-config',
      access: 'authenticated',
      handler: async (ctx) => {
        const raw = typeof ctx.query.url === 'string' ? ctx.query.url : '';
        let url: URL;
        try {
          url = new URL(raw);
        } catch {
          throw new ValidationError('url 参数必须是完整的页面地址');
        }
        if (url.origin !== origin) throw new ValidationError(`只能为本应用页面签名 (url must be on ${origin})`);
        const pageUrl = raw.split('#')[0]!;
        const timestamp = Math.floor((d.now ?? Date.now)() / 1000);
        const [corpTicket, agentTicket] = await Promise.all([d.wecom.ticket.jsapi(), d.wecom.ticket.agentConfig()]);
        const sign = (ticket: string) => {
          const nonceStr = newNonce();
          return { timestamp, nonceStr, signature: jsapiSignature(ticket, nonceStr, timestamp, pageUrl) };
        };
        const body: JssdkConfigResponse = { corpId: d.corpId, agentId: d.agentId, url: pageUrl, config: sign(corpTicket), agentConfig: sign(agentTicket) };
        ctx.set('Cache-Control', 'no-store');
        ctx.body = body;
      },
    },
  ];
}
