/**
 * One inbox, many streams: rows are applied in order within their stream, and a failing row holds up only its
 * own stream. Each test is one "process" (DataSource, LeaseStore, registry, worker) on a fresh database; the
 * handlers are probes that record every attempt.
 */
import { DataSource } from 'typeorm';
import { createDataSource, openDatabase } from '../../server/src/db/data-source';
import { MIGRATIONS } from '../../server/src/db/migrations';
import { LeaseStore } from '../../server/src/db/leases';
import { createLogger } from '../../server/src/lib/logger';
import { EventRegistry, type InboxEvent } from '../../server/src/wecom/callbacks/event-handlers';
import { InboxEntry } from '../../server/src/wecom/callbacks/inbox-entry.entity';
import { InboxWorker, MAX_ATTEMPTS } from '../../server/src/wecom/callbacks/inbox-worker';
import { InboxWriter } from '../../server/src/wecom/callbacks/inbox-writer';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { waitFor } from '../support/wait';

const EVENT = 'stream_probe';
const xml = (stream: string, seq: number) =>
  `<xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${seq}</CreateTime>` +
  `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${EVENT}]]></Event><EventKey><![CDATA[${stream}/${seq}]]></EventKey></xml>`;

interface Attempt {
  stream: string;
  seq: number;
  ok: boolean;
}

describe.each(testDatabases())('inbox streams ($label)', ({ kind }) => {
  let url: string;
  let ds: DataSource;
  let writer: InboxWriter;
  let attempts: Attempt[];
  /** Whether this attempt of (stream, seq) fails; `n` counts its attempts so far (1 on the first). */
  let fails: (stream: string, seq: number, n: number) => boolean;
  let registry: EventRegistry;
  let worker: InboxWorker;

  beforeEach(async () => {
    url = await freshDatabaseUrl(kind);
    ds = await openDatabase(url);
    writer = new InboxWriter(ds);
    attempts = [];
    fails = () => false;
    registry = new EventRegistry().on('wecom', EVENT, (e) => {
      const [stream, seq] = (e.fields.EventKey ?? '').split('/') as [string, string];
      const n = attempts.filter((a) => a.stream === stream && a.seq === Number(seq)).length + 1;
      const ok = !fails(stream, Number(seq), n);
      attempts.push({ stream, seq: Number(seq), ok });
      return ok ? Promise.resolve('applied') : Promise.reject(new Error(`probe ${stream}/${seq} failed (attempt ${n})`));
    });
    worker = new InboxWorker(ds, new LeaseStore(ds), registry, createLogger('silent'), { yieldMs: 0, retryBaseMs: 1 });
  });
  afterEach(async () => {
    await worker.stop();
    await ds.destroy();
    await dropDatabaseUrl(url);
  });

  const enqueue = async (stream: string, seq: number) => {
    const stored = await writer.write({
      source: 'wecom',
      type: EVENT,
      streamKey: `probe:${stream}`,
      dedupeKey: `probe:${stream}/${seq}`,
      msgType: 'event',
      event: EVENT,
      changeType: null,
      payload: xml(stream, seq),
    });
    expect(stored).toBe(true);
  };
  const rows = () => ds.getRepository(InboxEntry).find({ order: { id: 'ASC' } });
  const rowOf = async (stream: string, seq: number) => ds.getRepository(InboxEntry).findOneByOrFail({ dedupeKey: `probe:${stream}/${seq}` });
  const applied = (stream: string) => attempts.filter((a) => a.stream === stream && a.ok).map((a) => a.seq);
  /** Drain whenever a retry may be due, until `done`. */
  const drainUntil = (done: () => boolean | Promise<boolean>, what: string) =>
    waitFor(
      async () => {
        await worker.drain();
        return done();
      },
      what,
      20_000,
      5,
    );

  it('a failing stream does not block another; when it recovers, its rows apply in order', async () => {
    let aBroken = true;
    fails = (stream) => stream === 'A' && aBroken;
    for (const seq of [1, 2, 3]) {
      await enqueue('A', seq);
      await enqueue('B', seq);
    }
    // B's rows all apply while A's head keeps failing.
    await drainUntil(() => applied('B').length === 3 && attempts.filter((a) => a.stream === 'A').length >= 3, "B applied, A's head failed thrice");
    expect(applied('B')).toEqual([1, 2, 3]);
    expect(applied('A')).toEqual([]);
    // Only A's head was tried: its later rows wait behind it.
    expect(new Set(attempts.filter((a) => a.stream === 'A').map((a) => a.seq))).toEqual(new Set([1]));
    const head = await rowOf('A', 1);
    expect(head).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/probe A\/1 failed/) as unknown });
    expect(head.attempts).toBeGreaterThanOrEqual(3);
    expect((await rowOf('A', 2)).attempts).toBe(0);
    expect((await rowOf('A', 3)).attempts).toBe(0);
    expect((await Promise.all([1, 2, 3].map((seq) => rowOf('B', seq)))).map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);

    aBroken = false;
    await drainUntil(async () => (await rows()).every((r) => r.status === 'applied'), 'A recovered and applied');
    expect(applied('A')).toEqual([1, 2, 3]);
    expect((await rowOf('A', 2)).attempts).toBe(1);
  });

  it('order within a stream holds under retries, across many streams', async () => {
    // Row seq of each stream fails its first (seq % 4) attempts: 0 to 3 retries each.
    fails = (_stream, seq, n) => n <= seq % 4;
    const streams = Array.from({ length: 12 }, (_, i) => `s${i}`);
    for (let seq = 1; seq <= 8; seq++) for (const stream of streams) await enqueue(stream, seq);
    await drainUntil(async () => (await rows()).every((r) => r.status !== 'pending'), 'every row settled');
    for (const stream of streams) {
      const tried = attempts.filter((a) => a.stream === stream).map((a) => a.seq);
      // Never went back to an earlier row, never ran ahead of a failing one, each applied once.
      expect(tried).toEqual([...tried].sort((a, b) => a - b));
      expect(applied(stream)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
    const all = await rows();
    expect(all.filter((r) => r.status !== 'applied')).toEqual([]);
    for (const r of all) expect(r.attempts).toBe((Number(r.dedupeKey.split('/')[1]) % 4) + 1);
  });

  it('a dead row lets its stream continue', async () => {
    fails = (stream, seq) => stream === 'A' && seq === 1;
    for (const seq of [1, 2, 3]) await enqueue('A', seq);
    await drainUntil(async () => (await rows()).every((r) => r.status !== 'pending'), 'A settled');
    const [first, ...rest] = await rows();
    expect(first).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, lastError: expect.stringMatching(/probe A\/1 failed \(attempt 8\)/) as unknown });
    expect(rest.map((r) => r.status)).toEqual(['applied', 'applied']);
    // A/2 waited until A/1 was dead.
    expect(attempts.map((a) => a.seq)).toEqual([...Array<number>(MAX_ATTEMPTS).fill(1), 2, 3]);
  });

  it('handlers are registered by (source, type): another source gets its own parsed events; an unhandled type is ignored', async () => {
    const seen: InboxEvent[] = [];
    registry.on('shopee', 'order.paid', (e) => {
      seen.push(e);
      return Promise.resolve('applied');
    });
    const shopee = (type: string, orderSn: string) =>
      writer.write({
        source: 'shopee',
        type,
        streamKey: `shopee:order:${orderSn}`,
        dedupeKey: `shopee:${type}:${orderSn}`,
        msgType: '',
        event: '',
        changeType: null,
        payload: JSON.stringify({ order_sn: orderSn }),
      });
    await shopee('order.paid', 'S1');
    await shopee('order.cancelled', 'S2');
    await enqueue('A', 1);
    expect(await worker.drain()).toBe(3);
    expect(seen).toEqual([expect.objectContaining({ source: 'shopee', type: 'order.paid', streamKey: 'shopee:order:S1', fields: { order_sn: 'S1' } })]);
    expect(typeof seen[0]!.receivedAt).toBe('number');
    expect((await rows()).map((r) => [r.source, r.type, r.status])).toEqual([
      ['shopee', 'order.paid', 'applied'],
      ['shopee', 'order.cancelled', 'ignored'],
      ['wecom', EVENT, 'applied'],
    ]);
    // The same type under another source is another handler.
    expect(registry.resolve('taobao', 'order.paid')).toBeUndefined();
    expect(() => registry.on('shopee', 'order.paid', () => Promise.resolve('ignored'))).toThrow(/duplicate inbox handler "shopee\/order.paid"/);
  });
});

