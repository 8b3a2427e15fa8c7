/**
 * Several workers on one inbox: two "processes" (each its own DataSource, LeaseStore and worker; two lanes each on
 * MySQL) apply 10,000 rows in 200 streams exactly once each, in order within each stream, and both take a share. On
 * SQLite (one writer) the same with 2,000 rows: two processes on one file, one lane each.
 */
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/db/data-source';
import { LeaseStore } from '../../server/src/db/leases';
import { createLogger } from '../../server/src/lib/logger';
import { EventRegistry } from '../../server/src/wecom/callbacks/event-handlers';
import { InboxEntry } from '../../server/src/wecom/callbacks/inbox-entry.entity';
import { InboxWorker } from '../../server/src/wecom/callbacks/inbox-worker';
import { InboxWriter } from '../../server/src/wecom/callbacks/inbox-writer';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { waitFor } from '../support/wait';

const EVENT = 'parallel_probe';
const STREAMS = 200;
const xml = (key: string) =>
  `<xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1</CreateTime>` +
  `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${EVENT}]]></Event><EventKey><![CDATA[${key}]]></EventKey></xml>`;

describe.each(testDatabases())('inbox workers in parallel ($label)', ({ kind }) => {
  const total = kind === 'mysql' ? 10_000 : 2_000;
  const perStream = total / STREAMS;
  let url: string;
  const opened: DataSource[] = [];
  const workers: InboxWorker[] = [];

  beforeAll(async () => {
    url = await freshDatabaseUrl(kind);
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    for (const ds of opened) if (ds.isInitialized) await ds.destroy();
    await dropDatabaseUrl(url);
  });

  it(`applies ${total.toLocaleString('en')} rows exactly once each, in order within each stream, with two processes`, async () => {
    /** Every apply: which process, which stream, which position in it. */
    const applied: Array<{ by: string; stream: number; seq: number }> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const start = async (name: string) => {
      const ds = await openDatabase(url, { migrate: opened.length === 0 });
      opened.push(ds);
      const registry = new EventRegistry().on('wecom', EVENT, async (e) => {
        const [stream, seq] = String(e.fields.EventKey).split('/').map(Number) as [number, number];
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setImmediate(r)); // let the other lanes and process interleave
        applied.push({ by: name, stream, seq });
        inFlight--;
        return 'applied';
      });
      const worker = new InboxWorker(ds, new LeaseStore(ds), registry, createLogger('silent'), { yieldMs: 0, lanes: 2, pollMs: 50 });
      workers.push(worker);
      return { ds, worker };
    };
    const a = await start('a');
    const b = await start('b');

    // Stream s gets rows s/1, s/2, … in that order, interleaved with the other streams as they would arrive.
    const writer = new InboxWriter(a.ds);
    const writes: Array<Promise<boolean>> = [];
    for (let seq = 1; seq <= perStream; seq++)
      for (let stream = 1; stream <= STREAMS; stream++) {
        const key = `${stream}/${seq}`;
        writes.push(
          writer.write({
            source: 'wecom',
            type: EVENT,
            streamKey: `probe:${stream}`,
            dedupeKey: `probe:${key}`,
            msgType: 'event',
            event: EVENT,
            changeType: null,
            payload: xml(key),
          }),
        );
      }
    expect((await Promise.all(writes)).every(Boolean)).toBe(true);

    a.worker.start();
    b.worker.start();
    const rows = a.ds.getRepository(InboxEntry);
    await waitFor(async () => (await rows.countBy({ status: 'applied' })) === total, `all ${total} rows applied`, 120_000, 100);

    expect(applied).toHaveLength(total);
    const seen = new Set(applied.map((x) => `${x.stream}/${x.seq}`));
    expect(seen.size).toBe(total);
    const next = new Map<number, number>();
    for (const x of applied) {
      expect(x.seq).toBe((next.get(x.stream) ?? 0) + 1);
      next.set(x.stream, x.seq);
    }
    // Both processes took a real share, and rows were applied concurrently.
    const byA = applied.filter((x) => x.by === 'a').length;
    expect(Math.min(byA, total - byA)).toBeGreaterThan(total / 10);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(await rows.countBy({ status: 'pending' })).toBe(0);
    expect(await rows.createQueryBuilder('r').where('r.claimed_by IS NOT NULL').getCount()).toBe(0);
  }, 180_000);
});
