/**
 * The search index on both databases (server/src/platform/search/): Chinese found by two-character words on MariaDB
 * (FULLTEXT over the app's bigram tokens, no ngram parser) and SQLite (FTS5), every word of a query required,
 * re-indexing, removal, the shop scope, keyset paging, and queries that ask for nothing.
 */
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/db/data-source';
import { inTransaction } from '../../server/src/db/transaction';
import { ValidationError } from '../../server/src/errors';
import { SearchIndex, type SearchDocInput, type SearchKind, type SearchQuery } from '../../server/src/platform/search';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';

const T0 = Date.UTC(2025, 10, 1);

const doc = (kind: SearchKind, refId: number, text: { title?: string; body?: string }, where: Partial<SearchDocInput> = {}): SearchDocInput => ({
  kind,
  refId,
  projectId: 1,
  taskId: kind === 'project' ? null : 10,
  shopId: 'S1',
  title: text.title ?? '',
  body: text.body ?? '',
  at: T0 + refId * 1000,
  ...where,
});

/** Project 1 (shop S1) with a task, comments and a file; a comment of another shop's project and one of no shop. */
const DOCS: SearchDocInput[] = [
  doc('project', 1, { title: '双11大促准备', body: '备货、主图、直播排期' }, { taskId: null }),
  doc('task', 10, { title: '主图重拍', body: '重新拍摄主图和详情页' }),
  doc('comment', 100, { body: '主图已经上传，请 @李娜 检查' }),
  doc('comment', 101, { body: '大促当天的客服排班：早班 9 点' }),
  doc('comment', 102, { body: '图片上传失败，换个网络再试' }),
  doc('comment', 103, { title: '换背景', body: '主图需要换成白色背景' }, { projectId: 2, taskId: 20, shopId: 'S2' }),
  doc('comment', 104, { title: '模板', body: '主图模板放在共享盘 iPhone15 文件夹' }, { projectId: 3, taskId: 30, shopId: null }),
  doc('file', 200, { title: '主图_v2.psd', body: '' }),
];

