// The WeCom simulator (scripts/wecom-sim): its own crypto against the official vectors
// (https://github.com/sbzhu/weworkapi_php/blob/master/callback/Sample.php,
// https://github.com/sbzhu/weworkapi_python/blob/master/callback_json/Sample.py, JS-SDK example of
// https://developer.work.weixin.qq.com/document/path/90506), and its HTTP behaviour against the protocol.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import {
  aesKeyFrom,
  CRYPTO_ERRORS,
  decryptMessage,
  encryptMessage,
  extractEncrypt,
  jsapiSignature,
  msgSignature,
  verifyMsgSignature,
  WecomCryptoError,
} from '../../../scripts/wecom-sim/crypto';
import { demoCorp, generateCorp } from '../../../scripts/wecom-sim/corp';
import { DEMO_DEPARTMENTS, DEMO_USERS } from '../../../scripts/wecom-sim/demo-corp';
import { startWecomSim, type WecomSim, type WecomSimOptions } from '../../../scripts/wecom-sim/server';
import { C, getJson, postJson, receiver, type Json } from './helpers';

// ---- Official vectors (weworkapi_php / weworkapi_python samples; JS-SDK https://developer.work.weixin.qq.com/document/path/96909) ----
const A = { token: 'QDG6eK', key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corp: 'wx5823bf96d3bd56c7' };
const A1_QUERY =
  'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D';
const A2 = {
  sig: '477715d11cdb4164915debcba66cb864d751f3e6',
  ts: '1409659813',
  nonce: '1372623149',
  body: '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>',
  plain:
    '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>',
};
const B = { token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', key: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', corp: 'ww1436e0e65a779aee' };
const B_GET = {
  sig: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
  ts: '1476416373',
  nonce: '47744683',
  enc: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
};
const B_POST = {
  sig: 'e3647471e395139e2308c1fa963f2d648a00b90e',
  ts: '1409659813',
  nonce: '1372623149',
  enc: 'cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=',
};

const cryptoCode = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof WecomCryptoError ? err.code : NaN;
  }
  return undefined;
};

