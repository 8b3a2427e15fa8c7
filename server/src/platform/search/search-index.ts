import type { DataSource, EntityManager } from 'typeorm';
import { ValidationError } from '../../errors';
import { SEARCH_KINDS, type SearchKind } from './search-doc.entity';
import { booleanModeQuery, fts5Query, queryTokens, searchTokens, snippet, type QueryTerm } from './tokens';

/** What the caller indexes: one project, task, comment or attachment, with where it belongs and its time. */
export interface SearchDocInput {
  kind: SearchKind;
  /** The id of the project / task / comment / attachment row. */
  refId: number;
  projectId: number;
  /** The task it belongs to: the task's own id for a task, its task's for a comment or file, null for a project. */
  taskId: number | null;
  /** The project's shop; null for a project of no shop (found by every member who may search). */
  shopId: string | null;
  /** Project name, task title, the comment's task title, the file name. Cut to 191 characters. */
  title: string;
  /** The text: project goal, task description, comment text ('' for a file). Cut to 10,000 characters. */
  body: string;
  /** Epoch ms the results are ordered by, newest first (usually the row's last change). */
  at: number;
}

export interface SearchQuery {
  q: string;
  kinds?: readonly SearchKind[];
  /** The shops the member may see ('all', or their ids); documents without a shop are always included. */
  shops: 'all' | readonly string[];
  cursor?: string | null;
  /** 1–100; 20 when not a number. */
  limit: number;
}

export interface SearchHit {
  kind: SearchKind;
  refId: number;
  projectId: number;
  taskId: number | null;
  title: string;
  /** At most 120 characters of the body around the first match (its start when the match is in the title). */
  snippet: string;
  at: number;
}

export interface SearchResult {
  items: SearchHit[];
  nextCursor: string | null;
}

export const MAX_TITLE_CHARS = 191;
export const MAX_BODY_CHARS = 10_000;
const MAX_LIMIT = 100;
/** Rows a multi-row upsert carries at most, and about how many characters (MariaDB's max_allowed_packet is 16 MB). */
const BATCH_ROWS = 200;
const BATCH_CHARS = 1_000_000;
/** SQLite's full-text table (migration 1796164000000-search-docs.ts). */
const FTS = 'search_docs_fts';

interface Row {
  id: number;
  kind: string;
  refId: number;
  projectId: number;
  taskId: number | null;
  title: string;
  body: string;
  at: number | string;
}

/**
 * One search over projects, tasks, comments and attachment names, Chinese included, the same on MySQL/MariaDB
 * (a FULLTEXT index on `search_docs.tokens`, queried in boolean mode) and SQLite (an FTS5 table whose rowid is
 * `search_docs.id`). Both index the tokens of tokens.ts, so both find the same documents.
 *
 * Writes take the caller's EntityManager: call upsert/remove in the same transaction as the change they follow, so
 * the index commits or rolls back with it. Reads use the DataSource. On MySQL a change is searchable once its
 * transaction commits (InnoDB applies full-text changes at commit).
 */
export class SearchIndex {
  private readonly mysql: boolean;

  constructor(
    private readonly ds: DataSource,
    /** How many of the newest documents a MySQL search walks before it asks the FULLTEXT index (searchMysql). */
    private readonly recentWindow = RECENT_WINDOW,
  ) {
    this.mysql = ds.options.type === 'mysql' || ds.options.type === 'mariadb';
  }

  /** Index a document, or re-index it: one row per (kind, refId). */
  upsert(manager: EntityManager, doc: SearchDocInput): Promise<void> {
    return this.upsertMany(manager, [doc]);
  }

