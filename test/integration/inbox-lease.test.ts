/**
 * The inbox worker on its heartbeat lease, on real databases: one applier at a time however long it
 * works, fencing when the lease is lost mid-batch, release on stop(), and takeover within the TTL when
 * the holder dies. Each "process" is its own DataSource, LeaseStore, registry and worker; it dies when
 * its DataSource is destroyed. The kill -9 version with real OS processes is inbox-takeover.test.ts.
 */
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/db/data-source';
import { LeaseRow } from '../../server/src/db/lease.entity';
import { LEASE_TTL_MS, LeaseStore } from '../../server/src/db/leases';
import { createLogger } from '../../server/src/lib/logger';
import { sleep } from '../../server/src/lib/sleep';
import { EventRegistry } from '../../server/src/wecom/callbacks/event-handlers';
import { InboxEntry } from '../../server/src/wecom/callbacks/inbox-entry.entity';
import { INBOX_LEASE, InboxWorker, type InboxWorkerOptions } from '../../server/src/wecom/callbacks/inbox-worker';
import { InboxWriter } from '../../server/src/wecom/callbacks/inbox-writer';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { waitFor } from '../support/wait';

const EVENT = 'lease_probe';
const xml = (seq: number) =>
  `<xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${seq}</CreateTime>` +
  `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${EVENT}]]></Event><EventKey><![CDATA[${seq}]]></EventKey></xml>`;

interface Process {
  name: string;
  ds: DataSource;
  worker: InboxWorker;
}