describe.each(testDatabases())('inbox-streams migration backfills existing rows ($label)', ({ kind }) => {
  let url: string;
  afterEach(() => dropDatabaseUrl(url));

  it('computes source, type and stream key from the stored columns and XML; an unreadable contact event goes to legacy', async () => {
    url = await freshDatabaseUrl(kind);
    const before = new DataSource({
      ...createDataSource(url).options,
      migrations: MIGRATIONS.slice(
        0,
        MIGRATIONS.findIndex((m) => m.name.startsWith('InboxStreams')),
      ),
    });
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    const contact = (change: string, body: string) =>
      `<xml><FromUserName><![CDATA[sys]]></FromUserName><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event><ChangeType>${change}</ChangeType>${body}</xml>`;
    const old: Array<[string, string, string, string | null, string]> = [
      ['k1', 'event', 'change_contact', 'update_user', contact('update_user', '<UserID><![CDATA[lina]]></UserID><NewUserID><![CDATA[lina2]]></NewUserID>')],
      ['k2', 'event', 'change_contact', 'delete_party', contact('delete_party', '<Id>7</Id>')],
      ['k3', 'event', 'change_contact', 'update_tag', contact('update_tag', '<TagId>3</TagId>')],
      ['k4', 'event', 'change_contact', 'create_user', contact('create_user', '')],
      ['k5', 'event', 'template_card_event', null, '<xml><MsgType>event</MsgType><Event>template_card_event</Event></xml>'],
      ['k6', 'text', '', null, '<xml><MsgType>text</MsgType><MsgId>1</MsgId></xml>'],
    ];
    for (const [key, msgType, event, changeType, payload] of old)
      await before.query(
        'INSERT INTO callback_inbox (dedupe_key, msg_type, event, change_type, payload, status, attempts, next_attempt_at, received_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0)',
        [key, msgType, event, changeType, payload, 'pending'],
      );
    await before.destroy();

    const ds = await openDatabase(url); // applies the inbox-streams migration
    try {
      const rows = await ds.getRepository(InboxEntry).find({ order: { id: 'ASC' } });
      expect(rows.map((r) => [r.dedupeKey, r.source, r.type, r.streamKey])).toEqual([
        ['k1', 'wecom', 'change_contact:update_user', 'contact:lina'],
        ['k2', 'wecom', 'change_contact:delete_party', 'department:7'],
        ['k3', 'wecom', 'change_contact:update_tag', 'tag:3'],
        ['k4', 'wecom', 'change_contact:create_user', 'legacy'],
        ['k5', 'wecom', 'template_card_event', 'wecom:template_card_event'],
        ['k6', 'wecom', 'msg:text', 'wecom:msg:text'],
      ]);
    } finally {
      await ds.destroy();
    }
  });
});
