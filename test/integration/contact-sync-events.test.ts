/**
 * A full contact sync reads WeCom department by department; a change_contact event can arrive between
 * the moment a department's user/list answered and the moment the run ends. The snapshot the sync
 * holds is then older than the event, and the mirror must end in WeCom's newest state: the run
 * re-fetches every member an event touched since it started (ContactSyncService.reconcile).
 *
 * The window is made deterministic by wrapping user/list for one department: the real answer is
 * fetched first (the stale snapshot), then WeCom changes and its event is delivered (and, unless
 * said otherwise, applied by the inbox worker), and only then does the sync get its snapshot back and
 * store it.
 */
import {
  callbackEnvelope,
  changeContactXml,
  DEMO_CREDENTIALS,
  DEMO_DEPARTMENTS as D,
  DEMO_USERS as U,
  encryptMessage,
  msgSignature,
  startWecomSim,
  type WecomSim,
} from '../../scripts/wecom-sim';
import { createContainer, type Container } from '../../server/src/container';
import { Member } from '../../server/src/modules/org/member.entity';
import { MemberDepartment } from '../../server/src/modules/org/member-department.entity';
import { InboxEntry } from '../../server/src/wecom/callbacks/inbox-entry.entity';
import type { WeComUser } from '../../server/src/wecom/client/apis';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { waitFor } from '../support/wait';

function signed(plaintext: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = '484512';
  const enc = encryptMessage(DEMO_CREDENTIALS.callbackAesKey, plaintext, DEMO_CREDENTIALS.corpId);
  return {
    query: { msg_signature: msgSignature(DEMO_CREDENTIALS.callbackToken, timestamp, nonce, enc), timestamp, nonce },
    body: callbackEnvelope(DEMO_CREDENTIALS.corpId, DEMO_CREDENTIALS.agentId, enc),
  };
}

