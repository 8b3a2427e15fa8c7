/**
 * Callback inbox deduplication keys (WeCom retries an unanswered callback 3 times,
 * https://developer.work.weixin.qq.com/document/path/90238).
 */
import { dedupeKey } from '../../../server/src/wecom/callbacks/dedupe-key';
import { parseCallbackXml } from '../../../server/src/wecom/crypto/callback-xml';

const CORP = 'wwdemo0000shopcrew';

/** Key exactly as the ingress computes it: fields parsed from the decrypted plaintext. */
const keyOf = (plaintext: string) => dedupeKey(parseCallbackXml(plaintext), plaintext);

function contactChange(createTime: number, changeType: string, body: string): string {
  return `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event><ChangeType>${changeType}</ChangeType>${body}</xml>`;
}
const updateUser = (t: number, userid: string, extra = '') => contactChange(t, 'update_user', `<UserID><![CDATA[${userid}]]></UserID>${extra}`);

function textMessage(msgId: string, content: string, createTime = 1700000000, from = 'lina'): string {
  return `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;
}

function cardEvent(responseCode: string, eventKey: string, createTime = 1700000000, from = 'lina'): string {
  return `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${eventKey}]]></EventKey><TaskId><![CDATA[task1]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[${responseCode}]]></ResponseCode><AgentID>1000002</AgentID></xml>`;
}

describe('dedupeKey', () => {
  test('a retry of the same plaintext collapses onto one key', () => {
    for (const p of [
      updateUser(1700000000, 'lina'),
      textMessage('4561255354251345929', 'hi'),
      cardEvent('RC-1', 'approve'),
      contactChange(1700000000, 'create_party', '<Id>11</Id><Name>新部门</Name><ParentId>1</ParentId>'),
    ]) {
      expect(keyOf(p)).toBe(keyOf(p));
      expect(keyOf(p).length).toBeLessThanOrEqual(191); // fits the unique index
    }
  });

  test('two contact changes for different users in the same second stay distinct', () => {
    const t = 1700000000;
    const keys = ['lina', 'xuli', 'zhaolei', 'sunhao'].map((u) => keyOf(updateUser(t, u)));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('two different changes to the same user in the same second stay distinct', () => {
    const t = 1700000000;
    const a = keyOf(updateUser(t, 'lina', '<Position><![CDATA[客服专员]]></Position>'));
    const b = keyOf(updateUser(t, 'lina', '<Position><![CDATA[客服组长]]></Position>'));
    const c = keyOf(contactChange(t, 'delete_user', '<UserID><![CDATA[lina]]></UserID>'));
    expect(new Set([a, b, c]).size).toBe(3);
  });

  test('department and tag changes in the same second stay distinct', () => {
    const t = 1700000000;
    const keys = [
      keyOf(contactChange(t, 'create_party', '<Id>11</Id><Name>A</Name><ParentId>1</ParentId>')),
      keyOf(contactChange(t, 'create_party', '<Id>12</Id><Name>B</Name><ParentId>1</ParentId>')),
      keyOf(contactChange(t, 'update_tag', '<TagId>1</TagId><AddUserItems><![CDATA[lina]]></AddUserItems>')),
      keyOf(contactChange(t, 'update_tag', '<TagId>2</TagId><AddUserItems><![CDATA[lina]]></AddUserItems>')),
    ];
    expect(new Set(keys).size).toBe(4);
  });

  test('template_card_event is keyed by ResponseCode', () => {
    // A redelivery of the same click (same ResponseCode) collapses even if incidental fields differ…
    expect(keyOf(cardEvent('RC-1', 'approve', 1700000000))).toBe(keyOf(cardEvent('RC-1', 'approve', 1700000001)));
    // …while two clicks by the same member on the same button in the same second are two events.
    expect(keyOf(cardEvent('RC-1', 'approve'))).not.toBe(keyOf(cardEvent('RC-2', 'approve')));
    expect(keyOf(cardEvent('RC-1', 'approve'))).toContain('RC-1');
  });

  test('messages are keyed by MsgId', () => {
    expect(keyOf(textMessage('1001', 'hello', 1700000000))).toBe(keyOf(textMessage('1001', 'hello', 1700000005)));
    expect(keyOf(textMessage('1001', 'hello'))).not.toBe(keyOf(textMessage('1002', 'hello')));
    expect(keyOf(textMessage('1001', 'hello'))).toContain('1001');
  });

  test('message, card and contact keys never collide with each other', () => {
    const keys = [keyOf(textMessage('1', 'x')), keyOf(cardEvent('1', 'x')), keyOf(updateUser(1, '1'))];
    expect(new Set(keys).size).toBe(3);
  });

  test('other events: same member, same second, different EventKey stay distinct; retries collapse', () => {
    const click = (key: string) =>
      `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[lina]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[click]]></Event><EventKey><![CDATA[${key}]]></EventKey><AgentID>1000002</AgentID></xml>`;
    expect(keyOf(click('a'))).toBe(keyOf(click('a')));
    expect(keyOf(click('a'))).not.toBe(keyOf(click('b')));
  });

  test('very long ids still give keys that fit the 191-character unique index', () => {
    const p = updateUser(1700000000, 'u'.repeat(300));
    expect(keyOf(p).length).toBeLessThanOrEqual(191);
    expect(keyOf(cardEvent('R'.repeat(400), 'x')).length).toBeLessThanOrEqual(191);
  });
});
