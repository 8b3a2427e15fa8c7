import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { str } from '../migration-helpers';

/**
 * One inbox for every source (issue 7): callback_inbox rows carry
 * - `source` (`wecom` now; `shopee`, `taobao`, `card` later),
 * - `type` (WeCom: `Event:ChangeType`, `Event`, or `msg:<MsgType>`), the key handlers are registered by,
 * - `stream_key`: rows are applied in order within a stream only (WeCom: `contact:<userid>`, `department:<id>`,
 *   `tag:<id>`, else `wecom:<Event>` / `wecom:msg:<MsgType>`), so a failing row holds up its own stream and no other.
 * Existing rows are backfilled from their stored columns and XML (the same rules as wecom/callbacks/inbox-keys.ts,
 * frozen here); a contact event whose id cannot be read gets the stream `legacy`.
 * idx_inbox_stream_due (status, stream_key, id) serves "the oldest pending row of each stream".
 */
const LEGACY = 'legacy';
const PAGE = 500;

interface OldRow {
  id: number | string;
  msg_type: string | null;
  event: string | null;
  change_type: string | null;
  payload: string | null;
}

/** `<Name><![CDATA[value]]></Name>` or `<Name>value</Name>` directly in the XML (the ids are leaf elements). */
function field(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>\\s*(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))\\s*</${name}>`).exec(xml);
  const value = m ? (m[1] ?? m[2] ?? '').trim() : '';
  return value || undefined;
}

function keysOf(row: OldRow): { type: string; streamKey: string } {
  const msgType = row.msg_type ?? '';
  const event = row.event ?? '';
  if (msgType !== 'event') return { type: `msg:${msgType}`.slice(0, 160), streamKey: `wecom:msg:${msgType}`.slice(0, 128) };
  const type = (row.change_type ? `${event}:${row.change_type}` : event).slice(0, 160);
  if (event !== 'change_contact') return { type, streamKey: `wecom:${event}`.slice(0, 128) };
  const xml = row.payload ?? '';
  const change = row.change_type ?? '';
  let id: string | undefined;
  let kind: string;
  if (change.endsWith('_user')) [kind, id] = ['contact', field(xml, 'UserID')];
  else if (change.endsWith('_party')) [kind, id] = ['department', field(xml, 'Id')];
  else if (change.endsWith('_tag')) [kind, id] = ['tag', field(xml, 'TagId')];
  else return { type, streamKey: `wecom:${event}` };
  return { type, streamKey: id ? `${kind}:${id}`.slice(0, 128) : LEGACY };
}

export class InboxStreams1796139861898 implements MigrationInterface {
  name = 'InboxStreams1796139861898';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('callback_inbox', [
      new TableColumn(str('source', 16, { default: "'wecom'" })),
      new TableColumn(str('type', 160, { default: "''" })),
      new TableColumn(str('stream_key', 128, { default: `'${LEGACY}'` })),
    ]);
    // Backfill, a page at a time; rows with the same keys are updated together.
    let after = 0;
    for (;;) {
      const rows = (await queryRunner.query(`SELECT id, msg_type, event, change_type, payload FROM callback_inbox WHERE id > ? ORDER BY id LIMIT ${PAGE}`, [
        after,
      ])) as OldRow[];
      if (!rows.length) break;
      after = Number(rows[rows.length - 1]!.id);
      const groups = new Map<string, { type: string; streamKey: string; ids: number[] }>();
      for (const row of rows) {
        const keys = keysOf(row);
        const group = groups.get(`${keys.type}\n${keys.streamKey}`) ?? { ...keys, ids: [] };
        group.ids.push(Number(row.id));
        groups.set(`${keys.type}\n${keys.streamKey}`, group);
      }
      for (const g of groups.values()) {
        await queryRunner.query(`UPDATE callback_inbox SET source = 'wecom', type = ?, stream_key = ? WHERE id IN (${g.ids.map(() => '?').join(', ')})`, [
          g.type,
          g.streamKey,
          ...g.ids,
        ]);
      }
    }
    await queryRunner.createIndex('callback_inbox', new TableIndex({ name: 'idx_inbox_stream_due', columnNames: ['status', 'stream_key', 'id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('callback_inbox', 'idx_inbox_stream_due');
    for (const column of ['stream_key', 'type', 'source']) await queryRunner.dropColumn('callback_inbox', column);
  }
}
