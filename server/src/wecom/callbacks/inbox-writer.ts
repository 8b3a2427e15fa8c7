import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { InboxSource } from './event-handlers';

export interface InboxRow {
  source: InboxSource;
  /** The handler key (WeCom: wecomType()). */
  type: string;
  /** The ordering stream (WeCom: wecomStreamKey()). */
  streamKey: string;
  dedupeKey: string;
  msgType: string;
  event: string;
  changeType: string | null;
  payload: string;
}

interface Waiter {
  row: InboxRow;
  resolve(stored: boolean): void;
  reject(err: unknown): void;
}

const MAX_BATCH = 200;
const COLUMNS = 'source, type, stream_key, dedupe_key, msg_type, event, change_type, payload, status, attempts, next_attempt_at, received_at, received_by';

/**
 * Group commit for the callback inbox. Callbacks that arrive while a write is in flight are stored
 * together in one multi-row `INSERT … IGNORE` (one statement, one commit), and each caller is
 * answered only after the row it brought is durable. Under load this turns N commits into a few;
 * at low load a batch is a single row written at once.
 *
 * `stored` is false for a duplicate (a WeCom retry of an event already in the inbox, or a second
 * copy inside the same batch): it is acknowledged again and applied once.
 */
export class InboxWriter {
  private queue: Waiter[] = [];
  private flushing = false;
  private readonly instance = randomUUID().slice(0, 8);
  private batches = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly now: () => number = Date.now,
  ) {}

  write(row: InboxRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const stored = await this.insert(batch.map((w) => w.row));
          batch.forEach((w, i) => w.resolve(stored[i]!));
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** One INSERT for the batch; returns, per row, whether that row is new. */
  private async insert(rows: InboxRow[]): Promise<boolean[]> {
    const firstOfKey = new Map<string, number>();
    rows.forEach((r, i) => firstOfKey.has(r.dedupeKey) || firstOfKey.set(r.dedupeKey, i));
    const unique = [...firstOfKey.values()].map((i) => rows[i]!);
    const at = this.now();
    const batchId = `${this.instance}:${++this.batches}`;
    const mysql = this.ds.options.type === 'mysql';
    const sql = `INSERT ${mysql ? 'IGNORE' : 'OR IGNORE'} INTO callback_inbox (${COLUMNS}) VALUES ${unique.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)').join(', ')}`;
    const params = unique.flatMap((r) => [r.source, r.type, r.streamKey, r.dedupeKey, r.msgType, r.event, r.changeType, r.payload, 'pending', at, at, batchId]);
    const runner = this.ds.createQueryRunner();
    let affected: number;
    try {
      affected = (await runner.query(sql, params, true)).affected ?? 0;
    } finally {
      await runner.release();
    }
    let isNew: (key: string) => boolean = () => true;
    if (affected < unique.length) {
      // Some keys were already there: the rows this statement wrote carry its batch id.
      const keys = unique.map((r) => r.dedupeKey);
      const mine: Array<{ dedupe_key: string }> = await this.ds.query(
        `SELECT dedupe_key FROM callback_inbox WHERE received_by = ? AND dedupe_key IN (${keys.map(() => '?').join(', ')})`,
        [batchId, ...keys],
      );
      const fresh = new Set(mine.map((m) => m.dedupe_key));
      isNew = (key) => fresh.has(key);
    }
    return rows.map((r, i) => firstOfKey.get(r.dedupeKey) === i && isNew(r.dedupeKey));
  }
}
