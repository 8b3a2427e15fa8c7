import { InboxEntry } from '../../server/src/wecom/callbacks/inbox-entry.entity';
import { startStack, type Stack } from '../support/stack';

/**
 * WeCom's official sample (https://github.com/sbzhu/weworkapi_php/blob/master/callback/Sample.php, the vectors of
 * https://developer.work.weixin.qq.com/document/path/91144) through the real HTTP
 * stack: the server is configured with the sample's Token, EncodingAESKey and CorpID.
 */
const A = { token: 'QDG6eK', key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corp: 'wx5823bf96d3bd56c7' };
// Raw query exactly as WeCom sends it: echostr percent-encoded once (%2B is a '+').
const A1 =
  'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D';
const A2 = {
  query: 'msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149',
  body: '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>',
};

describe('official WeCom callback vectors over HTTP', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ skipSync: true, env: { WECOM_CORP_ID: A.corp, WECOM_CALLBACK_TOKEN: A.token, WECOM_CALLBACK_AES_KEY: A.key } });
  });
  afterAll(() => stack?.close());

  it('answers the A1 URL verification with the bare plaintext (with + in echostr)', async () => {
    const res = await fetch(`${stack.baseUrl}/wecom/callback?${A1}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1616140317555161061');
  });

  it('refuses A1 when the + was turned into a space (double URL-decoding)', async () => {
    const res = await fetch(`${stack.baseUrl}/wecom/callback?${A1.replace(/%2B/g, '+')}`);
    expect(res.status).toBe(401);
  });

  it('accepts the A2 POST (pad 30, the 32-byte trap) and stores it once', async () => {
    const send = () => fetch(`${stack.baseUrl}/wecom/callback?${A2.query}`, { method: 'POST', body: A2.body });
    const [first, retry] = [await send(), await send()];
    expect([first.status, await first.text(), retry.status, await retry.text()]).toEqual([200, '', 200, '']);
    const rows = await stack.app.container.ds.getRepository(InboxEntry).findBy({ dedupeKey: 'msg:4561255354251345929' });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.msgType).toBe('text');
  });
});
