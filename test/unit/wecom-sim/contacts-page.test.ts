// The simulator's address-book page (/__sim/contacts): add, move and remove members through its POST forms, which run
// the same sim.createUser / updateUser / deleteUser as the control API and deliver change_contact to the callback URL.
import { generateCorp } from '../../../scripts/wecom-sim/corp';
import { decryptMessage, extractEncrypt } from '../../../scripts/wecom-sim/crypto';
import { DEMO_DEPARTMENTS as D, DEMO_USERS as U } from '../../../scripts/wecom-sim/demo-corp';
import { C, receiver, startTestSim, type Received, type TestSim } from './helpers';

/** ChangeType, UserID, Department … of a delivered change_contact envelope. */
function event(r: Received): Record<string, string> {
  const xml = decryptMessage(C.callbackAesKey, extractEncrypt(r.body)!, C.corpId).message;
  return Object.fromEntries([...xml.matchAll(/<(\w+)>(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))<\/\1>/g)].map((m) => [m[1]!, m[2] ?? m[3] ?? '']));
}

describe('wecom-sim address book page', () => {
  let t: TestSim;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let answer = 200;
  beforeEach(async () => {
    answer = 200;
    rx = await receiver((_r, res) => {
      res.statusCode = answer;
      res.end(answer === 200 ? '' : 'boom');
    });
    t = await startTestSim({ callbackUrl: rx.url });
  });
  afterEach(async () => {
    await t.sim.close();
    await rx.close();
  });

  const getPage = async (path = '/__sim/contacts'): Promise<string> => {
    const res = await fetch(`${t.sim.url}${path}`);
    expect(res.status).toBe(200);
    return res.text();
  };
  const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

  /** POST a form as the page does; answers the status and, after a 303, the page showing the outcome. */
  async function submit(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; html: string }> {
    const res = await fetch(`${t.sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.sim.url, ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    if (res.status !== 303) return { status: res.status, html: await res.text() };
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/__sim\/contacts\?outcome=\d+#outcome$/);
    return { status: 303, html: await getPage(location.replace(/#.*/, '')) };
  }

  test('renders the tree, then add, move and delete post change_contact and show the outcome with the lead inbox', async () => {
    const res = await fetch(`${t.sim.url}/__sim/contacts`);
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
    const html = await res.text();
    expect(html).toContain('通讯录');
    expect(html).toContain('<h3>客服部');
    expect(html).toContain('<h3>售前组');
    expect(html).toMatch(/<b>王芳<\/b> <span class="muted">wangfang<\/span> · 客服组长<span class="tag">负责人<\/span>/);
    expect(html).toMatch(/<b>钱伟<\/b>.*?<span class="tag gray">未激活<\/span>/);
    expect(html).toContain(`action="/__sim/contacts/users/${U.csAgent}/move"`);
    expect(html).toContain(`action="/__sim/contacts/users/${U.csAgent}/delete" data-confirm=`);
    expect(html).toContain('action="/__sim/contacts/users"');
    expect(html).toContain('href="/__sim/inbox"');
    expect(html).not.toMatch(/<(link|img)\b|src="http/);
    const csrf = csrfOf(html);
    // The inbox pages link here.
    expect(await getPage('/__sim/inbox')).toContain('href="/__sim/contacts"');
    expect(await getPage(`/__sim/inbox?as=${U.owner}`)).toContain('href="/__sim/contacts"');

    // 添加成员: escaped on the page, the lead of 售前组 is 王芳.
    const added = await submit('/__sim/contacts/users', { csrf, userid: 'zhoumin', name: '周敏<i>', department: String(D.csPresale), position: '客服专员' });
    expect(added.status).toBe(303);
    expect(t.sim.corp.member('zhoumin')).toMatchObject({ name: '周敏<i>', department: [D.csPresale], main_department: D.csPresale, position: '客服专员' });
    expect(added.html).toContain('已添加成员 周敏&lt;i&gt;（zhoumin），部门 客服部 / 售前组');
    expect(added.html).toContain('change_contact / create_user → 回调已送达：应用返回 HTTP 200');
    expect(added.html).toContain(`href="/__sim/inbox?as=${U.csLead}"`);
    expect(added.html).not.toContain('周敏<i>');

    // 调岗: 李娜 from 售前组 to 仓储部; her old team's lead 王芳 gets the handover.
    const moved = await submit(`/__sim/contacts/users/${U.csAgent}/move`, { csrf, from: String(D.csPresale), to: String(D.warehouse) });
    expect(t.sim.corp.member(U.csAgent)).toMatchObject({ department: [D.warehouse], main_department: D.warehouse });
    expect(moved.html).toContain('已将 李娜（lina）从 客服部 / 售前组 调至 仓储部');
    expect(moved.html).toContain('change_contact / update_user → 回调已送达');
    expect(moved.html).toContain(`<a href="/__sim/inbox?as=${U.csLead}">打开负责人 王芳（wangfang）的消息（交接报告）</a>`);
    // A member in two departments leaves only the one it is moved out of.
    await submit(`/__sim/contacts/users/${U.csLead}/move`, { csrf, from: String(D.csPresale), to: String(D.csAftersale) });
    expect(t.sim.corp.member(U.csLead)).toMatchObject({ department: [D.cs, D.csAftersale], main_department: D.cs });

    // 删除: 赵磊 (售后组) → his lead 黄敏.
    answer = 500;
    const deleted = await submit(`/__sim/contacts/users/${U.csAgent2}/delete`, { csrf });
    expect(t.sim.corp.members.has(U.csAgent2)).toBe(false);
    expect(deleted.html).toContain('已删除成员 赵磊（zhaolei）（原部门 客服部 / 售后组）');
    expect(deleted.html).toContain('回调未成功：应用返回 HTTP 500（boom）');
    expect(deleted.html).toContain(`<a href="/__sim/inbox?as=${U.csAftersaleLead}">打开负责人 黄敏（huangmin）的消息（交接报告）</a>`);
    expect(deleted.html).not.toContain('data-userid="zhaolei"');

    const events = rx.got.map(event);
    expect(rx.got.every((r) => r.method === 'POST' && r.url.includes('msg_signature='))).toBe(true);
    expect(events.map((e) => [e['ChangeType'], e['UserID'], e['Department']])).toEqual([
      ['create_user', 'zhoumin', String(D.csPresale)],
      ['update_user', U.csAgent, String(D.warehouse)],
      ['update_user', U.csLead, `${D.cs},${D.csAftersale}`],
      ['delete_user', U.csAgent2, undefined],
    ]);
    for (const e of events) expect(e).toMatchObject({ Event: 'change_contact', ToUserName: C.corpId });

    // Without a callback URL the page says so; errors are shown and change nothing.
    t.sim.setCallbackUrl(undefined);
    const quiet = await submit(`/__sim/contacts/users/${U.designer}/delete`, { csrf });
    expect(quiet.html).toContain('未配置回调地址，未发送 change_contact / delete_user 事件');
    expect(quiet.html).toContain(`href="/__sim/inbox?as=${U.designLead}"`);
    const dup = await submit('/__sim/contacts/users', { csrf, userid: U.owner, name: '重复', department: String(D.ops) });
    expect(dup.html).toContain('操作失败');
    expect(dup.html).toContain('该 userid 已存在（errcode 60102');
    expect(t.sim.corp.member(U.owner).name).toBe('陈静');
    const same = await submit(`/__sim/contacts/users/${U.warehouse}/move`, { csrf, from: String(D.warehouse), to: String(D.warehouse) });
    expect(same.html).toContain('刘洋（liuyang）已在 仓储部');
    expect(rx.got).toHaveLength(4);
  });

  test('state changes need a POST from the page: token and same origin', async () => {
    const csrf = csrfOf(await getPage());
    const path = `/__sim/contacts/users/${U.csAgent}/delete`;
    expect((await submit(path, {})).status).toBe(403);
    expect((await submit(path, { csrf: 'x'.repeat(csrf.length) })).status).toBe(403);
    expect((await submit(path, { csrf }, { origin: 'http://evil.test' })).status).toBe(403);
    expect((await submit(path, { csrf }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await fetch(`${t.sim.url}${path}?csrf=${csrf}`)).status).toBe(405);
    expect(t.sim.corp.members.has(U.csAgent)).toBe(true);
    expect(rx.got).toHaveLength(0);
    expect((await submit(path, { csrf }, { 'sec-fetch-site': 'same-origin' })).status).toBe(303);
    expect(t.sim.corp.members.has(U.csAgent)).toBe(false);
  });

  test('a large corp gets one move form per request instead of a select per member', async () => {
    const big = await startTestSim({ corp: generateCorp({ departments: 40, members: 400, seed: 7 }) });
    try {
      const html = await (await fetch(`${big.sim.url}/__sim/contacts`)).text();
      expect(html).not.toContain('name="to"');
      const m = [...big.sim.corp.members.values()][0]!;
      const link = `/__sim/contacts?move=${m.userid}&amp;from=${m.department[0]}#move`;
      expect(html).toContain(link);
      const panel = await (await fetch(`${big.sim.url}${link.replace('&amp;', '&').replace(/#.*/, '')}`)).text();
      expect(panel).toContain(`action="/__sim/contacts/users/${m.userid}/move"`);
      expect(panel.match(/name="to"/g)).toHaveLength(1);
    } finally {
      await big.sim.close();
    }
  });
});
