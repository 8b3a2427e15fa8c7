import type { DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/db/data-source';
import { InboxEntry } from '../../server/src/wecom/callbacks/inbox-entry.entity';
import { InboxWriter, type InboxRow } from '../../server/src/wecom/callbacks/inbox-writer';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';

const row = (key: string): InboxRow => ({
  source: 'wecom',
  type: 'change_contact:update_user',
  streamKey: `contact:${key}`,
  dedupeKey: key,
  msgType: 'event',
  event: 'change_contact',
  changeType: 'update_user',
  payload: `<xml>${key}</xml>`,
});

describe.each(testDatabases())('inbox group commit ($label)', ({ kind }) => {
  let url: string;
  let ds: DataSource;
  beforeAll(async () => {
    url = await freshDatabaseUrl(kind);
    ds = await openDatabase(url);
  });
  afterAll(async () => {
    await ds.destroy();
    await dropDatabaseUrl(url);
  });

  it('stores 600 concurrent callbacks in few statements and flags exactly the duplicates', async () => {
    await ds.getRepository(InboxEntry).insert({ ...row('k-7'), status: 'pending', attempts: 0, nextAttemptAt: 0, receivedAt: 0 });
    const writers = [new InboxWriter(ds), new InboxWriter(ds)]; // two server instances
    const keys = Array.from({ length: 600 }, (_, i) => `k-${i % 400}`); // 200 keys arrive twice
    const results = await Promise.all(keys.map((k, i) => writers[i % 2]!.write(row(k))));
    const newPerKey = new Map<string, number>();
    keys.forEach((k, i) => newPerKey.set(k, (newPerKey.get(k) ?? 0) + (results[i] ? 1 : 0)));
    expect(newPerKey.get('k-7')).toBe(0); // was there before
    expect([...newPerKey].filter(([k]) => k !== 'k-7').every(([, n]) => n === 1)).toBe(true);
    expect(await ds.getRepository(InboxEntry).count()).toBe(400);
    const batches = await ds.getRepository(InboxEntry).createQueryBuilder('e').select('COUNT(DISTINCT e.received_by)', 'n').getRawOne<{ n: string | number }>();
    expect(Number(batches!.n)).toBeLessThan(50); // grouped, not one commit per callback
  });

  it('fails every caller of a batch the database refused (no 200 for anything not stored)', async () => {
    const writer = new InboxWriter(ds);
    await ds.query('ALTER TABLE callback_inbox RENAME TO callback_inbox_away');
    try {
      const results = await Promise.allSettled([writer.write(row('lost-1')), writer.write(row('lost-2'))]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await ds.query('ALTER TABLE callback_inbox_away RENAME TO callback_inbox');
    }
    expect(await writer.write(row('after-outage'))).toBe(true);
  });
});
