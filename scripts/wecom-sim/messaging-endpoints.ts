// The messaging paths of the /cgi-bin API, merged into api.ts's table.
import { APPCHAT_HANDLERS } from './appchat';
import { updateTemplateCard } from './card-update';
import { AGENT, type Endpoint } from './endpoint';
import { sendAppMessage } from './messages';
import { webhookSend } from './robots';

export const MESSAGING_ENDPOINTS: Record<string, Endpoint> = {
  // Sending does not count toward the API frequency limit (https://developer.work.weixin.qq.com/document/path/90236,
  // https://developer.work.weixin.qq.com/document/path/90454); its limits are per member (delivery.ts).
  '/cgi-bin/message/send': { method: 'POST', secrets: AGENT, unlimited: true, messaging: true, handler: (req, s) => sendAppMessage(req.body, s) },
  // https://developer.work.weixin.qq.com/document/path/94888
  '/cgi-bin/message/update_template_card': { method: 'POST', secrets: AGENT, messaging: true, handler: (req, s) => updateTemplateCard(req.body, s) },
  // https://developer.work.weixin.qq.com/document/path/90245, 98913, 98914, 90248
  '/cgi-bin/appchat/create': { method: 'POST', secrets: AGENT, messaging: true, handler: APPCHAT_HANDLERS.create },
  '/cgi-bin/appchat/update': { method: 'POST', secrets: AGENT, messaging: true, handler: APPCHAT_HANDLERS.update },
  '/cgi-bin/appchat/get': { method: 'GET', secrets: AGENT, messaging: true, handler: APPCHAT_HANDLERS.get },
  '/cgi-bin/appchat/send': { method: 'POST', secrets: AGENT, unlimited: true, messaging: true, handler: APPCHAT_HANDLERS.send },
  // https://developer.work.weixin.qq.com/document/path/99110: keyed by ?key=, no access_token; 20/min per robot (robots.ts)
  '/cgi-bin/webhook/send': { method: 'POST', unlimited: true, messaging: true, handler: webhookSend },
};
