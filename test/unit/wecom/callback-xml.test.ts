/**
 * XXE-safe callback XML helpers (envelope https://developer.work.weixin.qq.com/document/path/90238, events
 * https://developer.work.weixin.qq.com/document/path/90240).
 */
import { CallbackXmlError, extractEncrypt, parseCallbackXml, type CallbackXmlFailure } from '../../../server/src/wecom/crypto/callback-xml';

// The POST body of the official sample (https://github.com/sbzhu/weworkapi_php/blob/master/callback/Sample.php).
const ENCRYPT =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
const BODY = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${ENCRYPT}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
const PLAINTEXT =
  '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>';

function reasonOf(fn: () => unknown): CallbackXmlFailure | 'no error' {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CallbackXmlError);
    return (e as CallbackXmlError).reason;
  }
  return 'no error';
}

const XXE = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Encrypt>&xxe;</Encrypt></xml>`;

describe('extractEncrypt', () => {
  test('returns the exact Encrypt text of the official POST body', () => {
    expect(extractEncrypt(BODY)).toBe(ENCRYPT);
  });

  test('pretty-printed envelope with a declaration (doc 90238 layout)', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n   <ToUserName><![CDATA[toUser]]></ToUserName>\n   <AgentID><![CDATA[toAgentID]]></AgentID>\n   <Encrypt><![CDATA[${ENCRYPT}]]></Encrypt>\n</xml>\n`;
    expect(extractEncrypt(body)).toBe(ENCRYPT);
  });

  test('CDATA content is not trimmed (the signature covers the exact text)', () => {
    expect(extractEncrypt('<xml><Encrypt><![CDATA[ abc= ]]></Encrypt></xml>')).toBe(' abc= ');
    expect(extractEncrypt('<xml><Encrypt>abc=</Encrypt></xml>')).toBe('abc=');
  });

  test('refuses DOCTYPE / ENTITY bodies (XXE), in any case', () => {
    expect(reasonOf(() => extractEncrypt(XXE))).toBe('doctype');
    expect(reasonOf(() => extractEncrypt(`<!DOCTYPE xml>${BODY}`))).toBe('doctype');
    expect(reasonOf(() => extractEncrypt(`<!doctype xml>${BODY}`))).toBe('doctype');
    expect(reasonOf(() => extractEncrypt(`<xml><!ENTITY a "b"><Encrypt>x</Encrypt></xml>`))).toBe('doctype');
  });

  test('malformed and missing', () => {
    expect(reasonOf(() => extractEncrypt(''))).toBe('malformed');
    expect(reasonOf(() => extractEncrypt('not xml'))).toBe('malformed');
    expect(reasonOf(() => extractEncrypt('<xml><Encrypt>abc</xml>'))).toBe('malformed');
    expect(reasonOf(() => extractEncrypt('<xml/><xml/>'))).toBe('malformed');
    expect(reasonOf(() => extractEncrypt('<root><Encrypt>abc</Encrypt></root>'))).toBe('malformed');
    expect(reasonOf(() => extractEncrypt('<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>'))).toBe('malformed');
    expect(reasonOf(() => extractEncrypt('<xml><Encrypt><A>b</A></Encrypt></xml>'))).toBe('malformed');
    expect(reasonOf(() => extractEncrypt('<xml><ToUserName>x</ToUserName></xml>'))).toBe('missing_encrypt');
    expect(reasonOf(() => extractEncrypt('<xml><Encrypt></Encrypt></xml>'))).toBe('missing_encrypt');
    expect(reasonOf(() => extractEncrypt('<xml></xml>'))).toBe('missing_encrypt');
  });
});

describe('parseCallbackXml', () => {
  test('official A2 plaintext: flat map, numbers kept as exact strings', () => {
    expect(parseCallbackXml(PLAINTEXT)).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      FromUserName: 'mycreate',
      CreateTime: '1409659813',
      MsgType: 'text',
      Content: 'hello',
      MsgId: '4561255354251345929', // 19 digits: would lose precision as a number
      AgentID: '218',
    });
  });

  test('nested elements come back as JSON strings (template_card_event SelectedItems)', () => {
    const xml = `<xml>
<ToUserName><![CDATA[toUser]]></ToUserName>
<FromUserName><![CDATA[FromUser]]></FromUserName>
<CreateTime>123456789</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[template_card_event]]></Event>
<EventKey><![CDATA[key111]]></EventKey>
<TaskId><![CDATA[taskid111]]></TaskId>
<CardType><![CDATA[text_notice]]></CardType>
<ResponseCode><![CDATA[ResponseCode]]></ResponseCode>
<AgentID>1</AgentID>
<SelectedItems>
  <SelectedItem>
    <QuestionKey><![CDATA[QuestionKey1]]></QuestionKey>
    <OptionIds><OptionId><![CDATA[OptionId1]]></OptionId><OptionId><![CDATA[OptionId2]]></OptionId></OptionIds>
  </SelectedItem>
</SelectedItems>
</xml>`;
    const fields = parseCallbackXml(xml);
    expect(fields.Event).toBe('template_card_event');
    expect(fields.AgentID).toBe('1');
    expect(fields.ResponseCode).toBe('ResponseCode');
    expect(JSON.parse(fields.SelectedItems!)).toEqual({
      SelectedItem: { QuestionKey: 'QuestionKey1', OptionIds: { OptionId: ['OptionId1', 'OptionId2'] } },
    });
    expect(fields.Missing).toBeUndefined();
  });

  test('change_contact with empty and entity-escaped values', () => {
    const fields = parseCallbackXml(
      '<xml><FromUserName><![CDATA[sys]]></FromUserName><ChangeType><![CDATA[update_user]]></ChangeType><UserID>zhang&amp;san</UserID><Department><![CDATA[1,2]]></Department><Position></Position><Alias/></xml>',
    );
    expect(fields).toEqual({ FromUserName: 'sys', ChangeType: 'update_user', UserID: 'zhang&san', Department: '1,2', Position: '', Alias: '' });
  });

  test('refuses DTDs, but not a user message that merely mentions one inside CDATA', () => {
    expect(reasonOf(() => parseCallbackXml(XXE))).toBe('doctype');
    expect(reasonOf(() => parseCallbackXml(`<!DOCTYPE xml [<!ENTITY a "b">]>${PLAINTEXT}`))).toBe('doctype');
    // A comment or CDATA can't be used to smuggle one past the check.
    expect(reasonOf(() => parseCallbackXml(`<!-- <![CDATA[ --><!DOCTYPE xml><xml><A>]]></A></xml>`))).toBe('doctype');
    expect(reasonOf(() => parseCallbackXml('<xml><A><![CDATA[x</A></xml>'))).toBe('malformed');
    const chat = '<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[what is <!DOCTYPE html>?]]></Content></xml>';
    expect(parseCallbackXml(chat).Content).toBe('what is <!DOCTYPE html>?');
  });

  test('malformed plaintext', () => {
    expect(reasonOf(() => parseCallbackXml('1616140317555161061'))).toBe('malformed');
    expect(reasonOf(() => parseCallbackXml('<xml><a></xml>'))).toBe('malformed');
  });
});
