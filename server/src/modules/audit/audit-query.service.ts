import type { DataSource } from 'typeorm';
import { isSystemActor, type AuditEntryView, type AuditListResponse, type AuditQuery, type BindingSubjectType } from '@shopcrew/shared';
import { subjectKey, type OrgService } from '../org/org.service';
import { AuditEntry } from './audit-entry.entity';

/** The filters of GET /api/audit and its export (the page size is the caller's). */
export type AuditFilter = Omit<AuditQuery, 'limit'>;

const SUBJECT_TYPES: readonly string[] = ['department', 'tag', 'user'] satisfies BindingSubjectType[];

/** The role-binding summary an audit entry carries in after (bind) or before (unbind). */
function bindingSubject(entry: AuditEntry): { type: BindingSubjectType; id: string } | null {
  const summary = (entry.after ?? entry.before) as { subjectType?: unknown; subjectId?: unknown } | null;
  if (!summary || typeof summary.subjectType !== 'string' || !SUBJECT_TYPES.includes(summary.subjectType)) return null;
  if (typeof summary.subjectId !== 'string' && typeof summary.subjectId !== 'number') return null;
  return { type: summary.subjectType as BindingSubjectType, id: String(summary.subjectId) };
}

/**
 * The read side of the audit log for the 操作日志 screen and its CSV export: filters, id-cursor
 * paging (newest first), and the names of actors and targets from the contact mirror.
 */
export class AuditQueryService {
  constructor(
    private readonly ds: DataSource,
    private readonly org: OrgService,
  ) {}

  /** One page, newest first. `nextBefore` is set only when an older entry exists. */
  async list(filter: AuditFilter, limit: number): Promise<AuditListResponse> {
    const rows = await this.query(filter)
      .take(limit + 1)
      .getMany();
    const page = rows.slice(0, limit);
    return { entries: await this.views(page), nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  /** Up to `max` entries for the export, read in id-cursor batches; `truncated` when more matched. */
  async exportRows(filter: AuditFilter, max: number, batch = 1000): Promise<{ entries: AuditEntryView[]; truncated: boolean }> {
    const out: AuditEntryView[] = [];
    let before = filter.before;
    while (out.length < max) {
      const want = Math.min(batch, max - out.length);
      const rows = await this.query({ ...filter, before })
        .take(want)
        .getMany();
      out.push(...(await this.views(rows)));
      if (rows.length < want) return { entries: out, truncated: false };
      before = rows[rows.length - 1]!.id;
    }
    const more = await this.query({ ...filter, before })
      .take(1)
      .getCount();
    return { entries: out, truncated: more > 0 };
  }

  /** Entries at or after `since` (the home page's "today" counter). */
  countSince(since: number): Promise<number> {
    return this.query({ from: since }).getCount();
  }

  private query(f: AuditFilter) {
    const qb = this.ds.getRepository(AuditEntry).createQueryBuilder('a').orderBy('a.id', 'DESC');
    if (f.actor !== undefined) qb.andWhere('a.actor = :actor', { actor: f.actor });
    if (f.action !== undefined) qb.andWhere('a.action = :action', { action: f.action });
    if (f.targetType !== undefined) qb.andWhere('a.target_type = :targetType', { targetType: f.targetType });
    if (f.targetId !== undefined) qb.andWhere('a.target_id = :targetId', { targetId: f.targetId });
    if (f.from !== undefined) qb.andWhere('a.at >= :from', { from: f.from });
    if (f.to !== undefined) qb.andWhere('a.at < :to', { to: f.to });
    if (f.before !== undefined) qb.andWhere('a.id < :before', { before: f.before });
    return qb;
  }

  /** Entries with actor and target names: one lookup per kind of name for the whole page. */
  private async views(rows: AuditEntry[]): Promise<AuditEntryView[]> {
    const subjects: Array<{ type: BindingSubjectType; id: string }> = [];
    const subjectOf = new Map<number, { type: BindingSubjectType; id: string }>();
    for (const row of rows) {
      let subject: { type: BindingSubjectType; id: string } | null = null;
      if (row.targetId !== null && row.targetType === 'member') subject = { type: 'user', id: row.targetId };
      else if (row.targetId !== null && (row.targetType === 'department' || row.targetType === 'tag')) subject = { type: row.targetType, id: row.targetId };
      else if (row.targetType === 'role_binding') subject = bindingSubject(row);
      if (subject) {
        subjectOf.set(row.id, subject);
        subjects.push(subject);
      }
    }
    const actors = [...new Set(rows.map((r) => r.actor).filter((a) => !isSystemActor(a)))];
    const [names, members] = await Promise.all([this.org.describeSubjects(subjects), this.org.membersByIds(actors)]);
    const actorName = new Map(members.map((m) => [m.userid, m.name]));
    return rows.map((row) => {
      const subject = subjectOf.get(row.id);
      return {
        id: row.id,
        at: row.at,
        actor: row.actor,
        actorName: actorName.get(row.actor) ?? null,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        targetName: subject ? (names.get(subjectKey(subject.type, subject.id))?.name ?? null) : null,
        before: row.before,
        after: row.after,
        requestId: row.requestId,
      };
    });
  }
}