  /** Index many documents in few statements (a backfill, a copied project); the last one wins for a repeated (kind, refId). */
  async upsertMany(manager: EntityManager, docs: readonly SearchDocInput[]): Promise<void> {
    const byKey = new Map<string, unknown[]>();
    for (const doc of docs) byKey.set(`${doc.kind}:${doc.refId}`, toValues(doc));
    let batch: unknown[][] = [];
    let chars = 0;
    for (const values of byKey.values()) {
      batch.push(values);
      chars += (values[6] as string).length + (values[7] as string).length;
      if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) {
        await this.writeBatch(manager, batch);
        batch = [];
        chars = 0;
      }
    }
    if (batch.length) await this.writeBatch(manager, batch);
  }

  /** Take a document out of the index (nothing happens when it is not there). */
  remove(manager: EntityManager, kind: SearchKind, refId: number): Promise<void> {
    return this.removeWhere(manager, 'kind = ? AND ref_id = ?', [kind, refId]);
  }

  /** Take a project and everything in it out of the index (its tasks, comments and files). */
  removeProject(manager: EntityManager, projectId: number): Promise<void> {
    return this.removeWhere(manager, 'project_id = ?', [projectId]);
  }

  /** Take a task and its comments and files out of the index. */
  removeTask(manager: EntityManager, taskId: number): Promise<void> {
    return this.removeWhere(manager, `(task_id = ? OR (kind = 'task' AND ref_id = ?))`, [taskId, taskId]);
  }

  /**
   * Documents matching every term of `q`, within the member's shops (and those of no shop), newest first by (at, id),
   * `limit` at a time. An empty, punctuation-only or too short query answers nothing rather than everything; only
   * the first 100 characters of `q` count.
   */
  async search(query: SearchQuery): Promise<SearchResult> {
    const none: SearchResult = { items: [], nextCursor: null };
    const terms = queryTokens(typeof query.q === 'string' ? query.q : '');
    if (!terms.length) return none;
    const kinds = query.kinds ? SEARCH_KINDS.filter((k) => query.kinds!.includes(k)) : [];
    if (query.kinds && !kinds.length) return none;
    const limit = Number.isFinite(query.limit) ? Math.min(MAX_LIMIT, Math.max(1, Math.floor(query.limit))) : 20;

    // What every statement shares: the kinds, the member's shops, the cursor.
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.kinds) {
      where.push(`d.kind IN (${kinds.map(() => '?').join(', ')})`);
      params.push(...kinds);
    }
    if (query.shops !== 'all') {
      if (query.shops.length) {
        where.push(`(d.shop_id IS NULL OR d.shop_id IN (${query.shops.map(() => '?').join(', ')}))`);
        params.push(...query.shops);
      } else where.push('d.shop_id IS NULL');
    }
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    if (cursor) {
      where.push('(d.at < ? OR (d.at = ? AND d.id < ?))');
      params.push(cursor[0], cursor[0], cursor[1]);
    }
    const rows = this.mysql
      ? await this.searchMysql(terms, where, params, cursor, limit + 1)
      : await this.ds.query<Row[]>(
          `SELECT ${COLUMNS} FROM ${FTS} JOIN search_docs d ON d.id = ${FTS}.rowid WHERE ${FTS} MATCH ? ${where.map((w) => `AND ${w}`).join(' ')} ORDER BY d.at DESC, d.id DESC LIMIT ${limit + 1}`,
          [fts5Query(terms), ...params],
        );
    const page = rows.slice(0, limit);
    const items = page.map((r) => ({
      kind: r.kind as SearchKind,
      refId: Number(r.refId),
      projectId: Number(r.projectId),
      taskId: r.taskId === null ? null : Number(r.taskId),
      title: r.title,
      snippet: snippet(r.body, terms),
      at: Number(r.at),
    }));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(Number(last.at), Number(last.id)) : null };
  }

  /**
   * MySQL/MariaDB. A FULLTEXT match returns every matching row before the newest can be picked, so a common word over a
   * million comments costs seconds (test/bench/projects.ts). First, walk the newest RECENT_WINDOW documents by the
   * (at, id) index, keeping those whose tokens hold every term (tokens are distinct space-separated [a-z0-9] words, so
   * the LIKE test matches exactly what the FULLTEXT query does); only when that leaves the page short does the FULLTEXT
   * statement look at the older documents, which then are few for a common word and cheap for a rare one.
   */
  private async searchMysql(terms: readonly QueryTerm[], where: string[], params: unknown[], cursor: [number, number] | null, want: number): Promise<Row[]> {
    const scope = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const boundary = await this.ds.query<Array<{ at: string | number; id: number }>>(
      `SELECT d.at AS at, d.id AS id FROM search_docs d ${cursor ? 'WHERE (d.at < ? OR (d.at = ? AND d.id < ?))' : ''} ORDER BY d.at DESC, d.id DESC LIMIT 1 OFFSET ${Math.max(0, Math.floor(this.recentWindow) - 1)}`,
      cursor ? [cursor[0], cursor[0], cursor[1]] : [],
    );
    const like = terms.map(() => "CONCAT(' ', d.tokens, ' ') LIKE ?");
    const likeParams = terms.map((t) => `% ${t.token}${t.prefix ? '' : ' '}%`);
    const b = boundary[0];
    const inWindow = b ? ['(d.at > ? OR (d.at = ? AND d.id >= ?))'] : [];
    const windowParams = b ? [Number(b.at), Number(b.at), b.id] : [];
    const recent = await this.ds.query<Row[]>(
      `SELECT ${COLUMNS} FROM search_docs d ${scope ? `${scope} AND` : 'WHERE'} ${[...inWindow, ...like].join(' AND ')} ORDER BY d.at DESC, d.id DESC LIMIT ${want}`,
      [...params, ...windowParams, ...likeParams],
    );
    if (recent.length >= want || !b) return recent;
    const older = await this.ds.query<Row[]>(
      `SELECT ${COLUMNS} FROM search_docs d WHERE MATCH(d.tokens) AGAINST (? IN BOOLEAN MODE) AND (d.at < ? OR (d.at = ? AND d.id < ?)) ${where.map((w) => `AND ${w}`).join(' ')} ORDER BY d.at DESC, d.id DESC LIMIT ${want - recent.length}`,
      [booleanModeQuery(terms), Number(b.at), Number(b.at), b.id, ...params],
    );
    return [...recent, ...older];
  }

  private async writeBatch(manager: EntityManager, batch: unknown[][]): Promise<void> {
    const rows = batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    const columns = 'kind, ref_id, project_id, task_id, shop_id, title, body, tokens, `at`';
    const updated = ['project_id', 'task_id', 'shop_id', 'title', 'body', 'tokens', 'at'];
    if (this.mysql) {
      await manager.query(
        `INSERT INTO search_docs (${columns}) VALUES ${rows} ON DUPLICATE KEY UPDATE ${updated.map((c) => `\`${c}\` = VALUES(\`${c}\`)`).join(', ')}`,
        batch.flat(),
      );
      return;
    }
    const written = await manager.query<Array<{ id: number; kind: string; refId: number }>>(
      `INSERT INTO search_docs (${columns.replace('`at`', '"at"')}) VALUES ${rows} ON CONFLICT (kind, ref_id) DO UPDATE SET ${updated
        .map((c) => `"${c}" = excluded."${c}"`)
        .join(', ')} RETURNING id, kind, ref_id AS refId`,
      batch.flat(),
    );
    const tokensOf = new Map(batch.map((v) => [`${v[0] as string}:${v[1] as number}`, v[7] as string]));
    const ids = written.map((w) => w.id);
    await manager.query(`DELETE FROM ${FTS} WHERE rowid IN (${ids.map(() => '?').join(', ')})`, ids);
    await manager.query(
      `INSERT INTO ${FTS} (rowid, tokens) VALUES ${written.map(() => '(?, ?)').join(', ')}`,
      written.flatMap((w) => [w.id, tokensOf.get(`${w.kind}:${w.refId}`) ?? '']),
    );
  }

  private async removeWhere(manager: EntityManager, condition: string, params: unknown[]): Promise<void> {
    if (!this.mysql) await manager.query(`DELETE FROM ${FTS} WHERE rowid IN (SELECT id FROM search_docs WHERE ${condition})`, params);
    await manager.query(`DELETE FROM search_docs WHERE ${condition}`, params);
  }
}

/** The row's values in the order of writeBatch's columns, cut to fit them, with the tokens of title and body. */
function toValues(doc: SearchDocInput): unknown[] {
  if (!SEARCH_KINDS.includes(doc.kind)) throw new Error(`search: unknown kind ${JSON.stringify(doc.kind)}`);
  for (const [name, value] of [
    ['refId', doc.refId],
    ['projectId', doc.projectId],
    ['at', doc.at],
  ] as const) {
    if (!Number.isSafeInteger(value)) throw new Error(`search: ${name} must be an integer (got ${String(value)})`);
  }
  if (doc.taskId !== null && !Number.isSafeInteger(doc.taskId)) throw new Error(`search: taskId must be an integer or null (got ${String(doc.taskId)})`);
  const title = cut(doc.title ?? '', MAX_TITLE_CHARS);
  const body = cut(doc.body ?? '', MAX_BODY_CHARS);
  // A line break between them: no bigram spans the end of the title and the start of the body.
  return [doc.kind, doc.refId, doc.projectId, doc.taskId, doc.shopId, title, body, searchTokens(`${title}\n${body}`), doc.at];
}

/** The first `max` code points of `s` (never half a surrogate pair). */
function cut(s: string, max: number): string {
  return s.length <= max ? s : Array.from(s).slice(0, max).join('');
}

const COLUMNS = 'd.id AS id, d.kind AS kind, d.ref_id AS refId, d.project_id AS projectId, d.task_id AS taskId, d.title AS title, d.body AS body, d.at AS at';

const RECENT_WINDOW = 5000;

function encodeCursor(at: number, id: number): string {
  return Buffer.from(`${at}:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): [number, number] {
  const [at, id, extra] = Buffer.from(cursor, 'base64url').toString().split(':').map(Number);
  if (!Number.isSafeInteger(at) || !Number.isSafeInteger(id) || extra !== undefined)
    throw new ValidationError('cursor 无效 (invalid cursor)', { field: 'cursor' });
  return [at!, id!];
}
