// Template cards in the simulator: update_template_card with single-use response codes
// (https://developer.work.weixin.qq.com/document/path/94888), clicks delivered as signed + encrypted template_card_event
// callbacks (https://developer.work.weixin.qq.com/document/path/90240), the update_button passive reply
// (https://developer.work.weixin.qq.com/document/path/90241), and the member inbox page.
import { XMLParser } from 'fast-xml-parser';
import { decryptMessage, encryptMessage, extractEncrypt, msgSignature, verifyMsgSignature } from '../../../scripts/wecom-sim/crypto';
import { DEMO_USERS as U } from '../../../scripts/wecom-sim/demo-corp';
import { approvalCard, C, getJson, postJson, receiver, startTestSim, type Json, type Received, type TestSim } from './helpers';

const parser = new XMLParser({ parseTagValue: false });

/** Verify the envelope of a received callback like the product must, and return the decrypted event. */
function openCallback(r: Received): Json {
  const u = new URL(r.url, 'http://x');
  const enc = extractEncrypt(r.body)!;
  expect(verifyMsgSignature(C.callbackToken, u.searchParams.get('timestamp')!, u.searchParams.get('nonce')!, enc, u.searchParams.get('msg_signature')!)).toBe(
    true,
  );
  return parser.parse(decryptMessage(C.callbackAesKey, enc, C.corpId).message).xml as Json;
}

/** An encrypted passive reply as the official samples build it (XMLParse.generate). */
function passiveReply(plain: string): string {
  const enc = encryptMessage(C.callbackAesKey, plain, C.corpId);
  const ts = '1717207200';
  const nonce = '1372623149';
  return `<xml><Encrypt><![CDATA[${enc}]]></Encrypt><MsgSignature><![CDATA[${msgSignature(C.callbackToken, ts, nonce, enc)}]]></MsgSignature><TimeStamp>${ts}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`;
}