describe('wecom-sim crypto: official vectors', () => {
  test('A1 GET URL verification: signature over the once-decoded echostr, decrypt, deterministic re-encrypt', () => {
    const q = new URLSearchParams(A1_QUERY); // decodes exactly once
    const echostr = q.get('echostr')!;
    expect(echostr).toBe('P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==');
    expect(msgSignature(A.token, q.get('timestamp')!, q.get('nonce')!, echostr)).toBe(q.get('msg_signature'));
    expect(verifyMsgSignature(A.token, q.get('timestamp')!, q.get('nonce')!, echostr, q.get('msg_signature')!)).toBe(true);
    const d = decryptMessage(A.key, echostr, A.corp);
    expect(d.message).toBe('1616140317555161061');
    expect(d.receiveId).toBe(A.corp);
    expect(d.random.toString()).toBe('c41b64491c2468d0');
    expect(encryptMessage(A.key, d.message, A.corp, Buffer.from('c41b64491c2468d0'))).toBe(echostr);
  });

  test('A2 POST callback: pad 30 decrypts, re-encrypts byte for byte, wrong receiveid is -40005', () => {
    const enc = extractEncrypt(A2.body)!;
    expect(msgSignature(A.token, A2.ts, A2.nonce, enc)).toBe(A2.sig);
    const d = decryptMessage(A.key, enc, A.corp);
    expect(d.message).toBe(A2.plain);
    expect(Buffer.byteLength(d.message)).toBe(284);
    expect(d.random.toString()).toBe('0960688932c47ef1');
    expect(encryptMessage(A.key, A2.plain, A.corp, Buffer.from('0960688932c47ef1'))).toBe(enc);
    expect(cryptoCode(() => decryptMessage(A.key, enc, 'wwSOMEOTHERCORP'))).toBe(CRYPTO_ERRORS.ValidateReceiveId);
    // The 32-byte trap: OpenSSL auto-padding cannot decrypt this vector (pad 30 > 16).
    const k = aesKeyFrom(A.key);
    expect(() => {
      const dc = createDecipheriv('aes-256-cbc', k, k.subarray(0, 16));
      dc.update(Buffer.from(enc, 'base64'));
      dc.final();
    }).toThrow();
  });

  test('set B (JSON-callback sample) GET and POST', () => {
    expect(msgSignature(B.token, B_GET.ts, B_GET.nonce, B_GET.enc)).toBe(B_GET.sig);
    const g = decryptMessage(B.key, B_GET.enc, B.corp);
    expect(g.message).toBe('1288432023552776189');
    expect(g.random.toString()).toBe('8908d0ff052afda0');
    expect(encryptMessage(B.key, g.message, B.corp, g.random)).toBe(B_GET.enc);

    expect(msgSignature(B.token, B_POST.ts, B_POST.nonce, B_POST.enc)).toBe(B_POST.sig);
    const p = decryptMessage(B.key, B_POST.enc, B.corp);
    expect(p.message.startsWith('{ "ToUserName": "wx5823bf96d3bd56c7"')).toBe(true); // malformed JSON in the sample: never parse
    expect(p.random.toString()).toBe('dDVXRx6kn1gOT43Q');
    expect(encryptMessage(B.key, p.message, B.corp, p.random)).toBe(B_POST.enc);
  });

  test('JS-SDK signature vectors (doc 90506 / 96909)', () => {
    const t = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';
    expect(jsapiSignature(t, 'Wm3WZYTPz0wzccnW', 1414587457, 'http://mp.weixin.qq.com?params=value')).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
    expect(jsapiSignature(t, 'Wm3WZYTPz0wzccnW', '1414587457', 'http://mp.weixin.qq.com#frag')).toBe('f4d90daf4b3bca3078ab155816175ba34c443a7b');
  });

  test('edge cases: exact-multiple-of-32 gets a full pad, strict unpad, bounds, tampering', () => {
    // 16 + 4 + 8 + 4 = 32 bytes before padding -> 64 bytes of ciphertext (full 32-byte pad).
    const enc = encryptMessage(A.key, '12345678', 'abcd');
    expect(Buffer.from(enc, 'base64').length).toBe(64);
    expect(decryptMessage(A.key, enc, 'abcd').message).toBe('12345678');
    expect(cryptoCode(() => decryptMessage(A.key, enc.slice(0, 24)))).toBe(CRYPTO_ERRORS.IllegalBuffer); // 16 bytes
    expect(cryptoCode(() => decryptMessage(A.key, 'not base64!'))).toBe(CRYPTO_ERRORS.DecodeBase64);
    expect(cryptoCode(() => aesKeyFrom('short'))).toBe(CRYPTO_ERRORS.IllegalAesKey);
    // Garbage with a bad pad byte is refused, not "decrypted".
    const k = aesKeyFrom(A.key);
    const c = createCipheriv('aes-256-cbc', k, k.subarray(0, 16));
    c.setAutoPadding(false);
    const junk = Buffer.concat([c.update(Buffer.alloc(64, 0x41)), c.final()]).toString('base64');
    expect(cryptoCode(() => decryptMessage(A.key, junk))).toBe(CRYPTO_ERRORS.IllegalBuffer);
    expect(verifyMsgSignature(A.token, A2.ts, A2.nonce, extractEncrypt(A2.body)!, A2.sig.replace(/^4/, '5'))).toBe(false);
  });
});

// ---- HTTP behaviour -----------------------------------------------------------------------------

let clock = Date.now();
const baseOpts = (extra: Partial<WecomSimOptions> = {}): WecomSimOptions => ({
  corpId: C.corpId,
  agentId: C.agentId,
  agentSecret: C.agentSecret,
  contactSecret: C.contactSecret,
  callbackToken: C.callbackToken,
  callbackAesKey: C.callbackAesKey,
  now: () => clock,
  ...extra,
});

