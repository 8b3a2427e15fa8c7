import { changeContactXml, DEMO_CREDENTIALS, DEMO_DEPARTMENTS, DEMO_USERS, encryptMessage, msgSignature, callbackEnvelope } from '../../scripts/wecom-sim';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { Member } from '../../server/src/modules/org/member.entity';
import { InboxEntry } from '../../server/src/wecom/callbacks/inbox-entry.entity';
import { testDatabases } from '../support/databases';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

/** POST a hand-made envelope (for the refusal cases the simulator would never produce). */
async function post(stack: Stack, opts: { plaintext?: string; corpId?: string; token?: string; body?: string; signature?: string }) {
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = '1372623149';
  const enc = encryptMessage(DEMO_CREDENTIALS.callbackAesKey, opts.plaintext ?? '<xml><MsgType>event</MsgType></xml>', opts.corpId ?? DEMO_CREDENTIALS.corpId);
  const sig = opts.signature ?? msgSignature(opts.token ?? DEMO_CREDENTIALS.callbackToken, ts, nonce, enc);
  const body = opts.body ?? callbackEnvelope(DEMO_CREDENTIALS.corpId, DEMO_CREDENTIALS.agentId, enc);
  return fetch(`${stack.baseUrl}/wecom/callback?msg_signature=${sig}&timestamp=${ts}&nonce=${nonce}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/xml' },
  });
}

describe.each(testDatabases())('WeCom callbacks → durable inbox → applied ($label)', ({ kind }) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ db: kind });
  });
  afterAll(() => stack?.close());

  const inboxCount = () => stack.app.container.ds.getRepository(InboxEntry).count();

  it('answers URL verification with the bare decrypted echostr', async () => {
    for (let i = 0; i < 5; i++) {
      const v = await stack.sim.verifyCallbackUrl();
      expect(v.status).toBe(200);
      expect(v.body).toBe(v.expected);
    }
  });

  it('applies an event delivered 4× (identical retries and re-encrypted copies) exactly once', async () => {
    const { ds } = stack.app.container;
    const xml = changeContactXml(DEMO_CREDENTIALS.corpId, Math.floor(Date.now() / 1000), 'update_user', [
      ['UserID', DEMO_USERS.csAgent2],
      ['Department', String(DEMO_DEPARTMENTS.csAftersale)],
    ]);
    const before = await inboxCount();
    const identical = await stack.sim.deliver(xml, { times: 4 });
    const reencrypted = await Promise.all([1, 2, 3, 4].map(() => stack.sim.deliver(xml)));
    expect([...identical, ...reencrypted.flat()].map((r) => [r.status, r.body])).toEqual(Array(8).fill([200, '']));
    expect(await inboxCount()).toBe(before + 1);
    await waitFor(() => ds.getRepository(InboxEntry).findOneBy({ changeType: 'update_user', status: 'applied' }), 'the update_user event applied');
    const audits = await ds.getRepository(AuditEntry).countBy({ action: 'contact.update_user', targetId: DEMO_USERS.csAgent2 });
    expect(audits).toBe(1);
  });

  it('follows create_user, update_user with NewUserID, and delete_user', async () => {
    const repo = stack.app.container.ds.getRepository(Member);
    await stack.sim.createUser({ userid: 'xiaoming', name: '小明', department: [DEMO_DEPARTMENTS.warehouse], position: '仓管员' });
    await waitFor(async () => (await repo.findOneBy({ userid: 'xiaoming' }))?.name === '小明', 'xiaoming created');
    await stack.sim.updateUser('xiaoming', { newUserId: 'xiaoming2', name: '小明明' });
    await waitFor(async () => (await repo.findOneBy({ userid: 'xiaoming2' }))?.name === '小明明', 'xiaoming renamed to xiaoming2');
    expect(await repo.findOneBy({ userid: 'xiaoming' })).toBeNull();
    await stack.sim.deleteUser('xiaoming2');
    await waitFor(async () => (await repo.findOneBy({ userid: 'xiaoming2' }))?.active === false, 'xiaoming2 deactivated');
  });

  it('follows department and tag changes', async () => {
    const { org, roles } = stack.app.container;
    await stack.sim.createParty({ id: 77, name: '直播组', parentid: DEMO_DEPARTMENTS.ops });
    await waitFor(async () => (await org.departmentsByIds([77]))[0]?.name === '直播组', 'department 77 created');
    await stack.sim.updateTag(1, { addUsers: [DEMO_USERS.warehouse] }); // tag 1 = 客服组长 → cs_lead
    await waitFor(async () => (await roles.rolesOf(DEMO_USERS.warehouse)).includes('cs_lead'), 'cs_lead through tag 1');
    await stack.sim.deleteParty(77);
    await waitFor(async () => (await org.departmentsByIds([77]))[0]?.deletedAt != null, 'department 77 deleted');
  });

  it('stores and ignores unknown events', async () => {
    const xml = `<xml><ToUserName><![CDATA[${DEMO_CREDENTIALS.corpId}]]></ToUserName><FromUserName><![CDATA[lina]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[some_future_event]]></Event><AgentID>1000002</AgentID></xml>`;
    const [res] = await stack.sim.deliver(xml);
    expect(res!.status).toBe(200);
    await waitFor(
      async () => (await stack.app.container.ds.getRepository(InboxEntry).findOneBy({ event: 'some_future_event' }))?.status === 'ignored',
      'the unknown event marked ignored',
    );
  });

  it.each([
    ['a tampered signature', { signature: 'f'.repeat(40) }, 401],
    ['another corp as receiveid', { corpId: 'wwsomeothercorp' }, 403],
    ['a token that is not ours', { token: 'WrongToken' }, 401],
    ['a body without Encrypt', { body: '<xml><ToUserName>x</ToUserName></xml>' }, 400],
    ['a DOCTYPE (XXE) body', { body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>' }, 400],
    ['a body over 64 KiB', { body: `<xml><Encrypt><![CDATA[${'A'.repeat(70_000)}]]></Encrypt></xml>` }, 413],
  ])('refuses %s with a 4xx and stores nothing', async (_label, opts, status) => {
    const before = await inboxCount();
    const res = await post(stack, opts);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^callback_|payload_too_large/);
    expect(await inboxCount()).toBe(before);
  });

  it('keeps retrying a failing event until WeCom answers, then applies it', async () => {
    const repo = stack.app.container.ds.getRepository(Member);
    stack.sim.failNext('user/get', 60020, 2); // IP not allowed: a config error the handler cannot fix by itself
    await stack.sim.updateUser(DEMO_USERS.finance, { position: '高级会计' });
    await waitFor(async () => (await repo.findOneBy({ userid: DEMO_USERS.finance }))?.position === '高级会计', 'the update applied after the retries');
    const row = await stack.app.container.ds
      .getRepository(InboxEntry)
      .findOne({ where: { changeType: 'update_user', status: 'applied' }, order: { id: 'DESC' } });
    expect(row!.attempts).toBe(3);
  });
});
