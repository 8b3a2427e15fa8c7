import type { WeComClient } from './wecom-client';

/** message/send's answer (https://developer.work.weixin.qq.com/document/path/90236). */
export interface SendResult {
  invaliduser?: string;
  invalidparty?: string;
  invalidtag?: string;
  msgid?: string;
  /** Only for interactive template cards: a one-shot code for update_template_card. */
  response_code?: string;
}

/** update_template_card's body (https://developer.work.weixin.qq.com/document/path/94888). */
export interface UpdateCardBody {
  userids?: string[];
  partyids?: number[];
  tagids?: number[];
  atall?: 0 | 1;
  response_code: string;
  button?: { replace_name: string };
  template_card?: Record<string, unknown>;
}

/** App messages: send, and update an interactive card. Callers pass `retries: 0` and retry from their queue. */
export class MessageApi {
  constructor(private readonly client: WeComClient) {}

  /** message/send (https://developer.work.weixin.qq.com/document/path/90236); `agentid` is added. */
  send(body: Record<string, unknown>, agentId: number, retries = 0): Promise<SendResult> {
    return this.client.call<SendResult>('message/send', { method: 'POST', body: { ...body, agentid: agentId }, retries });
  }

  /** message/update_template_card (https://developer.work.weixin.qq.com/document/path/94888): each response_code once. */
  updateTemplateCard(body: UpdateCardBody, agentId: number, retries = 0): Promise<{ invaliduser?: string[] }> {
    return this.client.call('message/update_template_card', { method: 'POST', body: { ...body, agentid: agentId }, retries });
  }
}

/** App group chats (https://developer.work.weixin.qq.com/document/path/90245, 90246, 90247, 90248). */
export class AppChatApi {
  constructor(private readonly client: WeComClient) {}

  async create(chat: { name: string; owner?: string; userlist: string[]; chatid?: string }): Promise<string> {
    const res = await this.client.call<{ chatid: string }>('appchat/create', { method: 'POST', body: chat, retries: 0 });
    return res.chatid;
  }

  get(chatid: string): Promise<{ chat_info: { chatid: string; name: string; owner: string; userlist: string[] } }> {
    return this.client.call('appchat/get', { query: { chatid } });
  }

  send(body: Record<string, unknown>, retries = 0): Promise<Record<string, unknown>> {
    return this.client.call('appchat/send', { method: 'POST', body, retries });
  }
}
