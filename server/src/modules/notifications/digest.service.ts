import type { Logger } from '../../lib/logger';
import type { DigestRegistry } from '../../platform/digests';
import type { EventTypeDef } from '../../platform/events';
import type { UnitOfWork } from '../../platform/tx';
import type { OrgService } from '../org/org.service';

const DAY = 86_400_000;

const DIGEST_FIELDS: EventTypeDef['fields'] = {
  department_id: { label: '部门ID', type: 'number', example: 2 },
  department: { label: '部门', type: 'string', example: '客服部' },
  period: { label: '时间段', type: 'string', example: '2025-06-01' },
  summary: { label: '汇总', type: 'string', example: '新订单 12 · 待认领 3 · 已发货 9' },
};

/** The digest events: one per department when a digest is due, routed by rules like any other event. */
export const DIGEST_EVENTS: EventTypeDef[] = [
  { type: 'digest.daily', label: '每日汇总', fields: DIGEST_FIELDS, template: '{event_label} | {department} | {period}\n{summary}' },
  { type: 'digest.weekly', label: '每周汇总', fields: DIGEST_FIELDS, template: '{event_label} | {department} | {period}\n{summary}' },
];

/** `YYYY-MM-DD` of an instant in a time zone. */
const dateIn = (ms: number, timeZone: string) => new Intl.DateTimeFormat('sv-SE', { timeZone }).format(ms);

/**
 * Daily and weekly digests: when due (a scheduler job, once across instances), every module's digest lines are
 * counted for each first-level department and published as `digest.daily` / `digest.weekly`, one event per
 * department; rules decide where each goes (the department's robot, its lead …).
 */
export class DigestService {
  constructor(
    private readonly org: OrgService,
    private readonly sections: DigestRegistry,
    private readonly uow: UnitOfWork,
    private readonly timeZone: string,
    private readonly logger: Logger,
  ) {}

  async publish(kind: 'daily' | 'weekly', scheduledAt: number): Promise<number> {
    const span = kind === 'daily' ? DAY : 7 * DAY;
    const scope = { from: scheduledAt - span, to: scheduledAt };
    const period = kind === 'daily' ? dateIn(scheduledAt, this.timeZone) : `${dateIn(scope.from, this.timeZone)} ~ ${dateIn(scheduledAt - 1, this.timeZone)}`;
    const departments = await this.departments();
    const events: Array<Record<string, unknown>> = [];
    for (const d of departments) {
      const lines: string[] = [];
      for (const s of this.sections.all()) lines.push(`${s.label} ${await s.count({ ...scope, departmentId: d.id })}`);
      events.push({ department_id: d.id, department: d.name, period, summary: lines.length ? lines.join(' · ') : '暂无可汇总的数据' });
    }
    await this.uow.run({ actor: 'system', requestId: `digest.${kind}:${scheduledAt}` }, async (tx) => {
      for (const payload of events) await tx.publish(`digest.${kind}`, payload);
    });
    this.logger.info({ kind, departments: events.length, period }, 'digest published');
    return events.length;
  }

  /** The departments right under the root (the corp's teams), or the root when it has none. */
  private async departments(): Promise<Array<{ id: number; name: string }>> {
    const all = await this.org.activeDepartments();
    const root = all.find((d) => !all.some((p) => p.id === d.parentId)) ?? all[0];
    if (!root) return [];
    const top = all.filter((d) => d.parentId === root.id);
    return (top.length ? top : [root]).map((d) => ({ id: d.id, name: d.name }));
  }
}
