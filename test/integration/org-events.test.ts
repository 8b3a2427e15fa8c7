/**
 * What the address book tells other modules, through the outbox (both databases): the first full sync
 * fills the mirror quietly; later syncs announce members who joined or left while events were missed;
 * auth revokes the leaver's sessions from its subscriber.
 */
import { DEMO_CREDENTIALS, DEMO_DEPARTMENTS, DEMO_USERS, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { createContainer, type Container } from '../../server/src/container';
import { Session } from '../../server/src/modules/auth/session.entity';
import { OutboxEvent } from '../../server/src/platform/events';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';

describe.each(testDatabases())('org domain events ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  let c: Container;

  beforeAll(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl(kind);
    c = await createContainer(testConfig(url, sim.url));
  });
  afterAll(async () => {
    await c?.close();
    await sim.close();
    await dropDatabaseUrl(url);
  });

  const events = async (type: string) => (await c.ds.getRepository(OutboxEvent).find({ where: { type }, order: { id: 'ASC' } })).map((e) => e.payload);

  test('the first full sync announces nobody', async () => {
    await c.contactSync.run('test');
    expect(await events('member.joined')).toEqual([]);
    expect(await events('member.left')).toEqual([]);
  });

  test('a later sync announces a member added and one removed while their events were missed', async () => {
    sim.corp.addMember({ userid: 'newbie', name: '新同事', department: [DEMO_DEPARTMENTS.warehouse] });
    const leaver = DEMO_USERS.designer;
    const token = await c.sessions.create(leaver, 'test', c.ds.manager);
    sim.corp.removeMember(leaver);
    await c.contactSync.run('test');
    expect(await events('member.joined')).toEqual([{ userid: 'newbie', name: '新同事' }]);
    expect(await events('member.left')).toEqual([{ userid: leaver, reason: 'removed' }]);

    // The session is refused at once; auth's subscriber then revokes the row.
    expect(await c.sessions.resolve(token)).toBeNull();
    expect(await c.ds.getRepository(Session).findOneByOrFail({ userid: leaver })).toMatchObject({ revokedAt: null });
    for (let i = 0; i < 3; i++) await c.dispatcher.tick();
    expect((await c.ds.getRepository(Session).findOneByOrFail({ userid: leaver })).revokedAt).not.toBeNull();
  });

  test('a sync with nothing new announces nothing more', async () => {
    await c.contactSync.run('test');
    expect(await events('member.joined')).toHaveLength(1);
    expect(await events('member.left')).toHaveLength(1);
  });
});
