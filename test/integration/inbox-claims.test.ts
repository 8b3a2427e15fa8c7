/**
 * Inbox workers sharing rows through heartbeat-renewed claims, on real databases: a claimed row is applied by its
 * claimer only however long it works, fencing when a claim is lost mid-batch, release on stop(), and takeover within
 * the TTL when the claimer dies. Each "process" is its own DataSource, LeaseStore, registry and worker; it dies when
 * its DataSource is destroyed. The kill -9 version with real OS processes is inbox-takeover.test.ts; many workers on
 * many streams is inbox-parallel.test.ts.
 */
import { performance } from 'node:perf_hooks';
import { IsNull, Not, type DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/db/data-source';
import { LEASE_TTL_MS, LeaseStore } from '../../server/src/db/leases';
import { createLogger } from '../../server/src/lib/logger';
import { sleep } from '../../server/src/lib/sleep';
import { EventRegistry } from '../../server/src/wecom/callbacks/event-handlers';
import { InboxEntry } from '../../server/src/wecom/callbacks/inbox-entry.entity';
import { InboxWorker, type InboxWorkerOptions } from '../../server/src/wecom/callbacks/inbox-worker';
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

describe.each(testDatabases())('inbox worker claims ($label)', ({ kind }) => {
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
  /** `count` events, numbered from 1; all in one stream, or each in its own (`streams: 'each'`). */
  const enqueue = async (ds: DataSource, count: number, streams: 'one' | 'each' = 'one') => {
    const writer = new InboxWriter(ds);
    for (let seq = 1; seq <= count; seq++)
      await writer.write({
        source: 'wecom',
        type: EVENT,
        streamKey: streams === 'one' ? `wecom:${EVENT}` : `probe:${seq}`,
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

  it('only the claimer applies claimed rows, however many TTLs its batch takes; every event once', async () => {
    const lease = { ttlMs: 600, heartbeatMs: 150 };
    const a = await start('a', slow(40), { lease });
    const b = await start('b', slow(40), { lease });
    await enqueue(a.ds, 40, 'each'); // one batch of 40 heads: 1.6 s of work, more than two TTLs
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

  it('two workers on one stream take turns but never overlap: its events in order, each once', async () => {
    let inFlight = 0;
    let overlapped = false;
    const probe = async () => {
      if (++inFlight > 1) overlapped = true;
      await sleep(5);
      inFlight--;
    };
    const a = await start('a', probe);
    const b = await start('b', probe);
    await enqueue(a.ds, 30);
    await Promise.all([a.worker.drain(), b.worker.drain(), (async () => (await sleep(20), b.worker.drain()))()]);
    await waitFor(async () => (await a.worker.drain()) + (await b.worker.drain()) === 0 && !(await statuses(a.ds)).includes('pending'), 'all applied');
    expect(overlapped).toBe(false);
    expect(applied.map((x) => x.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('a worker whose claim is taken mid-batch applies no further event and frees the rest', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const a = await start('a', (seq) => (seq === 1 ? gate : Promise.resolve()), { lease: { ttlMs: 600, heartbeatMs: 150 } });
    await enqueue(a.ds, 5, 'each');
    const rows = a.ds.getRepository(InboxEntry);
    const draining = a.worker.drain();
    await waitFor(async () => (await rows.countBy({ claimedBy: Not(IsNull()) })) === 5, 'a claimed all five');
    // While event 1 is being applied, a successor claims it (as if a had stalled past its claim).
    await rows.update({ dedupeKey: 'probe:1' }, { claimedBy: 'successor', claimUntil: Date.now() + 60_000 });
    await sleep(400); // a's heartbeat (every 150 ms) runs and finds the claim gone
    open();
    expect(await draining).toBe(1); // event 1 was already in flight; nothing after it
    expect(applied.map((x) => x.seq)).toEqual([1]);
    expect(await statuses(a.ds)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    // a recorded nothing over the successor's claim, and freed the four it had not started.
    expect((await rows.find({ order: { id: 'ASC' } })).map((r) => r.claimedBy)).toEqual(['successor', null, null, null, null]);
    expect(await a.worker.drain()).toBe(4);
    expect(await statuses(a.ds)).toEqual(['pending', 'applied', 'applied', 'applied', 'applied']);
  });

  it('a worker that stalls past its claims (event loop blocked) applies no further event', async () => {
    const lease = { ttlMs: 600, heartbeatMs: 150 };
    const stall = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until); // no heartbeat can run meanwhile
    };
    const a = await start('a', (seq) => Promise.resolve(seq === 2 ? stall(lease.ttlMs + 100) : undefined), { lease });
    await enqueue(a.ds, 5, 'each');
    expect(await a.worker.drain()).toBe(2);
    expect(await statuses(a.ds)).toEqual(['applied', 'applied', 'pending', 'pending', 'pending']);
    expect(await a.worker.drain()).toBe(3); // a fresh batch carries on
  });

  it('stop() releases the claims: another worker takes over at once', async () => {
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
    await waitFor(() => applied.length >= 5, 'a is applying');
    b.worker.start(); // polls once a second, but retries when a's claim would lapse
    await a.ds.destroy(); // a is gone mid-batch: its claims are renewed no more
    const diedAt = performance.now();
    await waitFor(async () => !(await statuses(b.ds)).includes('pending'), 'b applied everything a left', 10_000, 10);
    expect(performance.now() - diedAt).toBeLessThanOrEqual(LEASE_TTL_MS + 500);
    // In order, none lost; only the event being applied when a died may have run twice (by a, then by b).
    const seqs = applied.map((x) => x.seq);
    const repeats = seqs.filter((seq, i) => i > 0 && seqs[i - 1] === seq);
    expect(repeats.length).toBeLessThanOrEqual(1);
    expect(seqs.filter((seq, i) => i === 0 || seqs[i - 1] !== seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(applied.filter((x) => x.by === 'b').length).toBeGreaterThan(0);
  });
});