describe('wecom-sim server', () => {
  let sim: WecomSim;
  const token = async (secret: string = C.agentSecret): Promise<string> =>
    (await getJson(`${sim.url}/cgi-bin/gettoken?corpid=${C.corpId}&corpsecret=${secret}`))['access_token'] as string;

  beforeEach(async () => {
    clock = Date.now();
    sim = await startWecomSim(baseOpts());
  });
  afterEach(async () => {
    await sim.close();
  });

  test('gettoken and token errors (doc 91039, 90313)', async () => {
    const ok = await getJson(`${sim.url}/cgi-bin/gettoken?corpid=${C.corpId}&corpsecret=${C.agentSecret}`);
    expect(ok).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(typeof ok['access_token']).toBe('string');
    expect(sim.stats.tokensIssued).toBe(1);

    const badCorp = await getJson(`${sim.url}/cgi-bin/gettoken?corpid=wwnope&corpsecret=${C.agentSecret}`);
    expect(badCorp['errcode']).toBe(40013);
    expect(badCorp['errmsg']).toMatch(
      /^invalid corpid, hint: \[.+\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=40013$/,
    );
    expect((await getJson(`${sim.url}/cgi-bin/gettoken?corpid=${C.corpId}&corpsecret=wrong`))['errcode']).toBe(40001);

    expect((await getJson(`${sim.url}/cgi-bin/user/get?userid=lina`))['errcode']).toBe(41001);
    expect((await getJson(`${sim.url}/cgi-bin/user/get?access_token=bogus&userid=lina`))['errcode']).toBe(40014);
    const t = ok['access_token'] as string;
    expect(await getJson(`${sim.url}/cgi-bin/user/get?access_token=${t}&userid=${DEMO_USERS.csAgent}`)).toMatchObject({
      errcode: 0,
      userid: 'lina',
      name: '李娜',
      department: [DEMO_DEPARTMENTS.csPresale],
      main_department: DEMO_DEPARTMENTS.csPresale,
      status: 1,
    });
    const u = await getJson(`${sim.url}/cgi-bin/user/get?access_token=${t}&userid=lina`);
    for (const stripped of ['mobile', 'email', 'avatar', 'gender', 'biz_mail', 'address']) expect(u).not.toHaveProperty(stripped);
    expect((await getJson(`${sim.url}/cgi-bin/user/get?access_token=${t}&userid=nobody`))['errcode']).toBe(60111);

    clock += 7200 * 1000; // expired
    expect((await getJson(`${sim.url}/cgi-bin/user/get?access_token=${t}&userid=lina`))['errcode']).toBe(42001);
    const t2 = await token();
    expect(sim.invalidateToken(t2, 40014)).toBe(1);
    expect((await getJson(`${sim.url}/cgi-bin/user/get?access_token=${t2}&userid=lina`))['errcode']).toBe(40014);
    expect(sim.stats.tokensIssued).toBe(2);
  });

  test('failNext injects an errcode once and kills the token on 42001', async () => {
    const t = await token();
    sim.failNext('user/get', 42001);
    expect((await getJson(`${sim.url}/cgi-bin/user/get?access_token=${t}&userid=lina`))['errcode']).toBe(42001);
    expect((await getJson(`${sim.url}/cgi-bin/user/get?access_token=${t}&userid=lina`))['errcode']).toBe(42001);
    const t2 = await token();
    expect((await getJson(`${sim.url}/cgi-bin/user/get?access_token=${t2}&userid=lina`))['errcode']).toBe(0);
    sim.failNext('/cgi-bin/department/list', -1, 2);
    expect((await getJson(`${sim.url}/cgi-bin/department/list?access_token=${t2}`))['errcode']).toBe(-1);
    expect((await getJson(`${sim.url}/cgi-bin/department/list?access_token=${t2}`))['errcode']).toBe(-1);
    expect((await getJson(`${sim.url}/cgi-bin/department/list?access_token=${t2}`))['errcode']).toBe(0);
  });

  test('department and user lists (docs 95350, 90208, 90200, 90201)', async () => {
    const t = await token();
    const tree = await getJson(`${sim.url}/cgi-bin/department/simplelist?access_token=${t}`);
    expect(tree['department_id']).toHaveLength(sim.corp.departments.size);
    const cs = await getJson(`${sim.url}/cgi-bin/department/simplelist?access_token=${t}&id=${DEMO_DEPARTMENTS.cs}`);
    expect((cs['department_id'] as Json[]).map((d) => d['id']).sort()).toEqual([2, 3, 4]);
    const list = await getJson(`${sim.url}/cgi-bin/department/list?access_token=${t}&id=1`);
    expect(list['department'][0]).toMatchObject({ id: 1, name: '星河电商', parentid: 0, department_leader: [] });
    expect(await getJson(`${sim.url}/cgi-bin/department/get?access_token=${t}&id=2`)).toMatchObject({
      errcode: 0,
      department: { id: 2, name: '客服部', department_leader: ['wangfang'] },
    });
    expect((await getJson(`${sim.url}/cgi-bin/department/get?access_token=${t}&id=999`))['errcode']).toBe(60123);
    const simple = await getJson(`${sim.url}/cgi-bin/user/simplelist?access_token=${t}&department_id=${DEMO_DEPARTMENTS.cs}`);
    expect((simple['userlist'] as Json[]).map((u) => u['userid'])).toEqual([DEMO_USERS.csLead]); // direct members only
    const full = await getJson(`${sim.url}/cgi-bin/user/list?access_token=${t}&department_id=${DEMO_DEPARTMENTS.csPresale}`);
    expect((full['userlist'] as Json[]).map((u) => u['userid'])).toEqual(expect.arrayContaining(['wangfang', 'lina']));
    expect(full['userlist'][0]).toHaveProperty('position');
    const tags = await getJson(`${sim.url}/cgi-bin/tag/list?access_token=${t}`);
    expect(tags['taglist']).toEqual(
      expect.arrayContaining([
        { tagid: 1, tagname: '客服组长' },
        { tagid: 2, tagname: '店长' },
      ]),
    );
    expect(await getJson(`${sim.url}/cgi-bin/tag/get?access_token=${t}&tagid=2`)).toMatchObject({
      tagname: '店长',
      userlist: [{ userid: 'chenjing', name: '陈静' }],
      partylist: [],
    });
  });

  test('user/list_id pages with the contact secret; other secrets get 48002 (doc 96067)', async () => {
    const agentToken = await token();
    expect((await postJson(`${sim.url}/cgi-bin/user/list_id?access_token=${agentToken}`, { cursor: '', limit: 10 }))['errcode']).toBe(48002);
    const t = await token(C.contactSecret);
    expect(sim.stats.tokensIssuedBySecret).toEqual({ agent: 1, contact: 1 });
    expect((await postJson(`${sim.url}/cgi-bin/user/list_id?access_token=${t}`, { limit: 0 }))['errcode']).toBe(40058);
    const rows: Json[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const page = await postJson(`${sim.url}/cgi-bin/user/list_id?access_token=${t}`, { cursor, limit: 7 });
      expect(page['errcode']).toBe(0);
      expect((page['dept_user'] as Json[]).length).toBeLessThanOrEqual(7);
      rows.push(...(page['dept_user'] as Json[]));
      cursor = page['next_cursor'] as string;
      pages++;
    } while (cursor);
    const expected = [...sim.corp.members.values()].reduce((n, m) => n + m.department.length, 0);
    expect(rows).toHaveLength(expected);
    expect(pages).toBe(Math.ceil(expected / 7));
    expect(rows.filter((r) => r['userid'] === DEMO_USERS.csLead).map((r) => r['department'])).toEqual([2, 3]);
    // The contact secret may not send messages or exchange codes.
    expect(
      (await postJson(`${sim.url}/cgi-bin/message/send?access_token=${t}`, { touser: 'lina', msgtype: 'text', agentid: 1000002, text: { content: 'x' } }))[
        'errcode'
      ],
    ).toBe(48002);
  });

  test('OAuth chooser keeps state and issues a single-use code (docs 91022, 91023)', async () => {
    const redirect = 'http://localhost:5173/auth/callback?from=wecom';
    const auth = `${sim.url}/connect/oauth2/authorize?appid=${C.corpId}&redirect_uri=${encodeURIComponent(redirect)}&response_type=code&scope=snsapi_base&state=Xy12abC&agentid=${C.agentId}`;
    const page = await fetch(auth);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('企业微信模拟登录 · 选择成员');
    expect(html).toContain('data-userid="lina"');
    expect(html).toContain('data-userid="__outsider__"');
    expect(html).toContain('非企业成员（访客）');
    expect(html).not.toContain('data-userid="qianwei"'); // not activated: cannot sign in
    const href = /data-userid="lina"[^>]*href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const res = await fetch(`${sim.url}${href}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(`${loc.origin}${loc.pathname}`).toBe('http://localhost:5173/auth/callback');
    expect(loc.searchParams.get('from')).toBe('wecom');
    expect(loc.searchParams.get('state')).toBe('Xy12abC');
    const code = loc.searchParams.get('code')!;
    const t = await token();
    expect(await getJson(`${sim.url}/cgi-bin/auth/getuserinfo?access_token=${t}&code=${code}`)).toEqual({ errcode: 0, errmsg: 'ok', userid: 'lina' });
    expect((await getJson(`${sim.url}/cgi-bin/auth/getuserinfo?access_token=${t}&code=${code}`))['errcode']).toBe(40029);

    const outsider = await fetch(`${sim.url}/connect/oauth2/authorize/choose?${new URL(auth).searchParams.toString()}&userid=__outsider__`, {
      redirect: 'manual',
    });
    const oc = new URL(outsider.headers.get('location')!).searchParams.get('code')!;
    const info = await getJson(`${sim.url}/cgi-bin/auth/getuserinfo?access_token=${t}&code=${oc}`);
    expect(info).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(typeof info['openid']).toBe('string');
    expect(info).not.toHaveProperty('userid');

    const stale = sim.issueCode(DEMO_USERS.owner);
    clock += 5 * 60_000 + 1000; // codes live 5 minutes
    expect((await getJson(`${sim.url}/cgi-bin/auth/getuserinfo?access_token=${await token()}&code=${stale}`))['errcode']).toBe(40029);

    const bad = await fetch(auth.replace(`appid=${C.corpId}`, 'appid=wwother'));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('appid');
  });

  test('web login (wwlogin/sso/login) uses the same chooser and redirect', async () => {
    const params = new URLSearchParams({
      login_type: 'CorpApp',
      appid: C.corpId,
      agentid: C.agentId,
      redirect_uri: 'http://127.0.0.1:8080/login',
      state: 'web42',
    });
    const html = await (await fetch(`${sim.url}/wwlogin/sso/login?${params}`)).text();
    expect(html).toContain(`data-userid="${DEMO_USERS.owner}"`);
    const res = await fetch(`${sim.url}/wwlogin/sso/login/choose?${params}&userid=${DEMO_USERS.owner}`, { redirect: 'manual' });
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('state')).toBe('web42');
    const t = await token();
    expect((await getJson(`${sim.url}/cgi-bin/auth/getuserinfo?access_token=${t}&code=${loc.searchParams.get('code')}`))['userid']).toBe('chenjing');
    expect((await fetch(`${sim.url}/wwlogin/sso/login?${params.toString().replace('CorpApp', 'ServiceApp')}`)).status).toBe(400);
  });

  test('JS-SDK tickets and message/send', async () => {
    const t = await token();
    const jsapi = await getJson(`${sim.url}/cgi-bin/get_jsapi_ticket?access_token=${t}`);
    expect(jsapi).toMatchObject({ errcode: 0, expires_in: 7200 });
    const page = { noncestr: 'Wm3WZYTPz0wzccnW', timestamp: 1414587457, url: 'http://localhost:5173/orders?tab=mine' };
    const signature = jsapiSignature(jsapi['ticket'] as string, page.noncestr, page.timestamp, page.url);
    expect(sim.verifyJsSdkSignature('jsapi', { ...page, signature })).toBe(true);
    expect(sim.verifyJsSdkSignature('agent_config', { ...page, signature })).toBe(false); // wrong ticket type (40093 in WeCom)
    expect(await getJson(`${sim.url}/cgi-bin/ticket/get?access_token=${t}&type=agent_config`)).toMatchObject({ errcode: 0, expires_in: 7200 });
    expect(sim.stats).toMatchObject({ jsapiTicketsIssued: 1, agentTicketsIssued: 1 });
    const sent = await postJson(`${sim.url}/cgi-bin/message/send?access_token=${t}`, {
      touser: 'lina|Ghost',
      msgtype: 'text',
      agentid: 1000002,
      text: { content: '你好' },
    });
    expect(sent).toMatchObject({ errcode: 0, errmsg: 'ok', invaliduser: 'ghost' });
    expect(typeof sent['msgid']).toBe('string');
    expect(sim.stats.messages).toHaveLength(1);
    expect(
      (await postJson(`${sim.url}/cgi-bin/message/send?access_token=${t}`, { touser: 'ghost', msgtype: 'text', agentid: 1000002, text: { content: 'x' } }))[
        'errcode'
      ],
    ).toBe(81013);
  });

  test('per-path per-minute limit answers 45009 and records the peak (doc 90454)', async () => {
    await sim.close();
    sim = await startWecomSim(baseOpts({ perMinuteLimit: 5 }));
    const t = await token();
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await getJson(`${sim.url}/cgi-bin/department/simplelist?access_token=${t}`))['errcode'] as number);
    expect(codes).toEqual([0, 0, 0, 0, 0, 45009, 45009]);
    expect(sim.stats.maxCallsInAnyMinute['/cgi-bin/department/simplelist']).toBe(7);
    expect(sim.stats.rateLimited['/cgi-bin/department/simplelist']).toBe(2);
    expect((await getJson(`${sim.url}/cgi-bin/user/get?access_token=${t}&userid=lina`))['errcode']).toBe(0); // other paths unaffected
    clock += 61_000;
    expect((await getJson(`${sim.url}/cgi-bin/department/simplelist?access_token=${t}`))['errcode']).toBe(0);
  });
});

describe('wecom-sim callbacks', () => {
  const parser = new XMLParser({ parseTagValue: false });

  test('deliver() POSTs a correctly signed and encrypted envelope; times repeats it identically', async () => {
    const rx = await receiver();
    const sim = await startWecomSim(baseOpts({ callbackUrl: rx.url }));
    try {
      const plain =
        '<xml><ToUserName><![CDATA[wwdemo0000shopcrew]]></ToUserName><FromUserName><![CDATA[lina]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>1</MsgId><AgentID>1000002</AgentID></xml>';
      const results = await sim.deliver(plain, { times: 2 });
      expect(results).toEqual([
        { status: 200, body: '' },
        { status: 200, body: '' },
      ]);
      expect(rx.got).toHaveLength(2);
      expect(rx.got[1]).toEqual(rx.got[0]);
      const r = rx.got[0]!;
      expect(r.method).toBe('POST');
      const u = new URL(r.url, 'http://x');
      expect(u.pathname).toBe('/wecom/callback');
      const env = parser.parse(r.body).xml as Json;
      expect(env['ToUserName']).toBe(C.corpId);
      expect(env['AgentID']).toBe(C.agentId);
      const enc = extractEncrypt(r.body)!;
      expect(enc).toBe(env['Encrypt']);
      expect(
        verifyMsgSignature(C.callbackToken, u.searchParams.get('timestamp')!, u.searchParams.get('nonce')!, enc, u.searchParams.get('msg_signature')!),
      ).toBe(true);
      expect(decryptMessage(C.callbackAesKey, enc, C.corpId).message).toBe(plain);
    } finally {
      await sim.close();
      await rx.close();
    }
  });

  test('verifyCallbackUrl() sends echostr percent-encoded once and checks the bare body', async () => {
    const rx = await receiver((r, res) => {
      const u = new URL(r.url, 'http://x'); // URLSearchParams decodes once
      const echostr = u.searchParams.get('echostr')!;
      if (!verifyMsgSignature(C.callbackToken, u.searchParams.get('timestamp')!, u.searchParams.get('nonce')!, echostr, u.searchParams.get('msg_signature')!)) {
        res.statusCode = 403;
        return res.end('bad signature');
      }
      res.end(decryptMessage(C.callbackAesKey, echostr, C.corpId).message);
    });
    const sim = await startWecomSim(baseOpts({ callbackUrl: rx.url }));
    try {
      const v = await sim.verifyCallbackUrl();
      expect(v).toMatchObject({ status: 200, ok: true });
      expect(v.body).toBe(v.expected);
      expect(v.expected).toMatch(/^\d{19}$/);
      const rawEcho = /[?&]echostr=([^&]*)/.exec(rx.got[0]!.url)![1]!;
      expect(rawEcho).not.toMatch(/[+/=]/); // encoded exactly once: %2B %2F %3D
      expect(decodeURIComponent(rawEcho)).toMatch(/^[A-Za-z0-9+/]+=*$/);
    } finally {
      await sim.close();
      await rx.close();
    }
  });

  test('contact mutations deliver reduced change_contact events (docs 90970-90972, 96302-96304)', async () => {
    const rx = await receiver();
    const sim = await startWecomSim(baseOpts({ callbackUrl: rx.url }));
    const events = (): Json[] => rx.got.map((r) => parser.parse(decryptMessage(C.callbackAesKey, extractEncrypt(r.body)!, C.corpId).message).xml as Json);
    try {
      await sim.createUser({ userid: 'zhoumin', name: '周敏', position: '客服专员', department: [DEMO_DEPARTMENTS.csPresale, DEMO_DEPARTMENTS.cs] });
      await sim.updateUser('zhoumin', { newUserId: 'zhoumin2', department: [DEMO_DEPARTMENTS.csAftersale] });
      await sim.deleteUser('zhoumin2');
      expect(await sim.updateParty(DEMO_DEPARTMENTS.ads, { name: '投放部' })).toEqual([]); // reduced form: only parentid moves fire
      await sim.createParty({ id: 20, name: '直播部', parentid: 1 });
      await sim.updateParty(20, { parentid: DEMO_DEPARTMENTS.ops });
      await sim.deleteParty(20);
      await sim.updateTag(1, { addUsers: ['lina'], delUsers: ['huangmin'] });
      const ev = events();
      expect(ev.map((e) => e['ChangeType'])).toEqual([
        'create_user',
        'update_user',
        'delete_user',
        'create_party',
        'update_party',
        'delete_party',
        'update_tag',
      ]);
      for (const e of ev) expect(e).toMatchObject({ ToUserName: C.corpId, FromUserName: 'sys', MsgType: 'event', Event: 'change_contact' });
      expect(ev[0]).toMatchObject({ UserID: 'zhoumin', Department: '3,2', MainDepartment: '3' });
      expect(ev[0]).not.toHaveProperty('Name');
      expect(ev[1]).toMatchObject({ UserID: 'zhoumin', NewUserID: 'zhoumin2', Department: '4', MainDepartment: '4' });
      expect(ev[2]).toEqual(expect.objectContaining({ UserID: 'zhoumin2' }));
      expect(ev[3]).toMatchObject({ Id: '20', ParentId: '1' });
      expect(ev[4]).toMatchObject({ Id: '20', ParentId: '6' });
      expect(ev[6]).toMatchObject({ TagId: '1', AddUserItems: 'lina', DelUserItems: 'huangmin' });
      expect(sim.corp.tag(1).userlist).toEqual(['wangfang', 'lina']);
    } finally {
      await sim.close();
      await rx.close();
    }
  });

  test('/__sim control endpoints drive the same mutations from another process', async () => {
    const rx = await receiver();
    const sim = await startWecomSim(baseOpts({ fullEvents: true }));
    try {
      await postJson(`${sim.url}/__sim/callback-url`, { url: rx.url });
      const created = await postJson(`${sim.url}/__sim/users`, {
        userid: 'tianye',
        name: '田野',
        position: '仓管员',
        department: [DEMO_DEPARTMENTS.warehouse],
      });
      expect(created).toEqual({ ok: true, deliveries: [{ status: 200, body: '' }] });
      const ev = parser.parse(decryptMessage(C.callbackAesKey, extractEncrypt(rx.got[0]!.body)!, C.corpId).message).xml as Json;
      expect(ev).toMatchObject({ ChangeType: 'create_user', UserID: 'tianye', Name: '田野', Position: '仓管员' });
      const dup = await fetch(`${sim.url}/__sim/users`, { method: 'POST', body: JSON.stringify({ userid: 'tianye', name: 'x', department: [1] }) });
      expect(dup.status).toBe(400);
      expect(((await dup.json()) as Json)['errcode']).toBe(60102);
      expect(((await (await fetch(`${sim.url}/__sim/users/tianye`, { method: 'DELETE' })).json()) as Json)['ok']).toBe(true);
      const code = (await postJson(`${sim.url}/__sim/codes`, { userid: 'lina' }))['code'] as string;
      const t = (await getJson(`${sim.url}/cgi-bin/gettoken?corpid=${C.corpId}&corpsecret=${C.agentSecret}`))['access_token'] as string;
      expect((await getJson(`${sim.url}/cgi-bin/auth/getuserinfo?access_token=${t}&code=${code}`))['userid']).toBe('lina');
      await postJson(`${sim.url}/__sim/invalidate-token`, {});
      expect((await getJson(`${sim.url}/cgi-bin/tag/list?access_token=${t}`))['errcode']).toBe(42001);
      const stats = await getJson(`${sim.url}/__sim/stats`);
      expect(stats['tokensIssued']).toBe(1);
      expect(stats['calls']['/cgi-bin/auth/getuserinfo']).toBe(1);
    } finally {
      await sim.close();
      await rx.close();
    }
  });
});

describe('wecom-sim corp model', () => {
  test('demo corp has the documented people and departments', () => {
    const corp = demoCorp();
    expect(corp.name).toBe('星河电商');
    expect(corp.members.size).toBeGreaterThanOrEqual(18);
    for (const userid of Object.values(DEMO_USERS)) expect(corp.members.has(userid)).toBe(true);
    for (const id of Object.values(DEMO_DEPARTMENTS)) expect(corp.departments.has(id)).toBe(true);
    expect(corp.member(DEMO_USERS.owner).position).toBe('店长');
    expect(corp.department(DEMO_DEPARTMENTS.csPresale).parentid).toBe(DEMO_DEPARTMENTS.cs);
  });

  test('generateCorp is deterministic, about 3 levels deep, with multi-department members', () => {
    const a = generateCorp({ departments: 60, members: 2000, seed: 7 });
    const b = generateCorp({ departments: 60, members: 2000, seed: 7 });
    expect(JSON.stringify([...a.members.values()])).toBe(JSON.stringify([...b.members.values()]));
    expect(a.departments.size).toBe(60);
    expect(a.members.size).toBe(2000);
    const depth = (id: number): number => (id === 1 ? 0 : 1 + depth(a.department(id).parentid));
    expect(Math.max(...[...a.departments.keys()].map(depth))).toBe(3);
    const multi = [...a.members.values()].filter((m) => m.department.length > 1).length;
    expect(multi).toBeGreaterThan(100);
    expect(multi).toBeLessThan(400);
    for (const d of a.departments.keys()) expect(a.membersOf(d).length).toBeGreaterThan(0);
  });
});