describe('wecom-sim template cards', () => {
  let t: TestSim;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let reply = '';
  beforeEach(async () => {
    reply = '';
    rx = await receiver((_r, res) => res.end(reply));
    t = await startTestSim({ callbackUrl: rx.url });
  });
  afterEach(async () => {
    await t.sim.close();
    await rx.close();
  });

  const sendCard = (taskId: string, touser = `${U.owner}|${U.financeLead}|${U.ownerAssistant}`): Promise<Json> =>
    t.send({ touser, msgtype: 'template_card', template_card: approvalCard(taskId) });
  const update = (body: Json): Promise<Json> => t.api('message/update_template_card', { agentid: 1000002, ...body });

  test('update_template_card: each response_code once; listed members only; invaliduser for non-recipients', async () => {
    const sent = await sendCard('exp-1');
    const code = sent['response_code'] as string;
    const res = await update({ userids: [U.owner, 'Ghost', U.csAgent], response_code: code, button: { replace_name: '已同意' } });
    expect(res).toEqual({ errcode: 0, errmsg: 'ok', invaliduser: ['ghost', U.csAgent] });
    expect(t.sim.cardState('exp-1', U.owner)).toMatchObject({ status: 'button_replaced', replaceName: '已同意' });
    expect(t.sim.cardState('exp-1', U.financeLead)).toMatchObject({ status: 'active' });
    const again = await update({ userids: [U.financeLead], response_code: code, button: { replace_name: '已驳回' } });
    expect(again).toMatchObject({ errcode: 40058, errmsg: expect.stringContaining('response_code already used') });
    expect((await update({ atall: 1, response_code: 'nope', button: { replace_name: 'x' } }))['errmsg']).toContain('response_code invalid');
    expect(t.sim.stats.cardUpdates).toEqual([expect.objectContaining({ taskId: 'exp-1', via: 'api', userids: [U.owner], replaceName: '已同意' })]);
  });

  test('update_template_card: atall updates every recipient; template_card replaces the card; agentid checked', async () => {
    const sent = await sendCard('exp-2');
    expect((await update({ agentid: 1, atall: 1, response_code: sent['response_code'], button: { replace_name: 'x' } }))['errcode']).toBe(40056);
    expect((await update({ atall: 1, response_code: sent['response_code'] }))['errmsg']).toContain('button or template_card required');
    const card = approvalCard('exp-2', { main_title: { title: '报销审批（已处理）' }, replace_text: '已处理' });
    expect(await update({ atall: 1, response_code: sent['response_code'], template_card: card })).toMatchObject({ errcode: 0, invaliduser: [] });
    for (const u of [U.owner, U.financeLead, U.ownerAssistant]) {
      expect(t.sim.cardState('exp-2', u)).toMatchObject({ status: 'card_replaced', card: { replace_text: '已处理' } });
    }
    expect(t.sim.inboxOf(U.owner)[0]!.card).toMatchObject({ status: 'card_replaced' }); // the inbox shows the live card
  });

  test('clickCard delivers a signed, encrypted template_card_event with a fresh ResponseCode; times repeats it identically', async () => {
    const sent = await sendCard('exp-3');
    const res = await t.sim.clickCard(U.financeLead, 'exp-3', 'approve:exp-3', { times: 2 });
    expect(res.deliveries).toEqual([
      { status: 200, body: '' },
      { status: 200, body: '' },
    ]);
    expect(rx.got).toHaveLength(2);
    expect(rx.got[1]).toEqual(rx.got[0]); // a retry is the identical envelope
    const ev = openCallback(rx.got[0]!);
    expect(ev).toEqual({
      ToUserName: C.corpId,
      FromUserName: U.financeLead,
      CreateTime: String(Math.floor(Date.UTC(2024, 5, 1, 2, 0, 0) / 1000)),
      MsgType: 'event',
      Event: 'template_card_event',
      EventKey: 'approve:exp-3',
      TaskId: 'exp-3',
      CardType: 'button_interaction',
      ResponseCode: res.responseCode,
      AgentID: C.agentId,
    });
    expect(rx.got[0]!.body).toContain(`<AgentID><![CDATA[${C.agentId}]]></AgentID>`);
    expect(res.responseCode).not.toBe(sent['response_code']);
    // The click's code updates the card (once); the send's code is still unused and valid too.
    expect((await update({ userids: [U.financeLead], response_code: res.responseCode, button: { replace_name: '已同意' } }))['errcode']).toBe(0);
    expect((await update({ userids: [U.owner], response_code: sent['response_code'], button: { replace_name: '已由他人处理' } }))['errcode']).toBe(0);
    expect(t.sim.stats.cardClicks).toEqual([expect.objectContaining({ userid: U.financeLead, key: 'approve:exp-3', times: 2 })]);
  });

  test('clicks are refused (409) for non-recipients, unknown keys and replaced buttons', async () => {
    await sendCard('exp-4', U.owner);
    const click = (body: Json): Promise<Response> =>
      fetch(`${t.sim.url}/__sim/click`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await click({ userid: U.csAgent, taskId: 'exp-4', key: 'approve:exp-4' })).status).toBe(409);
    expect((await click({ userid: U.owner, taskId: 'exp-4', key: 'nope' })).status).toBe(409);
    expect((await click({ userid: U.owner, taskId: 'nope', key: 'approve:exp-4' })).status).toBe(409);
    const ok = await click({ userid: U.owner, taskId: 'exp-4', key: 'reject:exp-4' });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Json;
    expect(body).toMatchObject({ ok: true, responseCode: expect.any(String), deliveries: [{ status: 200 }] });
    await update({ atall: 1, response_code: body['responseCode'], button: { replace_name: '已驳回' } });
    const refused = await click({ userid: U.owner, taskId: 'exp-4', key: 'approve:exp-4' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Json)['error']).toContain('已驳回');
    await expect(t.sim.clickCard(U.owner, 'exp-4', 'approve:exp-4')).rejects.toThrow(/no clickable buttons/);
    expect(rx.got).toHaveLength(1);
  });

  test("an update_button passive reply greys out the clicking member's buttons only", async () => {
    await sendCard('exp-5');
    reply = passiveReply(
      `<xml><ToUserName><![CDATA[${U.owner}]]></ToUserName><FromUserName><![CDATA[${C.corpId}]]></FromUserName><CreateTime>1717207200</CreateTime><MsgType><![CDATA[update_button]]></MsgType><Button><ReplaceName><![CDATA[已同意]]></ReplaceName></Button></xml>`,
    );
    const res = await t.sim.clickCard(U.owner, 'exp-5', 'approve:exp-5');
    expect(res.passiveReply).toMatchObject({ ok: true, msgType: 'update_button', replaceName: '已同意' });
    expect(t.sim.cardState('exp-5', U.owner)).toMatchObject({ status: 'button_replaced', replaceName: '已同意' });
    expect(t.sim.cardState('exp-5', U.financeLead)!.status).toBe('active');
    reply = '<xml><Encrypt><![CDATA[x]]></Encrypt></xml>'; // malformed: recorded, not applied
    const bad = await t.sim.clickCard(U.financeLead, 'exp-5', 'approve:exp-5');
    expect(bad.passiveReply).toMatchObject({ ok: false });
    expect(t.sim.cardState('exp-5', U.financeLead)!.status).toBe('active');
  });

  test('inbox page shows the card, escapes user text, and its JSON endpoint carries the live state', async () => {
    await t.send({ touser: U.owner, msgtype: 'text', text: { content: '<script>alert(1)</script> & <img src=x onerror=alert(2)>' } });
    await t.send({
      touser: U.owner,
      msgtype: 'markdown',
      markdown: { content: '# 标题\n**加粗** [链接](https://x.test/a?b=1&c=2) [坏](javascript:alert(3))\n<font color="warning">逾期</font>' },
    });
    await sendCard('exp-6', U.owner);
    const res = await fetch(`${t.sim.url}/__sim/inbox?as=${U.owner}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('报销审批');
    expect(html).toContain('¥1,280');
    expect(html).toContain('data-key="approve:exp-6"');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('<span class="md-warning">逾期</span>');
    expect(html).toContain('href="https://x.test/a?b=1&amp;c=2"');
    expect(html).not.toMatch(/<(link|img)\b|src="http/); // no external assets
    expect(html.indexOf('报销审批')).toBeLessThan(html.indexOf('加粗')); // newest first

    const json = await getJson(`${t.sim.url}/__sim/inbox.json?as=${U.owner}`);
    expect(json['items'].map((i: Json) => i['msgtype'])).toEqual(['template_card', 'markdown', 'text']);
    expect(json['items'][0]).toMatchObject({ card: { taskId: 'exp-6', status: 'active' }, html: expect.stringContaining('data-task="exp-6"') });
    // Clicking through the page's endpoint, then greying out: the JSON shows the replaced text.
    const click = await postJson(`${t.sim.url}/__sim/click`, { userid: U.owner, taskId: 'exp-6', key: 'approve:exp-6' });
    await update({ userids: [U.owner], response_code: click['responseCode'], button: { replace_name: '已同意' } });
    const after = await getJson(`${t.sim.url}/__sim/inbox.json?as=${U.owner}`);
    expect(after['items'][0]['html']).toContain('<button class="btn done" disabled>已同意</button>');
    expect(after['items'][0]['html']).not.toContain('data-key=');

    const chooser = await (await fetch(`${t.sim.url}/__sim/inbox`)).text();
    expect(chooser).toContain(`/__sim/inbox?as=${U.owner}`);
    expect(chooser).toContain('陈静');
    expect((await fetch(`${t.sim.url}/__sim/inbox?as=nobody`)).status).toBe(404);
    expect(await getJson(`${t.sim.url}/__sim/cards/exp-6`)).toMatchObject({ taskId: 'exp-6', members: [{ userid: U.owner, status: 'button_replaced' }] });
  });
});