describe.each(testDatabases())('search index on $label', ({ kind }) => {
  let url: string;
  let ds: DataSource;
  let index: SearchIndex;

  const put = (docs: SearchDocInput[]) => inTransaction(ds, (m) => index.upsertMany(m, docs));
  const find = async (q: string, more: Partial<SearchQuery> = {}) => (await index.search({ q, shops: 'all', limit: 50, ...more })).items;
  const refs = async (q: string, more: Partial<SearchQuery> = {}) => (await find(q, more)).map((h) => `${h.kind}:${h.refId}`).sort();
  const comments = (q: string, more: Partial<SearchQuery> = {}) => refs(q, { kinds: ['comment'], ...more });

  beforeAll(async () => {
    url = await freshDatabaseUrl(kind);
    ds = await openDatabase(url);
    index = new SearchIndex(ds);
    await put(DOCS);
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabaseUrl(url);
  });

  test('the full-text index is the one this database has: FULLTEXT on MySQL/MariaDB, an FTS5 table on SQLite', async () => {
    if (kind === 'mysql') {
      const rows = await ds.query<Array<{ type: string }>>(
        "SELECT INDEX_TYPE AS type FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'search_docs' AND COLUMN_NAME = 'tokens'",
      );
      expect(rows.map((r) => r.type)).toEqual(['FULLTEXT']);
    } else {
      const rows = await ds.query<Array<{ type: string }>>("SELECT type FROM pragma_table_list WHERE name = 'search_docs_fts'");
      expect(rows.map((r) => r.type)).toEqual(['virtual']);
    }
  });

  test('a two-character Chinese word finds the comments containing it and no others', async () => {
    expect(await comments('主图')).toEqual(['comment:100', 'comment:103', 'comment:104']);
    expect(await comments('大促')).toEqual(['comment:101']);
    expect(await comments('排班')).toEqual(['comment:101']);
    expect(await comments('上传')).toEqual(['comment:100', 'comment:102']);
    expect(await comments('拍照')).toEqual([]);
  });

  test('every kind is found, titles and file names included, newest first', async () => {
    const hits = await find('主图');
    expect(hits.map((h) => `${h.kind}:${h.refId}`)).toEqual(['file:200', 'comment:104', 'comment:103', 'comment:100', 'task:10', 'project:1']);
    expect(hits[0]).toEqual({ kind: 'file', refId: 200, projectId: 1, taskId: 10, title: '主图_v2.psd', snippet: '', at: T0 + 200_000 });
    expect(await refs('双11', { kinds: ['project', 'task'] })).toEqual(['project:1']);
  });

  test('a query needs all its words: several words, a phrase, mixed scripts', async () => {
    expect(await comments('主图 上传')).toEqual(['comment:100']);
    expect(await comments('主图已经上传')).toEqual(['comment:100']);
    expect(await comments('上传 网络')).toEqual(['comment:102']);
    expect(await comments('主图 网络')).toEqual([]);
    expect(await refs('双11大促')).toEqual(['project:1']);
    expect(await comments('iphone 模板')).toEqual(['comment:104']);
    expect(await comments('IPHONE15')).toEqual(['comment:104']);
    expect(await comments('iph')).toEqual(['comment:104']); // latin words match as prefixes
  });

  test('the snippet is the body around the first match', async () => {
    const long = `${'前言'.repeat(150)}这里说明主图的尺寸要求${'后记'.repeat(150)}`;
    await put([doc('comment', 105, { body: long }, { projectId: 4, taskId: 40 })]);
    const [hit] = await find('尺寸要求');
    expect(hit?.refId).toBe(105);
    expect(hit?.snippet).toContain('这里说明主图的尺寸要求');
    expect(Array.from(hit?.snippet ?? '').length).toBeLessThanOrEqual(120);
    expect((await find('检查', { kinds: ['comment'] }))[0]?.snippet).toBe('主图已经上传，请 @李娜 检查');
    await inTransaction(ds, (m) => index.remove(m, 'comment', 105));
  });

  test('upserting a document again re-indexes it', async () => {
    await put([doc('comment', 101, { body: '主图的客服话术' })]);
    expect(await comments('主图')).toEqual(['comment:100', 'comment:101', 'comment:103', 'comment:104']);
    expect(await comments('排班')).toEqual([]);
    expect(await comments('大促')).toEqual([]);
    await put([doc('comment', 101, { body: '大促当天的客服排班：早班 9 点' })]);
    expect(await comments('排班')).toEqual(['comment:101']);
    expect(await comments('主图')).toEqual(['comment:100', 'comment:103', 'comment:104']);
  });

  test('removing drops a document; removeTask and removeProject drop what is in them', async () => {
    const extra = [
      doc('project', 7, { title: '年货节', body: '年货节预热' }, { projectId: 7, taskId: null }),
      doc('task', 70, { title: '年货节海报' }, { projectId: 7, taskId: 70 }),
      doc('comment', 700, { body: '年货节海报初稿' }, { projectId: 7, taskId: 70 }),
      doc('file', 701, { title: '年货节海报.png' }, { projectId: 7, taskId: 70 }),
      doc('task', 71, { title: '年货节直播' }, { projectId: 7, taskId: 71 }),
      doc('comment', 710, { body: '年货节直播脚本' }, { projectId: 7, taskId: 71 }),
    ];
    await put(extra);
    expect(await refs('年货节')).toEqual(['comment:700', 'comment:710', 'file:701', 'project:7', 'task:70', 'task:71']);
    await inTransaction(ds, (m) => index.remove(m, 'comment', 710));
    expect(await refs('年货节')).toEqual(['comment:700', 'file:701', 'project:7', 'task:70', 'task:71']);
    await inTransaction(ds, (m) => index.removeTask(m, 70));
    expect(await refs('年货节')).toEqual(['project:7', 'task:71']);
    await inTransaction(ds, (m) => index.removeProject(m, 7));
    expect(await refs('年货节')).toEqual([]);
    await inTransaction(ds, (m) => index.remove(m, 'comment', 999_999)); // not there: nothing happens
  });

  test('a write that rolls back leaves the index as it was', async () => {
    await expect(
      inTransaction(ds, async (m) => {
        await index.upsert(m, doc('comment', 800, { body: '回滚的评论' }));
        await index.remove(m, 'comment', 100);
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('on purpose');
    expect(await comments('回滚')).toEqual([]);
    expect(await comments('主图')).toEqual(['comment:100', 'comment:103', 'comment:104']);
  });

  test("the shop scope hides other shops' documents but not those of no shop", async () => {
    expect(await comments('主图', { shops: ['S1'] })).toEqual(['comment:100', 'comment:104']);
    expect(await comments('主图', { shops: ['S2'] })).toEqual(['comment:103', 'comment:104']);
    expect(await comments('主图', { shops: ['S1', 'S2'] })).toEqual(['comment:100', 'comment:103', 'comment:104']);
    expect(await comments('主图', { shops: [] })).toEqual(['comment:104']);
    expect(await refs('主图', { shops: ['S9'] })).toEqual(['comment:104']);
  });

  test('an empty, blank, punctuation-only or one-letter query answers nothing', async () => {
    for (const q of ['', '   ', '，。！？', '+-*"()<>~@', 'a', '6']) {
      expect(await index.search({ q, shops: 'all', limit: 20 })).toEqual({ items: [], nextCursor: null });
    }
    expect(await index.search({ q: '主图', kinds: [], shops: 'all', limit: 20 })).toEqual({ items: [], nextCursor: null });
    expect(await find(`${'x'.repeat(5000)}`)).toEqual([]); // only the first 100 characters count
  });

  test('pages follow the keyset cursor, newest first, without repeats or gaps', async () => {
    // 25 comments, several sharing a time: the order is (at, id) descending.
    const many = Array.from({ length: 25 }, (_, i) =>
      doc('comment', 300 + i, { body: `第${i}条：直播间秒杀` }, { projectId: 5, taskId: 50, at: T0 + Math.floor(i / 3) }),
    );
    await put(many);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await index.search({ q: '秒杀', shops: 'all', limit: 10, cursor });
      seen.push(...page.items.map((h) => h.refId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    const expected = [...many].sort((a, b) => b.at - a.at || b.refId - a.refId).map((d) => d.refId);
    // ids follow refIds here (one insert in order), so (at, id) order is (at, refId) order
    expect(seen).toEqual(expected);
    await expect(index.search({ q: '秒杀', shops: 'all', limit: 10, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(ValidationError);
  });

  test('a small recent window gives the same pages as the whole index (the MySQL walk, then FULLTEXT for older ones)', async () => {
    const narrow = new SearchIndex(ds, 2);
    for (const [q, more] of [
      ['主图', {}],
      ['主图', { kinds: ['comment'] as SearchKind[] }],
      ['上传', { shops: ['S1'] }],
      ['大促', {}],
    ] as const) {
      const wide = await index.search({ q, shops: 'all', limit: 2, ...more });
      const small = await narrow.search({ q, shops: 'all', limit: 2, ...more });
      expect(small).toEqual(wide);
      if (wide.nextCursor) {
        const next = { q, shops: 'all' as const, limit: 2, cursor: wide.nextCursor, ...more };
        expect(await narrow.search(next)).toEqual(await index.search(next));
      }
    }
  });

  test('5,000 documents indexed one by one in one transaction', async () => {
    await inTransaction(ds, async (m) => {
      for (let i = 0; i < 5000; i++) {
        await index.upsert(m, doc('comment', 10_000 + i, { body: `批量评论 ${i}：库存盘点第${i % 50}组，备注 sku${i}` }, { projectId: 6, taskId: 60 }));
      }
    });
    const page = await index.search({ q: '库存盘点', shops: 'all', limit: 100 });
    expect(page.items).toHaveLength(100);
    expect(page.nextCursor).not.toBeNull();
    expect((await find('sku4999')).map((h) => h.refId)).toEqual([14_999]);
    if (kind === 'sqlite') {
      // The FTS5 table is exactly search_docs: one row per document, and its own integrity check passes.
      const [fts] = await ds.query<Array<{ n: number }>>('SELECT count(*) AS n FROM search_docs_fts');
      const [docs] = await ds.query<Array<{ n: number }>>('SELECT count(*) AS n FROM search_docs');
      expect(fts?.n).toBe(docs?.n);
      await ds.query("INSERT INTO search_docs_fts (search_docs_fts) VALUES ('integrity-check')");
    }
  }, 180_000);
});
