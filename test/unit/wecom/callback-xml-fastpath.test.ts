import { CallbackXmlError, extractEncrypt, parseCallbackXml } from '../../../server/src/wecom/crypto/callback-xml';

/**
 * parseCallbackXml has a fast path for flat documents. A comment before </xml> keeps the document's
 * meaning but sends it down the general (fast-xml-parser) path, so the two can be compared.
 */
const viaGeneralPath = (xml: string) => parseCallbackXml(xml.replace(/<\/xml>$/, '<!-- general --></xml>'));

function randomValue(rnd: () => number): string {
  const pool = ['a', 'Z', '9', ' ', '\n', '中', '文', '😀', '-', '_', ',', '.', '<', '>', '&', '"', "'", ']', '<!DOCTYPE x>'];
  return Array.from({ length: Math.floor(rnd() * 12) }, () => pool[Math.floor(rnd() * pool.length)]).join('');
}

function randomDoc(rnd: () => number): string {
  const names = ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Event', 'ChangeType', 'UserID', 'Department', 'Name', 'X.y', 'a_b'];
  const used = new Set<string>();
  const parts: string[] = [];
  for (let i = 0; i < 1 + Math.floor(rnd() * 8); i++) {
    const name = names[Math.floor(rnd() * names.length)]!;
    if (used.has(name)) continue;
    used.add(name);
    const v = randomValue(rnd);
    const plain = !/[<&]/.test(v) && rnd() < 0.4;
    parts.push(`${rnd() < 0.5 ? '\n' : ''}<${name}>${plain ? v : `<![CDATA[${v.replace(/]]>/g, '')}]]>`}</${name}>`);
  }
  return `<xml>${parts.join('')}${rnd() < 0.5 ? '\n' : ''}</xml>`;
}

describe('parseCallbackXml fast path', () => {
  it('agrees with the general parser on 2,000 random flat documents', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const doc = randomDoc(rnd);
      expect([doc, parseCallbackXml(doc)]).toEqual([doc, viaGeneralPath(doc)]);
    }
  });

  it('leaves nested, repeated, entity-bearing and declaration-bearing documents to the general parser', () => {
    expect(parseCallbackXml('<xml><A>x &amp; y</A></xml>').A).toBe('x & y');
    expect(parseCallbackXml('<xml><A>1</A><A>2</A></xml>').A).toBe('["1","2"]');
    expect(JSON.parse(parseCallbackXml('<xml><S><I>1</I></S></xml>').S!)).toEqual({ I: '1' });
    expect(() => parseCallbackXml('<!DOCTYPE x [<!ENTITY e "boom">]><xml><A>&e;</A></xml>')).toThrow();
    expect(() => parseCallbackXml('<xml><A>1</B></xml>')).toThrow();
  });
});

describe('extractEncrypt fast path', () => {
  const reason = (body: string) => {
    try {
      return extractEncrypt(body);
    } catch (err) {
      return (err as CallbackXmlError).reason;
    }
  };
  /** The same envelope with a comment before </xml>: the general parser's answer. */
  const general = (body: string) => reason(body.replace(/<\/xml>(\s*)$/, '<!-- general --></xml>$1'));

  it.each([
    [
      'the documented envelope',
      '<xml><ToUserName><![CDATA[ww1]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>',
    ],
    ['whitespace around and between elements', '\n <xml>\n  <ToUserName><![CDATA[ww1]]></ToUserName>\n  <Encrypt><![CDATA[abc]]></Encrypt>\n</xml>\n'],
    ['plain text instead of CDATA', '<xml><Encrypt>abc</Encrypt></xml>'],
    ['no Encrypt', '<xml><ToUserName><![CDATA[ww1]]></ToUserName></xml>'],
    ['an empty Encrypt', '<xml><Encrypt><![CDATA[]]></Encrypt></xml>'],
    ['two Encrypt elements', '<xml><Encrypt><![CDATA[a]]></Encrypt><Encrypt><![CDATA[b]]></Encrypt></xml>'],
  ])('answers %s as the general parser does', (_, body) => {
    expect(reason(body)).toBe(general(body));
  });

  it('still refuses any DOCTYPE first', () => {
    expect(reason('<!DOCTYPE x><xml><Encrypt><![CDATA[abc]]></Encrypt></xml>')).toBe('doctype');
  });
});