describe.each(testDatabases())('inbox worker lease ($label)', ({ kind }) => {
  let url: string;
  const opened: Process[] = [];
  /** Every apply, in the order the handlers ran: which process, which event. */
  let applied: Array<{ by: string; seq: number }>;

  const start = async (name: string, handler: (seq: number) => Promise<void>, opts: InboxWorkerOptions = {}): Promise<Process> => {
    const ds = await openDatabase(url, { migrate: opened.length === 0 });
    const registry = new EventRegistry().on('wecom', EVENT, async (e) => {
      const seq = Number(e.fields.EventKey);
      await handler(seq);
      applied.push({ by: name, seq });
      return 'applied';
    });
    const p = { name, ds, worker: new InboxWorker(ds, new LeaseStore(ds), registry, createLogger('silent'), { yieldMs: 0, ...opts }) };
    opened.push(p);
    return p;
  };
  const enqueue = async (ds: DataSource, count: number) => {
    const writer = new InboxWriter(ds);
    for (let seq = 1; seq <= count; seq++)
      await writer.write({
        source: 'wecom',
        type: EVENT,
        streamKey: `wecom:${EVENT}`,
        dedupeKey: `probe:${seq}`,
        msgType: 'event',
        event: EVENT,
        changeType: null,
        payload: xml(seq),
      });
  };
  const statuses = async (ds: DataSource) => (await ds.getRepository(InboxEntry).find({ order: { id: 'ASC' } })).map((r) => r.status);
  const slow = (ms: number) => () => sleep(ms);

  beforeEach(async () => {
    url = await freshDatabaseUrl(kind);
    applied = [];
  });
  afterEach(async () => {
    for (const p of opened.splice(0)) {
      await p.worker.stop().catch(() => undefined);
      if (p.ds.isInitialized) await p.ds.destroy();
    }
    await dropDatabaseUrl(url);
  });

  it('only the holder applies, however many TTLs its batch takes; every event once, in order', async () => {
    const lease = { ttlMs: 600, heartbeatMs: 150 };
    const a = await start('a', slow(40), { lease });
    const b = await start('b', slow(40), { lease });
    await enqueue(a.ds, 40); // 1.6 s of work: more than two TTLs
    const draining = a.worker.drain();
    await waitFor(() => applied.length > 0, 'a started');
    while (applied.length < 40) {
      expect(await b.worker.drain()).toBe(0);
      await sleep(30);
    }
    expect(await draining).toBe(40);
    expect(applied).toEqual(Array.from({ length: 40 }, (_, i) => ({ by: 'a', seq: i + 1 })));
    expect(new Set(await statuses(a.ds))).toEqual(new Set(['applied']));
  });

  it('a worker that loses its lease mid-batch applies no further event', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const a = await start('a', (seq) => (seq === 1 ? gate : Promise.resolve()), { lease: { ttlMs: 600, heartbeatMs: 150 } });
    await enqueue(a.ds, 5);
    const draining = a.worker.drain();
    await waitFor(async () => (await a.ds.getRepository(LeaseRow).findOneBy({ name: INBOX_LEASE }))?.owner, 'a holds the lease');
    // While event 1 is being applied, a successor takes the lease over (as if a had stalled past it).
    await a.ds.getRepository(LeaseRow).update({ name: INBOX_LEASE }, { owner: 'successor', leaseUntil: Date.now() + 60_000 });
    await sleep(400); // a's heartbeat (every 150 ms) runs and finds the lease gone: nothing to poll for in between
    open();
    expect(await draining).toBe(1); // event 1 was already in flight; nothing after it
    expect(applied.map((x) => x.seq)).toEqual([1]);
    expect(await statuses(a.ds)).toEqual(['applied', 'pending', 'pending', 'pending', 'pending']);
    // The successor's lease is untouched by a's release, and a cannot take it back.
    expect(await a.ds.getRepository(LeaseRow).findOneBy({ name: INBOX_LEASE })).toMatchObject({ owner: 'successor' });
    expect(await a.worker.drain()).toBe(0);
  });

  it('a worker that stalls past its lease (event loop blocked) applies no further event', async () => {
    const lease = { ttlMs: 600, heartbeatMs: 150 };
    const stall = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until); // no heartbeat can run meanwhile
    };
    const a = await start('a', (seq) => Promise.resolve(seq === 2 ? stall(lease.ttlMs + 100) : undefined), { lease });
    await enqueue(a.ds, 5);
    expect(await a.worker.drain()).toBe(2);
    expect(await statuses(a.ds)).toEqual(['applied', 'applied', 'pending', 'pending', 'pending']);
    expect(await a.worker.drain()).toBe(3); // a fresh hold carries on
  });

  it('stop() releases the lease: another worker takes over at once', async () => {
    const a = await start('a', slow(30));
    const b = await start('b', slow(0));
    await enqueue(a.ds, 30);
    a.worker.start();
    await waitFor(() => applied.length >= 3, 'a is applying');
    await a.worker.stop();
    const byA = applied.length;
    expect(byA).toBeLessThan(30);
    const stoppedAt = performance.now();
    expect(await b.worker.drain()).toBe(30 - byA);
    expect(performance.now() - stoppedAt).toBeLessThan(1000);
    expect(applied.map((x) => x.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('when the applying process dies, a running worker elsewhere takes over within the TTL', async () => {
    const a = await start('a', slow(30));
    const b = await start('b', slow(0));
    await enqueue(a.ds, 60);
    const dying = a.worker.drain();
    dying.catch(() => undefined);
    b.worker.start(); // polls once a second, but retries when the holder's lease would run out
    await waitFor(() => applied.length >= 5, 'a is applying');
    await a.ds.destroy(); // a is gone mid-batch: its lease is renewed no more
    const diedAt = performance.now();
    await waitFor(async () => !(await statuses(b.ds)).includes('pending'), 'b applied everything a left', 10_000, 10);
    expect(performance.now() - diedAt).toBeLessThanOrEqual(LEASE_TTL_MS + 500);
    const byA = applied.filter((x) => x.by === 'a').map((x) => x.seq);
    const byB = applied.filter((x) => x.by === 'b').map((x) => x.seq);
    // In order, none lost; only the event a was applying when it died may have run twice.
    expect(byA).toEqual(Array.from({ length: byA.length }, (_, i) => i + 1));
    expect(byB).toEqual(Array.from({ length: byB.length }, (_, i) => 60 - byB.length + i + 1));
    expect(byB[0]! - byA.length).toBeGreaterThanOrEqual(0);
    expect(byB[0]! - byA.length).toBeLessThanOrEqual(1);
  });
});
