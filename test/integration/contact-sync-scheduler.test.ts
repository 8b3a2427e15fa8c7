/**
 * The full sync at start (ContactSyncScheduler): dueAtStart() is true when the last *completed* sync
 * is older than CONTACT_SYNC_STALE_MINUTES, or there is none; false while the mirror is fresh. A
 * start with a stale mirror runs a sync; a start with a fresh one does not. Real databases, the
 * scheduler's injectable clock.
 */
import { DEMO_CREDENTIALS, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { createContainer, type Container } from '../../server/src/container';
import { createLogger } from '../../server/src/lib/logger';
import { ContactSyncScheduler } from '../../server/src/modules/org/contact-sync.scheduler';
import { ManualClock } from '../../server/src/platform/scheduler';
import { SyncRun } from '../../server/src/modules/org/sync-run.entity';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { waitFor } from '../support/wait';

const MINUTE = 60_000;
const STALE_MINUTES = 30;

describe.each(testDatabases())('contact sync at start when the mirror is stale ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  let c: Container;
  let now: number;
  let scheduler: ContactSyncScheduler;

  beforeEach(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl(kind);
    c = await createContainer(testConfig(url, sim.url, { CONTACT_SYNC_STALE_MINUTES: String(STALE_MINUTES) }));
    now = Date.now();
    scheduler = new ContactSyncScheduler(c.contactSync, createLogger('silent'), { staleMinutes: c.config.CONTACT_SYNC_STALE_MINUTES }, () => now);
  });
  afterEach(async () => {
    scheduler.stop();
    await scheduler.idle();
    await c?.close();
    await sim.close();
    await dropDatabaseUrl(url);
  });

  const runs = () => c.ds.getRepository(SyncRun).find({ order: { id: 'ASC' } });

  it('is due with no completed sync at all, even with a failed or interrupted one on record', async () => {
    expect(await scheduler.dueAtStart()).toBe(true);
    // A run that failed a minute ago (WeCom refused the secret) is no fresh mirror…
    await c.ds
      .getRepository(SyncRun)
      .insert({ startedAt: now - 2 * MINUTE, finishedAt: now - MINUTE, status: 'failed', trigger: 'test', progress: null, stats: null, error: 'x' });
    expect(await scheduler.dueAtStart()).toBe(true);
    // …nor is one interrupted half-way.
    await c.ds
      .getRepository(SyncRun)
      .insert({ startedAt: now - MINUTE, finishedAt: null, status: 'running', trigger: 'test', progress: null, stats: null, error: null });
    expect(await scheduler.dueAtStart()).toBe(true);
  });

  it(`is not due while the last completed sync is at most ${STALE_MINUTES} minutes old, and due after`, async () => {
    await c.contactSync.run('test');
    const [done] = await runs();
    expect(done).toMatchObject({ status: 'done' });
    const finishedAt = done!.finishedAt!;
    now = finishedAt;
    expect(await scheduler.dueAtStart()).toBe(false);
    now = finishedAt + STALE_MINUTES * MINUTE;
    expect(await scheduler.dueAtStart()).toBe(false);
    now = finishedAt + STALE_MINUTES * MINUTE + 1;
    expect(await scheduler.dueAtStart()).toBe(true);
  });

  it('a start with a stale mirror runs a full sync', async () => {
    await c.contactSync.run('test');
    const finishedAt = (await runs())[0]!.finishedAt!;
    now = finishedAt + (STALE_MINUTES + 5) * MINUTE;
    const before = sim.stats.calls['/cgi-bin/department/list'] ?? 0;
    scheduler.start();
    await waitFor(async () => (await runs()).some((r) => r.trigger === 'start' && r.status === 'done'), 'the sync the start triggered');
    expect((await runs()).map((r) => [r.trigger, r.status])).toEqual([
      ['test', 'done'],
      ['start', 'done'],
    ]);
    expect(sim.stats.calls['/cgi-bin/department/list']).toBe(before + 1); // it really read WeCom again
  });

  it('a start with a fresh mirror runs none', async () => {
    await c.contactSync.run('test');
    now = (await runs())[0]!.finishedAt! + (STALE_MINUTES - 5) * MINUTE;
    const due = jest.spyOn(scheduler, 'dueAtStart');
    scheduler.start();
    // Wait for the start's own decision, then for anything it started.
    await waitFor(() => due.mock.results.length === 1, 'the start check');
    expect(await due.mock.results[0]!.value).toBe(false);
    await scheduler.idle();
    expect((await runs()).map((r) => r.trigger)).toEqual(['test']);
  });
});

describe.each(testDatabases())('立即同步 by a member with a long userid ($label)', ({ kind }) => {
  it('records the run with its whole trigger (WeCom userids reach 64 characters)', async () => {
    const sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    const url = await freshDatabaseUrl(kind);
    const c = await createContainer(testConfig(url, sim.url));
    try {
      const trigger = `api:${'u'.repeat(64)}`;
      await c.contactSync.run(trigger);
      const [run] = await c.ds.getRepository(SyncRun).find();
      expect(run).toMatchObject({ trigger, status: 'done' });
    } finally {
      await c.close();
      await sim.close();
      await dropDatabaseUrl(url);
    }
  });
});

describe.each(testDatabases())('the nightly full sync on the platform scheduler ($label)', ({ kind }) => {
  it('runs once at 03:00 corp time (19:00 UTC), not before, and not again that night', async () => {
    const sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    const url = await freshDatabaseUrl(kind);
    const clock = new ManualClock('2026-12-01T18:30:00Z'); // 02:30 in Asia/Shanghai
    const c = await createContainer(testConfig(url, sim.url), { clock });
    try {
      expect(c.scheduler.jobKeys()).toContain('org.contact-sync.nightly');
      const nightly = async () => (await c.ds.getRepository(SyncRun).findBy({ trigger: 'nightly' })).length;
      await c.scheduler.tick(); // first sight of the job: nothing is owed from before it existed
      clock.set('2026-12-01T18:59:59Z');
      await c.scheduler.tick();
      expect(await nightly()).toBe(0);
      clock.set('2026-12-01T19:00:01Z'); // 03:00:01 in Shanghai
      await c.scheduler.tick();
      expect(await nightly()).toBe(1);
      clock.set('2026-12-01T20:00:00Z');
      await c.scheduler.tick();
      expect(await nightly()).toBe(1);
      const [run] = await c.ds.getRepository(SyncRun).findBy({ trigger: 'nightly' });
      expect(run).toMatchObject({ status: 'done' });
    } finally {
      await c.close();
      await sim.close();
      await dropDatabaseUrl(url);
    }
  });
});