describe.each(testDatabases())('a full sync reconciles contact events that arrive while it runs ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  let c: Container;

  beforeEach(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl(kind);
    c = await createContainer(testConfig(url, sim.url), { wecomRetryBaseMs: 1 });
    await c.contactSync.run('initial');
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await c?.close();
    await sim.close();
    await dropDatabaseUrl(url);
  });

  const members = () => c.ds.getRepository(Member);
  const linksOf = async (userid: string) => (await c.ds.getRepository(MemberDepartment).findBy({ userid })).map((l) => l.departmentId).sort((a, b) => a - b);

  /** Store a change_contact event the way the callback route does (signed, encrypted, inbox). */
  async function receive(changeType: string, fields: Array<[string, string]>): Promise<void> {
    const { query, body } = signed(changeContactXml(DEMO_CREDENTIALS.corpId, Math.floor(Date.now() / 1000), changeType, fields));
    expect(await c.ingress.receive(query, body)).toBe(true);
  }

  /**
   * Run a full sync; when it has read `departmentId`'s members, run `meanwhile` before the sync may
   * store that (now stale) snapshot. Fails if the window never opened.
   */
  async function syncWith(departmentId: number, meanwhile: (stale: WeComUser[]) => Promise<void>) {
    const list = c.wecom.user.list.bind(c.wecom.user);
    let opened = false;
    jest.spyOn(c.wecom.user, 'list').mockImplementation(async (id: number) => {
      const listed = await list(id);
      if (id === departmentId && !opened) {
        opened = true;
        await meanwhile(listed);
      }
      return listed;
    });
    const report = await c.contactSync.run('test');
    expect(opened).toBe(true);
    return report;
  }

  it('an update_user applied mid-sync is not undone by the older snapshot', async () => {
    const report = await syncWith(D.csPresale, async (stale) => {
      expect(stale.find((u) => u.userid === U.csAgent)).toMatchObject({ name: '李娜', position: '客服专员' });
      sim.corp.updateMember(U.csAgent, { name: '李娜娜', position: '资深客服' });
      await receive('update_user', [['UserID', U.csAgent]]);
      expect(await c.worker.drain()).toBe(1);
      expect(await members().findOneBy({ userid: U.csAgent })).toMatchObject({ name: '李娜娜', position: '资深客服' }); // applied before the stale write
    });
    expect(report.reconciled).toBe(1);
    expect(await members().findOneBy({ userid: U.csAgent })).toMatchObject({ name: '李娜娜', position: '资深客服', active: true });
    expect(await linksOf(U.csAgent)).toEqual([D.csPresale]);
  });

  it('a delete_user applied mid-sync stays deleted: the snapshot does not bring the member (or a session) back', async () => {
    const token = await c.sessions.create(U.csAgent3, 'test', c.ds.manager);
    expect(await c.sessions.resolve(token)).toBe(U.csAgent3);
    await syncWith(D.csPresale, async (stale) => {
      expect(stale.some((u) => u.userid === U.csAgent3)).toBe(true);
      sim.corp.removeMember(U.csAgent3);
      await receive('delete_user', [['UserID', U.csAgent3]]);
      expect(await c.worker.drain()).toBe(1);
      expect(await members().findOneBy({ userid: U.csAgent3 })).toMatchObject({ active: false });
    });
    expect(await members().findOneBy({ userid: U.csAgent3 })).toMatchObject({ active: false });
    expect(await c.sessions.resolve(token)).toBeNull();
  });

  it('a member disabled (status 2) while the sync reads ends disabled, even before the worker applies the event', async () => {
    const token = await c.sessions.create(U.csAgent2, 'test', c.ds.manager);
    await syncWith(D.csAftersale, async () => {
      sim.corp.updateMember(U.csAgent2, { status: 2 });
      await receive('update_user', [['UserID', U.csAgent2]]); // stored, not applied: the worker is behind
    });
    expect(await c.ds.getRepository(InboxEntry).countBy({ status: 'pending' })).toBe(1);
    expect(await members().findOneBy({ userid: U.csAgent2 })).toMatchObject({ active: false, wecomStatus: 2 });
    expect(await c.sessions.resolve(token)).toBeNull();
    // The worker catching up later agrees.
    expect(await c.worker.drain()).toBe(1);
    expect(await members().findOneBy({ userid: U.csAgent2 })).toMatchObject({ active: false, wecomStatus: 2 });
  });

  it('a rename (update_user with NewUserID) mid-sync leaves one active member under the new id, not a ghost under the old one', async () => {
    const token = await c.sessions.create(U.warehouse, 'test', c.ds.manager);
    await syncWith(D.warehouse, async () => {
      sim.corp.updateMember(U.warehouse, { newUserId: 'liuyang2' });
      await receive('update_user', [
        ['UserID', U.warehouse],
        ['NewUserID', 'liuyang2'],
      ]);
      expect(await c.worker.drain()).toBe(1);
    });
    expect(await members().findOneBy({ userid: 'liuyang2' })).toMatchObject({ name: '刘洋', active: true });
    expect(await linksOf('liuyang2')).toEqual([D.warehouse]);
    const old = await members().findOneBy({ userid: U.warehouse });
    expect(old === null || old.active === false).toBe(true);
    expect(await c.sessions.resolve(token)).toBeNull();
    // The department lists one 刘洋.
    const inWarehouse = await c.directory.membersOf(D.warehouse);
    expect(inWarehouse!.members.filter((m) => m.name === '刘洋').map((m) => m.userid)).toEqual(['liuyang2']);
  });

  it('events from before the run started are not re-fetched again', async () => {
    sim.corp.updateMember(U.designer, { position: '资深美工' });
    await receive('update_user', [['UserID', U.designer]]);
    expect(await c.worker.drain()).toBe(1);
    const { receivedAt } = await c.ds.getRepository(InboxEntry).findOneByOrFail({ changeType: 'update_user' });
    await waitFor(() => Date.now() > receivedAt, 'the clock to pass the event'); // the run starts strictly after it
    const before = sim.stats.calls['/cgi-bin/user/get'] ?? 0;
    const report = await c.contactSync.run('test');
    expect(report.reconciled).toBe(0);
    expect(sim.stats.calls['/cgi-bin/user/get'] ?? 0).toBe(before);
    expect(await members().findOneBy({ userid: U.designer })).toMatchObject({ position: '资深美工' });
  });
});
