import {
  changeContactXml,
  DEMO_CREDENTIALS,
  DEMO_USERS,
  encryptMessage,
  msgSignature,
  callbackEnvelope,
  startWecomSim,
  type WecomSim,
} from '../../scripts/wecom-sim';
import { createContainer } from '../../server/src/container';
import { Member } from '../../server/src/modules/org/member.entity';
import { InboxEntry } from '../../server/src/wecom/callbacks/inbox-entry.entity';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { testConfig } from '../support/config';
import { waitFor } from '../support/wait';

function signed(plaintext: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = '263014780';
  const enc = encryptMessage(DEMO_CREDENTIALS.callbackAesKey, plaintext, DEMO_CREDENTIALS.corpId);
  return {
    query: { msg_signature: msgSignature(DEMO_CREDENTIALS.callbackToken, timestamp, nonce, enc), timestamp, nonce },
    body: callbackEnvelope(DEMO_CREDENTIALS.corpId, DEMO_CREDENTIALS.agentId, enc),
  };
}

describe.each(testDatabases())('inbox survives a crash between store and apply ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  beforeEach(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl(kind);
  });
  afterEach(async () => {
    await sim.close();
    await dropDatabaseUrl(url);
  });

  it('applies, after a restart, every event acknowledged before the crash — once, in order', async () => {
    const config = testConfig(url, sim.url);
    // Process 1: mirror the corp, then acknowledge three events but die before applying any.
    const first = await createContainer(config);
    await first.contactSync.run('test');
    sim.corp.updateMember(DEMO_USERS.csAgent, { position: '资深客服' });
    sim.corp.removeMember(DEMO_USERS.designer);
    const now = Math.floor(Date.now() / 1000);
    const events = [
      changeContactXml(DEMO_CREDENTIALS.corpId, now, 'update_user', [['UserID', DEMO_USERS.csAgent]]),
      changeContactXml(DEMO_CREDENTIALS.corpId, now, 'delete_user', [['UserID', DEMO_USERS.designer]]),
      changeContactXml(DEMO_CREDENTIALS.corpId, now + 1, 'update_user', [['UserID', DEMO_USERS.csAgent]]),
    ];
    for (const xml of events) {
      const { query, body } = signed(xml);
      expect(await first.ingress.receive(query, body)).toBe(true);
      expect(await first.ingress.receive(query, body)).toBe(false); // a retry of the same delivery
    }
    await first.close(); // the "crash": the worker never ran

    // Process 2 on the same database picks them up.
    const second = await createContainer(config);
    try {
      const pending = await second.ds.getRepository(InboxEntry).find({ where: { status: 'pending' }, order: { id: 'ASC' } });
      expect(pending.map((e) => e.changeType)).toEqual(['update_user', 'delete_user', 'update_user']);
      expect(await second.worker.drain()).toBe(3);
      const errors = await second.ds.getRepository(InboxEntry).find({ where: { status: 'pending' } });
      expect(errors.map((e) => e.lastError)).toEqual([]);
      const members = second.ds.getRepository(Member);
      expect(await members.findOneBy({ userid: DEMO_USERS.csAgent })).toMatchObject({ position: '资深客服', active: true });
      expect(await members.findOneBy({ userid: DEMO_USERS.designer })).toMatchObject({ active: false });
      expect(await second.ds.getRepository(InboxEntry).countBy({ status: 'applied' })).toBe(3);
      expect(await second.worker.drain()).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('two server instances on one database: concurrent retries are stored once and applied once', async () => {
    const config = testConfig(url, sim.url);
    const a = await createContainer(config, { worker: { pollMs: 20 } });
    const b = await createContainer(config, { worker: { pollMs: 20 } });
    try {
      await a.contactSync.run('test');
      a.startBackground();
      b.startBackground();
      sim.corp.updateMember(DEMO_USERS.warehouse, { position: '仓储主管助理' });
      const xml = changeContactXml(DEMO_CREDENTIALS.corpId, Math.floor(Date.now() / 1000), 'update_user', [['UserID', DEMO_USERS.warehouse]]);
      // WeCom's retries land on whichever instance the load balancer picks, at the same time.
      const copies = Array.from({ length: 10 }, () => signed(xml));
      const stored = await Promise.all(copies.map((copy, i) => (i % 2 ? a : b).ingress.receive(copy.query, copy.body)));
      expect(stored.filter(Boolean)).toHaveLength(1);
      await waitFor(async () => (await a.ds.getRepository(InboxEntry).countBy({ status: 'applied' })) >= 1, 'one instance applied the event');
      const rows = await a.ds.getRepository(InboxEntry).find();
      expect(rows.map((r) => [r.status, r.attempts])).toEqual([['applied', 1]]);
      expect(await a.ds.getRepository(Member).findOneBy({ userid: DEMO_USERS.warehouse })).toMatchObject({ position: '仓储主管助理' });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('parks an event that keeps failing as dead after the retry budget, and its stream moves on', async () => {
    const config = testConfig(url, sim.url);
    const c = await createContainer(config, { worker: { retryBaseMs: 1 } });
    try {
      // Two events of one member: one stream (contact:<userid>), so the second waits for the first to settle.
      const { query, body } = signed(changeContactXml(DEMO_CREDENTIALS.corpId, 1, 'update_user', [['UserID', DEMO_USERS.csLead]]));
      await c.ingress.receive(query, body);
      const next = signed(changeContactXml(DEMO_CREDENTIALS.corpId, 2, 'update_user', [['UserID', DEMO_USERS.csLead]]));
      await c.ingress.receive(next.query, next.body);
      sim.failNext('user/get', 60011, 8);
      // Drain whenever the backoff (1, 2, 4 … ms) lets the next attempt happen, until both are settled.
      const latest = () => c.ds.getRepository(InboxEntry).find({ where: [{ changeType: 'update_user' }], order: { id: 'DESC' }, take: 2 });
      await waitFor(async () => {
        await c.worker.drain();
        return (await latest()).every((r) => r.status !== 'pending');
      }, 'both events settled (one dead, one applied)');
      const rows = await latest();
      expect(rows.map((r) => r.status)).toEqual(['applied', 'dead']);
      expect(rows[1]!.attempts).toBe(8);
      expect(rows[1]!.lastError).toMatch(/60011/);
      expect(rows[0]!.attempts).toBe(1); // not tried while the first was still being retried
      expect(rows.map((r) => [r.source, r.type, r.streamKey])).toEqual(Array(2).fill(['wecom', 'change_contact:update_user', `contact:${DEMO_USERS.csLead}`]));
    } finally {
      await c.close();
    }
  });
});
