/**
 * The heartbeat lease (LeaseStore.hold) on real databases, and the singleton jobs that use it besides
 * the inbox worker (test/integration/inbox-lease.test.ts, inbox-takeover.test.ts): the contact sync and
 * a WeCom credential refresh. "A process" here is its own DataSource (its own connections, its own
 * LeaseStore); it dies when that DataSource is destroyed: nothing renews its lease any more.
 */
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { DEMO_CREDENTIALS, generateCorp, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { createContainer, type Container } from '../../server/src/container';
import { openDatabase } from '../../server/src/db/data-source';
import { LeaseRow } from '../../server/src/db/lease.entity';
import { LEASE_HEARTBEAT_MS, LEASE_TTL_MS, LeaseLostError, LeaseStore, type HeldLease } from '../../server/src/db/leases';
import { sleep } from '../../server/src/lib/sleep';
import { SyncRun } from '../../server/src/modules/org/sync-run.entity';
import { CredentialCache } from '../../server/src/wecom/client/credential-cache';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { waitFor } from '../support/wait';

const NAME = 'job:test';
const SHORT = { ttlMs: 600, heartbeatMs: 150 };

describe.each(testDatabases())('heartbeat leases ($label)', ({ kind }) => {
  let url: string;
  const opened: DataSource[] = [];
  const holds: HeldLease[] = [];

  /** A new "process": its own connections to the shared database. */
  const open = async () => {
    const ds = await openDatabase(url, { migrate: opened.length === 0 });
    opened.push(ds);
    return ds;
  };
  const store = async () => new LeaseStore(await open());
  const track = (lease: HeldLease | null) => {
    if (lease) holds.push(lease);
    return lease;
  };

  beforeEach(async () => {
    url = await freshDatabaseUrl(kind);
  });
  afterEach(async () => {
    for (const lease of holds.splice(0)) await lease.release().catch(() => undefined);
    for (const ds of opened.splice(0)) if (ds.isInitialized) await ds.destroy();
    await dropDatabaseUrl(url);
  });

  it('a second holder cannot take it while the first is alive, for many TTLs; nor can a second hold in the same process', async () => {
    const a = await store();
    const b = await store();
    const first = track(await a.hold(NAME, SHORT))!;
    expect(first).not.toBeNull();
    const until = performance.now() + 4 * SHORT.ttlMs;
    while (performance.now() < until) {
      expect(track(await b.hold(NAME, SHORT))).toBeNull();
      expect(first.held).toBe(true);
      await sleep(40);
    }
    expect(track(await a.hold(NAME, SHORT))).toBeNull();
    expect(await b.isHeld(NAME)).toBe(true);
  });

  it('when the holder dies its lease lapses within the TTL of its last renewal, not before, and another takes it', async () => {
    const dsA = await open();
    const a = new LeaseStore(dsA);
    const b = await store();
    const first = track(await a.hold(NAME))!; // the production TTL and heartbeat
    await sleep(LEASE_HEARTBEAT_MS * 1.5); // a renewal went through
    await dsA.destroy(); // the process is gone: nothing renews its lease
    const diedAt = performance.now();
    const second = track(await waitFor(() => b.hold(NAME), 'the second process takes the lease', 10_000, 20));
    const waited = performance.now() - diedAt;
    expect(waited).toBeLessThanOrEqual(LEASE_TTL_MS + 250);
    // Honoured until the last renewal (at most one heartbeat before the death) ran out.
    expect(waited).toBeGreaterThan(LEASE_TTL_MS - LEASE_HEARTBEAT_MS - 300);
    expect(first.held).toBe(false);
    expect(second!.held).toBe(true);
  });

  it('a holder whose lease was taken over notices within a heartbeat, check() throws, and its release leaves the new holder alone', async () => {
    const ds = await open();
    const a = new LeaseStore(ds);
    const first = track(await a.hold(NAME, SHORT))!;
    expect(() => first.check()).not.toThrow();
    // As if this process had stalled and a successor had taken the lease.
    await ds.getRepository(LeaseRow).update({ name: NAME }, { owner: 'successor', leaseUntil: Date.now() + 60_000 });
    await waitFor(() => !first.held, 'the holder sees it lost the lease', 2 * SHORT.heartbeatMs + 200, 5);
    expect(() => first.check()).toThrow(LeaseLostError);
    await first.release();
    expect(await ds.getRepository(LeaseRow).findOneBy({ name: NAME })).toMatchObject({ owner: 'successor' });
    expect(await a.isHeld(NAME)).toBe(true);
  });

  it('a holder that stalls past its TTL stops trusting the lease before any other can take it, for good', async () => {
    const a = await store();
    const b = await store();
    const first = track(await a.hold(NAME, SHORT))!;
    const stallUntil = performance.now() + SHORT.ttlMs + 100;
    while (performance.now() < stallUntil); // the event loop is blocked: no heartbeat runs
    expect(first.held).toBe(false); // before its heartbeat had any chance to run again
    const second = track(await b.hold(NAME, SHORT));
    expect(second).not.toBeNull();
    await sleep(3 * SHORT.heartbeatMs);
    expect(first.held).toBe(false);
    expect(second!.held).toBe(true);
  });

  it('release() frees it at once: another process takes it without waiting for the TTL', async () => {
    const a = await store();
    const b = await store();
    const first = track(await a.hold(NAME))!;
    expect(await b.remainingMs(NAME)).toBeGreaterThan(LEASE_TTL_MS - 1000);
    expect(track(await b.hold(NAME))).toBeNull();
    await first.release();
    expect(first.held).toBe(false);
    expect(await b.isHeld(NAME)).toBe(false);
    expect(track(await b.hold(NAME))).not.toBeNull();
  });

  it('a process that dies while refreshing a WeCom token holds the others up for seconds, not the old 15 s', async () => {
    const dsA = await open();
    const b = await store();
    const key = 'token:corp:abc';
    // Process A wins the refresh lock and dies inside gettoken.
    void new CredentialCache(new LeaseStore(dsA)).get(key, () => new Promise(() => undefined));
    await waitFor(() => b.isHeld(`lock:${key}`), 'A holds the refresh lock');
    await dsA.destroy();
    const diedAt = performance.now();
    const token = await new CredentialCache(b).get(key, () => Promise.resolve({ value: 'fresh', expiresInSec: 7200 }));
    expect(token).toBe('fresh');
    expect(performance.now() - diedAt).toBeLessThanOrEqual(LEASE_TTL_MS + 300);
  });
});

describe.each(testDatabases())('contact sync on the heartbeat lease ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  const containers: Container[] = [];
  const open = async () => {
    const c = await createContainer(testConfig(url, sim.url, { CONTACT_SYNC_CONCURRENCY: '2' }), { wecomRetryBaseMs: 1 });
    containers.push(c);
    return c;
  };
  const runRow = (c: Container) => c.ds.getRepository(SyncRun).findOne({ where: {}, order: { id: 'DESC' } });

  beforeEach(async () => {
    // Slow enough that a run takes a few seconds: 60 departments, user/list two at a time.
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0, latencyMs: 40, corp: generateCorp({ departments: 60, members: 300, seed: 3 }) });
    url = await freshDatabaseUrl(kind);
  });
  afterEach(async () => {
    for (const c of containers.splice(0)) if (c.ds.isInitialized) await c.close();
    await sim.close();
    await dropDatabaseUrl(url);
  });

  it('a run whose process died mid-sync is resumed by another process within seconds', async () => {
    const a = await open();
    const b = await open();
    const dying = a.contactSync.run('test');
    dying.catch(() => undefined);
    await waitFor(async () => ((await runRow(b))?.progress?.doneDepartments.length ?? 0) >= 3, 'the run has saved some progress', 20_000);
    await a.ds.destroy(); // process A is gone mid-run
    const diedAt = performance.now();
    await expect(dying).rejects.toThrow();
    const started = await waitFor(() => b.contactSync.start('retry'), 'another process can start the sync', 15_000, 20);
    expect(performance.now() - diedAt).toBeLessThanOrEqual(LEASE_TTL_MS + 300);
    expect(started.resumed).toBe(true);
    await b.contactSync.idle();
    expect(await runRow(b)).toMatchObject({ id: started.runId, status: 'done' });
  }, 40_000);

  it('a run that lost its lease stops at its next step and leaves the run to its new holder', async () => {
    const a = await open();
    const running = a.contactSync.run('test');
    running.catch(() => undefined);
    await waitFor(async () => ((await runRow(a))?.progress?.doneDepartments.length ?? 0) >= 3, 'the run has saved some progress', 20_000);
    // As if A had stalled past its lease and another process had taken the run over.
    await a.ds.getRepository(LeaseRow).update({ name: 'job:contact-sync' }, { owner: 'successor', leaseUntil: Date.now() + 60_000 });
    await expect(running).rejects.toBeInstanceOf(LeaseLostError);
    const row = (await runRow(a))!;
    const done = row.progress!.doneDepartments.length;
    expect(row).toMatchObject({ status: 'running', error: null, finishedAt: null });
    await sleep(500);
    expect((await runRow(a))!.progress!.doneDepartments.length).toBe(done); // nothing more written
    expect(done).toBeLessThan(60);
    expect(await a.contactSync.isRunning()).toBe(true); // the successor's lease
  }, 40_000);
});
